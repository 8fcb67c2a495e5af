using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;
using UpmDurable.Providers;
using UpmDurable.Storage;

namespace UpmDurable.Workflows;

/// <summary>
/// Pre-flight, before any mutation: prerequisites (existence, quota), name collisions, the dry run against the
/// provider's current state, policy packs, the change window, and the plan annotation. Used by the pre-flight activity
/// and by POST /api/plans.
/// </summary>
public sealed class Preflight(ProviderRegistry providers, ChangeStore changes, PolicyStore policies, BlastRadiusOptions blastRadius)
{
    /// <summary>The policy packs and change-window calendars pre-flight evaluates against (for the scorecard's facts).</summary>
    public Task<PolicySet> PoliciesAsync(CancellationToken cancellationToken = default) => policies.GetAsync(cancellationToken);

    public async Task<PreflightReport> RunAsync(PreflightInput input, CancellationToken cancellationToken = default)
    {
        IChangeProvider provider = providers.Get(input.Provider);
        var checks = new List<PreflightCheck>();
        foreach (ResourceNeed need in input.Plan.ResourcesNeeded)
        {
            if (need.Type == "quota")
            {
                int available = await provider.QuotaAvailableAsync(input.Tenant, need.Name!, need.Location!, cancellationToken);
                bool ok = available >= need.Min;
                checks.Add(new PreflightCheck("quota", $"{need.Name}@{need.Location}", ok, ok
                    ? $"quota {need.Name} in {need.Location}: {available} available, {need.Min} needed"
                    : $"Missing prerequisite: quota {need.Name} in {need.Location} has {available} available but {need.Min} are needed; request a quota increase or lower the requirement."));
            }
            else
            {
                ResourceState? state = await provider.ReadAsync(input.Tenant, need.Type!, need.Name!, cancellationToken);
                checks.Add(new PreflightCheck("existence", $"{need.Type}/{need.Name}", state is not null, state is not null
                    ? $"{need.Type} '{need.Name}' exists"
                    : $"Missing prerequisite: {need.Type} '{need.Name}' does not exist in tenant {input.Tenant}; create it first or add it to this change."));
            }
        }

        if (provider is IToolPreflight tools)
        {
            checks.AddRange(await tools.CheckToolsAsync(input.Plan.Steps, cancellationToken));
        }

        // Read in parallel (order kept): one read after another made the dry run of 1,000 resources take 1,000 round trips.
        ResourceState?[] states = await ResourceReadBack.ReadAllAsync(provider, input.Tenant, input.Plan.Steps, cancellationToken);
        DryRunOutcome dryRun = await DryRunAssessment.AssessAsync(
            provider, input, states, (createdBy, ct) => changes.VisibleCreatorAsync(input.Tenant, createdBy, ct), cancellationToken);
        checks.AddRange(dryRun.Checks);
        checks.AddRange(blastRadius.Check(input.Plan, dryRun.Entries));
        checks.Add(DryRunAssessment.SummaryCheck(dryRun.Entries));

        PolicySet set = await policies.GetAsync(cancellationToken);
        PlanAnnotation? annotation = null;
        PolicyReport? policy = null;
        WindowStatus? window = null;
        if (input.Spec is { } spec)
        {
            annotation = PlanAnnotator.Annotate(spec, input.Plan, input.Initiator ?? "unknown", input.SubmittedAt ?? DateTimeOffset.UnixEpoch);
            policy = PolicyEvaluator.Evaluate(set.Packs, spec, input.Plan, annotation, dryRun.Facts);
            foreach (PolicyViolation violation in policy.Violations)
            {
                checks.Add(new PreflightCheck($"policy_{violation.Severity}", violation.Resource ?? "change", violation.Severity != "deny", $"{violation.Pack}/{violation.RuleId}: {violation.Message}"));
            }

            if (spec.WindowCalendar is { } name)
            {
                if (!set.Calendars.TryGetValue(name, out ChangeWindowCalendar? calendar))
                {
                    checks.Add(new PreflightCheck("change_window", name, false, $"Unknown change-window calendar '{name}'. Known: {string.Join(", ", set.Calendars.Keys.Order(StringComparer.Ordinal))}."));
                }
                else
                {
                    window = calendar.Evaluate(input.SubmittedAt ?? DateTimeOffset.UtcNow);
                    bool ok = window.Open || spec.WindowWait;
                    checks.Add(new PreflightCheck("change_window", name, ok, window.Open
                        ? $"window '{name}' is open: {window.Reason}"
                        : spec.WindowWait ? $"window '{name}' is closed ({window.Reason}); the change will wait until {window.NextOpen:O}" : $"window '{name}' is closed ({window.Reason}) and the request says window.wait=false"));
                }
            }
        }

        ApprovalRequirement? approval = input.Spec is { } change && annotation is not null
            ? ApprovalPolicyDecision.Decide(set.Packs, change, input.Plan, annotation, window is null || window.Open, dryRun.Facts)
            : null;
        return new PreflightReport
        {
            Ok = checks.All(c => c.Ok), Checks = checks, DryRun = dryRun.Entries, Policy = policy, Window = window, Annotation = annotation, Approval = approval,
            Adoptions = dryRun.Facts.Adoptions.Count == 0 ? null : [.. dryRun.Facts.Adoptions],
            Irreversible = dryRun.Facts.Irreversible.Count == 0 ? null : dryRun.Facts.Irreversible.ToDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The approvals policy requires of a change as submitted (its window taken as open): what the submission checks the
    /// request against and records, before pre-flight decides again with the window's state.
    /// </summary>
    public async Task<ApprovalRequirement> ApprovalsAsync(ChangeSpec spec, Plan plan, string initiator, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        PolicySet set = await policies.GetAsync(cancellationToken);
        return ApprovalPolicyDecision.Decide(set.Packs, spec, plan, PlanAnnotator.Annotate(spec, plan, initiator, at), windowOpen: true);
    }

    /// <summary>The state of a named calendar at a moment (the orchestrator's time, so replays see the same input).</summary>
    public async Task<WindowStatus> CheckWindowAsync(string calendar, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        PolicySet set = await policies.GetAsync(cancellationToken);
        return set.Calendars.TryGetValue(calendar, out ChangeWindowCalendar? found)
            ? found.Evaluate(at)
            : new WindowStatus(false, $"unknown calendar '{calendar}'", null);
    }
}
