using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace UpmDurable.Storage;

/// <summary>
/// Per-(provider, target) rate limits of mutating operations, kept in one table row per limiter (<see cref="RateBucket"/>):
/// partition = provider, row = target. Every write is conditional on the row's ETag, so concurrent requesters on any number
/// of hosts never over-grant: a request that lost the race reads the row again and decides again.
/// Holders are stored only as hashes: a shared target's row never carries another tenant's change ids.
/// </summary>
public sealed class RateLimiter(StorageClients clients, TimeProvider clock)
{
    /// <summary>Read-decide-write rounds one request tries before it answers "ask again in a second".</summary>
    public const int MaxRounds = 30;

    /// <summary>Asks for a permit for <paramref name="holder"/> (one step of one change); idempotent per holder.</summary>
    public async Task<RatePermit> AcquireAsync(string provider, string target, string holder, RateLimit limit, CancellationToken cancellationToken = default)
    {
        if (!limit.IsOn)
        {
            return RatePermit.Grant;
        }

        string key = HolderKey(holder);
        for (int round = 0; round < MaxRounds; round++)
        {
            NullableResponse<TableEntity> row = await clients.RateLimitTable.GetEntityIfExistsAsync<TableEntity>(PartitionOf(provider), RowOf(target), cancellationToken: cancellationToken);
            DateTimeOffset now = clock.GetUtcNow();
            RateBucket bucket = row.HasValue ? RateBucket.From(row.Value!) : RateBucket.New(limit, now);
            RatePermit permit = bucket.Acquire(key, limit, now, out bool changed);
            if (!changed || await TryWriteAsync(row, provider, target, bucket, cancellationToken))
            {
                return permit;
            }

            await Task.Delay(Random.Shared.Next(5, 25), cancellationToken);
        }

        return new RatePermit(false, (int)RateBucket.MinRetryAfter.TotalMilliseconds, -1);
    }

    /// <summary>Gives the holder's in-flight slot back (and its place in line); safe to call again, and for a holder that has none.</summary>
    public async Task ReleaseAsync(string provider, string target, string holder, CancellationToken cancellationToken = default)
    {
        string key = HolderKey(holder);
        for (int round = 0; round < MaxRounds; round++)
        {
            NullableResponse<TableEntity> row = await clients.RateLimitTable.GetEntityIfExistsAsync<TableEntity>(PartitionOf(provider), RowOf(target), cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return;
            }

            RateBucket bucket = RateBucket.From(row.Value!);
            if (!bucket.Release(key) || await TryWriteAsync(row, provider, target, bucket, cancellationToken))
            {
                return;
            }

            await Task.Delay(Random.Shared.Next(5, 25), cancellationToken);
        }

        throw new RequestFailedException(412, $"rate limiter row {provider}/{target} kept changing: the slot was not given back (its lease ends it)");
    }

    // False when another requester wrote the row (or created it) since it was read.
    async Task<bool> TryWriteAsync(NullableResponse<TableEntity> row, string provider, string target, RateBucket bucket, CancellationToken cancellationToken)
    {
        try
        {
            if (row.HasValue)
            {
                await clients.RateLimitTable.UpdateEntityAsync(bucket.WriteTo(row.Value!), row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await clients.RateLimitTable.AddEntityAsync(bucket.WriteTo(new TableEntity(PartitionOf(provider), RowOf(target))), cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>The row key of a target: as named when it is plain (a subscription id, an account, a tenant), else a hash of it.</summary>
    public static string RowOf(string target) => IsPlain(target) ? target : "h-" + Hash(target);

    static string PartitionOf(string provider) => IsPlain(provider) ? provider : "h-" + Hash(provider);

    static string HolderKey(string holder) => Hash(holder)[..24];

    // Allow-list: characters a table key may hold and a reader can recognise.
    static bool IsPlain(string name) => name.Length is > 0 and <= 200 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
