namespace UpmDurable.Storage;

/// <summary>There is no usable evidence signing key; the message says which setting to fix (never the key itself).</summary>
public sealed class EvidenceKeyException(string message, Exception? inner = null) : Exception(message, inner);
