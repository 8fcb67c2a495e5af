using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Storage.Tests;

/// <summary>
/// The per-(provider, target) rate limiter on real table storage (Azurite), with a hand-moved clock: the per-minute
/// bound, the in-flight bound, a crashed holder's slot freed by its lease, conditional writes that never over-grant under
/// concurrency, and first-come-first-served waiters, so two changes competing for one target both make progress.
/// </summary>
public sealed class RateLimiterTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    readonly ManualClock clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    // Each test its own target: one shared table, rows never shared between tests.
    readonly string target = "sub-" + Guid.NewGuid().ToString("N")[..12];

    RateLimiter Limiter => new(fixture.Azurite.Clients(), clock);

    Task<RatePermit> AskAsync(string holder, RateLimit limit) => Limiter.AcquireAsync("azure", target, holder, limit);

    async Task EnsureTableAsync() => await fixture.Azurite.Clients().RateLimitTable.CreateIfNotExistsAsync();

    [Fact]
    public async Task No_more_than_per_minute_permits_start_in_any_stretch_of_time_and_waiters_are_told_when_to_ask_again()
    {
        await EnsureTableAsync();
        var limit = new RateLimit { PerMinute = 6 };
        var waiting = Enumerable.Range(0, 12).Select(i => $"chg-1/s{i}/ApplyStep").ToList();
        int granted = 0;
        RatePermit? firstDenial = null;

        // Two and a half minutes, every 5 seconds each holder not yet granted asks again.
        for (int second = 0; second <= 150; second += 5)
        {
            foreach (string holder in waiting.ToList())
            {
                RatePermit permit = await AskAsync(holder, limit);
                if (permit.Granted)
                {
                    granted++;
                    waiting.Remove(holder);
                }
                else
                {
                    firstDenial ??= permit;
                }
            }

            // The bucket starts full (one minute's worth) and refills at 6 a minute: never more, and not much less.
            int bound = 6 + (6 * second / 60);
            Assert.InRange(granted, Math.Min(12, bound - 1), bound);
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(12, granted);
        Assert.Equal(10_000, firstDenial!.RetryAfterMs); // The first waiter needs one token: 10 s at 6 a minute.
        Assert.Equal(0, firstDenial.Ahead);
    }

    [Fact]
    public async Task In_flight_slots_are_bounded_and_a_released_slot_goes_to_the_waiter()
    {
        await EnsureTableAsync();
        var limit = new RateLimit { InFlight = 2 };

        Assert.True((await AskAsync("a", limit)).Granted);
        Assert.True((await AskAsync("b", limit)).Granted);
        RatePermit third = await AskAsync("c", limit);
        Assert.False(third.Granted);
        Assert.Equal(2_000, third.RetryAfterMs);
        Assert.False((await AskAsync("c", limit)).Granted);

        await Limiter.ReleaseAsync("azure", target, "a");
        await Limiter.ReleaseAsync("azure", target, "a"); // Idempotent: the second release frees nothing more.

        Assert.True((await AskAsync("c", limit)).Granted);
        Assert.False((await AskAsync("d", limit)).Granted);
    }

    [Fact]
    public async Task Asking_again_for_a_held_permit_is_granted_without_spending_anything()
    {
        await EnsureTableAsync();
        var limit = new RateLimit { PerMinute = 2, InFlight = 2 };

        Assert.True((await AskAsync("a", limit)).Granted);
        Assert.True((await AskAsync("a", limit)).Granted); // A retried activity.
        Assert.True((await AskAsync("b", limit)).Granted);
        Assert.False((await AskAsync("c", limit)).Granted);
    }

    [Fact]
    public async Task A_crashed_holders_slot_is_freed_when_its_lease_ends_not_before()
    {
        await EnsureTableAsync();
        var limit = new RateLimit { InFlight = 1, LeaseMinutes = 5 };
        Assert.True((await AskAsync("crashed", limit)).Granted); // Never released.

        for (int minute = 1; minute <= 4; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            Assert.False((await AskAsync("next", limit)).Granted);
        }

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.True((await AskAsync("next", limit)).Granted);
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(0, 4)]
    public async Task Concurrent_requesters_racing_on_the_row_never_get_more_than_the_limit(int inFlight, int perMinute)
    {
        await EnsureTableAsync();
        var limit = new RateLimit { InFlight = inFlight, PerMinute = perMinute };

        // Each requester its own limiter (as on separate hosts); every write is conditional on the row's ETag.
        RatePermit[] answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => new RateLimiter(fixture.Azurite.Clients(), clock).AcquireAsync("azure", target, $"chg-{i}/s/ApplyStep", limit))));

        Assert.Equal(inFlight + perMinute, answers.Count(a => a.Granted));
    }

    [Fact]
    public async Task A_waiter_is_served_before_later_arrivals_so_a_flooding_change_cannot_starve_another()
    {
        await EnsureTableAsync();
        var limit = new RateLimit { InFlight = 1 };
        Assert.True((await AskAsync("A/s0", limit)).Granted);
        foreach (string step in new[] { "A/s1", "A/s2" })
        {
            Assert.False((await AskAsync(step, limit)).Granted);
        }

        RatePermit b = await AskAsync("B/s0", limit);
        Assert.False(b.Granted);
        Assert.Equal(2, b.Ahead);

        // Change A keeps adding steps; each time a slot frees, the oldest waiter gets it.
        var order = new List<string>();
        string holder = "A/s0";
        for (int round = 3; round < 8 && !order.Contains("B/s0"); round++)
        {
            Assert.False((await AskAsync($"A/s{round}", limit)).Granted); // A newcomer never overtakes.
            await Limiter.ReleaseAsync("azure", target, holder);
            foreach (string waiter in new[] { "B/s0", "A/s1", "A/s2", "A/s3", "A/s4", "A/s5", "A/s6", "A/s7" }.Where(w => !order.Contains(w)))
            {
                if ((await AskAsync(waiter, limit)).Granted)
                {
                    order.Add(waiter);
                    holder = waiter;
                    break;
                }
            }
        }

        Assert.Equal(["A/s1", "A/s2", "B/s0"], order);
    }

    [Fact]
    public async Task Two_changes_competing_for_one_target_both_progress_in_turn()
    {
        await EnsureTableAsync();
        var limit = new RateLimit { PerMinute = 4, InFlight = 2 };
        var steps = new Dictionary<string, Queue<string>>
        {
            ["A"] = new(Enumerable.Range(0, 8).Select(i => $"A/s{i}")),
            ["B"] = new(Enumerable.Range(0, 8).Select(i => $"B/s{i}")),
        };
        var running = new List<(string Holder, DateTimeOffset Ends)>();
        var started = new List<string>();

        // Each change keeps three steps asking (its max_parallel); a step runs 20 s, then gives its slot back.
        for (int second = 0; second < 600 && started.Count < 16; second += 5)
        {
            foreach ((string holder, _) in running.Where(r => r.Ends <= clock.Now).ToList())
            {
                await Limiter.ReleaseAsync("azure", target, holder);
                running.RemoveAll(r => r.Holder == holder);
            }

            foreach (string change in new[] { "A", "B" })
            {
                foreach (string step in steps[change].Take(3).ToList())
                {
                    if ((await AskAsync(step, limit)).Granted)
                    {
                        started.Add(step);
                        running.Add((step, clock.Now.AddSeconds(20)));
                        steps[change] = new(steps[change].Where(s => s != step));
                    }
                }
            }

            clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(16, started.Count);
        // Neither starves: while the other change still has steps to start, one change starts at most 3 in a row (its
        // waiters, all asked before the other's next one), so starts alternate in turns.
        int run = 0;
        for (int i = 0; i < started.Count; i++)
        {
            run = i > 0 && started[i][0] == started[i - 1][0] ? run + 1 : 1;
            if (started.Skip(i + 1).Any(s => s[0] != started[i][0]))
            {
                Assert.True(run <= 3, string.Join(", ", started));
            }
        }

        Assert.Contains(started.Take(4), s => s[0] == 'B');
    }

    [Fact]
    public async Task A_waiter_that_stops_asking_loses_its_place_after_the_waiter_timeout()
    {
        await EnsureTableAsync();
        var limit = new RateLimit { InFlight = 1 };
        Assert.True((await AskAsync("holder", limit)).Granted);
        Assert.False((await AskAsync("gone", limit)).Granted); // Asks once, then its change ends.
        await Limiter.ReleaseAsync("azure", target, "holder");

        Assert.False((await AskAsync("later", limit)).Granted); // "gone" is still first in line.
        clock.Advance(RateBucket.WaiterTimeout + TimeSpan.FromSeconds(1));
        Assert.True((await AskAsync("later", limit)).Granted);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000001")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", null)]
    public void A_plain_target_is_its_own_row_key_and_anything_else_is_hashed(string target, string? expected)
    {
        string row = RateLimiter.RowOf(target);
        if (expected is null)
        {
            Assert.StartsWith("h-", row, StringComparison.Ordinal);
            Assert.DoesNotContain("/", row, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, row);
        }
    }
}
