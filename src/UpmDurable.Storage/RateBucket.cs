using System.Text.Json;
using Azure.Data.Tables;

namespace UpmDurable.Storage;

/// <summary>
/// The state of one (provider, target) limiter, as one table row holds it, and the rules that change it: a token bucket
/// (refilled continuously at <see cref="RateLimit.PerMinute"/> per minute, holding at most one minute's worth), the leases
/// of the in-flight slots, and the line of waiters. Pure: the caller reads the row, decides here and writes the row back
/// conditionally on its ETag, so two hosts never both spend the last token or slot.
/// </summary>
public sealed class RateBucket
{
    /// <summary>A waiter that has not asked again for this long is gone (its change ended): it loses its place.</summary>
    public static readonly TimeSpan WaiterTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The shortest wait before asking again (durable timers on Azure Storage have whole-second resolution).</summary>
    public static readonly TimeSpan MinRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before asking again: well inside <see cref="WaiterTimeout"/>, so a waiter keeps its place.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>How soon a waiter for an in-flight slot asks again (a slot frees when another step ends, which nobody can predict).</summary>
    public static readonly TimeSpan SlotPoll = TimeSpan.FromSeconds(2);

    /// <summary>Most waiters kept in line (the row's size); past it a newcomer is told to ask again without a place.</summary>
    public const int MaxWaiters = 300;

    /// <summary>Tokens left, as of <see cref="RefilledAtMs"/>.</summary>
    public double Tokens { get; private set; }

    /// <summary>When <see cref="Tokens"/> was last brought up to date (unix milliseconds).</summary>
    public long RefilledAtMs { get; private set; }

    /// <summary>The next place in line.</summary>
    public long NextTicket { get; private set; }

    /// <summary>In-flight slots: holder key → lease expiry (unix milliseconds).</summary>
    public Dictionary<string, long> Leases { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Holders waiting, by holder key.</summary>
    public Dictionary<string, RateWaiter> Waiters { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>A limiter nobody used yet: the bucket is full.</summary>
    public static RateBucket New(RateLimit limit, DateTimeOffset now) => new() { Tokens = limit.PerMinute, RefilledAtMs = now.ToUnixTimeMilliseconds() };

    /// <summary>
    /// Answers one permit request at <paramref name="now"/>. Capacity (whole tokens and free slots) goes to waiters in the
    /// order they first asked: a holder is granted when fewer waiters are ahead of it than there is capacity, so a newcomer
    /// never overtakes a waiter and every waiter's place only moves forward. A holder that has a slot already is granted
    /// again without spending anything (a retried activity). <paramref name="changed"/> says whether the row must be written.
    /// </summary>
    public RatePermit Acquire(string holder, RateLimit limit, DateTimeOffset now, out bool changed)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        Refresh(limit, nowMs);
        changed = false;
        if (Leases.ContainsKey(holder))
        {
            return RatePermit.Grant;
        }

        RateWaiter? mine = Waiters.GetValueOrDefault(holder);
        int ahead = Waiters.Count(w => w.Key != holder && (mine is null || w.Value.Ticket < mine.Ticket));
        int slots = limit.InFlight > 0 ? limit.InFlight - Leases.Count : int.MaxValue;
        int tokens = limit.PerMinute > 0 ? (int)Math.Floor(Tokens + 1e-9) : int.MaxValue;
        changed = true;
        if (ahead < Math.Min(slots, tokens))
        {
            if (limit.PerMinute > 0)
            {
                Tokens -= 1;
            }

            if (limit.InFlight > 0)
            {
                Leases[holder] = nowMs + (long)TimeSpan.FromMinutes(Math.Max(1, limit.LeaseMinutes)).TotalMilliseconds;
            }

            Waiters.Remove(holder);
            return RatePermit.Grant;
        }

        if (mine is null && Waiters.Count < MaxWaiters)
        {
            Waiters[holder] = new RateWaiter(NextTicket++, nowMs);
        }
        else if (mine is not null && nowMs - mine.LastSeen > (long)(WaiterTimeout / 4).TotalMilliseconds)
        {
            Waiters[holder] = mine with { LastSeen = nowMs };
        }
        else
        {
            changed = false; // Asked again in line: nothing to write, the answer is computed from the row as it is.
        }

        // Tokens come at a known pace: ask again when enough for this place arrived. Slots free when steps end: poll.
        TimeSpan tokenWait = tokens <= ahead ? TimeSpan.FromSeconds((ahead + 1 - Tokens) * 60.0 / limit.PerMinute) : TimeSpan.Zero;
        TimeSpan slotWait = slots <= ahead ? SlotPoll : TimeSpan.Zero;
        TimeSpan wait = tokenWait > slotWait ? tokenWait : slotWait;
        wait = wait < MinRetryAfter ? MinRetryAfter : wait > MaxRetryAfter ? MaxRetryAfter : wait;
        return new RatePermit(false, (int)Math.Ceiling(wait.TotalMilliseconds), ahead);
    }

    /// <summary>Gives back the holder's slot (and its place in line); false when it held neither (released already, or expired).</summary>
    public bool Release(string holder) => Leases.Remove(holder) | Waiters.Remove(holder);

    // Refills the bucket up to now and forgets expired leases and gone waiters. Another host's clock may be behind: time never runs back.
    void Refresh(RateLimit limit, long nowMs)
    {
        if (nowMs > RefilledAtMs)
        {
            Tokens += (nowMs - RefilledAtMs) / 60_000.0 * limit.PerMinute;
            RefilledAtMs = nowMs;
        }

        Tokens = Math.Min(Tokens, limit.PerMinute);
        foreach (string expired in Leases.Where(l => l.Value <= nowMs).Select(l => l.Key).ToList())
        {
            Leases.Remove(expired);
        }

        long waiterTimeoutMs = (long)WaiterTimeout.TotalMilliseconds;
        foreach (string gone in Waiters.Where(w => nowMs - w.Value.LastSeen > waiterTimeoutMs).Select(w => w.Key).ToList())
        {
            Waiters.Remove(gone);
        }
    }

    /// <summary>The bucket a row holds.</summary>
    public static RateBucket From(TableEntity row) => new()
    {
        Tokens = row.GetDouble(nameof(Tokens)) ?? 0,
        RefilledAtMs = row.GetInt64(nameof(RefilledAtMs)) ?? 0,
        NextTicket = row.GetInt64(nameof(NextTicket)) ?? 0,
        Leases = Read<Dictionary<string, long>>(row.GetString(nameof(Leases))) ?? new(StringComparer.Ordinal),
        Waiters = Read<Dictionary<string, RateWaiter>>(row.GetString(nameof(Waiters))) ?? new(StringComparer.Ordinal),
    };

    /// <summary>Writes the bucket into a row (keeping the row's keys and ETag).</summary>
    public TableEntity WriteTo(TableEntity row)
    {
        row[nameof(Tokens)] = Tokens;
        row[nameof(RefilledAtMs)] = RefilledAtMs;
        row[nameof(NextTicket)] = NextTicket;
        row[nameof(Leases)] = JsonSerializer.Serialize(Leases);
        row[nameof(Waiters)] = JsonSerializer.Serialize(Waiters);
        return row;
    }

    static T? Read<T>(string? json) => string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json);
}
