using UpmDurable.Core.Model;

namespace UpmDurable.Workflows.Diagnostics;

/// <summary>Test-only fault injection. Configuration section <c>Upm:Testing</c>.</summary>
public sealed class TestingOptions
{
    public const string Section = "Upm:Testing";

    /// <summary>
    /// Lets a change request activity faults (<see cref="Canonicals.ActivityFaultPoints"/> in <c>target.faults</c>). Off by
    /// default and in every deployment: a host without it refuses such a request with 400.
    /// </summary>
    public bool ActivityFaults { get; set; }
}
