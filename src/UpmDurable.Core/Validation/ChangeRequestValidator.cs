using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Intent;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Validation;

/// <summary>Checks a change request field by field and turns it into a <see cref="ChangeSpec"/> with defaults applied.</summary>
public static partial class ChangeRequestValidator
{
    // As many resources as the default blast radius (Upm:BlastRadius:MaxResourcesPerChange) admits; a 1,000-resource
    // request is ~150 KB, well under the 1 MiB body limit.
    public const int MaxResources = 1000;

    /// <summary>Most names in one resource's <c>depends_on</c>, and most <c>target.faults</c>.</summary>
    public const int MaxListItems = 200;
    public const int MaxRequestText = 4000;
    public const int MaxApprovalGroups = 20;
    public const int MaxVariants = 10;
    public const int MaxResourcesNeeded = 50;
    public const int MaxTicketId = 128;
    public const int MaxProperties = 32;

    // Names reach command lines: only characters that need no quoting in any shell or argv. Group names in policy packs
    // follow the same rule (ApprovalRule).
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    internal static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex TenantPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/@+=,-]{0,255}$")]
    private static partial Regex PropertyValuePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:#/-]{0,127}$")]
    private static partial Regex TicketIdPattern();

    /// <summary>The providers a host enables when it does not say: the embedded sandbox and the guarded CLI.</summary>
    public static readonly IReadOnlySet<string> DefaultProviders = new HashSet<string>(["sandbox", "cli"], StringComparer.Ordinal);

    /// <summary>
    /// Validates a request; throws <see cref="ChangeValidationException"/> naming every bad field. <paramref name="enabledProviders"/>:
    /// the providers this host runs (default <see cref="DefaultProviders"/>). <paramref name="commands"/>: the sub-commands a
    /// command step may run (default <see cref="Execution.CommandCatalog.Default"/>, read-only).
    /// </summary>
    public static ChangeSpec Validate(ChangeRequest? request, IReadOnlySet<string>? enabledProviders = null, Execution.CommandCatalog? commands = null)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("$", "A JSON object with the change request is required.");
            throw new ChangeValidationException(errors);
        }

        if (string.IsNullOrWhiteSpace(request.Request))
        {
            errors.Add("request", "Required: say in words what the change does.");
        }
        else if (request.Request.Length > MaxRequestText)
        {
            errors.Add("request", $"At most {MaxRequestText} characters.");
        }

        if (string.IsNullOrWhiteSpace(request.Tenant))
        {
            errors.Add("tenant", "Required.");
        }
        else if (!TenantPattern().IsMatch(request.Tenant))
        {
            errors.Add("tenant", "Lower-case letters, digits and '-', at most 63 characters.");
        }

        OneOf(errors, "source", request.Source, Canonicals.Sources);
        OneOf(errors, "visibility", request.Visibility, Canonicals.Visibilities);
        if (request.Owner is not null && !NamePattern().IsMatch(request.Owner))
        {
            errors.Add("owner", "Letters, digits, '.', '_' and '-', at most 63 characters.");
        }

        if (request.Ticket is { } ticket)
        {
            Name(errors, "ticket.system", ticket.System);
            if (ticket.Id is { Length: > 0 } && !TicketIdPattern().IsMatch(ticket.Id))
            {
                errors.Add("ticket.id", $"Letters, digits and . _ : # / -, at most {MaxTicketId} characters.");
            }
        }

        var (resources, fromRequest) = ValidateTarget(errors, request.Target, request.Request, enabledProviders ?? DefaultProviders, commands ?? Execution.CommandCatalog.Default);

        // Secrets never pass the door: the text is stored redacted. Text the grammar compiled must stay as it was.
        string requestText = request.Request?.Trim() ?? string.Empty;
        string redactedText = SecretScreen.Redact(requestText);
        if (fromRequest && redactedText != requestText)
        {
            errors.Add("request", "Looks like it holds a secret; secrets never belong in a change request.");
        }

        var needs = ValidateNeeds(errors, request.ResourcesNeeded);
        int maxParallel = request.Rollout?.MaxParallel ?? ChangeDefaults.MaxParallel;
        if (maxParallel is < 1 or > 100)
        {
            errors.Add("rollout.max_parallel", "Between 1 and 100.");
        }

        // The request can only ask for more than policy: its count and groups are recorded as asked, and the approval
        // policy (ApprovalPolicyDecision) decides what is in force.
        var approvals = request.Approvals;
        List<string> groups = approvals?.Groups ?? [];
        if (groups.Count > MaxApprovalGroups)
        {
            errors.Add("approvals.groups", $"At most {MaxApprovalGroups} groups.");
            groups = [];
        }

        for (int i = 0; i < groups.Count; i++)
        {
            if (groups[i] is null || !NamePattern().IsMatch(groups[i]))
            {
                errors.Add($"approvals.groups[{i}]", "A group name: letters, digits, '.', '_' and '-'.");
            }
        }

        int? requested = approvals?.Required;
        if (requested is < 0 or > 10)
        {
            errors.Add("approvals.required", "Between 0 and 10 distinct approvers.");
        }

        string timeout = approvals?.Timeout ?? ChangeDefaults.ApprovalTimeout;
        Duration(errors, "approvals.timeout", timeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(90));

        OneOf(errors, "drift.mode", request.Drift?.Mode, Canonicals.DriftModes);
        string interval = request.Drift?.Interval ?? ChangeDefaults.DriftInterval;
        Duration(errors, "drift.interval", interval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));

        if (request.Window?.Calendar is not null && !NamePattern().IsMatch(request.Window.Calendar))
        {
            errors.Add("window.calendar", "A calendar name: letters, digits, '.', '_' and '-'.");
        }

        var variants = request.Variants ?? [];
        if (variants.Count > MaxVariants)
        {
            errors.Add("variants", $"At most {MaxVariants} variants.");
            variants = [];
        }

        for (int i = 0; i < variants.Count; i++)
        {
            if (variants[i] is null || !Canonicals.PlanVariants.Contains(variants[i], StringComparer.Ordinal))
            {
                errors.Add($"variants[{i}]", $"One of: {string.Join(", ", Canonicals.PlanVariants)}.");
            }
        }

        OneOf(errors, "on_verify_failure", request.OnVerifyFailure, Canonicals.VerifyFailureActions);
        HealthGate? gate = ValidateHealthGate(errors, request);

        if (!errors.IsEmpty)
        {
            throw new ChangeValidationException(errors);
        }

        return new ChangeSpec
        {
            Request = redactedText,
            Source = request.Source ?? ChangeDefaults.Source,
            Tenant = request.Tenant!,
            Visibility = request.Visibility ?? ChangeDefaults.Visibility,
            Owner = request.Owner ?? ChangeDefaults.Owner,
            Ticket = request.Ticket,
            Cloud = request.Target?.Cloud ?? ChangeDefaults.Cloud,
            Provider = request.Target?.Provider ?? ChangeDefaults.Provider,
            ClusterEndpointId = request.Target?.ClusterEndpointId,
            Resources = resources,
            ResourcesNeeded = needs,
            MaxParallel = maxParallel,
            ApprovalGroups = groups.Count > 0 ? groups.Distinct(StringComparer.Ordinal).ToList() : [ChangeDefaults.ApprovalGroup],
            ApprovalsRequired = Math.Max(1, requested ?? 0),
            RequestedApprovals = requested,
            RequestedApprovalGroups = groups.Distinct(StringComparer.Ordinal).ToList(),
            ApprovalTimeout = timeout,
            DriftMode = request.Drift?.Mode ?? ChangeDefaults.DriftMode,
            DriftInterval = interval,
            Faults = request.Target?.Faults ?? [],
            ResourcesFromRequest = fromRequest,
            WindowCalendar = request.Window?.Calendar,
            WindowWait = request.Window?.Wait ?? ChangeDefaults.WindowWait,
            Variants = variants.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            HealthGate = gate,
            OnVerifyFailure = request.OnVerifyFailure ?? ChangeDefaults.OnVerifyFailure,
        };
    }

    // The gate may be given as rollout.health_gate (the contract's example) or health_gate, not both; errors name the place used.
    static HealthGate? ValidateHealthGate(ValidationErrors errors, ChangeRequest request)
    {
        if (request.Rollout?.HealthGate is not null && request.HealthGate is not null)
        {
            errors.Add("rollout.health_gate", "Give the health gate once: in rollout.health_gate or in health_gate, not both.");
            return null;
        }

        (HealthGatePolicy? policy, string at) = request.Rollout?.HealthGate is { } nested ? (nested, "rollout.health_gate") : (request.HealthGate, "health_gate");
        if (policy is null)
        {
            return null;
        }

        int observe = policy.ObserveSeconds ?? 0;
        if (observe is < 0 or > 3600)
        {
            errors.Add($"{at}.observe_seconds", "Between 0 and 3600 seconds.");
        }

        int interval = policy.ProbeIntervalSeconds ?? Math.Clamp(observe / 3, 1, 60);
        if (interval is < 1 or > 600)
        {
            errors.Add($"{at}.probe_interval_seconds", "Between 1 and 600 seconds.");
        }

        int min = policy.MinHealthyPercent ?? ChangeDefaults.MinHealthyPercent;
        if (min is < 0 or > 100)
        {
            errors.Add($"{at}.min_healthy_percent", "Between 0 and 100.");
        }

        OneOf(errors, $"{at}.on_failure", policy.OnFailure, Canonicals.HealthGateActions);
        return new HealthGate(observe, interval, min, policy.OnFailure ?? ChangeDefaults.HealthGateOnFailure);
    }

    /// <summary>Parses an ISO-8601 duration (<c>P3D</c>, <c>PT30S</c>).</summary>
    public static TimeSpan ParseDuration(string value) => XmlConvert.ToTimeSpan(value);

    // Without target.resources, a request text the intent grammar understands supplies them.
    static (List<ResourceSpec> Resources, bool FromRequest) ValidateTarget(ValidationErrors errors, ChangeTarget? target, string? text, IReadOnlySet<string> enabledProviders, Execution.CommandCatalog commands)
    {
        if (target?.Resources is null || target.Resources.Count == 0)
        {
            if (string.IsNullOrWhiteSpace(text) || text.Length > MaxRequestText)
            {
                if (target is null)
                {
                    errors.Add("target", "Required: the target and its resources, or a request text the intent grammar understands.");
                    return ([], false);
                }
            }
            else
            {
                List<ResourceSpec> parsed;
                try
                {
                    parsed = IntentGrammar.Parse(text);
                }
                catch (IntentParseException e)
                {
                    // Both ways to say what to create failed: name both.
                    errors.Add("request", e.Message);
                    errors.Add(target is null ? "target" : "target.resources", "Required: the resources, unless the request text compiles to them (see 'request').");
                    return ([], false);
                }

                return (ValidateResources(errors, enabledProviders, commands, target ?? new ChangeTarget(), parsed), true);
            }
        }

        return (ValidateResources(errors, enabledProviders, commands, target!, target!.Resources), false);
    }

    static List<ResourceSpec> ValidateResources(ValidationErrors errors, IReadOnlySet<string> enabledProviders, Execution.CommandCatalog commands, ChangeTarget target, List<ResourceSpec>? resources)
    {
        if (target.Cloud is not null && target.Cloud != "azure")
        {
            errors.Add("target.cloud", "Only 'azure' is supported.");
        }

        OneOf(errors, "target.provider", target.Provider, Canonicals.Providers);
        string enabled = enabledProviders.Count == 0 ? "none" : string.Join(", ", enabledProviders.Order(StringComparer.Ordinal));
        if (target.Provider is { } provider && Canonicals.Providers.Contains(provider) && !enabledProviders.Contains(provider))
        {
            errors.Add("target.provider", $"The '{provider}' provider is not enabled on this host; enabled: {enabled}.");
        }
        else if (target.Provider is null && !enabledProviders.Contains(ChangeDefaults.Provider))
        {
            // The default provider is the sandbox; where it is off (Upm:Sandbox:Enabled), the request must say where it runs.
            errors.Add("target.provider", $"Required on this host: the default provider '{ChangeDefaults.Provider}' is not enabled here; enabled: {enabled}.");
        }

        if (target.ClusterEndpointId is not null && !NamePattern().IsMatch(target.ClusterEndpointId))
        {
            errors.Add("target.cluster_endpoint_id", "Letters, digits, '.', '_' and '-', at most 63 characters.");
        }

        if (resources is null || resources.Count == 0)
        {
            errors.Add("target.resources", "Required: at least one resource, or a request text the intent grammar understands.");
            return [];
        }

        if (resources.Count > MaxResources)
        {
            errors.Add("target.resources", $"At most {MaxResources} resources per change.");
            return [];
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ResourceSpec>();
        for (int i = 0; i < resources.Count; i++)
        {
            string at = $"target.resources[{i}]";
            ResourceSpec? resource = resources[i];
            if (resource is null)
            {
                errors.Add(at, "A resource object is required.");
                continue;
            }

            ResourceKind? kind = ResourceCatalog.Find(resource.Type);
            if (resource.Type is null)
            {
                errors.Add($"{at}.type", "Required.");
            }
            else if (kind is null)
            {
                errors.Add($"{at}.type", $"Unknown resource type '{Clip(resource.Type)}'. Known: {string.Join(", ", ResourceCatalog.Kinds.Keys.Order(StringComparer.Ordinal))}.");
            }

            if (resource.Name is null)
            {
                errors.Add($"{at}.name", "Required.");
            }
            else if (!NamePattern().IsMatch(resource.Name))
            {
                errors.Add($"{at}.name", "Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.");
            }
            else if (!names.Add(resource.Name))
            {
                errors.Add($"{at}.name", $"Duplicate name '{resource.Name}': names are unique within a change.");
            }
            else if (kind?.NameRule?.Invoke(resource.Name) is { } nameProblem)
            {
                errors.Add($"{at}.name", nameProblem);
            }

            if (kind is not null && target.Provider == "cli" && !ResourceCatalog.CliProviderTypes.Contains(kind.Type))
            {
                errors.Add($"{at}.type", $"The 'cli' provider runs {string.Join(", ", ResourceCatalog.CliProviderTypes)}; '{kind.Type}' needs another provider.");
            }

            Name(errors, $"{at}.location", resource.Location);
            Name(errors, $"{at}.resource_group", resource.ResourceGroup);
            Name(errors, $"{at}.cluster", resource.Cluster);
            Name(errors, $"{at}.namespace", resource.Namespace);
            if (resource.DependsOn is { Count: > MaxListItems })
            {
                errors.Add($"{at}.depends_on", $"At most {MaxListItems} names.");
            }
            else if (resource.DependsOn is not null)
            {
                for (int d = 0; d < resource.DependsOn.Count; d++)
                {
                    Name(errors, $"{at}.depends_on[{d}]", resource.DependsOn[d], required: true);
                }
            }

            if (kind is not null)
            {
                result.Add(ResourceLifecycleRules.Apply(errors, at, ValidateAgainstKind(errors, at, resource, kind, commands)));
            }
        }

        if (result.Any(r => r.Type == Catalog.Kinds.Command.Type) && target.Provider != "cli")
        {
            errors.Add("target.provider", "Command steps run on the 'cli' provider (target.provider: cli), through the guarded runner.");
        }

        if (target.Faults is { Count: > MaxListItems })
        {
            errors.Add("target.faults", $"At most {MaxListItems} faults.");
            return result;
        }

        for (int f = 0; f < (target.Faults?.Count ?? 0); f++)
        {
            FaultSpec? fault = target.Faults![f];
            if (fault?.On is { } on && Canonicals.ActivityFaultPoints.Contains(on))
            {
                if (fault.Times is < 1 or > 20)
                {
                    errors.Add($"target.faults[{f}].times", "Between 1 and 20 failed calls.");
                }

                if (fault.At is not null && (on != "checkpoint" || !NamePattern().IsMatch(fault.At)))
                {
                    errors.Add($"target.faults[{f}].at", "Only for a checkpoint fault: the checkpoint kind, e.g. verify.");
                }

                continue;
            }

            if (fault is null || fault.Resource is null || !names.Contains(fault.Resource))
            {
                errors.Add($"target.faults[{f}].resource", "Must name a resource of this change.");
            }

            if (fault?.On is null || !Canonicals.FaultPoints.Contains(fault.On))
            {
                errors.Add($"target.faults[{f}].on", $"One of: {string.Join(", ", Canonicals.FaultPoints.Concat(Canonicals.ActivityFaultPoints))}.");
            }

            if (fault?.Times is not null || fault?.At is not null)
            {
                errors.Add($"target.faults[{f}].times", "Only activity faults take times and at.");
            }
        }

        return result;
    }

    static ResourceSpec ValidateAgainstKind(ValidationErrors errors, string at, ResourceSpec resource, ResourceKind kind, Execution.CommandCatalog commands)
    {
        ValidateCommandFields(errors, at, resource, kind, commands);
        if (kind.LocationRequired && resource.Location is null)
        {
            errors.Add($"{at}.location", $"Required for {kind.Type}.");
        }

        foreach (string field in new[] { "resource_group", "cluster", "namespace" })
        {
            string? value = field switch { "resource_group" => resource.ResourceGroup, "cluster" => resource.Cluster, _ => resource.Namespace };
            ResourceReference? reference = kind.References.FirstOrDefault(r => r.Field == field);
            if (value is null && reference is { Required: true })
            {
                errors.Add($"{at}.{field}", $"Required for {kind.Type}.");
            }
            else if (value is not null && reference is null)
            {
                errors.Add($"{at}.{field}", $"Not a field of {kind.Type}.");
            }
        }

        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (resource.Properties is { Count: > MaxProperties })
        {
            errors.Add($"{at}.properties", $"At most {MaxProperties} properties.");
            return resource with { Properties = null };
        }

        foreach (var (name, value) in resource.Properties ?? [])
        {
            if (!kind.Properties.ContainsKey(name) && kind.OpenPropertyRule is { } rule)
            {
                if (rule(name) is { } problem)
                {
                    errors.Add($"{at}.properties.{Clip(name)}", problem);
                    continue;
                }
            }
            else if (!kind.Properties.ContainsKey(name))
            {
                string known = kind.Properties.Count == 0 ? "none" : string.Join(", ", kind.Properties.Keys.Order(StringComparer.Ordinal));
                errors.Add($"{at}.properties.{Clip(name)}", $"Unknown property of {kind.Type}. Known: {known}.");
                continue;
            }

            // A property takes the JSON type of its default (strings where there is none): policies compare them typed.
            JsonValueKind expected = kind.Properties.GetValueOrDefault(name) is { } typed ? typed.ValueKind : JsonValueKind.String;
            // Open properties (metadata) may be strings, integers or booleans; declared ones take their default's type.
            bool open = !kind.Properties.ContainsKey(name);
            if (!open && value.ValueKind != expected && !(value.ValueKind is JsonValueKind.True or JsonValueKind.False && expected is JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add($"{at}.properties.{name}", expected == JsonValueKind.Number ? "An integer 0..100000." : $"A {(expected == JsonValueKind.String ? "string" : "boolean")}.");
                continue;
            }

            JsonElement? normalized = value.ValueKind switch
            {
                JsonValueKind.String when PropertyValuePattern().IsMatch(value.GetString()!) => value,

                // One spelling per number (2, 2.0 and 2e0 are the same request), so plans stay identical.
                JsonValueKind.Number when value.TryGetDecimal(out decimal n) && n == decimal.Truncate(n) && n is >= 0 and <= 100_000
                    => JsonSerializer.SerializeToElement((int)n),
                JsonValueKind.True or JsonValueKind.False => value,
                _ => null,
            };
            if (normalized is null)
            {
                errors.Add($"{at}.properties.{name}", "A string of letters, digits and . _ : / @ + = , - (no spaces or shell characters), an integer 0..100000, or a boolean.");
                continue;
            }

            if (normalized.Value.ValueKind == JsonValueKind.String && SecretScreen.HoldsSecret(normalized.Value.GetString()!))
            {
                errors.Add($"{at}.properties.{name}", $"Holds a secret; name it instead ({SecretScreen.ReferencePrefix}NAME, e.g. password={SecretScreen.ReferencePrefix}db-password), resolved by the provider when it applies.");
                continue;
            }

            properties[name] = normalized.Value;
        }

        foreach (string name in kind.RequiredProperties)
        {
            if (!properties.ContainsKey(name))
            {
                errors.Add($"{at}.properties.{name}", $"Required for {kind.Type}.");
            }
        }

        foreach (var (name, fallback) in kind.Properties)
        {
            if (fallback is { } value && !properties.ContainsKey(name))
            {
                properties[name] = value;
            }
        }

        return resource with
        {
            Properties = properties.Count == 0 ? null : properties,
            DependsOn = resource.DependsOn?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        };
    }

    static List<ResourceNeed> ValidateNeeds(ValidationErrors errors, List<ResourceNeed>? needs)
    {
        if (needs is null)
        {
            return [];
        }

        if (needs.Count > MaxResourcesNeeded)
        {
            errors.Add("resources_needed", $"At most {MaxResourcesNeeded} prerequisites.");
            return [];
        }

        for (int i = 0; i < needs.Count; i++)
        {
            string at = $"resources_needed[{i}]";
            ResourceNeed? need = needs[i];
            if (need is null)
            {
                errors.Add(at, "A prerequisite object is required.");
                continue;
            }

            if (need.Type == "quota")
            {
                Name(errors, $"{at}.name", need.Name, required: true);
                Name(errors, $"{at}.location", need.Location, required: true);
                if (need.Min is null or < 0)
                {
                    errors.Add($"{at}.min", "Required for a quota: the minimum available amount.");
                }
            }
            else if (ResourceCatalog.Find(need.Type) is not null)
            {
                Name(errors, $"{at}.name", need.Name, required: true);
            }
            else
            {
                errors.Add($"{at}.type", "'quota' or a resource type of the catalog.");
            }
        }

        return needs;
    }

    static void OneOf(ValidationErrors errors, string field, string? value, string[] allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            errors.Add(field, $"One of: {string.Join(", ", allowed)}.");
        }
    }

    static void Name(ValidationErrors errors, string field, string? value, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "Required.");
            }
        }
        else if (!NamePattern().IsMatch(value))
        {
            errors.Add(field, "Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.");
        }
    }

    static void Duration(ValidationErrors errors, string field, string value, TimeSpan min, TimeSpan max)
    {
        try
        {
            TimeSpan span = ParseDuration(value);
            if (span < min || span > max)
            {
                errors.Add(field, $"Between {min} and {max}.");
            }
        }
        catch (FormatException)
        {
            errors.Add(field, "An ISO-8601 duration such as P3D, PT1H or PT30S.");
        }
    }

    static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "...";

    // A command step's command lines are checked here, when the plan is compiled: a secret, a shell meta, a pipe into a
    // program outside the allow-list, a stage argument outside its program's allow-list or a tool sub-command outside the
    // catalog never reaches execution. The rollback is held to the same catalog: changes run only through typed
    // resources, so a command step's rollback can only read (a host widens the catalog by policy). Other types have no
    // command fields.
    static void ValidateCommandFields(ValidationErrors errors, string at, ResourceSpec resource, ResourceKind kind, Execution.CommandCatalog commands)
    {
        var fields = new (string Name, string? Value)[] { ("command", resource.Command), ("read_back", resource.ReadBack), ("rollback", resource.Rollback), ("timeout", resource.Timeout) };
        if (kind.Type != Catalog.Kinds.Command.Type)
        {
            foreach (var (name, value) in fields.Where(f => f.Value is not null))
            {
                errors.Add($"{at}.{name}", $"Not a field of {kind.Type}; only steps of type 'command' carry command lines.");
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(resource.Command))
        {
            errors.Add($"{at}.command", "Required for a command step.");
        }

        foreach (var (name, value) in fields.Take(3).Where(f => f.Value is not null))
        {
            if (value!.Length > 2000)
            {
                errors.Add($"{at}.{name}", "At most 2000 characters.");
                continue;
            }

            try
            {
                Execution.CommandGuard.CheckCommandStep(value, commands);
            }
            catch (Execution.CommandRefusedException ex)
            {
                errors.Add($"{at}.{name}", $"Refused in step '{Clip(resource.Name ?? "?")}': {ex.Message}");
            }
        }

        if (resource.Timeout is not null)
        {
            Duration(errors, $"{at}.timeout", resource.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        }
    }
}
