using Microsoft.Extensions.Configuration;

namespace UpmDurable.Workflows;

/// <summary>
/// The service's public address (<c>Upm:PublicBaseUrl</c>): the one origin of every link the service hands out, in evidence
/// permalinks and in notices. Configured, never read from a request: the Host and X-Forwarded-* headers are the caller's to
/// write, and a permalink in a signed evidence pack must lead back to this service, whoever asked for the pack.
/// </summary>
public sealed record PublicBaseUrl
{
    /// <summary>The configuration key.</summary>
    public const string Key = "Upm:PublicBaseUrl";

    /// <summary>The key earlier versions read for notice links only; still read when <see cref="Key"/> is unset.</summary>
    public const string LegacyKey = "Upm:Notify:PublicBaseUrl";

    /// <summary>Without configuration or a host default: the Functions host's local address (<c>func start</c>).</summary>
    public const string Fallback = "http://127.0.0.1:7071";

    PublicBaseUrl(string origin) => Origin = origin;

    /// <summary>Scheme, host, port and any path base, without a trailing slash.</summary>
    public string Origin { get; }

    /// <summary>An absolute link to a route of this service (<paramref name="path"/> starts with <c>/</c>).</summary>
    public string Link(string path) => Origin + path;

    public override string ToString() => Origin;

    /// <summary>Reads <see cref="Key"/>, then <see cref="LegacyKey"/>, then <paramref name="hostDefault"/>; refuses anything but an absolute http(s) URL.</summary>
    public static PublicBaseUrl From(IConfiguration configuration, string? hostDefault = null)
    {
        (string key, string? value) = configuration[Key] is { Length: > 0 } configured ? (Key, configured)
            : configuration[LegacyKey] is { Length: > 0 } legacy ? (LegacyKey, legacy)
            : ("the host default", hostDefault ?? Fallback);
        return Parse(value, key);
    }

    /// <summary>Validates one value; <paramref name="source"/> names where it came from in the error.</summary>
    public static PublicBaseUrl Parse(string value, string source)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidOperationException(
                $"{source} must be the service's absolute http(s) base URL without credentials, query or fragment (for example https://upm.example.com); got '{value}'.");
        }

        return new PublicBaseUrl(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }
}
