namespace UpmDurable.Core.Windows;

/// <summary>A weekly maintenance window in local time: <c>Tue 22:00-02:00</c> (an end not after the start crosses midnight).</summary>
public sealed record WeeklyWindow(IReadOnlyList<DayOfWeek> Days, TimeOnly Start, TimeOnly End)
{
    public override string ToString() =>
        $"{string.Join(",", Days.Select(d => d.ToString()[..3]))} {Start:HH\\:mm}-{End:HH\\:mm}";
}
