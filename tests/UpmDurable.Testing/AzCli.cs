using Xunit;

namespace UpmDurable.Testing;

/// <summary>Whether the pinned Azure CLI (Debian's <c>azure-cli</c> 2.45.0 at /usr/bin/az) is installed; <c>./test.sh</c> installs it.</summary>
public static class AzCli
{
    public const string Path = "/usr/bin/az";

    /// <summary>Null when <c>az</c> is there, else why the cli tests are skipped.</summary>
    public static string? MissingReason { get; } = File.Exists(Path)
        ? null
        : $"Azure CLI not installed ({Path} missing): run ./test.sh (it runs `apt-get install -y azure-cli`) or install it by hand.";
}

/// <summary>A fact that runs only where the Azure CLI is installed, and is skipped with the reason otherwise.</summary>
public sealed class AzCliFactAttribute : FactAttribute
{
    public AzCliFactAttribute()
    {
        if (AzCli.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
