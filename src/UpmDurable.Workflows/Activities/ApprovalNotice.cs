namespace UpmDurable.Workflows.Activities;

/// <summary>What an approval-needed notice says. Append-only contract.</summary>
public sealed record ApprovalNotice(string ChangeId, string Tenant, string Initiator, string Request, string PlanHash, int Required, List<string> Groups, DateTimeOffset Deadline, int? RiskScore);
