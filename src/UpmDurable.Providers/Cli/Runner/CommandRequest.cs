namespace UpmDurable.Providers.Cli.Runner;

/// <summary>One command to run, with the target's credentials (never on the command line) and overrides.</summary>
public sealed record CommandRequest(string CommandLine)
{
    /// <summary>The target's own credentials, the only variables a child gets beyond the clean room's (which they may not
    /// replace); values of secret-looking names (token, secret, password, key, connection string, SAS) are redacted from output.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public TimeSpan? Timeout { get; init; }

    public RetryPolicy? Retry { get; init; }

    /// <summary>Extra literal secret values for this call.</summary>
    public IReadOnlyCollection<string> SecretValues { get; init; } = [];
}
