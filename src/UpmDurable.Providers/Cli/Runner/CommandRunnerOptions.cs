using UpmDurable.Core.Model;

using UpmDurable.Core.Execution;

namespace UpmDurable.Providers.Cli.Runner;

/// <summary>When and how a failed command is retried: exponential backoff with jitter.</summary>
public sealed record RetryPolicy
{
    /// <summary>Default: 3 attempts, 500 ms doubling to at most 10 s, ±20 % jitter, on throttling/transient network messages.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>No retries.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Total attempts, the first included (the TLS fallback retry does not count).</summary>
    public int MaxAttempts { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fraction of the delay added or removed at random (0.2 → ±20 %).</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Exit codes that are worth retrying.</summary>
    public IReadOnlyCollection<int> RetryableExitCodes { get; init; } = [];

    /// <summary>Regexes (case-insensitive) on stderr that make a failure retryable.</summary>
    public IReadOnlyList<string> RetryableStderrPatterns { get; init; } =
    [
        @"\b429\b", "too many requests", @"\b50[234]\b", "service unavailable", "temporarily unavailable",
        "connection reset", "connection refused", @"timed? ?out", "try again", "ServerBusy", "TLS handshake timeout",
    ];

    /// <summary>Whether a timed-out attempt is retried.</summary>
    public bool RetryOnTimeout { get; init; }

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based): <c>min(max, base·2^(retry-1))</c> ± jitter.</summary>
    public TimeSpan DelayBefore(int retry, Random random)
    {
        double baseMs = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        double jittered = baseMs * (1 + (Jitter * ((2 * random.NextDouble()) - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(0, jittered));
    }
}

/// <summary>Configuration of the guarded runner; every guard-rail is on by default.</summary>
public sealed record CommandRunnerOptions
{
    /// <summary>Programs allowed after a pipe, resolved from the clean room's PATH (spec default: grep, jq, wc, head, tail, cut, sort, uniq).</summary>
    public IReadOnlyCollection<string> PipeAllowList { get; init; } = Canonicals.DefaultPipeAllowList;

    public QuotedMetaPolicy QuotedMetas { get; init; } = QuotedMetaPolicy.AllowInSingleQuotes;

    /// <summary>Timeout of one attempt when the request sets none; the whole process tree is killed when it expires.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Whether a certificate error triggers the one retry with <see cref="TlsFallbackFlag"/>.</summary>
    public bool TlsFallback { get; init; } = true;

    public string TlsFallbackFlag { get; init; } = "--insecure-skip-tls-verify";

    /// <summary>Regexes (case-insensitive) on stderr that mean a certificate error.</summary>
    public IReadOnlyList<string> CertificateErrorPatterns { get; init; } =
    [
        "x509: certificate", "certificate verify failed", "SSL: ?CERTIFICATE_VERIFY_FAILED", "unable to get local issuer certificate",
        "self[- ]signed certificate", "certificate has expired", "unknown authority",
    ];

    /// <summary>Bytes kept per stream (stdout, stderr); the rest is dropped and flagged.</summary>
    public int MaxOutputBytes { get; init; } = 64 * 1024;

    /// <summary>Environment variable names whose values are secrets (from the request's or this process's environment).</summary>
    public IReadOnlyCollection<string> SecretNames { get; init; } = ["AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_KEY", "AZURE_STORAGE_SAS_TOKEN", "AZURE_CLIENT_SECRET"];

    /// <summary>Literal secret values to mask wherever they appear.</summary>
    public IReadOnlyCollection<string> SecretValues { get; init; } = [];

    /// <summary>Flags whose value is masked (<c>--token=…</c>, <c>--password …</c>).</summary>
    public IReadOnlyCollection<string> SecretFlags { get; init; } = [.. SecretRedactor.DefaultSecretFlags];

    /// <summary>Receives one line per attempt, retry and TLS fallback; every line is already redacted.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The clean room every child runs in (empty environment, fixed PATH, private HOME and working folder); no request can opt out.</summary>
    public ChildEnvironment ChildEnvironment { get; init; } = ChildEnvironment.Default;

    /// <summary>Clock for backoff delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

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
