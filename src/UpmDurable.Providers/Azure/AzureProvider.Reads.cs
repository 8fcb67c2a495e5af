using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;

namespace UpmDurable.Providers.Azure;

// Reads, always a GET of the resource's ARM id (never a filtered listing of the subscription, which a role scoped to the
// target groups could not answer). ARM is eventually consistent: right after a create succeeded, a GET can still answer
// 404 from a replica that has not seen the write; there, reads are repeated a bounded number of times with a short,
// growing wait before a 404 is believed.
public sealed partial class AzureProvider
{
    /// <summary>
    /// Reads a resource known by type and name only (a <c>resources_needed</c> prerequisite): a resource group by its id,
    /// anything else by its id in each of <see cref="AzureOptions.ResourceGroups"/> in turn. Never a subscription-wide
    /// search: the app's identity holds its role on the target groups only.
    /// </summary>
    public async Task<ResourceState?> ReadAsync(string tenant, string type, string name, CancellationToken cancellationToken)
    {
        ArmResourceKind kind = KindOf($"{type}/{name}", type);
        string subscription = options.SubscriptionFor(tenant);
        if (kind.ArmType == ArmResourceMap.ResourceGroupType)
        {
            return (await ReadByIdAsync(kind, ResourceGroupResource.CreateResourceIdentifier(subscription, name), cancellationToken))?.State;
        }

        if (options.ResourceGroups.Count == 0)
        {
            throw new InvalidOperationException(
                $"The azure provider reads resources by id and {type} '{name}' names no resource group: list the groups changes act in under {AzureOptions.Section}:ResourceGroups.");
        }

        foreach (string group in options.ResourceGroups)
        {
            var resource = new ResourceSpec { Type = type, Name = name, ResourceGroup = group };
            if (await ReadByIdAsync(kind, ArmResourceMap.IdOf(subscription, kind, resource), cancellationToken) is { } found)
            {
                return found.State;
            }
        }

        return null;
    }

    /// <summary>Reads a resource where the plan says it is (its resource group known), without searching the subscription.</summary>
    public async Task<ResourceState?> ReadAsync(string tenant, ResourceSpec resource, CancellationToken cancellationToken)
    {
        ArmResourceKind kind = KindOf($"{resource.Type}/{resource.Name}", resource.Type ?? string.Empty);
        return (await ReadByIdAsync(kind, ArmResourceMap.IdOf(options.SubscriptionFor(tenant), kind, resource), cancellationToken))?.State;
    }

    async Task<ArmSnapshot?> ReadByIdAsync(ArmResourceKind kind, ResourceIdentifier id, CancellationToken cancellationToken)
    {
        try
        {
            if (kind.ArmType == ArmResourceMap.ResourceGroupType)
            {
                Response<ResourceGroupResource> group = await arm.GetResourceGroupResource(id).GetAsync(cancellationToken);
                return Snapshot(kind, group.Value.Data);
            }

            Response<GenericResource> resource = await arm.GetGenericResource(id).GetAsync(cancellationToken);
            return Snapshot(kind, resource.Value.Data);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    int ReadAfterCreateAttempts => Math.Max(1, options.ReadAfterCreateAttempts);

    /// <summary>The longest the re-reads wait in total (the sum of <see cref="ReadAfterCreateDelayOf"/> over the re-reads).</summary>
    TimeSpan ReadAfterCreateWait => TimeSpan.FromTicks(Enumerable.Range(1, ReadAfterCreateAttempts - 1).Sum(n => ReadAfterCreateDelayOf(n).Ticks));

    /// <summary>The wait before re-read <paramref name="n"/> (1-based): the configured delay, doubled per re-read, at most 8 times it.</summary>
    TimeSpan ReadAfterCreateDelayOf(int n) =>
        TimeSpan.FromTicks(Math.Max(0, options.ReadAfterCreateDelay.Ticks) * (1L << Math.Min(n - 1, 3)));

    /// <summary>Reads a resource that ARM just said exists; null only when every one of the bounded reads answered 404.</summary>
    async Task<ArmSnapshot?> ReadAfterCreateAsync(ArmResourceKind kind, ResourceIdentifier id, CancellationToken cancellationToken)
    {
        for (int read = 1; ; read++)
        {
            if (await ReadByIdAsync(kind, id, cancellationToken) is { } found)
            {
                return found;
            }

            if (read >= ReadAfterCreateAttempts)
            {
                LogNeverShown(logger, id.ToString(), read);
                return null;
            }

            TimeSpan delay = ReadAfterCreateDelayOf(read);
            LogNotYetShown(logger, id.ToString(), read, ReadAfterCreateAttempts, delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "azure: GET {ResourceId} answered 404 right after its create (read {Read} of {Attempts}); re-reading in {DelayMs} ms")]
    static partial void LogNotYetShown(ILogger logger, string resourceId, int read, int attempts, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "azure: GET {ResourceId} still answered 404 after {Reads} reads following its create")]
    static partial void LogNeverShown(ILogger logger, string resourceId, int reads);
}
