using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace UpmDurable.Providers.Azure;

/// <summary>
/// Retries what Azure.Core classifies as retriable (408, 429, 5xx, lost connections) with Azure.Core's exponential
/// <see cref="DelayStrategy"/>, which honours ARM's <c>Retry-After</c> (the longer of it and the backoff), capped by
/// <see cref="AzureOptions.MaxRetryDelay"/>. It waits on a <see cref="TimeProvider"/> (Azure.Core's own policy waits
/// on a timer nobody can observe), so each wait is logged and tests need not sleep.
/// </summary>
public sealed partial class ArmRetryPolicy(AzureOptions options, TimeProvider time, ILogger logger) : HttpPipelinePolicy
{
    readonly DelayStrategy backoff = DelayStrategy.CreateExponentialDelayStrategy(options.RetryDelay, options.MaxRetryDelay);

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessAsync(message, pipeline, true);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessAsync(message, pipeline, false).AsTask().GetAwaiter().GetResult();

    async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        while (true)
        {
            Exception? failure = null;
            try
            {
                if (async)
                {
                    await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                }
                else
                {
                    ProcessNext(message, pipeline);
                }
            }
            catch (Exception ex) when (message.ProcessingContext.RetryNumber < options.MaxRetries && message.ResponseClassifier.IsRetriable(message, ex))
            {
                failure = ex;
            }

            if (failure is null && !(message.HasResponse && message.Response.IsError && message.ProcessingContext.RetryNumber < options.MaxRetries && message.ResponseClassifier.IsRetriableResponse(message)))
            {
                return;
            }

            global::Azure.Response? response = failure is null ? message.Response : null;
            TimeSpan delay = backoff.GetNextDelay(response, message.ProcessingContext.RetryNumber + 1);
            if (delay > options.MaxRetryDelay)
            {
                delay = options.MaxRetryDelay;
            }

            LogRetry(logger, response?.Status ?? 0, failure?.GetType().Name, message.Request.Method.ToString(), message.Request.Uri.Path, message.ProcessingContext.RetryNumber + 1, (long)delay.TotalMilliseconds, response is not null && response.Headers.TryGetValue("Retry-After", out string? asked) ? asked : null);
            response?.ContentStream?.Dispose();
            if (async)
            {
                await Task.Delay(delay, time, message.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                Task.Delay(delay, time, message.CancellationToken).GetAwaiter().GetResult();
            }

            MessageProcessingContext context = message.ProcessingContext;
            context.RetryNumber++;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ARM answered {Status} {Failure} to {Method} {Path}; retry {Retry} in {DelayMs} ms (Retry-After: {RetryAfter})")]
    static partial void LogRetry(ILogger logger, int status, string? failure, string method, string path, int retry, long delayMs, string? retryAfter);
}
