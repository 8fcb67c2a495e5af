namespace UpmDurable.Bench.Host;

/// <summary>What a floor run did: activities completed and batches awaited.</summary>
public sealed record FanOutFloorResult(int Activities, int Batches);
