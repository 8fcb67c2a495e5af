using System.Text.RegularExpressions;

namespace UpmDurable.Core.Execution;

/// <summary>
/// Masks secrets with <c>***</c> in command text and output: configured secret values, secret flags
/// (<c>--token=…</c>, <c>--password …</c>, …), Authorization/Bearer headers, connection-string keys, SAS signatures,
/// JWTs, secret-looking JSON fields and PEM private-key blocks.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Flags whose value is always a secret (matched case-insensitively, as <c>--name=value</c> or <c>--name value</c>).</summary>
    public static readonly IReadOnlyList<string> DefaultSecretFlags =
        ["token", "password", "client-secret", "secret", "account-key", "sas-token", "connection-string", "access-token", "api-key"];

    /// <summary>Secret values shorter than this are not masked by value: masking "1" everywhere would wreck output.</summary>
    public const int MinimumSecretValueLength = 4;

    readonly string[] _values;
    readonly Regex? _flags;

    public SecretRedactor(IEnumerable<string>? secretValues = null, IEnumerable<string>? secretFlags = null)
    {
        _values = (secretValues ?? [])
            .Where(v => !string.IsNullOrEmpty(v) && v.Length >= MinimumSecretValueLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)
            .ToArray();
        string[] flags = (secretFlags ?? DefaultSecretFlags).Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => Regex.Escape(f.TrimStart('-'))).ToArray();
        if (flags.Length > 0)
        {
            // --flag=value or --flag value; the value may be quoted; a following --other flag is not taken as the value.
            _flags = new Regex(
                $@"(?<flag>--?(?:{string.Join('|', flags)}))(?<sep>=|\s+)(?<value>""[^""]*""?|'[^']*'?|(?!-)[^\s""']+)",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
                TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>A redactor for the default patterns only.</summary>
    public static SecretRedactor Default { get; } = new();

    /// <summary>Returns <paramref name="text"/> with every secret replaced by <c>***</c>.</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        string s = text;
        foreach (string value in _values)
        {
            s = s.Replace(value, Mask, StringComparison.Ordinal);
        }

        s = PemPrivateKey().Replace(s, Mask);
        if (_flags is not null)
        {
            s = _flags.Replace(s, m => m.Groups["flag"].Value + m.Groups["sep"].Value + Mask);
        }

        s = AuthorizationHeader().Replace(s, m => m.Groups["head"].Value + Mask);
        s = Bearer().Replace(s, m => m.Groups["head"].Value + Mask);
        s = ConnectionStringKey().Replace(s, m => m.Groups["key"].Value + "=" + Mask);
        s = SasSignature().Replace(s, m => m.Groups["key"].Value + "=" + Mask);
        s = JsonSecretField().Replace(s, m => m.Groups["head"].Value + Mask + "\"");
        s = Jwt().Replace(s, Mask);
        return s;
    }

    // A BEGIN line without its END (output cut by truncation) masks to the end of the text.
    [GeneratedRegex(@"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PemPrivateKey();

    [GeneratedRegex(@"(?<head>(?:Proxy-)?Authorization[""']?\s*[:=]\s*[""']?(?:(?:Bearer|Basic|SharedKey|SharedAccessSignature|Token|Digest)\s+)?)(?!\*\*\*)[^\s""',]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"(?<head>\bBearer\s+)(?!\*\*\*)[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?<key>\b(?:AccountKey|SharedAccessSignature|SharedAccessKey|AccessKey|Password|Pwd|ClientSecret))\s*=\s*(?!\*\*\*)[^;""'\s]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ConnectionStringKey();

    [GeneratedRegex(@"(?<key>\bsig)=(?!\*\*\*)[^&\s""';]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SasSignature();

    [GeneratedRegex(@"(?<head>""(?:access_?token|refresh_?token|id_?token|password|secret|client_?secret|account_?key|primary_?key|secondary_?key|connection_?string|sas_?token)""\s*:\s*"")[^""]*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex JsonSecretField();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Jwt();
}
