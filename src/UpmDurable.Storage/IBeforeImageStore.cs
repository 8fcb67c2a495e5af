using UpmDurable.Core.Model;

namespace UpmDurable.Storage;

/// <summary>Where before-images are kept write-once (<see cref="BeforeImageStore"/>; an in-memory one in tests without storage).</summary>
public interface IBeforeImageStore
{
    /// <summary>Stores the image unless the step already has one; answers the stored (first) image and the sha256 of its bytes.</summary>
    Task<StoredBeforeImage> KeepFirstAsync(string tenant, string changeId, BeforeImage image, CancellationToken cancellationToken = default);

    /// <summary>The stored image of a step, or null when the step has none.</summary>
    Task<StoredBeforeImage?> GetAsync(string tenant, string changeId, string stepId, CancellationToken cancellationToken = default);

    /// <summary>Every stored image of a change as <c>{step_id}.json</c> with its exact bytes (for the evidence pack).</summary>
    Task<List<Core.Audit.StoredEvidence>> ListRawAsync(string tenant, string changeId, CancellationToken cancellationToken = default);
}
