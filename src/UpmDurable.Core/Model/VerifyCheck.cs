using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Core.Model;

/// <summary>One verification check.</summary>
public sealed record VerifyCheck(string Type, string Target, bool Ok, string Message);
