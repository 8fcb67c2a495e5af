using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace UpmDurable.Core.Windows;

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
