using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Providers.Cli.Runner;

namespace UpmDurable.Providers.Cli;

/// <summary>
/// The <c>cli</c> provider: runs the plan's commands through the guarded <see cref="CommandRunner"/> (no shell, pinned
/// tools, timeouts, retries, redaction). Storage data-plane kinds act on a real account with the Azure CLI — Azurite
/// locally — given only through <c>AZURE_STORAGE_CONNECTION_STRING</c>; <c>command</c> steps run as written.
/// Ownership: a container or queue this provider creates carries the metadata entry <c>upm_change=&lt;change id&gt;</c>;
/// tables (no metadata) and command steps are recorded in the <see cref="CliLedger"/>. Compensation deletes only what
/// the same change created.
/// </summary>
public sealed partial class CliProvider : IChangeProvider, IToolPreflight, IDisposable
{
    readonly CliLedger ledger;
    readonly CommandCatalog commands;
    readonly CliOptions options;
    readonly ToolManifest manifest;
    readonly CommandRunner runner;
    readonly string? connectionString;
    readonly ChildEnvironment room;
    readonly string stateDir;
    readonly ConcurrentDictionary<string, (ToolCheck Check, DateTimeOffset At)> toolChecks = new(StringComparer.Ordinal);
    readonly SemaphoreSlim warmUp = new(1, 1);
    bool warmedUp;

    /// <summary>Acts on <see cref="CliOptions.StorageConnectionString"/> only: there is no fallback to any other account.</summary>
    public CliProvider(CliLedger ledger, CliOptions options, Action<string>? log = null, CommandCatalog? commands = null)
    {
        this.ledger = ledger;
        this.options = options;
        this.commands = commands ?? CommandCatalog.Default;
        manifest = options.ToolManifestPath is { Length: > 0 } path ? ToolManifest.LoadFile(path) : CliOptions.DefaultManifest;
        connectionString = options.StorageConnectionString is { Length: > 0 } own ? own : null;

        // HOME and the Azure CLI's config folder are ours, not the host user's: nothing the host's tools or logins left
        // there reaches a command. The config folder lives as long as the provider so az keeps its command index.
        stateDir = Directory.CreateTempSubdirectory("upm-cli-").FullName;
        string home = Directory.CreateDirectory(Path.Combine(stateDir, "home")).FullName;
        string configDir = options.AzureConfigDir is { Length: > 0 } dir ? Directory.CreateDirectory(dir).FullName : Directory.CreateDirectory(Path.Combine(stateDir, "az")).FullName;
        room = new ChildEnvironment { Home = home, AzureConfigDir = configDir };
        runner = new CommandRunner(manifest, new CommandRunnerOptions
        {
            DefaultTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            SecretValues = connectionString is null ? [] : [connectionString],
            ChildEnvironment = room,
            Log = log,
        });
    }

    public string Name => "cli";

    /// <summary>The clean room every command of this provider runs in: fixed PATH, the provider's private HOME and Azure CLI config folder.</summary>
    public ChildEnvironment Room => room;

    /// <summary>The credentials every command gets on top of the clean room: the target account only.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        connectionString is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal) { ["AZURE_STORAGE_CONNECTION_STRING"] = connectionString };

    public async Task<ResourceState?> ReadAsync(string tenant, string type, string name, CancellationToken cancellationToken)
    {
        if (type == Command.Type)
        {
            CliLedgerEntry? entry = await ledger.GetAsync(tenant, type, name, cancellationToken);
            if (entry is null)
            {
                return null;
            }

            bool healthy = true;
            if (entry.ReadBack is { Length: > 0 } readBack)
            {
                // A stored read-back re-runs on every drift check: it is held to today's command-step catalog each time,
                // and one that no longer passes reads as unhealthy without running.
                healthy = CommandStepRefusal(readBack) is null && (await RunAsync(readBack, null, RetryPolicy.None, cancellationToken)).Succeeded;
            }

            return new ResourceState { Type = type, Name = name, Health = healthy ? "healthy" : "unhealthy", CreatedBy = entry.CreatedByFor(tenant), ApplyCount = entry.ApplyCount };
        }

        ResourceKind? kind = StorageKind(type);
        if (kind is null)
        {
            return null; // not something this target holds
        }

        return await StateOfAsync(tenant, type, name, await ReadStorageAsync(kind, new ResourceSpec { Type = type, Name = name }, cancellationToken), cancellationToken);
    }

    /// <summary>A storage step's read keeps the read-back for the apply (its result is the record of an unchanged step); a command step reads its ledger entry.</summary>
    public async Task<StepRead> ReadForApplyAsync(StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        if (StorageKind(step.Type) is not { } kind)
        {
            return StepRead.Of(await ReadAsync(request.Tenant, step.Type, step.Name, cancellationToken));
        }

        StorageReadBack? current = await ReadStorageAsync(kind, step.Resource, cancellationToken);
        return StepRead.WithDetail(await StateOfAsync(request.Tenant, step.Type, step.Name, current, cancellationToken), new StorageReadForApply(current));
    }

    /// <summary>A storage step starts from the read made for it (no second <c>az</c> read); anything else applies as usual.</summary>
    public Task<StepRecord> ApplyAsync(StepRequest request, StepRead read, CancellationToken cancellationToken) =>
        read.Detail is StorageReadForApply storage && StorageKind(request.Step.Type) is { } kind
            ? ApplyStorageAsync(request, kind, storage.Current, cancellationToken)
            : ApplyAsync(request, cancellationToken);

    /// <summary>The storage data plane has no quotas to run out of.</summary>
    public Task<int> QuotaAvailableAsync(string tenant, string quota, string location, CancellationToken cancellationToken) =>
        Task.FromResult(int.MaxValue);

    public Task<StepRecord> ApplyAsync(StepRequest request, CancellationToken cancellationToken) =>
        request.Step.Type == Command.Type ? ApplyCommandAsync(request, cancellationToken) : ApplyStorageAsync(request, cancellationToken);

    public Task<StepRecord> CompensateAsync(StepRequest request, CancellationToken cancellationToken) =>
        request.Step.Type == Command.Type ? CompensateCommandAsync(request, cancellationToken) : CompensateStorageAsync(request, cancellationToken);

    public async Task<IReadOnlyList<PreflightCheck>> CheckToolsAsync(IReadOnlyList<PlanStep> steps, CancellationToken cancellationToken)
    {
        var checks = new List<PreflightCheck>();
        var tools = new SortedSet<string>(StringComparer.Ordinal);
        foreach (PlanStep step in steps)
        {
            foreach (string? line in step.Type == Command.Type ? new[] { step.Command, step.ReadBack, step.Rollback } : [step.Command])
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    try
                    {
                        tools.Add(CommandLineParser.Parse(line).Segments[0].Program);
                    }
                    catch (CommandRefusedException)
                    {
                        // Refused when the plan was compiled; the runner refuses it again.
                    }
                }
            }
        }

        foreach (string tool in tools)
        {
            ToolCheck check = await CheckToolAsync(tool, cancellationToken);
            checks.Add(new PreflightCheck("tool_version", tool, check.Ok, check.Ok ? check.Message : $"Missing prerequisite: {check.Message}."));
        }

        if (steps.Any(s => StorageKind(s.Type) is not null) && connectionString is null)
        {
            checks.Add(new PreflightCheck("cli_target", "storage", false,
                "Missing prerequisite: the cli provider has no storage account: set Upm:Cli:StorageConnectionString to an account other than the service's own."));
        }

        return checks;
    }

    public void Dispose()
    {
        warmUp.Dispose();
        try
        {
            Directory.Delete(stateDir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a private temp folder.
        }
    }

    async Task<ToolCheck> CheckToolAsync(string tool, CancellationToken cancellationToken)
    {
        if (toolChecks.TryGetValue(tool, out var cached) && DateTimeOffset.UtcNow - cached.At < TimeSpan.FromSeconds(options.ToolCheckCacheSeconds))
        {
            return cached.Check;
        }

        ToolCheck check = await manifest.CheckAsync(tool, room, Environment, cancellationToken);
        if (check.Ok)
        {
            toolChecks[tool] = (check, DateTimeOffset.UtcNow);
        }

        return check;
    }

    async Task<StepRecord> ApplyStorageAsync(StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        ResourceKind kind = StorageKind(step.Type) ?? throw new StepFailedException(step.Id, 2, $"the cli provider does not run '{step.Type}'");
        return await ApplyStorageAsync(request, kind, await ReadStorageAsync(kind, step.Resource, cancellationToken), cancellationToken);
    }

    // Applies a storage step from the resource as just read (current: null when it does not exist).
    async Task<StepRecord> ApplyStorageAsync(StepRequest request, ResourceKind kind, StorageReadBack? current, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        DateTimeOffset started = DateTimeOffset.UtcNow;
        SortedDictionary<string, string> intended = ResourceFields.Of(step.Resource);
        if (Ensures.IsAbsent(step.Resource))
        {
            return await DeleteStorageAsync(request, kind, current, started, cancellationToken);
        }

        if (current is null)
        {
            if (step.Type == AzStorageTable.Type)
            {
                // Recorded before the create: a retry after a crash still knows this change made the table.
                await ledger.ClaimAsync(request.Tenant, step.Type, step.Name, request.ChangeId, request.ExecutionKey, cancellationToken);
            }

            CommandResult created = await RunCheckedAsync(step, kind.Create(WithOwner(step.Resource, request.ChangeId)), cancellationToken);
            if (!OutputSays(created, "created", false))
            {
                return created.ToStepRecord(step.Id, step.Wave, "created", started, DateTimeOffset.UtcNow);
            }

            // Someone created it between our read and our create: treat it as an existing resource.
            current = await ReadStorageAsync(kind, step.Resource, cancellationToken)
                ?? throw new InvalidOperationException($"{step.Id}: create answered 'exists' but read-back finds nothing; retry.");
        }

        if (Same(current.Fields, intended))
        {
            return current.Result.ToStepRecord(step.Id, step.Wave, "unchanged", started, DateTimeOffset.UtcNow);
        }

        if (kind.Update is null)
        {
            throw new StepFailedException(step.Id, 2, $"{step.Id} exists with other properties and {step.Type} cannot be updated");
        }

        // Metadata update replaces all metadata: keep the owner marker of whoever created it.
        ResourceSpec desired = current.Owner is { } owner ? WithOwner(step.Resource, owner) : step.Resource;
        CommandResult updated = await RunCheckedAsync(step, kind.Update(desired), cancellationToken);
        return updated.ToStepRecord(step.Id, step.Wave, "updated", started, DateTimeOffset.UtcNow);
    }

    async Task<StepRecord> CompensateStorageAsync(StepRequest request, CancellationToken cancellationToken)
    {
        PlanStep step = request.Step;
        ResourceKind kind = StorageKind(step.Type) ?? throw new StepFailedException(step.Id, 2, $"the cli provider does not run '{step.Type}'");
        DateTimeOffset started = DateTimeOffset.UtcNow;
        StorageReadBack? current = await ReadStorageAsync(kind, step.Resource, cancellationToken);
        string? owner = current?.Owner;
        CliLedgerEntry? entry = null;
        if (step.Type == AzStorageTable.Type)
        {
            entry = await ledger.GetAsync(request.Tenant, step.Type, step.Name, cancellationToken);
            owner = entry?.CreatedBy;
        }

        if (current is null)
        {
            if (entry is not null && entry.CreatedBy == request.ChangeId)
            {
                await ledger.DeleteAsync(request.Tenant, step.Type, step.Name, cancellationToken);
            }

            return Note(step, started, step.ReadBack, "absent", $"{step.Id} does not exist; nothing to undo");
        }

        if (owner != request.ChangeId)
        {
            // The owner mark holds a change id but no tenant, and the target is shared: never name the other change.
            string by = owner is null ? "no owner mark" : entry is not null && entry.CreatedByFor(request.Tenant) is null ? "created by " + Storage.ResourceOwner.AnotherTenant : "created by another change";
            return Note(step, started, step.ReadBack, "kept", $"{step.Id} was not created by this change ({by}); left in place");
        }

        CommandResult deleted = await RunCheckedAsync(step, step.Rollback, cancellationToken);
        if (entry is not null)
        {
            await ledger.DeleteAsync(request.Tenant, step.Type, step.Name, cancellationToken);
        }

        return deleted.ToStepRecord(step.Id, step.Wave, "deleted", started, DateTimeOffset.UtcNow);
    }

    // The resource state of a storage read-back: a container's or queue's owner is its owner mark; a table's is the
    // ledger's entry, named only to the tenant that made it.
    async Task<ResourceState?> StateOfAsync(string tenant, string type, string name, StorageReadBack? read, CancellationToken cancellationToken)
    {
        if (read is null)
        {
            return null;
        }

        string? createdBy = read.Owner;
        if (type == AzStorageTable.Type)
        {
            createdBy = (await ledger.GetAsync(tenant, type, name, cancellationToken))?.CreatedByFor(tenant);
        }

        return new ResourceState { Type = type, Name = name, Fields = read.Fields, Health = "healthy", CreatedBy = createdBy };
    }

    /// <summary>Runs a read-back: null when the target says the resource does not exist.</summary>
    async Task<StorageReadBack?> ReadStorageAsync(ResourceKind kind, ResourceSpec resource, CancellationToken cancellationToken)
    {
        CommandResult result = await RunAsync(kind.ReadBack(resource), null, null, cancellationToken);
        if (!result.Succeeded)
        {
            if (NotFound().IsMatch(result.Stderr))
            {
                return null;
            }

            throw new InvalidOperationException($"read-back of {kind.Type}/{resource.Name} failed (rc {result.Rc}): {Tail(result.Stderr)}");
        }

        return StorageReadBack.Parse(kind.Type, result);
    }

    /// <summary>Runs a mutating command; a non-zero exit is a refused step (not retried by the orchestrator: the runner already retried what was retryable).</summary>
    async Task<CommandResult> RunCheckedAsync(PlanStep step, string commandLine, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        CommandResult result;
        try
        {
            result = await RunAsync(commandLine, timeout, null, cancellationToken);
        }
        catch (CommandRefusedException ex)
        {
            throw new StepFailedException(step.Id, 2, $"refused ({ex.Reason}): {ex.Message}");
        }

        if (!result.Succeeded)
        {
            throw new StepFailedException(step.Id, result.Rc, $"{result.Cmd}: {Tail(result.Stderr)}");
        }

        return result;
    }

    async Task<CommandResult> RunAsync(string commandLine, TimeSpan? timeout, RetryPolicy? retry, CancellationToken cancellationToken)
    {
        await WarmUpAsync(cancellationToken);
        return await runner.RunAsync(new CommandRequest(commandLine) { Environment = Environment, Timeout = timeout, Retry = retry }, cancellationToken);
    }

    // The first az run in a fresh config folder builds its command index; concurrent first runs would race writing it.
    // A folder starts from the index an earlier provider of this process built (AzCommandIndexSeed), else warms up here.
    async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        if (warmedUp)
        {
            return;
        }

        await warmUp.WaitAsync(cancellationToken);
        try
        {
            if (!warmedUp && manifest.TryResolve(KindText.Az, out ToolSpec az) && !AzCommandIndexSeed.TrySeed(az.Path, room.AzureConfigDir!))
            {
                CommandResult version = await runner.RunAsync(new CommandRequest("az version --output json") { Environment = Environment, Retry = RetryPolicy.None }, cancellationToken);
                if (version.Succeeded)
                {
                    AzCommandIndexSeed.Keep(az.Path, room.AzureConfigDir!);
                }
            }

            warmedUp = true;
        }
        finally
        {
            warmUp.Release();
        }
    }

    static ResourceKind? StorageKind(string type) =>
        type is AzStorageContainer.Type or AzStorageTable.Type or AzStorageQueue.Type ? ResourceCatalog.Find(type) : null;

    static ResourceSpec WithOwner(ResourceSpec resource, string owner)
    {
        if (resource.Type == AzStorageTable.Type)
        {
            return resource;
        }

        var properties = new Dictionary<string, JsonElement>(resource.Properties ?? [], StringComparer.Ordinal)
        {
            [StorageDataPlane.OwnerKey] = JsonSerializer.SerializeToElement(owner),
        };
        return resource with { Properties = properties };
    }

    static bool Same(Dictionary<string, string> actual, SortedDictionary<string, string> intended) =>
        actual.Count == intended.Count && intended.All(kv => actual.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    static bool OutputSays(CommandResult result, string field, bool value)
    {
        try
        {
            using var doc = JsonDocument.Parse(result.Stdout);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(field, out JsonElement e)
                && e.ValueKind is JsonValueKind.True or JsonValueKind.False && e.GetBoolean() == value;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static StepRecord Note(PlanStep step, DateTimeOffset started, string cmd, string outcome, string message) =>
        StepRecords.Done(step, started, cmd, outcome, message);

    static string Tail(string text)
    {
        string t = text.Trim();
        return t.Length <= 600 ? t : "..." + t[^600..];
    }

    [GeneratedRegex(@"ContainerNotFound|QueueNotFound|TableNotFound|ResourceNotFound|does not exist", RegexOptions.CultureInvariant)]
    private static partial Regex NotFound();
}
