using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using UpmDurable.Providers.Azure;

namespace UpmDurable.Providers.Tests.Azure;

/// <summary>A token credential that hands out a fixed token and counts requests (no identity endpoint is contacted).</summary>
public sealed class FakeTokenCredential : TokenCredential
{
    public const string Token = "fake-arm-token-5f1c";

    public List<string[]> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.Add(requestContext.Scopes);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}

/// <summary>Real time, except that every timer fires at once: records what each wait asked for.</summary>
public sealed class RecordingTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Waits.Enqueue(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}

/// <summary>Keeps every formatted log line.</summary>
public sealed class ListLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
}

/// <summary>An azure provider wired to a <see cref="FakeArm"/>, with tiny retry delays.</summary>
public sealed class ArmHarness
{
    public const string Subscription = "00000000-0000-0000-0000-0000000000aa";

    public FakeArm Arm { get; } = new();

    public FakeTokenCredential Credential { get; } = new();

    public RecordingTimeProvider Time { get; } = new();

    public ListLogger Logger { get; } = new();

    public AzureOptions Options { get; } = new()
    {
        SubscriptionId = Subscription,
        TenantId = "11111111-2222-3333-4444-555555555555",
        MaxRetries = 3,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromSeconds(30),
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    public AzureProvider Provider => provider ??= new AzureProvider(Options, Credential, Logger, Time, new HttpClientTransport(Arm));

    AzureProvider? provider;

    /// <summary>What each pending record asked to wait before its next poll, in order (the orchestration's durable timers).</summary>
    public List<TimeSpan> PollDelays { get; } = [];

    /// <summary>Applies a step as the orchestration does: while the provider answers pending, polls it (without waiting).</summary>
    public async Task<StepRecord> ApplyAsync(StepRequest step, CancellationToken cancellationToken = default) =>
        await ToEndAsync(step, await Provider.ApplyAsync(step, cancellationToken));

    /// <summary>Applies a step from the read made for its before-image, as the apply activity does; polls like <see cref="ApplyAsync(StepRequest, CancellationToken)"/>.</summary>
    public async Task<StepRecord> ApplyAsync(StepRequest step, StepRead read, CancellationToken cancellationToken = default) =>
        await ToEndAsync(step, await Provider.ApplyAsync(step, read, cancellationToken));

    /// <summary>Compensates a step as the orchestration does: while the provider answers pending, polls it (without waiting).</summary>
    public async Task<StepRecord> CompensateAsync(StepRequest step, CancellationToken cancellationToken = default) =>
        await ToEndAsync(step, await Provider.CompensateAsync(step, cancellationToken));

    /// <summary>Restores a step from its before-image as the orchestration does: while the provider answers pending, polls it.</summary>
    public async Task<StepRecord> RestoreAsync(StepRequest step, BeforeImage image, CancellationToken cancellationToken = default) =>
        await ToEndAsync(step, await Provider.RestoreAsync(step, image, cancellationToken));

    async Task<StepRecord> ToEndAsync(StepRequest step, StepRecord record)
    {
        for (int polls = 0; record.Pending is { } operation && polls < 100; polls++)
        {
            PollDelays.Add(TimeSpan.FromSeconds(operation.PollAfterSeconds));
            record = await Provider.PollAsync(step, record, CancellationToken.None);
        }

        return record;
    }

    public static string GroupId(string group) => $"/subscriptions/{Subscription}/resourceGroups/{group}";

    public static string StorageId(string group, string name) => $"{GroupId(group)}/providers/Microsoft.Storage/storageAccounts/{name}";

    /// <summary>The plan of a change, compiled by the real compiler (catalog defaults, idempotency keys).</summary>
    public static Plan PlanOf(string resourcesJson, string needsJson = "[]")
    {
        string json = $$$"""{"request": "contract test", "tenant": "acme", "target": {"resources": {{{resourcesJson}}}}, "resources_needed": {{{needsJson}}}}""";
        return PlanCompiler.Compile(ChangeRequestValidator.Validate(JsonSerializer.Deserialize<ChangeRequest>(json, UpmJson.StrictRequest)));
    }

    public static StepRequest StepOf(Plan plan, string stepId, string changeId) => new()
    {
        Tenant = "acme",
        ChangeId = changeId,
        Provider = "azure",
        Step = plan.Steps.Single(s => s.Id == stepId),
    };
}
