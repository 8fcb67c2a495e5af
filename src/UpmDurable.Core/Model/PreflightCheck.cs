namespace UpmDurable.Core.Model;

/// <summary>One pre-flight check and its actionable message.</summary>
public sealed record PreflightCheck(string Type, string Target, bool Ok, string Message);
