namespace UpmDurable.Core.Model;

/// <summary>The head of a change's evidence hash chain: how many records, and the hash of the last.</summary>
public sealed record EvidenceHead(int Records, string? ChainHead);
