using System.Text.Json.Nodes;

namespace UpmDurable.Cli;

/// <summary>How the CLI says whether a change ran on a real provider or was simulated (the API's <c>simulated</c> field).</summary>
static class SimulatedLabel
{
    /// <summary><c>simulated</c>, <c>real</c>, or <c>-</c> for a change indexed before the field existed.</summary>
    public static string Of(JsonNode? change) => change?["simulated"] is JsonValue v && v.TryGetValue(out bool simulated)
        ? (simulated ? "simulated" : "real")
        : "-";

    /// <summary>The status grid's line: a simulated change says that nothing real ran.</summary>
    public static string Run(JsonNode record) => Of(record) switch
    {
        "simulated" => "simulated: sandbox only, nothing real ran",
        "real" => "real provider",
        _ => "-",
    };

    /// <summary>The KPI/scorecard headline: levels and headline KPIs count real-provider changes only.</summary>
    public static string Basis(JsonNode result) =>
        $"{result["real"]?["changes"] ?? 0} on real providers (counted), {result["simulated"]?["changes"] ?? 0} simulated (not counted)";
}
