namespace UpmDurable.Core.Model;

/// <summary>
/// An injected fault. Sandbox faults name a resource: <c>apply</c> (the step fails), <c>verify</c> (the resource reads back
/// unhealthy), <c>compensate</c> (its compensation fails). Activity faults (<see cref="Canonicals.ActivityFaultPoints"/>, only
/// on a host with <c>Upm:Testing:ActivityFaults</c>) make an activity kind fail like a storage outage <see cref="Times"/> times.
/// </summary>
public sealed record FaultSpec
{
    public string? Resource { get; init; }

    public string? On { get; init; }

    /// <summary>Activity faults: how many calls fail (default 5, the retry budget of one activity call).</summary>
    public int? Times { get; init; }

    /// <summary>Checkpoint faults: only the checkpoint of this kind (e.g. <c>verify</c>); null: any.</summary>
    public string? At { get; init; }
}
