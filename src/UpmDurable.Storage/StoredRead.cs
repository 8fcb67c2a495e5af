using Azure;

namespace UpmDurable.Storage;

/// <summary>
/// A read that may be skipped: the value, its blob's ETag and size when the blob changed since the ETag the reader knew;
/// only the state when it did not (the service answered 304 and sent no bytes) or when there is no such blob.
/// </summary>
public sealed record StoredRead<T>(StoredReadState State, T? Value = null, ETag ETag = default, long Size = 0) where T : class;
