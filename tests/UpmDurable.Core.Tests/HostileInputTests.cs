using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;
using UpmDurable.Core.Validation;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>Hostile values in every field that reaches a command line: refused by the validator, or harmless in the plan.</summary>
public sealed class HostileInputTests
{
    // Shell metas, argument injection, traversal and control characters, alone and around plain text.
    static readonly string[] Hostile =
    [
        "; rm -rf /", "$(reboot)", "`id`", "| nc evil 1", "&& curl x", "|| true", "a\nb", "a\rb", "a\0b", "> /etc/passwd", "< /dev/zero",
        "--kubeconfig=/etc/passwd", "-rf", "../../etc/passwd", "..\\..\\windows", "%2e%2e%2f", "a b", "'quoted'", "\"dq\"", "${IFS}", "~root",
        "*", "?", "[a]", "{a,b}", "!1", "#comment", "a\tb", "\u202Eevil", "\u00A0", "é", "\uFEFF", "😀",
    ];

    static readonly Gen<string> Piece = Gen.OneOf(Gen.Int[0, Hostile.Length - 1].Select(i => Hostile[i]), Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.String[Gen.Char, 0, 12]);

    static readonly Gen<string> HostileText = Piece.Array[1, 4].Select(parts => string.Concat(parts));

    // (field path, type) pairs a hostile value is put into.
    static readonly string[] Fields = ["name", "location", "resource_group", "cluster", "namespace", "depends_on", "node_count", "kubernetes_version", "image", "from_literal", "tcp", "sku"];

    static JsonObject Change(string field, string value)
    {
        var aks = new JsonObject { ["type"] = "az_aks", ["name"] = "aks1", ["resource_group"] = "rg1", ["properties"] = new JsonObject() };
        var ns = new JsonObject { ["type"] = "k8s_namespace", ["name"] = "ns1", ["cluster"] = "aks1" };
        var deploy = new JsonObject { ["type"] = "k8s_deployment", ["name"] = "web", ["namespace"] = "ns1", ["properties"] = new JsonObject { ["image"] = "nginx" } };
        var config = new JsonObject { ["type"] = "k8s_configmap", ["name"] = "cfg", ["namespace"] = "ns1", ["properties"] = new JsonObject { ["from_literal"] = "k=v" } };
        var service = new JsonObject { ["type"] = "k8s_service", ["name"] = "svc", ["namespace"] = "ns1" };
        var storage = new JsonObject { ["type"] = "az_storage_account", ["name"] = "st1", ["resource_group"] = "rg1" };
        switch (field)
        {
            case "name" or "location" or "resource_group": storage[field] = value; break;
            case "cluster": ns[field] = value; break;
            case "namespace": service[field] = value; break;
            case "depends_on": service[field] = new JsonArray(value); break;
            case "node_count" or "kubernetes_version": aks["properties"]![field] = value; break;
            case "image": deploy["properties"]![field] = value; break;
            case "from_literal": config["properties"]![field] = value; break;
            case "tcp": service["properties"] = new JsonObject { ["tcp"] = value }; break;
            default: storage["properties"] = new JsonObject { [field] = value }; break;
        }

        var rg = new JsonObject { ["type"] = "az_resource_group", ["name"] = "rg1", ["location"] = "eastus" };
        return new JsonObject { ["request"] = "hostile", ["tenant"] = "acme", ["target"] = new JsonObject { ["resources"] = new JsonArray(rg, aks, ns, deploy, config, service, storage) } };
    }

    [Fact]
    public void No_hostile_value_reaches_a_plan_command_line()
    {
        Gen.Select(Gen.Int[0, Fields.Length - 1].Select(i => Fields[i]), HostileText).Sample((field, value) =>
        {
            Plan plan;
            try
            {
                plan = PlanCompiler.Compile(ChangeRequestValidator.Validate(Change(field, value).Deserialize<ChangeRequest>(UpmJson.StrictRequest)));
            }
            catch (ChangeValidationException)
            {
                return true;
            }

            // Accepted: then every command line is plain argv — no shell meta, quote, control or non-ASCII character.
            foreach (string line in plan.Steps.SelectMany(s => new[] { s.Command, s.ReadBack, s.Rollback }))
            {
                CommandGuard.Check(line, []);
                if (line.Any(c => c is < ' ' or > '~' or '\'' or '"' or '\\' or '*' or '?' or '[' or '~' or '#' or '!' or '{'))
                {
                    return false;
                }
            }

            return true;
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("name", "a; rm -rf /")]
    [InlineData("name", "$(reboot)")]
    [InlineData("name", "`id`")]
    [InlineData("name", "a|b")]
    [InlineData("name", "../../etc/passwd")]
    [InlineData("image", "nginx;reboot")]
    [InlineData("image", "--privileged")]
    [InlineData("from_literal", "a=$(id)")]
    [InlineData("node_count", "2 && reboot")]
    public void Shell_metas_are_refused_naming_the_field(string field, string value)
    {
        var ex = Assert.Throws<ChangeValidationException>(() => ChangeRequestValidator.Validate(Change(field, value).Deserialize<ChangeRequest>(UpmJson.StrictRequest)));
        Assert.Contains(ex.Errors.ToDictionary().Keys, k => k.EndsWith(field, StringComparison.Ordinal) || k.EndsWith(".name", StringComparison.Ordinal));
    }

    [Fact]
    public void Counts_have_explicit_limits()
    {
        JsonObject change = Change("sku", "Standard_LRS");
        change["approvals"] = new JsonObject { ["groups"] = new JsonArray(Enumerable.Range(0, ChangeRequestValidator.MaxApprovalGroups + 1).Select(i => (JsonNode)$"g{i}").ToArray()) };
        change["variants"] = new JsonArray(Enumerable.Range(0, ChangeRequestValidator.MaxVariants + 1).Select(_ => (JsonNode)"canary").ToArray());
        change["resources_needed"] = new JsonArray(Enumerable.Range(0, ChangeRequestValidator.MaxResourcesNeeded + 1).Select(_ => (JsonNode)new JsonObject { ["type"] = "quota", ["name"] = "cores", ["location"] = "eastus", ["min"] = 1 }).ToArray());
        change["ticket"] = new JsonObject { ["system"] = "servicenow", ["id"] = new string('1', ChangeRequestValidator.MaxTicketId + 1) };
        var ex = Assert.Throws<ChangeValidationException>(() => ChangeRequestValidator.Validate(change.Deserialize<ChangeRequest>(UpmJson.StrictRequest)));
        var fields = ex.Errors.ToDictionary().Keys;
        Assert.Contains("approvals.groups", fields);
        Assert.Contains("variants", fields);
        Assert.Contains("resources_needed", fields);
        Assert.Contains("ticket.id", fields);
    }

    [Fact]
    public void Json_nested_deeper_than_32_is_refused_by_the_reader()
    {
        string deep = "{\"request\":\"x\",\"tenant\":\"acme\",\"target\":{\"resources\":[{\"type\":\"k8s_namespace\",\"name\":\"a\",\"properties\":{\"p\":"
            + new string('[', 40) + new string(']', 40) + "}}]}}";
        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ChangeRequest>(deep, UpmJson.StrictRequest));
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Secrets at the door: free text redacted, secret property values refused unless they are references.</summary>
public sealed class SecretScreenTests
{
    [Theory]
    [InlineData("Create it. Authorization: Bearer s3cr3t-t0ken-value", "s3cr3t-t0ken-value")]
    [InlineData("use password=hunter2hunter2 for the db", "hunter2hunter2")]
    [InlineData("db_password: hunter2hunter2", "hunter2hunter2")]
    [InlineData("api_key=AKIA0123456789", "AKIA0123456789")]
    [InlineData("connection_string=Server=x;Password=abcdefgh", "abcdefgh")]
    [InlineData("run it --token abcdef123456", "abcdef123456")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "eyJzdWIiOiIxIn0")]
    public void Free_text_secrets_are_masked(string text, string secret)
    {
        string redacted = SecretScreen.Redact(text);
        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_change_text_is_left_alone()
    {
        const string text = "Create AKS cluster aks-demo in eastus with 3 nodes and namespace team-alpha, deployment web with image nginx:1.27";
        Assert.Equal(text, SecretScreen.Redact(text));
    }

    [Theory]
    [InlineData("password=hunter2", true)]
    [InlineData("token=abc123", true)]
    [InlineData("password=secretref:db-password", false)]
    [InlineData("mode=fast", false)]
    [InlineData("nginx:1.27", false)]
    public void Property_values_holding_a_secret_are_told_apart_from_references(string value, bool holdsSecret) =>
        Assert.Equal(holdsSecret, SecretScreen.HoldsSecret(value));

    [Fact]
    public void Request_text_is_stored_redacted_and_a_secret_property_is_refused()
    {
        var request = JsonSerializer.Deserialize<ChangeRequest>(
            """{"request":"namespace for team x; Authorization: Bearer abcdefghijkl","tenant":"acme","target":{"resources":[{"type":"k8s_namespace","name":"ns1"}]}}""",
            UpmJson.StrictRequest);
        ChangeSpec spec = ChangeRequestValidator.Validate(request);
        Assert.DoesNotContain("abcdefghijkl", spec.Request, StringComparison.Ordinal);

        var secretProperty = JsonSerializer.Deserialize<ChangeRequest>(
            """{"request":"cfg","tenant":"acme","target":{"resources":[{"type":"k8s_namespace","name":"ns1"},{"type":"k8s_configmap","name":"c","namespace":"ns1","properties":{"from_literal":"password=hunter2"}}]}}""",
            UpmJson.StrictRequest);
        var ex = Assert.Throws<ChangeValidationException>(() => ChangeRequestValidator.Validate(secretProperty));
        Assert.Contains("target.resources[1].properties.from_literal", ex.Errors.ToDictionary().Keys);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }
}
