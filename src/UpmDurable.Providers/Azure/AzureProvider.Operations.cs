using System.Text.Json;
using Azure;
using Azure.Core;
using Microsoft.Extensions.Logging;
using UpmDurable.Core.Model;

namespace UpmDurable.Providers.Azure;

// Long-running ARM operations: apply and compensate start them and answer pending; the orchestration waits on durable
// timers and calls PollAsync, one status read per activity, so no activity waits for ARM longer than one request.
public sealed partial class AzureProvider
{
    /// <summary>States of an ARM operation or resource after which nothing more happens.</summary>
    static readonly string[] Terminal = ["Succeeded", "Failed", "Canceled"];

    public async Task<StepRecord> PollAsync(StepRequest request, StepRecord pending, CancellationToken cancellationToken)
    {
        PendingOperation operation = pending.Pending ?? throw new ArgumentException($"{request.Step.Id}: the record to poll is not pending.", nameof(pending));
        PlanStep step = request.Step;
        ArmResourceKind kind = KindOf(step.Id, step.Type);
        var id = new ResourceIdentifier(operation.ResourceId);
        Uri status = OnArmEndpoint(operation.StatusUrl)
            ?? throw new StepFailedException(step.Id, 2, $"refused to poll {operation.Method} {id}: its status URL is not on the ARM endpoint {options.Endpoint.Authority}");
        try
        {
            using HttpMessage message = pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(status);
            await pipeline.SendAsync(message, cancellationToken);
            Response response = message.Response;
            bool deleted = operation.Method == "DELETE" && response.Status == 404;
            if (response.IsError && !(deleted && operation.Kind != PendingOperationKinds.AsyncOperation))
            {
                throw new RequestFailedException(response);
            }

            // Location: 202 while running, any other success when done. The others say it in their body.
            (string state, ArmError? error) = operation.Kind switch
            {
                _ when deleted => ("Succeeded", null),
                PendingOperationKinds.Location => (response.Status == 202 ? "InProgress" : "Succeeded", null),
                PendingOperationKinds.AsyncOperation => await ReadStatusAsync(response, "status", cancellationToken),
                _ => await ReadStatusAsync(response, "provisioningState", cancellationToken),
            };

            if (state.Equals("Succeeded", StringComparison.OrdinalIgnoreCase))
            {
                return await FinishAsync(step, kind, id, pending, operation, cancellationToken);
            }

            if (Terminal.Contains(state, StringComparer.OrdinalIgnoreCase))
            {
                string reason = error is null ? string.Empty : $": {error.Code}: {error.Message}";
                LogOperationEnded(logger, step.Id, operation.Method, id.ToString(), state, error?.Code);
                throw new StepFailedException(step.Id, 1, $"ARM {operation.Method} {id} ended {state}{reason}");
            }

            return pending with { Pending = operation with { Status = state, PollAfterSeconds = Seconds(PollDelay(response)) } };
        }
        catch (Exception ex) when (Permanent(ex))
        {
            throw Refused(step.Id, operation.Method, id, ex);
        }
    }

    async Task<StepRecord> FinishAsync(PlanStep step, ArmResourceKind kind, ResourceIdentifier id, StepRecord pending, PendingOperation operation, CancellationToken cancellationToken)
    {
        if (operation.Method == "DELETE")
        {
            return Record(step, pending.StartedAt, pending.Cmd, operation.Outcome, $"{step.Id} deleted");
        }

        // ARM's final state of a PUT is the resource itself (the status URL only says the operation succeeded); its reads
        // may not show the new resource yet.
        ArmSnapshot applied = await ReadAfterCreateAsync(kind, id, cancellationToken)
            ?? throw new StepFailedException(step.Id, 1, $"ARM {operation.Method} {id} succeeded but GET {id} answered 404 on {ReadAfterCreateAttempts} reads over {ReadAfterCreateWait.TotalSeconds:0.#} s ({AzureOptions.Section}:ReadAfterCreateAttempts); ARM never showed the resource");
        return Applied(step, pending.StartedAt, pending.Cmd, operation.Outcome, applied);
    }

    /// <summary>The pending operation ARM's first answer describes: its status URL, how to read it, and when to ask.</summary>
    PendingOperation Started(Operation operation, string method, ArmResourceKind kind, ResourceIdentifier id, string outcome)
    {
        Response response = operation.GetRawResponse();
        string? asyncOperation = response.Headers.TryGetValue("Azure-AsyncOperation", out string? a) ? a : null;
        string? location = response.Headers.TryGetValue("Location", out string? l) ? l : null;

        // A status URL off the ARM endpoint would be sent the bearer token: never followed; the resource is polled instead.
        (string url, string how) = OnArmEndpoint(asyncOperation) is { } byStatus ? (byStatus.AbsoluteUri, PendingOperationKinds.AsyncOperation)
            : OnArmEndpoint(location) is { } byLocation ? (byLocation.AbsoluteUri, PendingOperationKinds.Location)
            : (ResourceUrl(kind, id), PendingOperationKinds.Resource);
        PendingOperation pending = new()
        {
            StatusUrl = url,
            Kind = how,
            Method = method,
            ResourceId = id.ToString(),
            Outcome = outcome,
            Status = response.Status == 202 ? "Accepted" : "InProgress",
            PollAfterSeconds = Seconds(PollDelay(response)),
            WaitLimitSeconds = Seconds(options.OperationTimeout),
        };
        LogPending(logger, id.ToString(), method, how, pending.PollAfterSeconds);
        return pending;
    }

    /// <summary>An operation known only by its resource (its first answer was lost): polled through the resource's state.</summary>
    PendingOperation ResourcePoll(string method, ArmResourceKind kind, ResourceIdentifier id, string outcome, string? state) => new()
    {
        StatusUrl = ResourceUrl(kind, id),
        Kind = PendingOperationKinds.Resource,
        Method = method,
        ResourceId = id.ToString(),
        Outcome = outcome,
        Status = state,
        PollAfterSeconds = Seconds(options.PollInterval),
        WaitLimitSeconds = Seconds(options.OperationTimeout),
    };

    string ResourceUrl(ArmResourceKind kind, ResourceIdentifier id) =>
        new Uri(options.Endpoint, $"{id}?api-version={ArmResourceMap.ApiVersion(kind, options)}").AbsoluteUri;

    /// <summary>The URL when it is on the configured ARM endpoint (scheme, host and port), without user info; otherwise null.</summary>
    Uri? OnArmEndpoint(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
        && uri.Scheme == options.Endpoint.Scheme
        && string.Equals(uri.Authority, options.Endpoint.Authority, StringComparison.OrdinalIgnoreCase)
        && uri.UserInfo.Length == 0
            ? uri
            : null;

    static bool Running(string? provisioningState) =>
        provisioningState is not null && !Terminal.Contains(provisioningState, StringComparer.OrdinalIgnoreCase);

    static async Task<(string State, ArmError? Error)> ReadStatusAsync(Response response, string property, CancellationToken cancellationToken)
    {
        if (response.ContentStream is null)
        {
            return ("InProgress", null);
        }

        using JsonDocument body = await JsonDocument.ParseAsync(response.ContentStream, cancellationToken: cancellationToken);
        JsonElement root = body.RootElement;
        JsonElement holder = property == "provisioningState" && root.TryGetProperty("properties", out JsonElement properties) ? properties : root;
        string state = holder.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "InProgress";
        ArmError? error = root.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.Object
            ? new ArmError(Text(e, "code"), Text(e, "message"))
            : null;
        return (state, error);
    }

    static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    static int Seconds(TimeSpan span) => (int)Math.Ceiling(Math.Max(0, span.TotalSeconds));

    static StepRecord PendingRecord(PlanStep step, DateTimeOffset started, string command, PendingOperation operation) =>
        StepRecords.Done(step, started, command, "pending", $"{step.Id}: {operation.Method} accepted by ARM, running ({operation.Status})") with { Pending = operation };

    static StepRecord Applied(PlanStep step, DateTimeOffset started, string command, string outcome, ArmSnapshot applied) =>
        Record(step, started, command, outcome, JsonSerializer.Serialize(new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["id"] = applied.Id.ToString(),
            ["provisioningState"] = applied.ProvisioningState,
        }));

    /// <summary>ARM's error object (<c>{"code", "message"}</c>) of a failed operation.</summary>
    sealed record ArmError(string Code, string Message);

    [LoggerMessage(Level = LogLevel.Information, Message = "azure: {Method} {ResourceId} is running at ARM; polled by the orchestration via {Kind} in {PollAfterSeconds} s")]
    static partial void LogPending(ILogger logger, string resourceId, string method, string kind, int pollAfterSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "azure: step {StepId}: ARM {Method} {ResourceId} ended {State} ({ErrorCode})")]
    static partial void LogOperationEnded(ILogger logger, string stepId, string method, string resourceId, string state, string? errorCode);
}
