using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.Infra.Tests;

/// <summary>Compiles and lints infra/ once with scripts/bicep.sh (the pinned Bicep CLI, offline) and exposes the ARM JSON.</summary>
public sealed class CompiledTemplate : IDisposable
{
    private readonly string outDir = Path.Combine(Path.GetTempPath(), "upm-infra-" + Guid.NewGuid().ToString("N"));

    public CompiledTemplate()
    {
        var start = new ProcessStartInfo("bash", [RepositoryRoot.Combine("scripts", "bicep.sh")])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["BICEP_OUT_DIR"] = outDir;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("scripts/bicep.sh did not finish within 5 minutes");
        }

        BuildOutput = stdout.Result + stderr.Result;
        ExitCode = process.ExitCode;
        var path = Path.Combine(outDir, "main.json");
        Template = ExitCode == 0 && File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path))!.AsObject()
            : throw new InvalidOperationException($"scripts/bicep.sh failed ({ExitCode}):\n{BuildOutput}");
        Resources = [.. Descendants(Template).Where(IsResource)];
    }

    public int ExitCode { get; }

    public string BuildOutput { get; }

    public JsonObject Template { get; }

    /// <summary>Every resource in the template, nested module templates included.</summary>
    public IReadOnlyList<JsonObject> Resources { get; }

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The module deployment (Microsoft.Resources/deployments) with this name, for its own parameters and variables.</summary>
    public JsonObject Module(string name) =>
        OfType("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == name)["properties"]!["template"]!.AsObject();

    public void Dispose()
    {
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static bool IsResource(JsonObject node) =>
        node["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t.StartsWith("Microsoft.", StringComparison.Ordinal)
        && node["apiVersion"] is JsonValue;

    private static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var child in obj.SelectMany(p => Descendants(p.Value)))
                {
                    yield return child;
                }

                break;
            case JsonArray array:
                foreach (var child in array.SelectMany(Descendants))
                {
                    yield return child;
                }

                break;
        }
    }
}
