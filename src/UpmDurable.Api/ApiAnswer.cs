namespace UpmDurable.Api;

/// <summary>Another success status of a route with its own JSON type.</summary>
public sealed record ApiAnswer(int Status, Type Response, string Description);
