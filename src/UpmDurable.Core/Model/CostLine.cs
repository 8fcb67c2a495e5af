namespace UpmDurable.Core.Model;

/// <summary>Monthly cost estimate of one resource type: count × catalog price.</summary>
public sealed record CostLine(string Type, int Count, decimal MonthlyUsdEach, decimal MonthlyUsd);
