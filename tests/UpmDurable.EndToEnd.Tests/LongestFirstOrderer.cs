using Xunit;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("UpmDurable.EndToEnd.Tests.LongestFirstOrderer", "UpmDurable.EndToEnd.Tests")]

namespace UpmDurable.EndToEnd.Tests;

/// <summary>
/// Starts the test collections that take longest first (xUnit runs two at a time), so that no long one is left running
/// alone at the end. First of all the idle-host test, which mostly sleeps (over three minutes by design): it sleeps while
/// the other test assemblies still keep both cores busy, not at the end when only this assembly is left. (Three
/// collections at a time were tried: the other assemblies then starved and the run took longer.) The ranks are measured durations
/// (docs/testing.md, "Run time"); a collection not named here runs after these, in xUnit's default order.
/// </summary>
public sealed class LongestFirstOrderer : ITestCollectionOrderer
{
    // Collection names (CollectionDefinition) or test class names (a class without one is its own collection).
    static readonly string[] Ranked =
    [
        nameof(IdleHostTests), "host", "security", nameof(Chaos.ChaosTests), nameof(TwoWorkerTests), nameof(Chaos.StorageFaultTests), "failures",
        nameof(DurabilityTests), "drift", "hostile",
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.Select((collection, index) => (collection, index))
            .OrderBy(c => Rank(c.collection))
            .ThenBy(c => c.index)
            .Select(c => c.collection);

    static int Rank(ITestCollection collection)
    {
        // "host" for a named collection, "Test collection for UpmDurable.EndToEnd.Tests.IdleHostTests" for a class's own.
        string name = collection.DisplayName;
        int rank = Array.FindIndex(Ranked, r => name == r || name.EndsWith("." + r, StringComparison.Ordinal));
        return rank < 0 ? Ranked.Length : rank;
    }
}
