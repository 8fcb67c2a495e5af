namespace UpmDurable.Providers;

/// <summary>A provider this host knows but did not enable, and why (reported at start-up and by <c>/api/health</c>).</summary>
public sealed record DisabledProvider(string Name, string Reason);
