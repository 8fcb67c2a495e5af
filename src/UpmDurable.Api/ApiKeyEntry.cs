namespace UpmDurable.Api;

/// <summary>One API key of configuration section <c>Upm:ApiKeys</c>. Only the SHA-256 of the key is stored.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Lower-case hex SHA-256 of the key.</summary>
    public string Hash { get; set; } = string.Empty;

    public string Principal { get; set; } = string.Empty;

    public string Tenant { get; set; } = string.Empty;

    public List<string> Roles { get; set; } = [];

    public List<string> Groups { get; set; } = [];
}
