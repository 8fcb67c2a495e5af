namespace UpmDurable.Core.Model;

/// <summary>The one factory of change records: what a change looks like when it is submitted, whoever submits or starts it.</summary>
public static class ChangeRecords
{
    /// <summary>
    /// A change as submitted: status <c>submitted</c>, phase <c>plan</c>, the intent and who asked (id and display name). The
    /// API, a drift remediation and the orchestration's journal all start from this record, so none drops a field another set.
    /// </summary>
    public static ChangeRecord Submitted(string changeId, ChangeSpec intent, string initiator, string? initiatorName, DateTimeOffset submittedAt) => new()
    {
        ChangeId = changeId,
        Tenant = intent.Tenant,
        Initiator = initiator,
        InitiatorName = initiatorName,
        Status = ChangeStatuses.Submitted,
        Phase = Phases.Plan,
        SubmittedAt = submittedAt,
        UpdatedAt = submittedAt,
        Intent = intent,
    };
}
