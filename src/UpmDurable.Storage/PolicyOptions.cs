namespace UpmDurable.Storage;

/// <summary>Where policy packs and change-window calendars come from. Configuration section <c>Upm:Policies</c>.</summary>
public sealed class PolicyOptions
{
    public const string Section = "Upm:Policies";

    /// <summary>Folder of policy files (default: <c>policies/</c> next to the app, which ships the repository's folder).</summary>
    public string? Folder { get; set; }

    /// <summary>How long loaded files are reused before they are read again.</summary>
    public int CacheSeconds { get; set; } = 60;
}
