namespace UpmDurable.Workflows.Sweeps;

/// <summary>What a janitor pass did: changes started from their stored request, changes made final.</summary>
public sealed record JanitorSweep(int Started, int Finalized);
