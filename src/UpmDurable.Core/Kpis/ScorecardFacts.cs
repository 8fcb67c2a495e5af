namespace UpmDurable.Core.Kpis;

/// <summary>
/// What the deployment is configured with, as the host read it. The scorecard decides nothing from constants: a
/// feature the product does not build is a <c>false</c> fact here until the change that ships it sets it from configuration.
/// </summary>
public sealed record ScorecardFacts
{
    /// <summary>Providers this host runs (sandbox, azure, cli).</summary>
    public IReadOnlyList<string> EnabledProviders { get; init; } = [];

    /// <summary>Names of the policy packs that apply to the tenant.</summary>
    public IReadOnlyList<string> PolicyPacks { get; init; } = [];

    /// <summary>Ids of the approval rules (of those packs) that require two or more approvers.</summary>
    public IReadOnlyList<string> TwoPersonRules { get; init; } = [];

    /// <summary>Names of the change-window calendars configured.</summary>
    public IReadOnlyList<string> ChangeWindowCalendars { get; init; } = [];

    /// <summary>The auto-approval lane of a pack that applies to the tenant, as "pack/lane-id"; null when none.</summary>
    public string? AutoApprovalLane { get; init; }

    /// <summary>Mutual TLS to target endpoints. Not built: the runner has one TLS fallback, no client certificates.</summary>
    public bool MutualTlsToTargets { get; init; }

    /// <summary>Every enabled provider has a rate limit in force (per minute or in flight, per target; docs/rate-limits.md).</summary>
    public bool PerProviderRateLimits { get; init; }

    /// <summary>Each enabled provider's rate limit as configured, e.g. <c>azure: 20/min, 8 in flight</c> or <c>sandbox: off</c>.</summary>
    public IReadOnlyList<string> RateLimits { get; init; } = [];

    /// <summary>Pre-flight SLOs (latency/pass objectives with alerting). Not built.</summary>
    public bool PreflightSlos { get; init; }

    /// <summary>Post-change SLO checks in verification. Not built.</summary>
    public bool PostChangeSlos { get; init; }

    /// <summary>Change SLOs (objectives over the KPIs, with error budgets). Not built.</summary>
    public bool ChangeSlos { get; init; }
}
