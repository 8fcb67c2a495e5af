using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Http;

/// <summary>What the operations routes compute: rollback dry runs and drift reports.</summary>
public sealed class ChangeOperations(ChangeStore changes, ProviderRegistry providers, TimeProvider clock)
{
    /// <summary>
    /// The rollback plan of a change as it would run now, proven executable: every compensating command passes the
    /// guard-rails, and every target is read from the provider (delete what this change created, keep what existed before).
    /// </summary>
    public async Task<RollbackDryRun> RollbackDryRunAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        Plan plan = record.Plan ?? throw new InvalidOperationException("The change has no plan.");
        var done = record.Execution.Steps.Where(s => s.Outcome != "failed").Select(s => s.StepId).ToHashSet(StringComparer.Ordinal);
        bool executed = done.Count > 0;

        // Last in, first out: the order the compensations run in.
        List<PlanStep> steps = plan.Steps.Where(s => !executed || done.Contains(s.Id)).Reverse().ToList();
        ResourceState?[] states = await ResourceReadBack.ReadAllAsync(providers.Get(record.Intent.Provider), record.Tenant, steps, cancellationToken);
        var entries = new List<RollbackDryRunStep>();
        for (int i = 0; i < steps.Count; i++)
        {
            PlanStep step = steps[i];
            string? refused = null;
            try
            {
                CommandGuard.Check(step.Rollback, Canonicals.DefaultPipeAllowList);
            }
            catch (CommandRefusedException ex)
            {
                refused = ex.Message;
            }

            ResourceState? state = states[i];
            string action = state is null ? "nothing_to_do" : state.CreatedBy == record.ChangeId ? "delete" : "keep";
            entries.Add(new RollbackDryRunStep(i + 1, step.Id, step.Rollback, state is not null, action, refused is null ? "ok" : "refused", refused,
                state is null ? "target does not exist: the compensation is a no-op" : action == "keep" ? $"existed before this change (created by {state.CreatedBy ?? "someone else"}): kept" : "created by this change: deleted"));
        }

        bool executable = entries.All(e => e.Guard == "ok");
        return new RollbackDryRun(record.ChangeId, record.Status, true, executable, executed ? "applied steps" : "whole plan (nothing applied yet)", entries,
            entries.Where(e => e.Guard != "ok").Select(e => $"{e.StepId}: {e.Refusal}").ToList(), clock.GetUtcNow());
    }

    /// <summary>The providers this host runs (requests naming another, a disabled one included, are refused).</summary>
    public IReadOnlySet<string> EnabledProviders { get; } = providers.Names;

    /// <summary>Every provider this host knows, enabled or not, with why a disabled one is off (for <c>/api/health</c>).</summary>
    public SortedDictionary<string, ProviderHealth> ProviderHealth()
    {
        var all = new SortedDictionary<string, ProviderHealth>(StringComparer.Ordinal);
        foreach (string name in providers.Names)
        {
            all[name] = new ProviderHealth(true, null);
        }

        foreach (DisabledProvider disabled in providers.Disabled)
        {
            all[disabled.Name] = new ProviderHealth(false, disabled.Reason);
        }

        return all;
    }

    /// <summary>
    /// Resource types the request's provider cannot run, as validation errors (field → message); empty when all can.
    /// </summary>
    public static Dictionary<string, string[]> UnsupportedTypes(ChangeSpec spec)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (spec.Provider == "azure")
        {
            for (int i = 0; i < spec.Resources.Count; i++)
            {
                if (!Providers.Azure.ArmResourceMap.Supports(spec.Resources[i].Type!))
                {
                    errors[$"target.resources[{i}].type"] = [$"The azure provider cannot run '{spec.Resources[i].Type}'; supported: {string.Join(", ", Providers.Azure.ArmResourceMap.ByType.Keys)}."];
                }
            }
        }

        return errors;
    }

    /// <summary>Tampers with a sandbox resource; null when the sandbox is not enabled or the resource does not exist.</summary>
    public Task<ResourceState?> SandboxTamperAsync(string tenant, string type, string name, SandboxTamper tamper, CancellationToken cancellationToken) =>
        providers.TryGet("sandbox") is Providers.Sandbox.SandboxProvider sandbox
            ? sandbox.TamperAsync(tenant, type, name, tamper.Fields, tamper.Health, tamper.Delete, cancellationToken)
            : Task.FromResult<ResourceState?>(null);

    /// <summary>The latest drift report, or what the change's drift state is when no check ran yet.</summary>
    public async Task<DriftReport> DriftReportAsync(ChangeRecord record, CancellationToken cancellationToken)
    {
        if (await changes.GetDriftReportAsync(record.Tenant, record.ChangeId, cancellationToken) is { } report)
        {
            return report;
        }

        var empty = new DriftReport
        {
            ChangeId = record.ChangeId,
            Tenant = record.Tenant,
            Mode = record.Intent.DriftMode,
            Interval = record.Intent.DriftInterval,
            Status = DriftStatuses.NotMonitored,
        };
        if (record.Intent.DriftMode == "off")
        {
            return empty with { Reason = "drift mode is off" };
        }

        return record.Status == ChangeStatuses.Completed
            ? empty with { Status = DriftStatuses.Pending, BaselineHash = record.Verification?.BaselineHash, NextCheckAt = record.UpdatedAt + ChangeRequestValidator.ParseDuration(record.Intent.DriftInterval), Reason = "the first check runs one interval after completion" }
            : empty with { Reason = $"the change is {record.Status}; monitoring starts when it completes" };
    }
}

/// <summary>The answer of POST /api/changes/{id}/rollback?dry_run=true.</summary>
public sealed record RollbackDryRun(string ChangeId, string Status, bool DryRun, bool Executable, string Scope, List<RollbackDryRunStep> Steps, List<string> Problems, DateTimeOffset SimulatedAt);

/// <summary>One compensation of a rollback dry run, in the order it would run.</summary>
public sealed record RollbackDryRunStep(int Order, string StepId, string Command, bool TargetExists, string Action, string Guard, string? Refusal, string Message);
