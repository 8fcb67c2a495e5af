using System.Collections.Concurrent;
using Azure;
using UpmDurable.Core.Model;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Diagnostics;

/// <summary>
/// Makes activities of a change fail as a storage outage would, as many times as the change's <c>target.faults</c> ask,
/// so tests can prove every failure path ends final. The faults are read once per change from its stored record; the
/// counts live in this process (a single test host).
/// </summary>
public sealed class ActivityFaults(TestingOptions options, ChangeStore changes)
{
    readonly ConcurrentDictionary<string, List<FaultSpec>> faultsByChange = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> failed = new(StringComparer.Ordinal);

    /// <summary>Whether this host accepts activity faults.</summary>
    public bool Enabled => options.ActivityFaults;

    /// <summary>Throws a 503 storage failure when the change asked for a fault at this activity kind and has calls left to fail.</summary>
    public async Task ThrowIfInjectedAsync(string tenant, string changeId, string kind, string? at = null)
    {
        if (!Enabled)
        {
            return;
        }

        if (!faultsByChange.TryGetValue($"{tenant}/{changeId}", out List<FaultSpec>? faults))
        {
            faults = faultsByChange.GetOrAdd($"{tenant}/{changeId}", await LoadAsync(tenant, changeId));
        }

        FaultSpec? fault = faults.FirstOrDefault(f => f.On == kind && (f.At is null || f.At == at));
        if (fault is null)
        {
            return;
        }

        int times = fault.Times ?? 5;
        int n = failed.AddOrUpdate($"{tenant}/{changeId}/{kind}/{fault.At}", 1, (_, count) => count + 1);
        if (n <= times)
        {
            throw new RequestFailedException(503, $"injected fault: {kind}{(at is null ? string.Empty : " at " + at)} failure {n} of {times} (Upm:Testing:ActivityFaults)");
        }
    }

    async Task<List<FaultSpec>> LoadAsync(string tenant, string changeId)
    {
        ChangeRecord? record = await changes.GetAsync(tenant, changeId);
        return record?.Intent.Faults.Where(f => f.On is not null && Canonicals.ActivityFaultPoints.Contains(f.On)).ToList() ?? [];
    }
}
