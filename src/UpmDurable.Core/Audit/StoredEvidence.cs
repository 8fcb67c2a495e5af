namespace UpmDurable.Core.Audit;

/// <summary>One stored evidence blob: its name and exact bytes.</summary>
public sealed record StoredEvidence(string Name, byte[] Content);
