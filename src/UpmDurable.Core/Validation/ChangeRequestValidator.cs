using System.Text.RegularExpressions;
using System.Xml;
using UpmDurable.Core.Catalog;
using UpmDurable.Core.Intent;
using UpmDurable.Core.Model;
using static UpmDurable.Core.Validation.FieldRules;

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
    internal static partial Regex PropertyValuePattern();

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

                return (ResourceRequestValidator.ValidateResources(errors, enabledProviders, commands, target ?? new ChangeTarget(), parsed), true);
            }
        }

        return (ResourceRequestValidator.ValidateResources(errors, enabledProviders, commands, target!, target!.Resources), false);
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
}
