using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Storage;

/// <summary>The policy packs and calendars in force: files of the policies folder, then blobs of the <c>{prefix}-policies</c>
/// container (a blob wins over a file of the same name). Files named <c>windows*.yaml</c> / <c>windows*.json</c> hold
/// calendars; every other <c>.yaml</c>, <c>.yml</c> or <c>.json</c> file is a policy pack.</summary>
public sealed class PolicyStore(StorageClients clients, PolicyOptions options) : IDisposable
{
    readonly SemaphoreSlim gate = new(1, 1);
    (DateTimeOffset At, PolicySet Set)? cached;

    public async Task<PolicySet> GetAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } hit && DateTimeOffset.UtcNow - hit.At < TimeSpan.FromSeconds(options.CacheSeconds))
            {
                return hit.Set;
            }

            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            string folder = options.Folder ?? Path.Combine(AppContext.BaseDirectory, "policies");
            if (Directory.Exists(folder))
            {
                foreach (string path in Directory.EnumerateFiles(folder).Where(IsPolicyFile))
                {
                    files[Path.GetFileName(path)] = await File.ReadAllTextAsync(path, cancellationToken);
                }
            }

            BlobContainerClient container = clients.Blobs.GetBlobContainerClient($"{clients.Options.Prefix}-policies");
            try
            {
                await foreach (BlobItem blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken))
                {
                    if (IsPolicyFile(blob.Name))
                    {
                        files[blob.Name] = (await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // No policies container: the folder alone is in force.
            }

            var packs = new List<PolicyPack>();
            var calendars = new Dictionary<string, ChangeWindowCalendar>(StringComparer.Ordinal);
            foreach (var (name, text) in files)
            {
                if (Path.GetFileNameWithoutExtension(name).StartsWith("windows", StringComparison.Ordinal))
                {
                    foreach (var (calendar, value) in ChangeWindowCalendars.Load(text))
                    {
                        calendars[calendar] = value;
                    }
                }
                else
                {
                    packs.Add(PolicyPack.Load(text, name));
                }
            }

            var set = new PolicySet(packs, calendars);
            cached = (DateTimeOffset.UtcNow, set);
            return set;
        }
        finally
        {
            gate.Release();
        }
    }

    static bool IsPolicyFile(string name) => Path.GetExtension(name) is ".yaml" or ".yml" or ".json";

    public void Dispose() => gate.Dispose();
}
