namespace UpmDurable.Core.Model;

/// <summary>One line of the audit trace.</summary>
public sealed record AuditEntry(DateTimeOffset Ts, string Phase, string Msg);
