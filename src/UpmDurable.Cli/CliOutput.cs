using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace UpmDurable.Cli;

/// <summary>How the <c>upm</c> verbs print answers: tables and panels for people, indented JSON for scripts.</summary>
internal static class CliOutput
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    internal static void PrintPlan(IAnsiConsole console, JsonNode result)
    {
        JsonNode plan = result["plan"]!;
        console.MarkupLineInterpolated($"plan [bold]{plan["plan_hash"]}[/] ({SimulatedLabel.Of(result)} run)");
        var simulation = (result["simulation"]?["steps"]?.AsArray() ?? []).ToDictionary(s => Str(s!["step_id"]), s => Str(s!["action"]));
        var table = new Table().AddColumns("wave", "step", "action", "command");
        foreach (JsonNode? step in plan["steps"]!.AsArray())
        {
            string stepId = Str(step!["id"]);
            table.AddRow(Text(step["wave"]), Markup.Escape(stepId), simulation.GetValueOrDefault(stepId, "?"), Text(step["command"]));
        }

        console.Write(table);
        PlanDiffText.Write(console, result);
        JsonNode? annotation = result["annotation"];
        console.MarkupLineInterpolated($"risk {annotation?["risk_score"]} ({annotation?["risk_level"]}), about {annotation?["monthly_cost_usd"]} USD/month; preflight {(result["preflight"]?["ok"]?.GetValue<bool>() == true ? "ok" : "FAILED")}");
        foreach (JsonNode? check in (result["preflight"]?["checks"]?.AsArray() ?? []).Where(c => c?["ok"]?.GetValue<bool>() == false))
        {
            console.MarkupLineInterpolated($"  [red]{check!["type"]}[/] {check["message"]}");
        }

        console.WriteLine();
        console.WriteLine(Str(result["graph"]));
    }

    internal static void PrintStatus(IAnsiConsole console, JsonNode record)
    {
        var grid = new Grid().AddColumn().AddColumn();
        foreach (string field in new[] { "change_id", "status", "phase", "initiator", "submitted_at", "updated_at", "reason" })
        {
            if (record[field] is { } value)
            {
                grid.AddRow(field, Markup.Escape(value.ToString()));
            }
        }

        grid.AddRow("run", Markup.Escape(SimulatedLabel.Run(record)));
        grid.AddRow("plan_hash", Markup.Escape(record["plan"]?["plan_hash"]?.ToString() ?? "-"));
        grid.AddRow("approvals", Markup.Escape($"{record["approvals"]?["decisions"]?.AsArray().Count ?? 0} of {record["approvals"]?["required"]} ({record["approvals"]?["outcome"]})"));
        grid.AddRow("steps", Markup.Escape($"{record["execution"]?["steps"]?.AsArray().Count ?? 0} executed, {record["rollback"]?["steps"]?.AsArray().Count ?? 0} rolled back"));
        grid.AddRow("evidence", Markup.Escape($"{record["evidence"]?["records"]} records, head {record["evidence"]?["chain_head"]}"));
        console.Write(grid);
    }

    internal static void PrintDrift(IAnsiConsole console, JsonNode report)
    {
        var grid = new Grid().AddColumn().AddColumn();
        foreach (string field in new[] { "change_id", "status", "mode", "interval", "checked_at", "next_check_at", "baseline_hash", "current_hash", "resources_checked", "iterations", "remediation_change_id" })
        {
            if (report[field] is { } value)
            {
                grid.AddRow(field, Markup.Escape(value.ToString()));
            }
        }

        console.Write(grid);
        var diff = report["diff"]?.AsArray() ?? [];
        if (diff.Count > 0)
        {
            var table = new Table().AddColumns("resource", "field", "intended", "actual");
            foreach (JsonNode? entry in diff)
            {
                table.AddRow(Text(entry?["resource"]), Text(entry?["field"]), Text(entry?["intended"]), Text(entry?["actual"]));
            }

            console.Write(table);
        }
    }

    internal static void PrintKpis(IAnsiConsole console, JsonNode? kpis)
    {
        var table = new Table().AddColumns("kpi", "value", "band", "numerator / denominator", "formula");
        foreach (JsonNode? kpi in kpis?.AsArray() ?? [])
        {
            string value = kpi?["value"] is JsonValue v && v.TryGetValue(out double number) ? number.ToString("0.##", CultureInfo.InvariantCulture) + " " + Str(kpi["unit"]) : "-";
            table.AddRow(Text(kpi?["name"]), Markup.Escape(value), Text(kpi?["band"]), Markup.Escape($"{kpi?["numerator"]} / {kpi?["denominator"]}"), Text(kpi?["formula"]));
        }

        console.Write(table);
    }

    internal static void PrintScorecard(IAnsiConsole console, JsonNode result)
    {
        JsonNode? row = result["scorecard"];
        console.MarkupLineInterpolated($"[bold]{row?["platform"]}[/]: overall level [bold]{row?["overall"]}[/] (tenant {result["tenant"]}, {result["changes"]} changes since {result["since"]})");
        console.MarkupLineInterpolated($"levels from {SimulatedLabel.Basis(result)}; basis {result["levels_basis"]}");
        var table = new Table().AddColumns("phase", "level", "clauses");
        foreach (JsonNode? phase in row?["phases"]?.AsArray() ?? [])
        {
            var clauses = (phase?["clauses"]?.AsArray() ?? []).Select(c =>
                $"{(c?["holds"]?.GetValue<bool>() == true ? "[green]✓[/]" : "[red]✗[/]")} L{c?["level"]} {Markup.Escape(Str(c?["clause"]))}");
            table.AddRow(new Markup(Markup.Escape(Str(phase?["phase"]))), new Markup(Markup.Escape(Str(phase?["level"]))), new Markup(string.Join("\n", clauses)));
        }

        console.Write(table);
        foreach (JsonNode? gate in row?["gates_applied"]?.AsArray() ?? [])
        {
            console.MarkupLineInterpolated($"gate: {gate}");
        }

        PrintKpis(console, row?["kpis"]);
    }

    // JSON bypasses Spectre's rendering: no markup, no wrapping at the terminal width, so scripts can parse it.
    internal static void WriteJson(IAnsiConsole console, JsonNode node)
    {
        console.Profile.Out.Writer.WriteLine(node.ToJsonString(Indented));
        console.Profile.Out.Writer.Flush();
    }

    internal static string Str(JsonNode? node) => node?.ToString() ?? string.Empty;

    internal static string Text(JsonNode? node) => Markup.Escape(node?.ToString() ?? string.Empty);
}
