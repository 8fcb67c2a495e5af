using UpmDurable.Core.Model;

using UpmDurable.Core.Execution;

namespace UpmDurable.Providers.Cli.Runner;

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
