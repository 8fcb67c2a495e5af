using UpmDurable.Core.Model;
using UpmDurable.Core.Windows;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class ChangeWindowCalendarTests
{
    static readonly IReadOnlyDictionary<string, ChangeWindowCalendar> Calendars =
        ChangeWindowCalendars.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "windows.yaml")));

    static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Inside_a_window_is_open_until_it_ends()
    {
        // Tue 2025-10-14 23:00 in Berlin (CEST, UTC+2).
        WindowStatus status = Calendars["prod-weekly"].Evaluate(Utc("2025-10-14T21:00:00Z"));

        Assert.True(status.Open);
        Assert.Equal(Utc("2025-10-15T00:00:00Z"), status.OpenUntil);
        Assert.Contains("Europe/Berlin", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_crossing_midnight_is_open_after_midnight()
    {
        // Wed 01:30 local belongs to Tuesday's 22:00-02:00 window.
        Assert.True(Calendars["prod-weekly"].Evaluate(Utc("2025-10-14T23:30:00Z")).Open);
    }

    [Fact]
    public void Outside_the_windows_is_closed_with_the_next_opening()
    {
        // Wed 03:00 local: next window Thu 22:00 CEST.
        WindowStatus status = Calendars["prod-weekly"].Evaluate(Utc("2025-10-15T01:00:00Z"));

        Assert.False(status.Open);
        Assert.Equal(Utc("2025-10-16T20:00:00Z"), status.NextOpen);
        Assert.Contains("outside the maintenance windows", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_keep_their_wall_clock_time_across_dst()
    {
        ChangeWindowCalendar calendar = Calendars["prod-weekly"];

        // Tue 2025-10-28 is after the switch to CET (UTC+1): 22:00 local is 21:00Z, so 20:30Z is still closed.
        WindowStatus before = calendar.Evaluate(Utc("2025-10-28T20:30:00Z"));
        Assert.False(before.Open);
        Assert.Equal(Utc("2025-10-28T21:00:00Z"), before.NextOpen);
        Assert.True(calendar.Evaluate(Utc("2025-10-28T21:00:00Z")).Open);
    }

    [Fact]
    public void A_start_in_the_spring_forward_gap_moves_to_the_first_valid_minute()
    {
        var calendar = ChangeWindowCalendars.Load("""
            calendars:
              - name: sunday-night
                time_zone: Europe/Berlin
                windows: [{days: [Sun], start: "02:30", end: "04:00"}]
            """)["sunday-night"];

        // 2026-03-29 02:00-03:00 does not exist in Berlin: the window starts at 03:00 CEST = 01:00Z.
        WindowStatus status = calendar.Evaluate(Utc("2026-03-29T00:30:00Z"));
        Assert.False(status.Open);
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), status.NextOpen);
    }

    [Fact]
    public void An_ambiguous_fall_back_start_takes_the_first_occurrence()
    {
        var calendar = ChangeWindowCalendars.Load("""
            calendars:
              - name: sunday-night
                time_zone: Europe/Berlin
                windows: [{days: [Sun], start: "02:30", end: "05:00"}]
            """)["sunday-night"];

        // 2025-10-26 02:30 happens twice; the first (CEST) is 00:30Z.
        Assert.Equal(Utc("2025-10-26T00:30:00Z"), calendar.Evaluate(Utc("2025-10-26T00:00:00Z")).NextOpen);
    }

    [Fact]
    public void A_freeze_closes_even_inside_a_window_and_opens_at_the_next_window_after_it()
    {
        // Tue 2025-12-23 22:30 local, inside the window but in the year-end freeze.
        WindowStatus status = Calendars["prod-weekly"].Evaluate(Utc("2025-12-23T21:30:00Z"));

        Assert.False(status.Open);
        Assert.Contains("freeze 'year-end'", status.Reason, StringComparison.Ordinal);
        Assert.Equal(Utc("2026-01-06T21:00:00Z"), status.NextOpen);
    }

    [Fact]
    public void A_calendar_without_windows_is_open_except_in_freezes()
    {
        ChangeWindowCalendar calendar = Calendars["default"];

        WindowStatus open = calendar.Evaluate(Utc("2025-12-19T12:00:00Z"));
        Assert.True(open.Open);
        Assert.Equal(Utc("2025-12-20T00:00:00Z"), open.OpenUntil);

        WindowStatus frozen = calendar.Evaluate(Utc("2025-12-24T12:00:00Z"));
        Assert.False(frozen.Open);
        Assert.Equal(Utc("2026-01-05T00:00:00Z"), frozen.NextOpen);
    }

    [Theory]
    [InlineData("calendars:\n  - name: c1\n    time_zone: Mars/Olympus", "c1", "time zone")]
    [InlineData("calendars:\n  - name: c2\n    windows: [{days: [Funday], start: '01:00', end: '02:00'}]", "c2", "Funday")]
    [InlineData("calendars:\n  - name: c3\n    windows: [{days: [Mon], start: '25:00', end: '02:00'}]", "c3", "25:00")]
    [InlineData("calendars:\n  - name: c4\n    freezes: [{name: f, start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z'}]", "c4", "after start")]
    public void Bad_calendars_are_named(string yaml, string name, string word)
    {
        var ex = Assert.Throws<ChangeWindowException>(() => ChangeWindowCalendars.Load(yaml));

        Assert.Equal(name, ex.Calendar);
        Assert.Contains(word, ex.Message, StringComparison.Ordinal);
    }
}
