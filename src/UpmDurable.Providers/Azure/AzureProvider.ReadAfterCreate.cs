using Azure.Core;
using Microsoft.Extensions.Logging;

namespace UpmDurable.Providers.Azure;

// ARM is eventually consistent: right after a create succeeded, a GET can still answer 404 from a replica that has not
// seen the write. Those reads are repeated a bounded number of times with a short, growing wait before a 404 is believed.
public sealed partial class AzureProvider
{
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
