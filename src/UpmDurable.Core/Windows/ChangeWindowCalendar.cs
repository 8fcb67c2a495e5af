using System.Globalization;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Windows;

/// <summary>A change-window calendar: weekly maintenance windows in an IANA time zone plus freeze periods. Pure evaluation.</summary>
/// <remarks>
/// Local window times become UTC through the time zone's rules on each date, so a window keeps its wall-clock times
/// across DST changes. A start that falls in a spring-forward gap moves to the first valid local minute after it; a time
/// that occurs twice (fall back) is taken at its first occurrence. No windows: open whenever no freeze applies.
/// </remarks>
public sealed class ChangeWindowCalendar
{
    const int HorizonDays = 400;

    public ChangeWindowCalendar(string name, TimeZoneInfo timeZone, IReadOnlyList<WeeklyWindow> windows, IReadOnlyList<FreezePeriod> freezes)
    {
        Name = name;
        TimeZone = timeZone;
        Windows = windows;
        Freezes = freezes.OrderBy(f => f.Start).ToList();
    }

    public string Name { get; }

    public TimeZoneInfo TimeZone { get; }

    public IReadOnlyList<WeeklyWindow> Windows { get; }

    public IReadOnlyList<FreezePeriod> Freezes { get; }

    /// <summary>Whether the calendar is open at <paramref name="now"/>, and when it next opens.</summary>
    public WindowStatus Evaluate(DateTimeOffset now)
    {
        now = now.ToUniversalTime();
        FreezePeriod? freeze = FreezeAt(now);
        var current = Occurrences(now)
            .Where(o => o.Start <= now && now < o.End)
            .Select(o => ((DateTimeOffset Start, DateTimeOffset End, WeeklyWindow? Window)?)o)
            .FirstOrDefault();
        if (freeze is null && current is { } open)
        {
            DateTimeOffset? until = open.Window is null ? null : open.End;
            FreezePeriod? nextFreeze = Freezes.FirstOrDefault(f => f.Start > now && (until is null || f.Start < until));
            if (nextFreeze is not null)
            {
                until = nextFreeze.Start;
            }

            string why = open.Window is null ? "no maintenance windows and no freeze" : $"inside maintenance window {open.Window} {TimeZone.Id}";
            return new WindowStatus(true, $"Calendar '{Name}' is open: {why}.", now, until);
        }

        DateTimeOffset? next = NextOpen(now);
        string when = next is null ? "it does not open within a year" : $"it opens at {next.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}";
        string reason = freeze is not null
            ? $"Calendar '{Name}' is closed: freeze '{freeze.Name}' until {freeze.End.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}; {when}."
            : $"Calendar '{Name}' is closed: outside the maintenance windows ({string.Join("; ", Windows)} {TimeZone.Id}); {when}.";
        return new WindowStatus(false, reason, next);
    }

    FreezePeriod? FreezeAt(DateTimeOffset t) => Freezes.FirstOrDefault(f => f.Start <= t && t < f.End);

    DateTimeOffset? NextOpen(DateTimeOffset from)
    {
        foreach (var (start, end, _) in Occurrences(from))
        {
            DateTimeOffset candidate = start > from ? start : from;
            while (FreezeAt(candidate) is { } freeze)
            {
                candidate = freeze.End;
            }

            if (candidate < end)
            {
                return candidate;
            }
        }

        return null;
    }

    // Window occurrences that end after `from`, by start; a calendar without windows is one endless occurrence.
    IEnumerable<(DateTimeOffset Start, DateTimeOffset End, WeeklyWindow? Window)> Occurrences(DateTimeOffset from)
    {
        if (Windows.Count == 0)
        {
            yield return (from, DateTimeOffset.MaxValue, null);
            yield break;
        }

        DateOnly first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, TimeZone).DateTime).AddDays(-1);
        for (int day = 0; day < HorizonDays; day++)
        {
            DateOnly date = first.AddDays(day);
            var today = new List<(DateTimeOffset, DateTimeOffset, WeeklyWindow?)>();
            foreach (WeeklyWindow window in Windows.Where(w => w.Days.Contains(date.DayOfWeek)))
            {
                DateTimeOffset start = ToUtc(date.ToDateTime(window.Start));
                DateTimeOffset end = ToUtc((window.End > window.Start ? date : date.AddDays(1)).ToDateTime(window.End));
                if (end > from)
                {
                    today.Add((start, end, window));
                }
            }

            foreach (var occurrence in today.OrderBy(o => o.Item1))
            {
                yield return occurrence;
            }
        }
    }

    DateTimeOffset ToUtc(DateTime local)
    {
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        TimeSpan offset = TimeZone.IsAmbiguousTime(local) ? TimeZone.GetAmbiguousTimeOffsets(local).Max() : TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
