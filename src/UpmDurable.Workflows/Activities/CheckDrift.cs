using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;
using UpmDurable.Providers;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Phase 4 drift check: reads back the resources a completed change still owns, hashes and diffs them against the
/// verified baseline and intended state, and saves the report. Stops (status <c>stopped</c>) once the change was rolled
/// back, turned off, or superseded on all its resources.
/// </summary>
public sealed class CheckDrift(ChangeStore changes, ResourceLocks locks, ProviderRegistry providers, TimeProvider clock, ILogger<CheckDrift> logger)
    : TaskActivity<DriftMonitorInput, DriftReport>
{
    public override async Task<DriftReport> RunAsync(TaskActivityContext context, DriftMonitorInput input)
    {
        var watch = Stopwatch.StartNew();
        DateTimeOffset now = clock.GetUtcNow();
        var report = new DriftReport
        {
            ChangeId = input.ChangeId,
            Tenant = input.Tenant,
            Status = DriftStatuses.Stopped,
            Mode = input.Mode,
            Interval = input.Interval,
            CheckedAt = now,
            Iterations = input.Iteration,
            RemediationChangeId = input.RemediationChangeId,
            RemediationStatus = input.RemediationStatus,
        };

        ChangeRecord? record = await changes.GetAsync(input.Tenant, input.ChangeId);
        string? stop = record switch
        {
            null => "the change no longer exists",
            { Status: not ChangeStatuses.Completed } => $"the change is {record.Status}",
            { Intent.DriftMode: "off" } => "drift mode is off",
            { Plan: null } => "the change has no plan",
            _ => null,
        };
        if (stop is not null)
        {
            report = report with { Reason = stop, DurationMs = watch.ElapsedMilliseconds };
            await changes.SaveDriftReportAsync(report);
            return report;
        }

        var failed = record!.Execution.Steps.Where(s => s.Outcome == StepOutcomes.Failed).Select(s => s.StepId).ToHashSet(StringComparer.Ordinal);
        List<PlanStep> steps = record.Plan!.Steps.Where(s => !failed.Contains(s.Id)).ToList();
        string provider = record.Intent.Provider;
        // On a shared target the last completed change may be another tenant's (named without its id): it supersedes too.
        Dictionary<ResourceKey, ResourceOwner?> owners = await locks.OwnersAsync(input.Tenant, ResourceKey.OfSteps(provider, steps));
        var superseded = steps.Where(s => owners.GetValueOrDefault(ResourceKey.Of(provider, s)) is { } owner && owner.ChangeId != input.ChangeId).ToList();
        List<PlanStep> watched = steps.Except(superseded).ToList();
        if (watched.Count == 0)
        {
            var by = superseded.Select(s => owners[ResourceKey.Of(provider, s)]!.ToString()).Distinct();
            report = report with { Reason = $"superseded by {string.Join(", ", by)}", Superseded = superseded.Select(s => s.Id).ToList(), DurationMs = watch.ElapsedMilliseconds };
            await changes.SaveDriftReportAsync(report);
            return report;
        }

        using CancellationTokenSource budget = ActivityBudget.Start();
        ResourceState?[] states = await ResourceReadBack.ReadAllAsync(providers.Get(provider), input.Tenant, watched, budget.Token);
        ResourceReadBack.Comparison comparison = ResourceReadBack.Compare(watched, states);
        var diff = comparison.Diff.ToList();
        diff.AddRange(watched.Select((s, i) => (Step: s, State: states[i]))
            .Where(x => x.State is { Health: not "healthy" })
            .Select(x => new DiffEntry(x.Step.Id, "health", "healthy", x.State!.Health)));

        report = report with
        {
            Status = diff.Count == 0 ? DriftStatuses.InSync : DriftStatuses.Drifted,
            NextCheckAt = now + ChangeRequestValidator.ParseDuration(input.Interval),
            BaselineHash = record.Verification?.BaselineHash,
            CurrentHash = comparison.StateHash,
            ResourcesChecked = watched.Count,
            Superseded = superseded.Select(s => s.Id).ToList(),
            Diff = diff,
            DurationMs = watch.ElapsedMilliseconds,
        };
        if (diff.Count > 0 && input.LastStatus != DriftStatuses.Drifted)
        {
            logger.LogWarning("Drift on change {ChangeId} of tenant {Tenant}: {Count} difference(s), first {Resource}.{Field}", input.ChangeId, input.Tenant, diff.Count, diff[0].Resource, diff[0].Field);
        }

        await changes.SaveDriftReportAsync(report);
        return report;
    }
}
