using System.Diagnostics;
using System.Text.Json;
using UpmDurable.Api;
using UpmDurable.Testing;
using UpmDurable.Workflows;
using UpmDurable.Workflows.Activities;
using UpmDurable.Workflows.Registration;
using Xunit;

namespace UpmDurable.Functions.Tests;

/// <summary>`dotnet publish` of the Functions app (of the build's output: <c>--no-build</c>, the suite builds first) yields a function app whose metadata names every trigger.</summary>
public sealed class FunctionsPublishTests
{
    [Fact]
    public async Task Publish_produces_functions_metadata_naming_every_trigger()
    {
        string output = Directory.CreateTempSubdirectory("upm-functions-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[] { "publish", Path.Combine(RepoPaths.Root, "src", "UpmDurable.Functions"), "-c", RepoPaths.Configuration, "-o", output, "--nologo", "--no-build" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using Process publish = Process.Start(start)!;
            Task<string> stdout = publish.StandardOutput.ReadToEndAsync();
            Task<string> stderr = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");

            using JsonDocument metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "functions.metadata")));
            var triggers = metadata.RootElement.EnumerateArray().ToDictionary(
                f => f.GetProperty("name").GetString()!,
                f => f.GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString()!).ToList());

            // In full: every task of the shared list with its trigger, every HTTP route and the timer, and nothing else.
            foreach (Type orchestrator in WorkflowTasks.Orchestrators)
            {
                Assert.Contains("orchestrationTrigger", triggers[orchestrator.Name]);
            }

            foreach (Type activity in WorkflowTasks.Activities)
            {
                Assert.Contains("activityTrigger", triggers[activity.Name]);
            }

            foreach (string route in HttpFunctions)
            {
                Assert.Contains("httpTrigger", triggers[route]);
            }

            Assert.Contains("timerTrigger", triggers["DriftReconcile"]);
            foreach (string starter in new[] { "SubmitChange", "PostApproval", "ReconcileDrift", "DriftReconcile" })
            {
                Assert.Contains("durableClient", triggers[starter]);
            }

            Assert.Contains("durableClient", triggers[nameof(StartDriftMonitor)]);
            string[] expected = [.. WorkflowTasks.Orchestrators.Select(t => t.Name), .. WorkflowTasks.Activities.Select(t => t.Name), .. HttpFunctions, "DriftReconcile"];
            Assert.Equal(expected.Order(StringComparer.Ordinal), triggers.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(WorkflowTriggerTests.Functions().Select(f => f.Name).Order(StringComparer.Ordinal), triggers.Keys.Order(StringComparer.Ordinal));

            AssertRoutesMatchCatalog(metadata.RootElement);
            Assert.True(File.Exists(Path.Combine(output, "host.json")), "host.json is published with the app");
            Assert.True(File.Exists(Path.Combine(output, "UpmDurable.Functions.dll")));
            Assert.True(File.Exists(Path.Combine(output, "policies", "default.yaml")), "policy packs are published with the app");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    // host.json's routePrefix is "" (the dashboard answers at "/"): every trigger names its full route, and together they
    // are exactly the route catalog the OpenAPI document is generated from.
    static void AssertRoutesMatchCatalog(JsonElement functions)
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());

        var served = functions.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().SelectMany(m =>
                RouteTemplates.Expand(b.GetProperty("route").GetString()!).Select(path => $"{m.GetString()!.ToUpperInvariant()} {path}")))
            .ToHashSet();
        var catalog = ApiRoutes.All.Select(r => $"{r.Method} {r.Path}").ToHashSet();
        Assert.Empty(served.Except(catalog));
        Assert.Empty(catalog.Except(served).Except(ApiRoutesPendingMerge));
    }

    // The HTTP functions: the API (its routes are compared with the catalog below), the dashboard and the OpenAPI document.
    static readonly string[] HttpFunctions =
    [
        "Health", "SubmitChange", "ListChanges", "GetChange", "GetPlan", "PostApproval", "GetEvidencePack", "VerifyEvidence",
        "GetEvidenceRecord", "GetEvidencePublicKey", "GetKpis", "GetScorecard", "CompilePlanDryRun", "ApprovalWebhook",
        "OperatorControl", "GetDrift", "ReconcileDrift", "SandboxTamper", "Dashboard", "DashboardAsset", "OpenApiDocument",
    ];

    // Routes of docs/contract/api.md being built on another branch; remove once their triggers are merged.
    static readonly string[] ApiRoutesPendingMerge = [];
}
