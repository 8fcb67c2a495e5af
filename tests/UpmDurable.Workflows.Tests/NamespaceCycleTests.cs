using UpmDurable.Api;
using UpmDurable.Hosting;
using UpmDurable.Workflows.Orchestrators;
using Xunit;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// No namespace cycles inside a product assembly: each assembly's namespaces, as its compiled code uses them, form a
/// directed acyclic graph, so a namespace can be read (and moved) with only the ones below it (the layers: docs/architecture.md).
/// </summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> ProductAssemblies() =>
    [
        typeof(Core.Model.ChangeStatuses).Assembly.Location,
        typeof(Storage.ChangeStore).Assembly.Location,
        typeof(Providers.ProviderRegistry).Assembly.Location,
        typeof(ChangeOrchestrator).Assembly.Location,
        typeof(ChangeApi).Assembly.Location,
        typeof(UpmServices).Assembly.Location,
    ];

    [Theory]
    [MemberData(nameof(ProductAssemblies))]
    public void The_namespaces_of_a_product_assembly_form_no_cycle(string assemblyPath)
    {
        NamespaceGraph graph = NamespaceGraph.Read(assemblyPath);

        string assembly = Path.GetFileName(assemblyPath);
        IReadOnlyList<SortedSet<string>> cycles = graph.Cycles();

        Assert.True(cycles.Count == 0,
            $"{assembly}: namespace cycles [{string.Join(" | ", cycles.Select(c => string.Join(", ", c)))}]. The uses: {string.Join(" | ", cycles.Select(graph.Describe))}");
    }

    [Fact]
    public void The_graph_sees_the_uses_that_make_a_namespace_depend_on_another()
    {
        NamespaceGraph graph = NamespaceGraph.Read(typeof(ChangeApi).Assembly.Location);

        // ChangeApi reports the approval webhooks' health (a constructor parameter and a call in a method body).
        Assert.Contains("UpmDurable.Api.Webhooks", graph.Uses["UpmDurable.Api"]);
    }

    [Fact]
    public void A_cycle_is_found_and_named_and_a_chain_is_not_a_cycle()
    {
        Assert.Empty(NamespaceGraph.From(("A", "B"), ("B", "C"), ("A", "C")).Cycles());

        NamespaceGraph cyclic = NamespaceGraph.From(("A", "B"), ("B", "C"), ("C", "B"), ("C", "D"));
        SortedSet<string> cycle = Assert.Single(cyclic.Cycles());
        Assert.Equal(["B", "C"], cycle);
        Assert.Equal("B -> C; C -> B", cyclic.Describe(cycle));
    }
}
