using UpmDurable.Storage;

namespace UpmDurable.Workflows.RateLimits;

/// <summary>
/// The limiter a change's steps go through: its provider, the target the limit is counted on (docs/rate-limits.md) and the
/// limit in force when the change reached its first step (kept for the whole change). Append-only contract.
/// </summary>
public sealed record RateLimitScope(string Provider, string Target, RateLimit Limit);
