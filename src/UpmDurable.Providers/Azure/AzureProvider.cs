using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Providers.Azure;

/// <summary>
/// Real Azure through Azure Resource Manager: resource groups and generic resources by type and pinned api-version.
/// Reads before it writes (PUT is idempotent, and an already applied step is not sent again), starts long-running
/// operations and answers them <c>pending</c> for the orchestration to poll (<see cref="ILongRunningProvider"/>), retries
/// 429/5xx per ARM's <c>Retry-After</c>, tags what it creates with the change id and deletes on compensation only what
/// carries that tag.
/// </summary>
public sealed partial class AzureProvider : IChangeProvider, ILongRunningProvider
{
    /// <summary>The change that created the resource; compensation deletes only resources whose tag is its own change.</summary>
    public const string ChangeTag = "upm-change-id";

    /// <summary>The UPM tenant the resource belongs to.</summary>
    public const string TenantTag = "upm-tenant";

    /// <summary>The step (<c>{change_id}/{step_id}</c>) that last applied the resource: a replayed activity sends nothing.</summary>
    public const string StepTag = "upm-step";

    /// <summary>The plan step's idempotency key (tenant, type, name and intended state).</summary>
    public const string IdempotencyTag = "upm-idempotency-key";

    /// <summary>The plan fields the request gave: read-back reports those, so verification diffs like for like.</summary>
    public const string FieldsTag = "upm-fields";

    static readonly string[] OwnTags = [ChangeTag, TenantTag, StepTag, IdempotencyTag, FieldsTag];

    /// <summary>Quota names and the ARM usage API that knows them.</summary>
    static readonly Dictionary<string, (string Provider, string ApiVersion, string UsageName)> QuotaUsages = new(StringComparer.Ordinal)
    {
        ["cores"] = ("Microsoft.Compute", "2024-07-01", "cores"),
        ["public_ips"] = ("Microsoft.Network", "2024-05-01", "PublicIPAddresses"),
    };

    readonly ArmClient arm;
    readonly HttpPipeline pipeline;
    readonly AzureOptions options;
    readonly TimeProvider time;
    readonly ILogger logger;

    /// <summary>Creates the provider. <paramref name="transport"/> replaces the HTTP transport (contract tests replay ARM through it).</summary>
    public AzureProvider(AzureOptions options, TokenCredential credential, ILogger logger, TimeProvider? time = null, HttpPipelineTransport? transport = null)
    {
        this.options = options;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
        var armOptions = new ArmClientOptions
        {
            Environment = new ArmEnvironment(options.Endpoint, options.Audience),
            RetryPolicy = new ArmRetryPolicy(options, this.time, logger),
        };
        armOptions.Diagnostics.IsLoggingContentEnabled = false;
        if (transport is not null)
        {
            armOptions.Transport = transport;
        }

        foreach (ArmResourceKind kind in ArmResourceMap.ByType.Values)
        {
            // Pinned: without it the SDK asks the resource provider for its newest api-version on first use.
            armOptions.SetApiVersion(kind.ArmType, ArmResourceMap.ApiVersion(kind, options));
        }

        arm = new ArmClient(credential, options.SubscriptionId, armOptions);
        pipeline = HttpPipelineBuilder.Build(armOptions, new BearerTokenAuthenticationPolicy(credential, $"{options.Audience.TrimEnd('/')}/.default"));
    }

    public string Name => "azure";

    public async Task<int> QuotaAvailableAsync(string tenant, string quota, string location, CancellationToken cancellationToken)
    {
        if (!QuotaUsages.TryGetValue(quota, out var usage))
        {
            return options.Quotas.TryGetValue(quota, out int configured) ? configured : 0;
        }

        using HttpMessage message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri(options.Endpoint, $"/subscriptions/{options.SubscriptionFor(tenant)}/providers/{usage.Provider}/locations/{Uri.EscapeDataString(location)}/usages?api-version={usage.ApiVersion}"));
        await pipeline.SendAsync(message, cancellationToken);
        if (message.Response.IsError)
        {
            throw new RequestFailedException(message.Response);
        }

        using JsonDocument body = await JsonDocument.ParseAsync(message.Response.ContentStream!, cancellationToken: cancellationToken);
        foreach (JsonElement item in body.RootElement.GetProperty("value").EnumerateArray())
        {
            if (string.Equals(item.GetProperty("name").GetProperty("value").GetString(), usage.UsageName, StringComparison.OrdinalIgnoreCase))
            {
                return (int)Math.Max(0, item.GetProperty("limit").GetInt64() - item.GetProperty("currentValue").GetInt64());
            }
        }

        return 0;
    }

    public Task<StepRecord> ApplyAsync(StepRequest request, CancellationToken cancellationToken) => ApplyAsync(request, (ArmReadForApply?)null, cancellationToken);

    /// <summary>Starts from the GET made for the step's before-image instead of sending a second one (ARM reads are rate-limited per subscription).</summary>
    public Task<StepRecord> ApplyAsync(StepRequest request, StepRead read, CancellationToken cancellationToken) =>
        ApplyAsync(request, read.Detail as ArmReadForApply, cancellationToken);

    /// <summary>Reads the step's resource by its id, keeping the ARM snapshot (tags, provisioning state) for the apply.</summary>
    public async Task<StepRead> ReadForApplyAsync(StepRequest request, CancellationToken cancellationToken)
    {
        ArmResourceKind kind = KindOf(request.Step.Id, request.Step.Type);
        ArmSnapshot? current = await ReadByIdAsync(kind, ArmResourceMap.IdOf(options.SubscriptionFor(request.Tenant), kind, request.Step.Resource), cancellationToken);
        return StepRead.WithDetail(current?.State, new ArmReadForApply(current));
    }

    // The resource as the GET made for the step's before-image found it, else as read now.
    Task<ArmSnapshot?> CurrentAsync(ArmReadForApply? read, ArmResourceKind kind, ResourceIdentifier id, CancellationToken cancellationToken) =>
        read is not null ? Task.FromResult(read.Current) : ReadByIdAsync(kind, id, cancellationToken);

    // Applies a step; `read` is the GET made for it just before (null: read here).
    async Task<StepRecord> ApplyAsync(StepRequest request, ArmReadForApply? read, CancellationToken cancellationToken)
    {
        DateTimeOffset started = time.GetUtcNow();
        PlanStep step = request.Step;
        ArmResourceKind kind = KindOf(step.Id, step.Type);
        string subscription = options.SubscriptionFor(request.Tenant);
        ResourceIdentifier id = ArmResourceMap.IdOf(subscription, kind, step.Resource);
        if (Ensures.IsAbsent(step.Resource))
        {
            return await DeleteAbsentAsync(step, kind, id, read, started, cancellationToken);
        }

        string command = $"PUT {id}?api-version={ArmResourceMap.ApiVersion(kind, options)}";
        try
        {
            ArmSnapshot? current = await CurrentAsync(read, kind, id, cancellationToken);
            if (current is not null && current.Tags.GetValueOrDefault(StepTag) == request.ExecutionKey && current.State.Health == "healthy")
            {
                return Record(step, started, command, "unchanged", $"{step.Id} already applied by this step; nothing sent");
            }

            if (current is not null && current.Tags.GetValueOrDefault(StepTag) == request.ExecutionKey && Running(current.ProvisioningState))
            {
                // An earlier attempt of this step started the operation and its answer was lost: wait for it, send nothing.
                string earlier = current.State.CreatedBy == request.ChangeId ? "created" : "updated";
                return PendingRecord(step, started, command, ResourcePoll("PUT", kind, id, earlier, current.ProvisioningState));
            }

            SortedDictionary<string, string> intended = ResourceFields.Of(step.Resource);
            if (current is not null && current.State.Health == "healthy" && current.AllFields.Where(f => intended.ContainsKey(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal).SequenceEqual(intended))
            {
                return Record(step, started, command, "unchanged", $"{step.Id} already as planned; nothing sent");
            }

            var tags = new Dictionary<string, string>(current?.Tags ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            if (current is null)
            {
                tags[ChangeTag] = request.ChangeId;
            }

            tags.TryAdd(TenantTag, request.Tenant);
            tags[StepTag] = Tag(request.ExecutionKey);
            tags[IdempotencyTag] = Tag(step.IdempotencyKey);
            tags[FieldsTag] = Tag(string.Join(',', intended.Keys));

            LogApplying(logger, step.Id, "PUT", id.ToString());
            var (put, applied) = kind.ArmType == ArmResourceMap.ResourceGroupType
                ? await PutResourceGroupAsync(subscription, step.Resource, tags, cancellationToken)
                : await PutGenericAsync(kind, id, step.Resource, tags, subscription, cancellationToken);
            string outcome = current is null || current.State.CreatedBy == request.ChangeId ? "created" : "updated";
            return applied is null
                ? PendingRecord(step, started, command, Started(put, "PUT", kind, id, outcome))
                : Applied(step, started, command, outcome, applied);
        }
        catch (Exception ex) when (Permanent(ex))
        {
            throw Refused(step.Id, "PUT", id, ex);
        }
    }

    public async Task<StepRecord> CompensateAsync(StepRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset started = time.GetUtcNow();
        PlanStep step = request.Step;
        if (!ArmResourceMap.ByType.TryGetValue(step.Type, out ArmResourceKind? kind))
        {
            return Record(step, started, step.Rollback, "absent", $"{step.Id}: the azure provider never applies {step.Type}; nothing to undo");
        }

        ResourceIdentifier id = ArmResourceMap.IdOf(options.SubscriptionFor(request.Tenant), kind, step.Resource);
        string command = $"DELETE {id}?api-version={ArmResourceMap.ApiVersion(kind, options)}";
        try
        {
            ArmSnapshot? current = await ReadByIdAsync(kind, id, cancellationToken);
            if (current is null)
            {
                return Record(step, started, command, "absent", $"{step.Id} does not exist; nothing to undo");
            }

            if (current.State.CreatedBy != request.ChangeId)
            {
                return Record(step, started, command, "kept", $"{step.Id} existed before this change (created by {current.State.CreatedBy ?? "someone else"}); left in place");
            }

            if (kind.ArmType == ArmResourceMap.ResourceGroupType)
            {
                // Deleting a group deletes everything in it: only when all of it is this change's own.
                var foreign = new List<string>();
                await foreach (GenericResource inside in arm.GetResourceGroupResource(id).GetGenericResourcesAsync(cancellationToken: cancellationToken))
                {
                    if (!inside.Data.Tags.TryGetValue(ChangeTag, out string? owner) || owner != request.ChangeId)
                    {
                        foreign.Add(inside.Data.Name);
                    }
                }

                if (foreign.Count > 0)
                {
                    return Record(step, started, command, "kept", $"{step.Id} holds {foreign.Count} resource(s) this change did not create ({string.Join(", ", foreign.Order(StringComparer.Ordinal).Take(5))}); left in place");
                }
            }

            if (string.Equals(current.ProvisioningState, "Deleting", StringComparison.OrdinalIgnoreCase))
            {
                // An earlier attempt of this compensation started the deletion and its answer was lost: wait for it.
                return PendingRecord(step, started, command, ResourcePoll("DELETE", kind, id, StepOutcomes.Deleted, current.ProvisioningState));
            }

            return await SendDeleteAsync(step, kind, id, started, command, cancellationToken);
        }
        catch (Exception ex) when (Permanent(ex))
        {
            throw Refused(step.Id, "DELETE", id, ex);
        }
    }

    // Sends the DELETE (a resource group through its own API): pending while ARM works on it, deleted once it is gone.
    async Task<StepRecord> SendDeleteAsync(PlanStep step, ArmResourceKind kind, ResourceIdentifier id, DateTimeOffset started, string command, CancellationToken cancellationToken)
    {
        LogApplying(logger, step.Id, "DELETE", id.ToString());
        try
        {
            ArmOperation deletion = kind.ArmType == ArmResourceMap.ResourceGroupType
                ? await arm.GetResourceGroupResource(id).DeleteAsync(WaitUntil.Started, null, cancellationToken)
                : await arm.GetGenericResource(id).DeleteAsync(WaitUntil.Started, cancellationToken);
            if (!deletion.HasCompleted)
            {
                return PendingRecord(step, started, command, Started(deletion, "DELETE", kind, id, StepOutcomes.Deleted));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted by an earlier attempt of this same step or compensation.
        }

        return Record(step, started, command, StepOutcomes.Deleted, $"{step.Id} deleted");
    }

    async Task<(Operation Operation, ArmSnapshot? Done)> PutResourceGroupAsync(string subscription, ResourceSpec resource, Dictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var data = new ResourceGroupData(new AzureLocation(resource.Location ?? throw new ArmStepRefusedException($"{resource.Type}/{resource.Name} has no location.")));
        foreach (var (key, value) in tags)
        {
            data.Tags[key] = value;
        }

        ArmOperation<ResourceGroupResource> put = await arm.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscription))
            .GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Started, resource.Name, data, cancellationToken);
        return (put, put.HasCompleted ? Snapshot(ArmResourceMap.ByType["az_resource_group"], put.Value.Data) : null);
    }

    async Task<(Operation Operation, ArmSnapshot? Done)> PutGenericAsync(ArmResourceKind kind, ResourceIdentifier id, ResourceSpec resource, Dictionary<string, string> tags, string subscription, CancellationToken cancellationToken)
    {
        if (resource.Location is null)
        {
            // Like `az ... create` without --location: the resource goes where its group is.
            // The group is often an earlier step of the same change, created moments ago: read as after a create.
            ArmSnapshot group = await ReadAfterCreateAsync(ArmResourceMap.ByType["az_resource_group"], ResourceGroupResource.CreateResourceIdentifier(subscription, resource.ResourceGroup!), cancellationToken)
                ?? throw new ArmStepRefusedException($"Resource group '{resource.ResourceGroup}' of {resource.Type}/{resource.Name} does not exist.");
            resource = resource with { Location = group.Location };
        }

        GenericResourceData data = kind.Body!(resource, options);
        foreach (var (key, value) in tags)
        {
            data.Tags[key] = value;
        }

        ArmOperation<GenericResource> put = await arm.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Started, id, data, cancellationToken);
        return (put, put.HasCompleted ? Snapshot(kind, put.Value.Data) : null);
    }

    TimeSpan PollDelay(Response response)
    {
        TimeSpan? asked = null;
        if ((response.Headers.TryGetValue("retry-after-ms", out string? ms) || response.Headers.TryGetValue("x-ms-retry-after-ms", out ms))
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double millis))
        {
            asked = TimeSpan.FromMilliseconds(millis);
        }
        else if (response.Headers.TryGetValue("Retry-After", out string? after))
        {
            asked = int.TryParse(after, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) ? TimeSpan.FromSeconds(seconds)
                : DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at - time.GetUtcNow() : null;
        }

        TimeSpan delay = asked ?? options.PollInterval;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > options.MaxPollInterval ? options.MaxPollInterval : delay;
    }

    static ArmResourceKind KindOf(string stepId, string type)
    {
        try
        {
            return ArmResourceMap.For(type);
        }
        catch (ArmStepRefusedException ex)
        {
            throw new StepFailedException(stepId, 2, ex.Message);
        }
    }

    /// <summary>Refusals are permanent; throttling, server errors, timeouts and lost connections are not (the activity retries them).</summary>
    static bool Permanent(Exception ex) => ex switch
    {
        ArmStepRefusedException => true,
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => false,
        RequestFailedException => true,
        _ => false,
    };

    StepFailedException Refused(string stepId, string method, ResourceIdentifier id, Exception ex)
    {
        if (ex is ArmStepRefusedException)
        {
            return new StepFailedException(stepId, 2, ex.Message);
        }

        var failed = (RequestFailedException)ex;
        string reason = failed.Message.Split('\n', 2)[0].Trim();
        LogRefused(logger, stepId, method, id.ToString(), failed.Status, failed.ErrorCode);
        return new StepFailedException(stepId, failed.Status, $"ARM refused {method} {id}: {failed.Status} {failed.ErrorCode}: {reason}");
    }

    static string Tag(string value) => value.Length <= 256 ? value : value[..256];

    static StepRecord Record(PlanStep step, DateTimeOffset started, string command, string outcome, string stdout) =>
        StepRecords.Done(step, started, command, outcome, stdout);

    [LoggerMessage(Level = LogLevel.Information, Message = "azure: step {StepId}: {Method} {ResourceId}")]
    static partial void LogApplying(ILogger logger, string stepId, string method, string resourceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "azure: step {StepId}: ARM refused {Method} {ResourceId} with {Status} {ErrorCode}")]
    static partial void LogRefused(ILogger logger, string stepId, string method, string resourceId, int status, string? errorCode);
}
