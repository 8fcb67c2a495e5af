namespace UpmDurable.Workflows.RateLimits;

/// <summary>Input of <see cref="Activities.LookUpRateLimit"/>: whose limit, for which tenant (the target may depend on it). Append-only contract.</summary>
public sealed record RateLimitLookup(string Provider, string Tenant);
