using Azure.Data.Tables;

namespace UpmDurable.Providers.Sandbox;

/// <summary>What a step's <see cref="StepRead"/> carries for the sandbox's apply: the row with its ETag (null: the resource does not exist).</summary>
internal sealed record SandboxReadForApply(TableEntity? Row);
