using Azure;

namespace UpmDurable.Storage;

/// <summary>One evidence blob as listed: its name and the ETag of its current bytes.</summary>
public sealed record EvidenceVersion(string Name, ETag ETag);
