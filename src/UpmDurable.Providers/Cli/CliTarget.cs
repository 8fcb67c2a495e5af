using UpmDurable.Storage;

namespace UpmDurable.Providers.Cli;

/// <summary>
/// Decides whether the <c>cli</c> provider may run: its commands act on <c>Upm:Cli:StorageConnectionString</c> with
/// that account's full key, so that account must never be the service's own, whose tables and containers hold every
/// tenant's records, evidence and the signing key.
/// </summary>
public static class CliTarget
{
    /// <summary>Why the cli provider must stay disabled with this target; null when the target is a separate account.</summary>
    public static string? Refusal(string? targetConnectionString, StorageOptions service) =>
        Refusal(targetConnectionString, service, []);

    /// <summary>
    /// Why the cli provider must stay disabled with this target; null when the target is none of the service's accounts:
    /// its own storage, or any other it runs on (the Functions runtime's <c>AzureWebJobsStorage</c>, which holds the task
    /// hub's histories with every activity's input and output).
    /// </summary>
    public static string? Refusal(string? targetConnectionString, StorageOptions service, IEnumerable<StorageAccountAddress> alsoTheServices)
    {
        if (string.IsNullOrWhiteSpace(targetConnectionString))
        {
            return "Upm:Cli:StorageConnectionString is not set: the cli provider acts only on a storage account of its own and never falls back to the service's account.";
        }

        StorageAccountAddress? target = StorageAccountAddress.Parse(targetConnectionString);
        if (target is null)
        {
            return "Upm:Cli:StorageConnectionString does not say which account it reaches (it needs AccountName or BlobEndpoint, or UseDevelopmentStorage=true).";
        }

        StorageAccountAddress? own = StorageAccountAddress.Of(service);
        if (own is null || own == target || alsoTheServices.Contains(target))
        {
            return $"Upm:Cli:StorageConnectionString reaches the service's own storage account ({target.Account} at {target.BlobEndpoint}), which holds every tenant's records, evidence and signing key: configure a separate account for the cli target.";
        }

        return null;
    }
}
