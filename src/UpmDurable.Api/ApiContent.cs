namespace UpmDurable.Api;

/// <summary>One alternative answer content of a route (besides its JSON response type).</summary>
public sealed record ApiContent(string ContentType, string Description, bool Binary = false);
