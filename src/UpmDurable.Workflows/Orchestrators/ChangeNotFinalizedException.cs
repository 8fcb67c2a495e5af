namespace UpmDurable.Workflows.Orchestrators;

/// <summary>A change's final state could not be written even after the durable retries: the janitor finishes it.</summary>
public sealed class ChangeNotFinalizedException(string message, Exception? inner) : Exception(message, inner);
