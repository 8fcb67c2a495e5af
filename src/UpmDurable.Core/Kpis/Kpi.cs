namespace UpmDurable.Core.Kpis;

/// <summary>One UPM quality KPI: its value, how it was computed, and the band it reaches.</summary>
public sealed record Kpi(string Name, double? Value, string Unit, double Numerator, double Denominator, string Formula, double L3, double L4, bool LowerIsBetter)
{
    /// <summary><c>L4</c>, <c>L3</c>, <c>below</c>, or <c>no_data</c>.</summary>
    public string Band => Value is not { } v ? "no_data"
        : LowerIsBetter ? (v <= L4 ? "L4" : v <= L3 ? "L3" : "below")
        : (v >= L4 ? "L4" : v >= L3 ? "L3" : "below");
}
