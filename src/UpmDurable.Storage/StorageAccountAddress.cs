using System.Net;

namespace UpmDurable.Storage;

/// <summary>
/// Which storage account a connection string (or the service's <see cref="StorageOptions"/>) reaches: the account name
/// and its normalised blob endpoint. Two addresses are the same account when both agree, however the strings are spelled
/// (<c>UseDevelopmentStorage=true</c>, an explicit <c>BlobEndpoint</c>, or a protocol and endpoint suffix).
/// </summary>
public sealed record StorageAccountAddress(string Account, string BlobEndpoint)
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>The account the service itself keeps its records, evidence and keys in.</summary>
    public static StorageAccountAddress? Of(StorageOptions service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return !string.IsNullOrEmpty(service.AccountName)
            ? new StorageAccountAddress(service.AccountName.ToLowerInvariant(), Normalise(new Uri($"https://{service.AccountName}.blob.core.windows.net")))
            : Parse(service.ConnectionString ?? StorageOptions.Development);
    }

    /// <summary>Parses a connection string; null when it does not say which account it reaches.</summary>
    public static StorageAccountAddress? Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parts[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out string? dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            // The SDKs' fixed meaning of the shortcut: Azurite's default blob port on the loopback address.
            return new StorageAccountAddress(DevelopmentAccount, Normalise(new Uri($"http://127.0.0.1:10000/{DevelopmentAccount}")));
        }

        parts.TryGetValue("AccountName", out string? account);
        Uri? blob = null;
        if (parts.TryGetValue("BlobEndpoint", out string? explicitEndpoint))
        {
            Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out blob);
        }
        else if (account is { Length: > 0 })
        {
            string protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
            string suffix = parts.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net";
            Uri.TryCreate($"{protocol}://{account}.blob.{suffix}", UriKind.Absolute, out blob);
        }

        if (blob is null)
        {
            return null;
        }

        account ??= AccountOf(blob);
        return account is { Length: > 0 } ? new StorageAccountAddress(account.ToLowerInvariant(), Normalise(blob)) : null;
    }

    /// <summary>The account of an endpoint without an account name: the path's first segment on an IP or loopback host (Azurite), else the host's first label.</summary>
    static string? AccountOf(Uri blob) =>
        IsLoopbackOrIp(blob.Host)
            ? blob.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            : blob.Host.Split('.')[0];

    /// <summary>Host (any loopback spelling is one host), port unless the scheme's default, and path: http and https of one endpoint are one account.</summary>
    static string Normalise(Uri blob)
    {
        string host = blob.IsLoopback ? "loopback" : blob.Host.ToLowerInvariant();
        string port = blob.IsDefaultPort ? "" : ":" + blob.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return host + port + blob.AbsolutePath.TrimEnd('/').ToLowerInvariant();
    }

    static bool IsLoopbackOrIp(string host) => host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out _);
}
