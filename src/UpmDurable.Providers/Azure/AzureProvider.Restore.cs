using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Rollback;

namespace UpmDurable.Providers.Azure;

// Deletes (ensure: absent) and restores from before-images (docs/rollback.md): restore and re-create are one ARM PUT
// of the image's fields through the kind's body (the same PUT shape as apply), tagged with the creator the image had.
// Tags outside ours and properties the catalog does not map are not captured, so a PUT carries only what the image holds.
public sealed partial class AzureProvider
{
    public string? NotRestorable(PlanStep step, ResourceState? current) =>
        current is null || ArmResourceMap.Supports(step.Type) ? null : $"the azure provider does not run '{step.Type}'";

    public async Task<StepRecord> RestoreAsync(StepRequest request, BeforeImage image, CancellationToken cancellationToken)
    {
        if (!image.Existed)
        {
            return await CompensateAsync(request, cancellationToken);
        }

        DateTimeOffset started = time.GetUtcNow();
        PlanStep step = request.Step;
        ArmResourceKind kind = KindOf(step.Id, step.Type);
        string subscription = options.SubscriptionFor(request.Tenant);
        ResourceIdentifier id = ArmResourceMap.IdOf(subscription, kind, step.Resource);
        string command = $"PUT {id}?api-version={ArmResourceMap.ApiVersion(kind, options)}";
        string restoreKey = Tag(request.ExecutionKey + "/restore");
        try
        {
            ArmSnapshot? current = await ReadByIdAsync(kind, id, cancellationToken);
            SortedDictionary<string, string> target = BeforeImages.RestoreTarget(image, current?.AllFields);
            string outcome = current is null ? StepOutcomes.Recreated : StepOutcomes.Restored;
            if (current is not null && current.Tags.GetValueOrDefault(StepTag) == restoreKey && Running(current.ProvisioningState))
            {
                // An earlier attempt of this restore started the PUT and its answer was lost: wait for it, send nothing.
                return PendingRecord(step, started, command, ResourcePoll("PUT", kind, id, outcome, current.ProvisioningState));
            }

            if (current is not null && current.State.Health == "healthy" && current.State.CreatedBy == image.CreatedBy
                && FieldDiff.Same(target, current.AllFields.Where(f => target.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal)))
            {
                return Record(step, started, command, StepOutcomes.Unchanged, $"{step.Id} already equals its before-image; nothing sent");
            }

            var tags = new Dictionary<string, string>(current?.Tags ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            if (image.CreatedBy is { } creator)
            {
                tags[ChangeTag] = creator;
            }
            else
            {
                tags.Remove(ChangeTag);
            }

            tags.TryAdd(TenantTag, request.Tenant);
            tags[StepTag] = restoreKey;
            tags[FieldsTag] = Tag(string.Join(',', target.Keys));
            ResourceSpec restored = FromFields(step.Resource, target);
            LogApplying(logger, step.Id, "PUT", id.ToString());
            var (put, applied) = kind.ArmType == ArmResourceMap.ResourceGroupType
                ? await PutResourceGroupAsync(subscription, restored, tags, cancellationToken)
                : await PutGenericAsync(kind, id, restored, tags, subscription, cancellationToken);
            return applied is null
                ? PendingRecord(step, started, command, Started(put, "PUT", kind, id, outcome))
                : Applied(step, started, command, outcome, applied);
        }
        catch (Exception ex) when (Permanent(ex))
        {
            throw Refused(step.Id, "PUT", id, ex);
        }
    }

    // Applies an ensure: absent step: DELETE; one already gone is unchanged. A resource group is deleted only when empty.
    async Task<StepRecord> DeleteAbsentAsync(PlanStep step, ArmResourceKind kind, ResourceIdentifier id, ArmReadForApply? read, DateTimeOffset started, CancellationToken cancellationToken)
    {
        string command = $"DELETE {id}?api-version={ArmResourceMap.ApiVersion(kind, options)}";
        try
        {
            ArmSnapshot? current = await CurrentAsync(read, kind, id, cancellationToken);
            if (current is null)
            {
                return Record(step, started, command, StepOutcomes.Unchanged, $"{step.Id} is already absent; nothing sent");
            }

            if (string.Equals(current.ProvisioningState, "Deleting", StringComparison.OrdinalIgnoreCase))
            {
                return PendingRecord(step, started, command, ResourcePoll("DELETE", kind, id, StepOutcomes.Deleted, current.ProvisioningState));
            }

            if (kind.ArmType == ArmResourceMap.ResourceGroupType)
            {
                await foreach (GenericResource inside in arm.GetResourceGroupResource(id).GetGenericResourcesAsync(cancellationToken: cancellationToken))
                {
                    throw new ArmStepRefusedException($"{step.Id} still holds resources ({inside.Data.Name}, ...): delete them first; a resource group is deleted only when empty.");
                }
            }

            return await SendDeleteAsync(step, kind, id, started, command, cancellationToken);
        }
        catch (Exception ex) when (Permanent(ex))
        {
            throw Refused(step.Id, "DELETE", id, ex);
        }
    }

    // The plan's resource with the image's location, group and properties (as strings: the kinds' bodies read them as text).
    static ResourceSpec FromFields(ResourceSpec resource, IReadOnlyDictionary<string, string> fields)
    {
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach ((string field, string value) in fields)
        {
            if (field.StartsWith("properties.", StringComparison.Ordinal))
            {
                properties[field["properties.".Length..]] = JsonSerializer.SerializeToElement(value);
            }
        }

        return resource with
        {
            Location = fields.GetValueOrDefault("location") ?? resource.Location,
            ResourceGroup = fields.GetValueOrDefault("resource_group") is { Length: > 0 } group ? group : resource.ResourceGroup,
            Properties = properties,
        };
    }
}
