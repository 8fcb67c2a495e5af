using System.Text.Json;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Model;
using static UpmDurable.Core.Validation.ChangeRequestValidator;
using static UpmDurable.Core.Validation.FieldRules;

namespace UpmDurable.Core.Validation;

/// <summary>The resources of a change request, each checked against its catalog kind: fields, properties, dependencies and command lines.</summary>
internal static class ResourceRequestValidator
{
    /// <summary>Checks the resources of a target against the catalog, the enabled providers and the command catalog.</summary>
    public static List<ResourceSpec> ValidateResources(ValidationErrors errors, IReadOnlySet<string> enabledProviders, Execution.CommandCatalog commands, ChangeTarget target, List<ResourceSpec>? resources)
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

        if (result.Any(r => r.Type == Command.Type) && target.Provider != "cli")
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

    // A command step's command lines are checked here, when the plan is compiled: a secret, a shell meta, a pipe into a
    // program outside the allow-list, a stage argument outside its program's allow-list or a tool sub-command outside the
    // catalog never reaches execution. The rollback is held to the same catalog: changes run only through typed
    // resources, so a command step's rollback can only read (a host widens the catalog by policy). Other types have no
    // command fields.
    static void ValidateCommandFields(ValidationErrors errors, string at, ResourceSpec resource, ResourceKind kind, Execution.CommandCatalog commands)
    {
        var fields = new (string Name, string? Value)[] { ("command", resource.Command), ("read_back", resource.ReadBack), ("rollback", resource.Rollback), ("timeout", resource.Timeout) };
        if (kind.Type != Command.Type)
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
