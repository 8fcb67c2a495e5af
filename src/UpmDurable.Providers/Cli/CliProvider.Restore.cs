using System.Text.Json;
using System.Text.RegularExpressions;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;
using UpmDurable.Core.Rollback;
using UpmDurable.Providers.Cli.Runner;

namespace UpmDurable.Providers.Cli;

// Deletes (ensure: absent) and restores from before-images (docs/rollback.md): a container's or queue's metadata is put
// back with `metadata update` (it replaces all metadata, the owner mark included), a deleted one is re-created with
// `create --metadata`; its contents (blobs, messages) are not captured. Tables have no metadata and their rows are not
// captured: not restorable. Restored values reach a command line, so they are held to an allow-list first.
public sealed partial class CliProvider
{
    public string? NotRestorable(PlanStep step, ResourceState? current) => step.Type switch
    {
        _ when current is null => null,
        Command.Type => "a command step has no state the cli provider can read back and restore",
        AzStorageTable.Type => "a storage table has no metadata and its rows are not captured; it cannot be put back",
        AzStorageContainer.Type or AzStorageQueue.Type => UnsafeMetadata(current.Fields),
        _ => $"the cli provider does not run '{step.Type}'",
    };

    public async Task<StepRecord> RestoreAsync(StepRequest request, BeforeImage image, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        if (!image.Existed || step.Type == Command.Type)
        {
            return await CompensateAsync(request, cancellationToken);
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        ResourceKind kind = StorageKind(step.Type) ?? throw new StepFailedException(step.Id, 2, $"the cli provider does not run '{step.Type}'");
        StorageReadBack? current = await ReadStorageAsync(kind, step.Resource, cancellationToken);
        SortedDictionary<string, string> target = BeforeImages.RestoreTarget(image, current?.Fields);
        if ((kind.Update is null ? "a storage table cannot be put back" : UnsafeMetadata(target)) is { } why)
        {
            return Note(step, started, step.Rollback, StepOutcomes.NotRestorable, $"{step.Id} cannot be put back: {why}; left as it is");
        }

        ResourceSpec restored = WithMetadata(step.Resource, target, image.CreatedBy);
        if (current is null)
        {
            CommandResult created = await RunCheckedAsync(step, kind.Create(restored), cancellationToken);
            return created.ToStepRecord(step.Id, step.Wave, StepOutcomes.Recreated, started, DateTimeOffset.UtcNow);
        }

        if (Same(current.Fields, target) && current.Owner == image.CreatedBy)
        {
            return Note(step, started, step.Rollback, StepOutcomes.Unchanged, $"{step.Id} already equals its before-image");
        }

        CommandResult updated = await RunCheckedAsync(step, kind.Update!(restored), cancellationToken);
        return updated.ToStepRecord(step.Id, step.Wave, StepOutcomes.Restored, started, DateTimeOffset.UtcNow);
    }

    // Applies an ensure: absent step: deletes the resource; one already gone is unchanged (also a retried delete).
    async Task<StepRecord> DeleteStorageAsync(StepRequest request, ResourceKind kind, StorageReadBack? current, DateTimeOffset started, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        if (current is null)
        {
            return Note(step, started, step.Command, StepOutcomes.Unchanged, $"{step.Id} is already absent; nothing to delete");
        }

        CommandResult deleted = await RunCheckedAsync(step, kind.Delete(step.Resource), cancellationToken);
        if (step.Type == AzStorageTable.Type)
        {
            await ledger.DeleteAsync(request.Tenant, step.Type, step.Name, cancellationToken);
        }

        return deleted.ToStepRecord(step.Id, step.Wave, StepOutcomes.Deleted, started, DateTimeOffset.UtcNow);
    }

    // The resource with exactly the image's metadata (properties.* fields) and the owner mark it carried (none: none).
    static ResourceSpec WithMetadata(ResourceSpec resource, IReadOnlyDictionary<string, string> fields, string? owner)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach ((string field, string value) in fields)
        {
            if (field.StartsWith("properties.", StringComparison.Ordinal))
            {
                properties[field["properties.".Length..]] = JsonSerializer.SerializeToElement(value);
            }
        }

        ResourceSpec bare = resource with { Properties = properties };
        return owner is null ? bare : WithOwner(bare, owner);
    }

    // What may be written back: metadata names by Azure's rule (none reserved) and values from a plain allow-list.
    static string? UnsafeMetadata(IReadOnlyDictionary<string, string> fields)
    {
        foreach ((string field, string value) in fields)
        {
            string name = field.StartsWith("properties.", StringComparison.Ordinal) ? field["properties.".Length..] : field;
            if (StorageDataPlane.MetadataNameProblem(name) is not null || !(BeforeImages.Masked(value) || RestorableValue().IsMatch(value)))
            {
                return $"metadata '{(name.Length > 64 ? name[..64] : name)}' has a name or value the cli provider does not write back (letters, digits and . _ : / @ + - only)";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:/@+-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex RestorableValue();
}
