namespace UpmDurable.Workflows.RateLimits;

/// <summary>
/// Input of the permit activities: the change's limiter and the holder (change, step and activity: one permit per step
/// execution, so a retried request is the same holder). Append-only contract.
/// </summary>
public sealed record RatePermitRequest(RateLimitScope Scope, string Holder);
