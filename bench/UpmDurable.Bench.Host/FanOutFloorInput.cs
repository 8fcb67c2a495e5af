namespace UpmDurable.Bench.Host;

/// <summary>Input of <see cref="FanOutFloorOrchestrator"/>: waves of no-op activities, run in batches of at most <c>MaxParallel</c>.</summary>
public sealed record FanOutFloorInput(int Waves, int ActivitiesPerWave, int MaxParallel);
