using System.Text.Json.Nodes;
using Spectre.Console;
using Xunit;

namespace UpmDurable.Cli.Tests;

/// <summary><c>upm plan</c> renders the dry run like a Terraform plan (no host needed).</summary>
public sealed class PlanDiffTextTests
{
    static readonly JsonNode Answer = JsonNode.Parse("""
        {"simulation": {"create": ["k8s_namespace/new"], "change": ["az_storage_container/logs"], "unchanged": ["k8s_namespace/same"], "delete": ["az_storage_queue/old"],
          "steps": [
            {"step_id": "k8s_namespace/new", "action": "create", "command": "kubectl create namespace new", "changes": [{"field": "cluster", "after": "aks1"}]},
            {"step_id": "az_storage_container/logs", "action": "update", "command": "c", "changes": [{"field": "properties.tier", "before": "cool", "after": "hot"}, {"field": "properties.owner", "before": "x"}]},
            {"step_id": "k8s_namespace/same", "action": "unchanged", "command": "c", "changes": []},
            {"step_id": "az_storage_queue/old", "action": "delete", "command": "c", "changes": [{"field": "properties.team", "before": "a"}]}
          ]}}
        """)!;

    [Fact]
    public void Steps_render_with_signs_field_lines_and_the_summary()
    {
        Assert.Equal(
            [
                "+ create k8s_namespace/new",
                "    cluster: (none) -> aks1",
                "~ update az_storage_container/logs",
                "    properties.tier: cool -> hot",
                "    properties.owner: x -> (none)",
                "- delete az_storage_queue/old",
                "    properties.team: a -> (none)",
                "  unchanged k8s_namespace/same",
                "Plan: 1 to add, 1 to change, 1 to destroy.",
            ],
            PlanDiffText.Lines(Answer));
    }

    [Fact]
    public void Field_values_are_printed_as_text_not_markup()
    {
        JsonNode hostile = JsonNode.Parse("""{"simulation": {"steps": [{"step_id": "k8s_namespace/a", "action": "update", "command": "c", "changes": [{"field": "properties.x", "before": "[red]boom[/]", "after": "[/]"}]}]}}""")!;
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        PlanDiffText.Write(console, hostile);

        Assert.Contains("properties.x: [red]boom[/] -> [/]", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("Plan: 0 to add, 1 to change, 0 to destroy.", writer.ToString(), StringComparison.Ordinal);
    }
}
