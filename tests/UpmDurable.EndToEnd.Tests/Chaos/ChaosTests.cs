using UpmDurable.Testing.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace UpmDurable.EndToEnd.Tests.Chaos;

/// <summary>
/// The short version of bench/UpmDurable.Chaos: three crash-anywhere trials on their own Azurite and host. The full
/// 20-trial run is `dotnet run -c Release --project bench/UpmDurable.Chaos -- --trials 20 --seed 1`.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Host_killed_mid_wave_while_writing_evidence_and_mid_rollback_loses_nothing_and_does_nothing_twice()
    {
        var options = new ChaosOptions
        {
            Plan =
            [
                new ChaosTrial(1, KillPoint.MidWave, TrialFault.None),
                new ChaosTrial(2, KillPoint.EvidenceWrite, TrialFault.None, SkipRecords: 1),
                new ChaosTrial(3, KillPoint.MidRollback, TrialFault.Apply),
            ],

            // Shorter than the product defaults (15 s, 30 s) so a restarted host resumes sooner; the windows stay wide.
            PartitionLeaseSeconds = 6,
            MessageVisibilitySeconds = 10,
            SandboxLatencyMs = 1500,
            TrialTimeout = TimeSpan.FromMinutes(2),
            Log = output.WriteLine,
        };

        IReadOnlyList<ChaosTrialResult> results = await new ChaosRun(options).RunAsync();
        output.WriteLine(ChaosRun.Table(results));

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.True(r.Passed, $"trial {r.Trial.Number} ({r.Trial.Point}): {string.Join("\n", r.Failures)}"));
        Assert.All(results, r => Assert.True(r.Landed, $"trial {r.Trial.Number}: the kill missed its window ({r.Trial.Point}; at kill: {r.AtKill})"));
        Assert.Equal(["completed", "completed", "rolled_back"], results.Select(r => r.FinalStatus));
    }
}
