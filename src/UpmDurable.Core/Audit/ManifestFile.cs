namespace UpmDurable.Core.Audit;

/// <summary>
/// One file of a pack. <see cref="Derived"/> is true for every file that is not a write-once evidence record: views of the
/// mutable change record and reports computed when the pack was built. Their hashes are signed (they are what the service
/// showed at <c>generated_at</c>), but what happened is attested only by the records under <c>records/</c> and their chain.
/// </summary>
public sealed record ManifestFile(string Path, string Sha256, long Bytes, bool? Derived = null);
