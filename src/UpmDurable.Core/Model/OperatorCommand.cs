namespace UpmDurable.Core.Model;

/// <summary>
/// An operator's command to a running change (pause, resume, abort), with who (id, and the display name beside it) and why.
/// Append-only contract.
/// </summary>
public sealed record OperatorCommand(string Action, string By, string? Reason, DateTimeOffset At, string? ByName = null);
