using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Rollback;
using UpmDurable.Storage;

namespace UpmDurable.Providers.Sandbox;

/// <summary>
/// A simulated cloud whose resource state lives in an Azure table (Azurite locally): the default target for demos and tests.
/// Writes are conditional on ETags and idempotent per (change, step), so a replayed activity never applies twice.
/// </summary>
public sealed class SandboxProvider(StorageClients clients, SandboxOptions options) : IChangeProvider
{
    public string Name => "sandbox";

    public async Task<ResourceState?> ReadAsync(string tenant, string type, string name, CancellationToken cancellationToken)
    {
        await SimulateLatencyAsync(cancellationToken);
        TableEntity? row = await GetRowAsync(tenant, type, name, cancellationToken);
        return row is null ? null : ToState(row);
    }

    public Task<int> QuotaAvailableAsync(string tenant, string quota, string location, CancellationToken cancellationToken) =>
        Task.FromResult(options.Quotas.TryGetValue(quota, out int available) ? available : 0);

    public async Task<StepRecord> ApplyAsync(StepRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        await SimulateLatencyAsync(cancellationToken);
        return await ApplyRowAsync(request, started, await GetRowAsync(request.Tenant, request.Step.Type, request.Step.Name, cancellationToken), cancellationToken);
    }

    /// <summary>Reads the step's row, keeping it (with its ETag) for the apply.</summary>
    public async Task<StepRead> ReadForApplyAsync(StepRequest request, CancellationToken cancellationToken)
    {
        await SimulateLatencyAsync(cancellationToken);
        TableEntity? row = await GetRowAsync(request.Tenant, request.Step.Type, request.Step.Name, cancellationToken);
        return StepRead.WithDetail(row is null ? null : ToState(row), new SandboxReadForApply(row));
    }

    /// <summary>
    /// Starts from the row read for the step's before-image: the write is conditional on that row's ETag (an add when there
    /// was none), so a row changed in between fails the write and the activity's retry reads again.
    /// </summary>
    public async Task<StepRecord> ApplyAsync(StepRequest request, StepRead read, CancellationToken cancellationToken)
    {
        if (read.Detail is not SandboxReadForApply sandbox)
        {
            return await ApplyAsync(request, cancellationToken);
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        await SimulateLatencyAsync(cancellationToken);
        return await ApplyRowAsync(request, started, sandbox.Row, cancellationToken);
    }

    // Applies a step from its row as just read (null: the resource does not exist).
    async Task<StepRecord> ApplyRowAsync(StepRequest request, DateTimeOffset started, TableEntity? row, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        if (row is not null && row.GetString("LastAppliedBy") == request.ExecutionKey)
        {
            return Record(step, started, "unchanged", $"{step.Id} already applied by this step; nothing to do");
        }

        if (Injected(request, "apply"))
        {
            throw new StepFailedException(step.Id, 1, $"sandbox: injected failure while applying {step.Id}");
        }

        if (Ensures.IsAbsent(step.Resource))
        {
            return await DeleteAsync(step, started, row, cancellationToken);
        }

        string fields = FieldsJson(step.Resource);
        string health = Injected(request, "verify") ? "unhealthy" : "healthy";
        try
        {
            if (row is null)
            {
                await clients.SandboxTable.AddEntityAsync(NewRow(request, fields, health, request.ChangeId, request.ExecutionKey), cancellationToken);
                return Record(step, started, "created", CreatedMessage(request));
            }

            string outcome = row.GetString("Fields") == fields ? "unchanged" : "updated";
            row["Fields"] = fields;
            row["Health"] = health;
            row["LastAppliedBy"] = request.ExecutionKey;
            row["ApplyCount"] = (row.GetInt32("ApplyCount") ?? 0) + 1;
            await clients.SandboxTable.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return Record(step, started, outcome, $"{step.Id} {outcome}");
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another writer got there between our read and write: surface as transient so the activity retries and re-reads.
            throw new InvalidOperationException($"Concurrent change to {step.Id}; retry.", ex);
        }
    }

    public async Task<StepRecord> CompensateAsync(StepRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        await SimulateLatencyAsync(cancellationToken);
        PlanStep step = request.Step;
        TableEntity? row = await GetRowAsync(request.Tenant, step.Type, step.Name, cancellationToken);
        if (row is null)
        {
            return Record(step, started, "absent", $"{step.Id} does not exist; nothing to undo", command: step.Rollback);
        }

        if (Injected(request, "compensate"))
        {
            throw new StepFailedException(step.Id, 1, $"sandbox: injected failure while compensating {step.Id}");
        }

        if (row.GetString("CreatedBy") != request.ChangeId)
        {
            return Record(step, started, "kept", $"{step.Id} existed before this change; left in place", command: step.Rollback);
        }

        try
        {
            await clients.SandboxTable.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted by an earlier attempt of this same compensation.
        }

        return Record(step, started, "deleted", $"{step.Id} deleted", command: step.Rollback);
    }

    /// <summary>Every sandbox row can be put back: its fields, health and creator are all in the row.</summary>
    public string? NotRestorable(PlanStep step, ResourceState? current) => null;

    /// <summary>
    /// Puts the row back to its before-image: deletes what the step created, restores Fields/Health/CreatedBy of an
    /// updated row, re-creates a deleted one. Idempotent: a row that already equals the image is left (<c>unchanged</c>).
    /// </summary>
    public async Task<StepRecord> RestoreAsync(StepRequest request, BeforeImage image, CancellationToken cancellationToken)
    {
        if (!image.Existed)
        {
            return await CompensateAsync(request, cancellationToken);
        }

        DateTimeOffset started = DateTimeOffset.UtcNow;
        await SimulateLatencyAsync(cancellationToken);
        PlanStep step = request.Step;
        if (Injected(request, "compensate"))
        {
            throw new StepFailedException(step.Id, 1, $"sandbox: injected failure while compensating {step.Id}");
        }

        TableEntity? row = await GetRowAsync(request.Tenant, step.Type, step.Name, cancellationToken);
        var current = row is null ? null : ToState(row).Fields;
        string fields = JsonSerializer.Serialize(BeforeImages.RestoreTarget(image, current));
        try
        {
            if (row is null)
            {
                await clients.SandboxTable.AddEntityAsync(NewRow(request, fields, "healthy", image.CreatedBy, $"{request.ExecutionKey}/restore"), cancellationToken);
                return Record(step, started, StepOutcomes.Recreated, $"{step.Id} re-created from its before-image", command: step.Rollback);
            }

            if (row.GetString("Fields") == fields && row.GetString("CreatedBy") == image.CreatedBy)
            {
                return Record(step, started, StepOutcomes.Unchanged, $"{step.Id} already equals its before-image", command: step.Rollback);
            }

            row["Fields"] = fields;
            row["Health"] = "healthy";
            row["CreatedBy"] = image.CreatedBy;
            row["LastAppliedBy"] = $"{request.ExecutionKey}/restore";
            await clients.SandboxTable.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return Record(step, started, StepOutcomes.Restored, $"{step.Id} restored to its before-image", command: step.Rollback);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new InvalidOperationException($"Concurrent change to {step.Id}; retry.", ex);
        }
    }

    /// <summary>
    /// Changes a resource behind the back of every change, as a person with portal access would: merges fields (a null value
    /// removes the field), sets its health, or deletes it. Drift injection for demos and tests (admin route). Null when absent.
    /// </summary>
    public async Task<ResourceState?> TamperAsync(string tenant, string type, string name, Dictionary<string, string?>? fields, string? health, bool delete, CancellationToken cancellationToken)
    {
        TableEntity? row = await GetRowAsync(tenant, type, name, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (delete)
        {
            await clients.SandboxTable.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            return ToState(row) with { Health = "deleted" };
        }

        var current = JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString("Fields") ?? "{}") ?? [];
        foreach ((string key, string? value) in fields ?? [])
        {
            if (value is null)
            {
                current.Remove(key);
            }
            else
            {
                current[key] = value;
            }
        }

        row["Fields"] = JsonSerializer.Serialize(new SortedDictionary<string, string>(current, StringComparer.Ordinal));
        row["Health"] = health ?? row.GetString("Health");
        await clients.SandboxTable.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, cancellationToken);
        return ToState(row);
    }

    // Applies an ensure: absent step: the row goes; one already gone is unchanged (also a retried delete).
    async Task<StepRecord> DeleteAsync(PlanStep step, DateTimeOffset started, TableEntity? row, CancellationToken cancellationToken)
    {
        if (row is null)
        {
            return Record(step, started, StepOutcomes.Unchanged, $"{step.Id} is already absent; nothing to delete");
        }

        try
        {
            await clients.SandboxTable.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted by an earlier attempt of this same step.
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new InvalidOperationException($"Concurrent change to {step.Id}; retry.", ex);
        }

        return Record(step, started, StepOutcomes.Deleted, $"{step.Id} deleted");
    }

    static StepRecord Record(PlanStep step, DateTimeOffset started, string outcome, string stdout, string? command = null) =>
        StepRecords.Done(step, started, command ?? step.Command, outcome, stdout);

    static string CreatedMessage(StepRequest request)
    {
        PlanStep step = request.Step;
        return step.Type switch
        {
            _ when step.Type.StartsWith("k8s_", StringComparison.Ordinal) => $"{step.Type["k8s_".Length..]}/{step.Name} created",

            // As a real cloud does, a storage account's output carries a secret: what runs it must redact it.
            "az_storage_account" => $"{{\"name\":\"{step.Name}\",\"provisioningState\":\"Succeeded\",\"primaryConnectionString\":\"DefaultEndpointsProtocol=https;AccountName={step.Name};AccountKey={SimulatedAccountKey(request.Tenant, step.Name)};EndpointSuffix=core.windows.net\"}}",
            _ => $"{{\"name\":\"{step.Name}\",\"provisioningState\":\"Succeeded\"}}",
        };
    }

    /// <summary>The simulated account key a sandbox storage account reports when it is created (a stand-in for a real secret output).</summary>
    public static string SimulatedAccountKey(string tenant, string name) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"sandbox-account-key/{tenant}/{name}")));

    static string FieldsJson(ResourceSpec resource) => JsonSerializer.Serialize(ResourceFields.Of(resource));

    async Task<TableEntity?> GetRowAsync(string tenant, string type, string name, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await clients.SandboxTable.GetEntityIfExistsAsync<TableEntity>(tenant, RowKey(type, name), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    static ResourceState ToState(TableEntity row) => new()
    {
        Type = row.GetString("Type"),
        Name = row.GetString("Name"),
        Fields = JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString("Fields") ?? "{}") ?? [],
        Health = row.GetString("Health") ?? "healthy",
        CreatedBy = row.GetString("CreatedBy"),
        ApplyCount = row.GetInt32("ApplyCount") ?? 0,
    };

    static string RowKey(string type, string name) => $"{type}~{name}";

    // A new row for the request's resource (created by a step, or re-created from a before-image).
    static TableEntity NewRow(StepRequest request, string fields, string health, string? createdBy, string appliedBy) =>
        new(request.Tenant, RowKey(request.Step.Type, request.Step.Name))
        {
            ["Type"] = request.Step.Type,
            ["Name"] = request.Step.Name,
            ["Fields"] = fields,
            ["Health"] = health,
            ["CreatedBy"] = createdBy,
            ["LastAppliedBy"] = appliedBy,
            ["ApplyCount"] = 1,
        };

    // Whether the request injects a fault into its resource at this point (apply, verify, compensate).
    static bool Injected(StepRequest request, string on) => request.Faults.Any(f => f.Resource == request.Step.Name && f.On == on);

    Task SimulateLatencyAsync(CancellationToken cancellationToken) =>
        options.LatencyMs > 0 ? Task.Delay(options.LatencyMs, cancellationToken) : Task.CompletedTask;
}
