namespace UpmDurable.Core.Windows;

/// <summary>A period in which no change may run, in UTC; wins over every window.</summary>
public sealed record FreezePeriod(string Name, DateTimeOffset Start, DateTimeOffset End);
