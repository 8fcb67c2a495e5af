using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Core.Model;

/// <summary>One line of the audit trace.</summary>
public sealed record AuditEntry(DateTimeOffset Ts, string Phase, string Msg);
