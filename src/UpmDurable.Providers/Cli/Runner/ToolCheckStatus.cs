namespace UpmDurable.Providers.Cli.Runner;

/// <summary>The statuses a <see cref="ToolCheck"/> can have.</summary>
public static class ToolCheckStatus
{
    public const string Ok = "ok";
    public const string Missing = "missing";
    public const string WrongVersion = "wrong_version";
    public const string VersionUnreadable = "version_unreadable";
    public const string NotInManifest = "not_in_manifest";
}
