using Cel;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace UpmDurable.Core.Policy;

/// <summary>Rule severities.</summary>
public static class PolicySeverity
{
    public const string Deny = "deny";
    public const string Warn = "warn";
}
