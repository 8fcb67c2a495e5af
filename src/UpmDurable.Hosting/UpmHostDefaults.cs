namespace UpmDurable.Hosting;

/// <summary>
/// What a host knows about itself that configuration may leave unset: its own address, its data folder's key file, and
/// whether it runs the sandbox when <c>Upm:Sandbox:Enabled</c> is unset (the Functions app says no).
/// </summary>
public sealed record UpmHostDefaults(string? PublicBaseUrl = null, string? SigningKeyFile = null, bool SandboxEnabled = true);
