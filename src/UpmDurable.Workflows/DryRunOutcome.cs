using UpmDurable.Core.Model;
using UpmDurable.Core.Policy;

namespace UpmDurable.Workflows;

/// <summary>The dry run of pre-flight: one entry per step with its field changes, its checks, and the facts policy sees.</summary>
public sealed record DryRunOutcome(List<DryRunEntry> Entries, List<PreflightCheck> Checks, DryRunFacts Facts);
