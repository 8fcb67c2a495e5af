namespace UpmDurable.Storage;

/// <summary>What a conditional read found.</summary>
public enum StoredReadState
{
    /// <summary>The blob changed (or the reader knew no ETag): its value was read.</summary>
    Read,

    /// <summary>The blob still has the ETag the reader knew: nothing was sent.</summary>
    Unchanged,

    /// <summary>No blob of that name.</summary>
    Missing,
}
