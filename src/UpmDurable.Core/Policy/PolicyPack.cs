using Cel;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace UpmDurable.Core.Policy;

/// <summary>A loaded policy pack: named rules whose CEL conditions are compiled once at load.</summary>
/// <remarks>
/// File format (YAML, or JSON since YAML reads it too):
/// <code>
/// name: default
/// rules:
///   - id: allowed-locations          # unique in the pack
///     severity: deny                 # deny (halts the change) or warn
///     scope: resource                # change (default): evaluated once; resource: once per resource, bound to `resource`
///     message: Resources go to eastus or westeurope only.
///     condition: resource.location != '' &amp;&amp; !(resource.location in ['eastus', 'westeurope'])
/// </code>
/// A condition is a CEL expression that is <c>true</c> when the rule is violated. Variables: <c>change</c>, <c>resources</c>,
/// <c>plan</c>, <c>annotation</c> (and <c>resource</c> for scope <c>resource</c>); see <see cref="PolicyContext"/>.
/// </remarks>
public sealed class PolicyPack
{
    // One environment for every pack: no protobuf types, the context is plain maps and lists.
    static readonly CelEnvironment Cel = new([], null);

    PolicyPack(string name, IReadOnlyList<PolicyRule> rules, IReadOnlyList<ApprovalRule> approvals, AutoApprovalLane? lane, IReadOnlyList<string> tenants)
    {
        Name = name;
        Rules = rules;
        Approvals = approvals;
        AutoApproval = lane;
        Tenants = tenants;
    }

    public string Name { get; }

    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Who must approve, by condition: the server's approval policy (a request can only ask for more).</summary>
    public IReadOnlyList<ApprovalRule> Approvals { get; }

    /// <summary>The auto-approval lane, when the pack defines one.</summary>
    public AutoApprovalLane? AutoApproval { get; }

    /// <summary>The tenants the pack applies to; empty: every tenant.</summary>
    public IReadOnlyList<string> Tenants { get; }

    /// <summary>Whether the pack is in force for <paramref name="tenant"/>.</summary>
    public bool AppliesTo(string tenant) => Tenants.Count == 0 || Tenants.Contains(tenant, StringComparer.Ordinal);

    /// <summary>Parses and compiles a pack; throws <see cref="PolicyPackException"/> naming the rule that is wrong.</summary>
    public static PolicyPack Load(string text, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string where = source is null ? "policy pack" : $"policy pack '{source}'";
        PackFile? file;
        try
        {
            file = new DeserializerBuilder()
                .WithNamingConvention(UnderscoredNamingConvention.Instance)
                .Build()
                .Deserialize<PackFile?>(text);
        }
        catch (YamlException e)
        {
            throw new PolicyPackException(null, $"{where}: not valid YAML/JSON at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (file is null || ((file.Rules?.Count ?? 0) == 0 && (file.Approvals?.Count ?? 0) == 0 && file.AutoApproval is null))
        {
            throw new PolicyPackException(null, $"{where}: list at least one entry under 'rules' or 'approvals', or define 'auto_approval'.");
        }

        string name = string.IsNullOrWhiteSpace(file.Name) ? source ?? "policy" : file.Name;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var rules = new List<PolicyRule>();
        file.Rules ??= [];
        for (int i = 0; i < file.Rules.Count; i++)
        {
            RuleFile r = file.Rules[i] ?? new RuleFile();
            if (string.IsNullOrWhiteSpace(r.Id))
            {
                throw new PolicyPackException(null, $"{where}: rule #{i + 1} has no 'id'.");
            }

            string Fail(string what) => $"{where}, rule '{r.Id}': {what}";
            if (!ids.Add(r.Id))
            {
                throw new PolicyPackException(r.Id, Fail("duplicate id."));
            }

            if (r.Severity is not (PolicySeverity.Deny or PolicySeverity.Warn))
            {
                throw new PolicyPackException(r.Id, Fail($"'severity' must be '{PolicySeverity.Deny}' or '{PolicySeverity.Warn}'."));
            }

            string scope = r.Scope ?? PolicyScope.Change;
            if (scope is not (PolicyScope.Change or PolicyScope.Resource))
            {
                throw new PolicyPackException(r.Id, Fail($"'scope' must be '{PolicyScope.Change}' or '{PolicyScope.Resource}'."));
            }

            if (string.IsNullOrWhiteSpace(r.Message))
            {
                throw new PolicyPackException(r.Id, Fail("'message' is required."));
            }

            if (string.IsNullOrWhiteSpace(r.Condition))
            {
                throw new PolicyPackException(r.Id, Fail("'condition' is required."));
            }

            CelProgramDelegate program;
            try
            {
                program = Cel.Compile(r.Condition);
            }
            catch (Exception e)
            {
                throw new PolicyPackException(r.Id, Fail($"condition does not compile: {e.Message}"), e);
            }

            rules.Add(new PolicyRule(r.Id, r.Severity, scope, r.Message.Trim(), r.Condition.Trim(), program));
        }

        var approvals = new List<ApprovalRule>();
        foreach (ApprovalRuleFile? a in file.Approvals ?? [])
        {
            approvals.Add(ApprovalRule.Load(a?.Id, a?.When, a?.MinApprovers, a?.Groups, where, ids, Cel));
        }

        AutoApprovalLane? lane = file.AutoApproval is { } l
            ? AutoApprovalLane.Load(l.Id, l.MaxRisk, l.MaxSteps, l.Kinds, where, ids)
            : null;
        var tenants = file.Tenants ?? [];
        if (tenants.Any(string.IsNullOrWhiteSpace))
        {
            throw new PolicyPackException(null, $"{where}: 'tenants' lists an empty name.");
        }

        return new PolicyPack(name, rules, approvals, lane, tenants);
    }

    sealed class PackFile
    {
        public string? Name { get; set; }

        public string? Description { get; set; }

        public List<string>? Tenants { get; set; }

        public List<RuleFile?>? Rules { get; set; }

        public List<ApprovalRuleFile?>? Approvals { get; set; }

        public LaneFile? AutoApproval { get; set; }
    }

    sealed class ApprovalRuleFile
    {
        public string? Id { get; set; }

        public string? When { get; set; }

        public int? MinApprovers { get; set; }

        public List<string>? Groups { get; set; }
    }

    sealed class LaneFile
    {
        public string? Id { get; set; }

        public int? MaxRisk { get; set; }

        public int? MaxSteps { get; set; }

        public List<string>? Kinds { get; set; }
    }

    sealed class RuleFile
    {
        public string? Id { get; set; }

        public string? Severity { get; set; }

        public string? Scope { get; set; }

        public string? Message { get; set; }

        public string? Condition { get; set; }
    }
}
