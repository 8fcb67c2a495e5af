namespace UpmDurable.Core.Model;

/// <summary>One verification check.</summary>
public sealed record VerifyCheck(string Type, string Target, bool Ok, string Message);
