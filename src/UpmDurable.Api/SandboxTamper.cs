namespace UpmDurable.Api;

/// <summary>Body of the sandbox tamper route.</summary>
public sealed record SandboxTamper(Dictionary<string, string?>? Fields, string? Health, bool Delete = false);
