using UpmDurable.Api;
using UpmDurable.Api.Health;
using UpmDurable.Api.Webhooks;
using UpmDurable.Core.Signing;
using Xunit;

namespace UpmDurable.Workflows.Tests.Webhooks;

public sealed class WebhookChannelsTests
{
    internal static WebhookProvider Provider(string secret = "a-webhook-secret-0123456789", string? changeField = null, string? planField = null) => new()
    {
        Secret = secret,
        Tenant = "acme",
        ChangeIdField = changeField,
        PlanHashField = planField,
        Approvers =
        [
            new() { External = "octocat", Principal = "bob", Groups = ["platform-owners"] },
            new() { External = "bob@example.com", Principal = "bob", Groups = ["platform-owners"] },
            new() { External = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", Principal = "dana", Groups = ["security"] },
        ],
    };

    static string? DisabledBecause(string kind, WebhookProvider provider) =>
        new WebhookChannels(new Dictionary<string, WebhookProvider> { [kind] = provider }).Find(kind)!.DisabledBecause;

    [Theory]
    [InlineData("@Microsoft.KeyVault(VaultName=kv;SecretName=s)")]
    [InlineData("@microsoft.keyvault(SecretUri=https://kv.vault.azure.net/secrets/s/)")]
    [InlineData("  @MICROSOFT.KEYVAULT(VaultName=kv;SecretName=s)")]
    public void An_unresolved_key_vault_reference_disables_the_provider_and_health_says_so(string reference)
    {
        var channels = new WebhookChannels(new Dictionary<string, WebhookProvider>
        {
            ["github"] = Provider(reference),
            ["servicenow"] = new() { CredentialHash = reference, Tenant = "acme", Approvers = Provider().Approvers },
            ["generic"] = Provider(),
        });

        Assert.Equal("unresolved Key Vault reference in Secret", channels.Find("github")!.DisabledBecause);
        Assert.Equal("unresolved Key Vault reference in CredentialHash", channels.Find("servicenow")!.DisabledBecause);
        SortedDictionary<string, ProviderHealth> health = channels.Health();
        Assert.Equal(new ProviderHealth(false, "unresolved Key Vault reference in Secret"), health["github"]);
        Assert.Equal(new ProviderHealth(true, null), health["generic"]);
        Assert.Equal(new ProviderHealth(false, "not configured"), health["jira"]);
        Assert.Equal(["github", "servicenow"], channels.Disabled.Select(c => c.Name).Order());
        Assert.DoesNotContain(health.Values, h => h.Reason?.Contains("VaultName", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Incomplete_or_unsafe_configuration_disables_the_provider_naming_what_is_wrong()
    {
        Assert.Null(DisabledBecause("generic", Provider()));
        Assert.Equal("Secret is not set", DisabledBecause("generic", Provider(secret: "")));
        Assert.Equal("Secret is shorter than 16 characters", DisabledBecause("github", Provider(secret: "short")));
        Assert.Equal("Tenant is not set", DisabledBecause("generic", new WebhookProvider { Secret = "a-webhook-secret-0123456789", Approvers = Provider().Approvers }));
        Assert.StartsWith("no Approvers", DisabledBecause("generic", new WebhookProvider { Secret = "a-webhook-secret-0123456789", Tenant = "acme" }), StringComparison.Ordinal);
        Assert.Equal("ToleranceSeconds must be 1 to 3600", DisabledBecause("generic", new WebhookProvider { Secret = "a-webhook-secret-0123456789", Tenant = "acme", ToleranceSeconds = 0, Approvers = Provider().Approvers }));

        WebhookProvider twice = Provider();
        twice.Approvers.Add(new() { External = "OctoCat", Principal = "mallory" });
        Assert.Equal("Approvers:3:External is configured twice", DisabledBecause("github", twice));
        WebhookProvider hostile = Provider();
        hostile.Approvers.Add(new() { External = "a b", Principal = "x" });
        Assert.StartsWith("Approvers:3:External", DisabledBecause("github", hostile), StringComparison.Ordinal);
        WebhookProvider nobody = Provider();
        nobody.Approvers.Add(new() { External = "ghost" });
        Assert.Equal("Approvers:3:Principal is not set", DisabledBecause("github", nobody));

        Assert.StartsWith("ChangeIdField and PlanHashField must name Jira custom fields", DisabledBecause("jira", Provider()), StringComparison.Ordinal);
        Assert.StartsWith("ChangeIdField and PlanHashField must name Jira custom fields", DisabledBecause("jira", Provider(changeField: "summary", planField: "customfield_10051")), StringComparison.Ordinal);
        Assert.Null(DisabledBecause("jira", Provider(changeField: "customfield_10050", planField: "customfield_10051")));
        Assert.StartsWith("ChangeIdField and PlanHashField must name custom ServiceNow fields", DisabledBecause("servicenow", Provider(changeField: "sys_updated_by")), StringComparison.Ordinal);
        Assert.StartsWith("ChangeIdField, PlanHashField", DisabledBecause("github", Provider(changeField: "u_x")), StringComparison.Ordinal);

        Assert.Null(DisabledBecause("servicenow", new WebhookProvider { CredentialHash = OutboundCredential.Hash("t"), Tenant = "acme", Approvers = Provider().Approvers }));
        Assert.Equal("CredentialHash is not a hex SHA-256 (64 hex digits)", DisabledBecause("servicenow", new WebhookProvider { CredentialHash = "plain-token", Tenant = "acme", Approvers = Provider().Approvers }));
        Assert.Equal("CredentialHash is only read for servicenow", DisabledBecause("generic", new WebhookProvider { Secret = "a-webhook-secret-0123456789", CredentialHash = OutboundCredential.Hash("t"), Tenant = "acme", Approvers = Provider().Approvers }));
        Assert.Equal("neither Secret nor CredentialHash is set", DisabledBecause("servicenow", new WebhookProvider { Tenant = "acme", Approvers = Provider().Approvers }));
    }

    [Fact]
    public void Unknown_provider_kinds_are_not_served_and_known_ones_are_matched_in_any_case_of_configuration()
    {
        var channels = new WebhookChannels(new Dictionary<string, WebhookProvider> { ["GitHub"] = Provider(), ["gitlab"] = Provider() });
        Assert.NotNull(channels.Find("github"));
        Assert.Null(channels.Find("GitHub"));
        Assert.Null(channels.Find("gitlab"));
        Assert.Equal(WebhookChannels.Known.Order(), channels.Health().Keys);
    }

    [Fact]
    public void An_identity_resolves_to_its_configured_principal_with_that_principals_groups_never_the_senders()
    {
        WebhookChannel github = new WebhookChannels(new Dictionary<string, WebhookProvider> { ["github"] = Provider() }).Find("github")!;
        Assert.Equal(("bob", "acme", "approver", "platform-owners"), Shape(github.Resolve(["OctoCat"])));
        Assert.Equal("bob", github.Resolve(["bob@example.com"])!.Id);
        Assert.Equal(("dana", "acme", "approver", "security"), Shape(github.Resolve(["unknown", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"])));
        Assert.Null(github.Resolve(["mallory"]));
        Assert.Null(github.Resolve([]));

        static (string, string, string, string) Shape(UpmPrincipal? p) => (p!.Id, p.Tenant, string.Join(',', p.Roles), string.Join(',', p.Groups));
    }

    [Fact]
    public void Identities_are_an_allow_list()
    {
        foreach (string ok in new[] { "octocat", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "mia.krystof@example.com", "abel.tuter", "a+b" })
        {
            Assert.True(WebhookChannels.IsIdentity(ok), ok);
        }

        foreach (string? bad in new[] { null, "", "a b", "alice\n", "alice\r\n", "<script>", "a/b", "ä", new string('x', 201), "x;rm -rf" })
        {
            Assert.False(WebhookChannels.IsIdentity(bad), bad);
        }
    }
}
