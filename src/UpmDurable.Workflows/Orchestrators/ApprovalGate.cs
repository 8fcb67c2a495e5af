using Microsoft.DurableTask;
using UpmDurable.Core.Model;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Validation;
using UpmDurable.Workflows.Activities;

namespace UpmDurable.Workflows.Orchestrators;

/// <summary>
/// Phase 2's human decision: the approvals policy requires (pre-flight ran it), waited for as external events raced with
/// a durable timer (chained past six days) and operator commands. Every decision is checked again here (the orchestration
/// is the authority); refused attempts are recorded, never counted.
/// </summary>
public sealed class ApprovalGate(TaskOrchestrationContext context, ChangeInput input, ChangeJournal journal, OperatorChannel operators)
{
    /// <summary>Most refused attempts recorded one by one on a change; past it (and for repeats) only counts grow.</summary>
    public const int MaxRefusedRecorded = 20;

    /// <summary>Continue once approved; finish rejected, expired or aborted otherwise.</summary>
    public async Task<PhaseResult> AwaitAsync(Plan plan)
    {
        ChangeSpec spec = input.Spec;

        // Policy decides (pre-flight ran it); a record without one (an older history) gets the built-in floor.
        ApprovalRequirement requirement = journal.Record.Preflight?.Approval
            ?? new ApprovalRequirement(Math.Max(1, spec.ApprovalsRequired), false, "built-in floor", ApprovalPolicyDecision.FloorRule, spec.ApprovalGroups, 1, []);
        if (requirement.AutoApproved)
        {
            var policyDecision = new ApprovalDecision
            {
                Approver = "policy",
                Decision = "approve",
                PlanHash = plan.PlanHash,
                Comment = requirement.Reason,
                Channel = "auto-approval-lane",
                At = context.CurrentUtcDateTime,
            };
            journal.Record = journal.Record with { Approvals = new ApprovalState { PlanHash = plan.PlanHash, Outcome = ApprovalOutcomes.AutoApproved, Rule = requirement.Rule, Decisions = [policyDecision] } };
            journal.Trace($"approved by policy: {requirement.Reason}");
            await journal.CheckpointAsync(EvidenceKinds.Approval, journal.Record.Approvals);
            return PhaseResult.Continue;
        }

        int requiredApprovals = Math.Max(1, requirement.Required);
        List<string> eligible = requirement.EligibleGroups;
        DateTime deadline = context.CurrentUtcDateTime + ChangeRequestValidator.ParseDuration(spec.ApprovalTimeout);
        journal.Record = journal.Record with
        {
            Status = ChangeStatuses.AwaitingApproval,
            Approvals = new ApprovalState
            {
                Groups = eligible,
                Required = requiredApprovals,
                Deadline = new DateTimeOffset(deadline, TimeSpan.Zero),
                PlanHash = plan.PlanHash,
                Rule = requirement.Rule,
                PolicyMinimum = requirement.PolicyMinimum,
                Requested = spec.RequestedApprovals,
                AddedGroups = requirement.AddedGroups ?? [],
            },
        };
        journal.Trace($"awaiting {requiredApprovals} approval(s) from {string.Join(", ", eligible)} until {deadline:O} ({requirement.Reason})");
        await journal.CheckpointAsync(EvidenceKinds.ApprovalRequested, journal.Record.Approvals);
        await NotifyApproversAsync(plan, requiredApprovals, eligible, deadline);

        while (!requirement.IsMetBy(journal.Record.Approvals.Decisions))
        {
            ApprovalDecision? decision = await WaitForDecisionAsync(deadline);
            if (decision is null && operators.AbortedBy is { } abortedBy)
            {
                journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { Outcome = ApprovalOutcomes.Aborted } };
                return PhaseResult.Finish(ChangeStatuses.Aborted, abortedBy);
            }

            if (decision is null)
            {
                journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { Outcome = ApprovalOutcomes.Expired } };
                journal.Trace("approval timed out");
                return PhaseResult.Finish(ChangeStatuses.Expired, $"no decision within {spec.ApprovalTimeout}");
            }

            // Refused at the door, or refused here: the orchestration checks every decision again, it is the authority.
            ApprovalRefusal? broken = decision.RefusedBecause is null ? ApprovalRules.Check(decision, input.Initiator, plan.PlanHash, eligible, ApprovalRules.ApprovedBy(journal.Record.Approvals.Decisions)) : null;
            if (decision.RefusedBecause is not null || broken is not null)
            {
                await RecordRefusedAsync(decision with { RefusedBecause = decision.RefusedBecause ?? broken!.Reason, RefusalKind = decision.RefusalKind ?? broken?.Kind.ToString() });
                continue;
            }

            journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { Decisions = [.. journal.Record.Approvals.Decisions, decision] } };
            if (decision.Decision == "reject")
            {
                journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { Outcome = ApprovalOutcomes.Rejected } };
                journal.Trace($"rejected by {decision.Approver} via {decision.Channel}: {decision.Comment}");
                await journal.CheckpointAsync(EvidenceKinds.Approval, decision);
                return PhaseResult.Finish(ChangeStatuses.Rejected, $"rejected by {decision.Approver}: {decision.Comment}");
            }

            journal.Trace($"approved by {decision.Approver} via {decision.Channel} ({ApprovalRules.ApprovedBy(journal.Record.Approvals.Decisions).Count} of {requiredApprovals})");
            if (requirement.IsMetBy(journal.Record.Approvals.Decisions))
            {
                journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { Outcome = ApprovalOutcomes.Approved } };
            }

            await journal.CheckpointAsync(EvidenceKinds.Approval, decision);
        }

        return PhaseResult.Continue;
    }

    // A notification that cannot be delivered never blocks the change: approvers can still decide.
    async Task NotifyApproversAsync(Plan plan, int required, List<string> eligible, DateTime deadline)
    {
        try
        {
            string notified = await context.CallActivityAsync<string>(
                nameof(NotifyApprovers),
                new ApprovalNotice(input.ChangeId, input.Tenant, input.Initiator, input.Spec.Request, plan.PlanHash, required, eligible, new DateTimeOffset(deadline, TimeSpan.Zero), journal.Record.Preflight?.Annotation?.RiskScore),
                Durable.Retry);
            journal.Trace($"approvers notification: {notified}");
        }
        catch (TaskFailedException ex)
        {
            journal.Trace($"approvers notification failed: {ex.FailureDetails.ErrorMessage}");
        }
    }

    // A refused attempt is recorded once per (principal, rule broken) with its own evidence record; a repeat only
    // raises that entry's count, and nothing is checkpointed for it (the count lands with the next checkpoint), so a
    // flood of refused attempts costs no history, no evidence blobs and no record rewrites.
    async Task RecordRefusedAsync(ApprovalDecision refused)
    {
        List<ApprovalDecision> recorded = journal.Record.Approvals.Refused;
        int same = recorded.FindIndex(r => ApprovalRules.SamePerson.Equals(r.Approver, refused.Approver) && (r.RefusalKind ?? r.RefusedBecause) == (refused.RefusalKind ?? refused.RefusedBecause));
        if (same >= 0)
        {
            recorded = [.. recorded];
            recorded[same] = recorded[same] with { Attempts = recorded[same].Attempts + 1 };
            journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { Refused = recorded } };
            return;
        }

        if (recorded.Count >= MaxRefusedRecorded)
        {
            journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { RefusedNotRecorded = journal.Record.Approvals.RefusedNotRecorded + 1 } };
            return;
        }

        journal.Record = journal.Record with { Approvals = journal.Record.Approvals with { Refused = [.. recorded, refused] } };
        journal.Trace($"approval attempt by {refused.Approver} refused: {refused.RefusedBecause}");
        await journal.CheckpointAsync(EvidenceKinds.ApprovalRefused, refused);
    }

    // The next decision (or refused attempt) before the deadline; null when the deadline passed or an operator aborted.
    async Task<ApprovalDecision?> WaitForDecisionAsync(DateTime deadline)
    {
        // Bounded: the longest allowed timeout (90 days) is at most 16 chained timers, plus operator commands.
        for (int chained = 0; chained < 1000; chained++)
        {
            if (Durable.WaitIsOver(context, deadline, chained))
            {
                return null;
            }

            using var cancel = new CancellationTokenSource();
            Task<ApprovalDecision> decision = context.WaitForExternalEvent<ApprovalDecision>(ChangeOrchestrator.ApprovalEvent, cancel.Token);
            Task<ApprovalDecision> refused = context.WaitForExternalEvent<ApprovalDecision>(ChangeOrchestrator.RefusedApprovalEvent, cancel.Token);
            Task timer = context.CreateTimer(Durable.NextTimer(context, deadline), cancel.Token);
            Task winner = await Task.WhenAny(decision, refused, timer, operators.NextCommand);
            cancel.Cancel();
            if (operators.IsCommand(winner))
            {
                // Abort ends the wait; pause is kept and applied before the first wave; resume clears it.
                operators.TakeWhileWaiting();
                if (operators.AbortedBy is not null)
                {
                    return null;
                }

                await journal.CheckpointAsync(EvidenceKinds.Operator, journal.Record.OperatorCommands[^1]);
                continue;
            }

            if (winner == decision)
            {
                return await decision;
            }

            if (winner == refused)
            {
                ApprovalDecision attempt = await refused;
                return attempt with { RefusedBecause = attempt.RefusedBecause ?? "refused at the door", RefusalKind = attempt.RefusalKind ?? "Door" };
            }
        }

        return null;
    }
}
