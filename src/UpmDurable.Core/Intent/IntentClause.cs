namespace UpmDurable.Core.Intent;

/// <summary>One clause of an intent sentence: a resource phrase and the modifiers it was given.</summary>
internal sealed class IntentClause(string type, string name)
{
    public string Type { get; } = type;

    public string Name { get; } = name;

    public string? Location { get; set; }

    public string? ResourceGroup { get; set; }

    public string? Cluster { get; set; }

    public string? Namespace { get; set; }

    public string? Vnet { get; set; }

    public string? Image { get; set; }

    public int? NodeCount { get; set; }

    public int? Replicas { get; set; }
}
