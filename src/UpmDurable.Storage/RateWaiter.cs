namespace UpmDurable.Storage;

/// <summary>A holder waiting for a permit: its place in line (<paramref name="Ticket"/>) and when it last asked (unix seconds).</summary>
public sealed record RateWaiter(long Ticket, long LastSeen);
