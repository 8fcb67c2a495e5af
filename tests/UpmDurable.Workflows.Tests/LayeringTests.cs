using UpmDurable.Api;
using UpmDurable.Hosting;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// Projects by responsibility: Core is pure, Workflows has no ASP.NET Core (the HTTP API is UpmDurable.Api, the
/// composition root UpmDurable.Hosting), and nothing below a layer references the layer above it.
/// </summary>
public sealed class LayeringTests
{
    static IReadOnlyList<string> References(Type inAssembly) =>
        inAssembly.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

    [Fact]
    public void Workflows_references_no_aspnet_core_and_neither_the_api_nor_the_hosting_project()
    {
        IReadOnlyList<string> workflows = References(typeof(ChangeOrchestrator));

        Assert.DoesNotContain(workflows, a => a.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain("UpmDurable.Api", workflows);
        Assert.DoesNotContain("UpmDurable.Hosting", workflows);
    }

    [Fact]
    public void Core_references_no_storage_durable_task_aspnet_or_process_running_assembly()
    {
        IReadOnlyList<string> core = References(typeof(Core.Model.ChangeStatuses));

        Assert.DoesNotContain(core, a => a.StartsWith("Azure.", StringComparison.Ordinal)
            || a.StartsWith("Microsoft.DurableTask", StringComparison.Ordinal)
            || a.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || a.StartsWith("UpmDurable.", StringComparison.Ordinal)
            || a == "System.Diagnostics.Process");
    }

    [Fact]
    public void The_api_sits_on_workflows_and_hosting_on_the_api()
    {
        Assert.Contains("UpmDurable.Workflows", References(typeof(ChangeApi)));
        Assert.DoesNotContain("UpmDurable.Hosting", References(typeof(ChangeApi)));
        Assert.Contains("UpmDurable.Api", References(typeof(UpmServices)));
    }
}
