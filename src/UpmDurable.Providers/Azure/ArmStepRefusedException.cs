namespace UpmDurable.Providers.Azure;

/// <summary>A step the azure provider refuses before calling ARM (unsupported type, missing setting).</summary>
public sealed class ArmStepRefusedException(string message) : Exception(message);
