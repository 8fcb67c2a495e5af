using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Windows;

/// <summary>A weekly maintenance window in local time: <c>Tue 22:00-02:00</c> (an end not after the start crosses midnight).</summary>
public sealed record WeeklyWindow(IReadOnlyList<DayOfWeek> Days, TimeOnly Start, TimeOnly End)
{
    public override string ToString() =>
        $"{string.Join(",", Days.Select(d => d.ToString()[..3]))} {Start:HH\\:mm}-{End:HH\\:mm}";
}

/// <summary>A period in which no change may run, in UTC; wins over every window.</summary>
public sealed record FreezePeriod(string Name, DateTimeOffset Start, DateTimeOffset End);

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

/// <summary>Loads change-window calendars from YAML (or JSON), e.g. <c>policies/windows.yaml</c>.</summary>
/// <remarks>
/// <code>
/// calendars:
///   - name: prod-weekly
///     time_zone: Europe/Berlin        # IANA name; default UTC
///     windows:
///       - days: [Tue, Thu]            # Mon..Sun or full names
///         start: "22:00"              # local HH:mm
///         end: "02:00"                # not after start: crosses midnight
///     freezes:
///       - name: year-end
///         start: 2025-12-20T00:00:00Z # UTC instants
///         end: 2026-01-05T00:00:00Z
/// </code>
/// </remarks>
public static class ChangeWindowCalendars
{
    /// <summary>The calendars of a file by name; throws <see cref="ChangeWindowException"/> naming the calendar that is wrong.</summary>
    public static IReadOnlyDictionary<string, ChangeWindowCalendar> Load(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        FileModel? file;
        try
        {
            file = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Deserialize<FileModel?>(text);
        }
        catch (YamlException e)
        {
            throw new ChangeWindowException(null, $"windows file: not valid YAML/JSON at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (file?.Calendars is null || file.Calendars.Count == 0)
        {
            throw new ChangeWindowException(null, "windows file: 'calendars' is required and must list at least one calendar.");
        }

        var result = new Dictionary<string, ChangeWindowCalendar>(StringComparer.Ordinal);
        for (int i = 0; i < file.Calendars.Count; i++)
        {
            CalendarModel c = file.Calendars[i] ?? new CalendarModel();
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                throw new ChangeWindowException(null, $"windows file: calendar #{i + 1} has no 'name'.");
            }

            string Fail(string what) => $"windows file, calendar '{c.Name}': {what}";
            if (result.ContainsKey(c.Name))
            {
                throw new ChangeWindowException(c.Name, Fail("duplicate name."));
            }

            TimeZoneInfo zone;
            try
            {
                zone = c.TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(c.TimeZone);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new ChangeWindowException(c.Name, Fail($"unknown time zone '{c.TimeZone}' (use an IANA name such as Europe/Berlin)."), e);
            }

            var windows = new List<WeeklyWindow>();
            foreach (WindowModel? w in c.Windows ?? [])
            {
                if (w?.Days is null || w.Days.Count == 0)
                {
                    throw new ChangeWindowException(c.Name, Fail("every window needs 'days'."));
                }

                var days = w.Days.Select(d => Day(d) ?? throw new ChangeWindowException(c.Name, Fail($"unknown day '{d}' (Mon..Sun)."))).Distinct().Order().ToList();
                TimeOnly start = Time(w.Start) ?? throw new ChangeWindowException(c.Name, Fail($"window start '{w.Start}' is not HH:mm."));
                TimeOnly end = Time(w.End) ?? throw new ChangeWindowException(c.Name, Fail($"window end '{w.End}' is not HH:mm."));
                windows.Add(new WeeklyWindow(days, start, end));
            }

            var freezes = new List<FreezePeriod>();
            foreach (FreezeModel? f in c.Freezes ?? [])
            {
                string freezeName = f?.Name ?? "freeze";
                DateTimeOffset start = Instant(f?.Start) ?? throw new ChangeWindowException(c.Name, Fail($"freeze '{freezeName}': start is not an ISO-8601 instant."));
                DateTimeOffset end = Instant(f?.End) ?? throw new ChangeWindowException(c.Name, Fail($"freeze '{freezeName}': end is not an ISO-8601 instant."));
                if (end <= start)
                {
                    throw new ChangeWindowException(c.Name, Fail($"freeze '{freezeName}': end must be after start."));
                }

                freezes.Add(new FreezePeriod(freezeName, start, end));
            }

            result[c.Name] = new ChangeWindowCalendar(c.Name, zone, windows, freezes);
        }

        return result;
    }

    static DayOfWeek? Day(string? text) =>
        text is null ? null : Enum.GetValues<DayOfWeek>().Cast<DayOfWeek?>().FirstOrDefault(d =>
            d.ToString()!.Equals(text, StringComparison.OrdinalIgnoreCase) || d.ToString()![..3].Equals(text, StringComparison.OrdinalIgnoreCase));

    static TimeOnly? Time(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly t) ? t : null;

    static DateTimeOffset? Instant(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t) ? t : null;

    sealed class FileModel
    {
        public List<CalendarModel?>? Calendars { get; set; }
    }

    sealed class CalendarModel
    {
        public string? Name { get; set; }

        public string? TimeZone { get; set; }

        public List<WindowModel?>? Windows { get; set; }

        public List<FreezeModel?>? Freezes { get; set; }
    }

    sealed class WindowModel
    {
        public List<string>? Days { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }
    }

    sealed class FreezeModel
    {
        public string? Name { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }
    }
}

/// <summary>A windows file that cannot be loaded; <see cref="Calendar"/> names the calendar when known.</summary>
public sealed class ChangeWindowException : Exception
{
    public ChangeWindowException(string? calendar, string message, Exception? inner = null)
        : base(message, inner)
    {
        Calendar = calendar;
    }

    public string? Calendar { get; }
}
