namespace UpmDurable.Core.Execution;

/// <summary>What a command does, from its verb: <see cref="Destructive"/> implies <see cref="Mutating"/>.</summary>
public sealed record CommandEffect(string Tool, string Verb, bool Destructive, bool Mutating);
