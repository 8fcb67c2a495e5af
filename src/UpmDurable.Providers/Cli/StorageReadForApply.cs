namespace UpmDurable.Providers.Cli;

/// <summary>What a storage step's <see cref="StepRead"/> carries for the cli provider's apply: the read-back (null: the resource does not exist).</summary>
internal sealed record StorageReadForApply(StorageReadBack? Current);
