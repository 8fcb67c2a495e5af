using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Storage;

namespace UpmDurable.Workflows.Activities;

/// <summary>
/// Registers the remediation change of a drifted change: the drifted resources only, as a new change with its own record,
/// evidence and approvals (the pre-flight decides the lane, like any change). Idempotent by remediation change id.
/// </summary>
public sealed class StartRemediation(ChangeStore changes, TimeProvider clock) : TaskActivity<RemediationRequest, ChangeInput>
{
    public const string Initiator = "upm-drift-monitor";

    public override async Task<ChangeInput> RunAsync(TaskActivityContext context, RemediationRequest input)
    {
        ChangeRecord original = await changes.GetAsync(input.Tenant, input.ChangeId) ?? throw new InvalidOperationException($"Change {input.ChangeId} not found.");
        ChangeRecord? existing = await changes.GetAsync(input.Tenant, input.RemediationChangeId);
        var drifted = original.Plan!.Steps.Where(s => input.DriftedSteps.Contains(s.Id)).ToList();
        var names = drifted.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        ChangeSpec spec = original.Intent with
        {
            Request = $"Remediate drift of change {input.ChangeId}: re-apply the intended state of {string.Join(", ", drifted.Select(s => s.Id))}",
            Resources = drifted.Select(s => s.Resource with { DependsOn = s.Resource.DependsOn?.Where(names.Contains).ToList() }).ToList(),
            // What the drifted resources refer to and is not re-applied must still exist: declared as prerequisites.
            ResourcesNeeded = original.Plan.Steps.Where(s => !names.Contains(s.Name)).Select(s => new ResourceNeed { Type = s.Type, Name = s.Name }).ToList(),
            ResourcesFromRequest = false,
            DriftMode = "off",
            Faults = [],
            Variants = [],
        };
        DateTimeOffset submitted = existing?.SubmittedAt ?? clock.GetUtcNow();
        if (existing is null)
        {
            await changes.CreateAsync(ChangeRecords.Submitted(input.RemediationChangeId, spec, Initiator, initiatorName: null, submitted), requestHash: null);
        }

        // Compiled here, once: the remediation's orchestration takes this plan (docs/versioning.md, 1.2).
        return new ChangeInput(input.RemediationChangeId, input.Tenant, Initiator, submitted, spec) { RemediationOf = input.ChangeId, Plan = PlanCompiler.Compile(spec) };
    }
}
