using UpmDurable.Core.Model;

namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>
/// The pre-flight outcome of a dry run: checks, policy, window, the approvals policy asks, the steps that adopt a resource
/// the service did not create, and the steps rollback cannot restore (with why).
/// </summary>
public sealed record DryRunPreflight(bool Ok, List<PreflightCheck> Checks, PolicyReport? Policy, WindowStatus? Window, ApprovalRequirement? Approvals = null, List<string>? Adoptions = null, Dictionary<string, string>? Irreversible = null);
