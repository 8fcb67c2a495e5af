using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Core.Model;

/// <summary>One pre-flight check and its actionable message.</summary>
public sealed record PreflightCheck(string Type, string Target, bool Ok, string Message);
