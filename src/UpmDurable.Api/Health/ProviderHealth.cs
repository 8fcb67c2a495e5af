namespace UpmDurable.Api.Health;

/// <summary>Whether a provider (or an approval webhook provider) runs on this host; <c>reason</c> says why one is disabled.</summary>
public sealed record ProviderHealth(bool Enabled, string? Reason);
