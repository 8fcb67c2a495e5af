using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>POST /api/plans: the dry run.</summary>
public sealed record DryRunResult(
    Plan Plan,
    PlanAnnotation? Annotation,
    DryRunSimulation Simulation,
    DryRunPreflight Preflight,
    List<PlanVariant> Variants,
    List<RollbackStep> RollbackPlan,
    string Graph,
    bool Simulated = false);
