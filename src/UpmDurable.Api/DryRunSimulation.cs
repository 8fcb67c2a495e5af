using UpmDurable.Core.Model;

namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>
/// What applying the plan would do, by step id (<see cref="Change"/> lists the updates); <see cref="Steps"/> give each
/// step's action and field changes; <see cref="Summary"/> is the Terraform-style count line.
/// </summary>
public sealed record DryRunSimulation(List<string> Create, List<string> Change, List<string> Unchanged, List<DryRunEntry> Steps, List<string>? Delete = null, string? Summary = null);
