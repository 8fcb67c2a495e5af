using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Cli;

/// <summary>
/// The dry run of <c>upm plan</c> as Terraform prints a plan: <c>+ create</c>, <c>~ update</c>, <c>- delete</c> per step with
/// one <c>field: before -> after</c> line per changed field, unchanged steps in one line, and the summary
/// <c>Plan: N to add, N to change, N to destroy.</c>
/// </summary>
public static class PlanDiffText
{
    /// <summary>What stands for a field that is not set (before a create, after a delete).</summary>
    public const string NotSet = "(none)";

    /// <summary>The plain lines of the diff of a POST /api/plans answer (no markup).</summary>
    public static List<string> Lines(JsonNode result)
    {
        ArgumentNullException.ThrowIfNull(result);
        List<DryRunEntry> entries = Entries(result);
        var lines = new List<string>();
        foreach (DryRunEntry entry in entries.Where(e => e.Action != PlanActions.Unchanged))
        {
            lines.Add($"{Symbol(entry.Action)} {entry.Action} {entry.StepId}");
            lines.AddRange((entry.Changes ?? []).Select(c => $"    {c.Field}: {c.Before ?? NotSet} -> {c.After ?? NotSet}"));
        }

        List<string> unchanged = entries.Where(e => e.Action == PlanActions.Unchanged).Select(e => e.StepId).ToList();
        if (unchanged.Count > 0)
        {
            lines.Add($"  unchanged {string.Join(", ", unchanged)}");
        }

        lines.Add(DryRunSummary.Of(entries).ToString());
        return lines;
    }

    /// <summary>Writes <see cref="Lines"/> with the sign of each step coloured (green +, yellow ~, red -).</summary>
    public static void Write(IAnsiConsole console, JsonNode result)
    {
        ArgumentNullException.ThrowIfNull(console);
        foreach (string line in Lines(result))
        {
            string color = line.Length > 1 && line[1] == ' ' ? line[0] switch { '+' => "green", '~' => "yellow", '-' => "red", _ => "default" } : "default";
            console.MarkupLine($"[{color}]{Markup.Escape(line)}[/]");
        }
    }

    static string Symbol(string action) => action switch
    {
        PlanActions.Create => "+",
        PlanActions.Update => "~",
        PlanActions.Delete => "-",
        _ => " ",
    };

    static List<DryRunEntry> Entries(JsonNode result) =>
        result["simulation"]?["steps"]?.Deserialize<List<DryRunEntry>>(UpmJson.Options) ?? [];
}
