using System.Collections.Concurrent;
using UpmDurable.Core.Model;
using UpmDurable.Core.Rollback;
using UpmDurable.Storage;

namespace UpmDurable.Testing;

/// <summary>Before-images kept in memory, write-once like <see cref="BeforeImageStore"/>: for tests that run activities without storage.</summary>
public sealed class InMemoryBeforeImages : IBeforeImageStore
{
    readonly ConcurrentDictionary<string, StoredBeforeImage> images = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, StoredBeforeImage> All => images;

    public Task<StoredBeforeImage> KeepFirstAsync(string tenant, string changeId, BeforeImage image, CancellationToken cancellationToken = default) =>
        Task.FromResult(images.GetOrAdd($"{tenant}/{changeId}/{image.StepId}", _ => new StoredBeforeImage(image, BeforeImages.Sha256(BeforeImages.Bytes(image)))));

    public Task<StoredBeforeImage?> GetAsync(string tenant, string changeId, string stepId, CancellationToken cancellationToken = default) =>
        Task.FromResult(images.TryGetValue($"{tenant}/{changeId}/{stepId}", out StoredBeforeImage? stored) ? stored : null);

    public Task<List<Core.Audit.StoredEvidence>> ListRawAsync(string tenant, string changeId, CancellationToken cancellationToken = default) =>
        Task.FromResult(images.Where(i => i.Key.StartsWith($"{tenant}/{changeId}/", StringComparison.Ordinal))
            .Select(i => new Core.Audit.StoredEvidence($"{i.Value.Image.StepId}.json", BeforeImages.Bytes(i.Value.Image)))
            .OrderBy(i => i.Name, StringComparer.Ordinal).ToList());
}
