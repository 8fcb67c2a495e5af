namespace UpmDurable.Workflows.Diagnostics;

/// <summary>Diagnostics for benchmarks (the fan-out floor). Configuration section <c>Upm:Diagnostics</c>; off by default.</summary>
public sealed class DiagnosticsOptions
{
    public const string Section = "Upm:Diagnostics";

    /// <summary>Registers <see cref="FanOutFloorOrchestrator"/> and <see cref="NoOp"/> with the worker.</summary>
    public bool Enabled { get; set; }
}
