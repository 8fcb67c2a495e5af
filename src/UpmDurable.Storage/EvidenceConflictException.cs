namespace UpmDurable.Storage;

/// <summary>An attempt to write a different record where one already exists: evidence is never overwritten.</summary>
public sealed class EvidenceConflictException(string blobName)
    : Exception($"Evidence record '{blobName}' already exists with different content; it was not overwritten.")
{
    public string BlobName { get; } = blobName;
}
