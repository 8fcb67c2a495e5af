using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace UpmDurable.Infra.Tests;

/// <summary>What infra/main.bicep compiles to: the properties a reviewer of the deployment must be able to rely on.</summary>
public sealed partial class InfraTemplateTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    [Fact]
    public void Main_template_deploys_at_subscription_scope_and_names_resources_from_the_resource_token()
    {
        Assert.Contains("subscriptionDeploymentTemplate.json", (string?)compiled.Template["$schema"], StringComparison.Ordinal);
        Assert.Equal(
            "[toLower(uniqueString(subscription().id, parameters('environmentName'), parameters('location')))]",
            (string?)compiled.Template["variables"]!["resourceToken"]);
        var resourceGroup = Assert.Single(compiled.OfType("Microsoft.Resources/resourceGroups"));
        Assert.Contains("parameters('environmentName')", (string?)resourceGroup["name"], StringComparison.Ordinal);
        Assert.Equal("[variables('tags')]", (string?)resourceGroup["tags"]);
        Assert.Equal("[parameters('environmentName')]", (string?)compiled.Template["variables"]!["tags"]!["azd-env-name"]);
    }

    [Fact]
    public void Storage_account_disallows_shared_key_access_and_public_blobs()
    {
        var account = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts"));
        var properties = account["properties"]!;
        Assert.False((bool)properties["allowSharedKeyAccess"]!);
        Assert.False((bool)properties["allowBlobPublicAccess"]!);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
    }

    [Fact]
    public void Evidence_container_is_immutable_per_version_with_a_configurable_retention()
    {
        var blobService = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices"));
        Assert.True((bool)blobService["properties"]!["isVersioningEnabled"]!);

        var evidence = Assert.Single(
            compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => ((string?)c["name"])!.Contains("-evidence", StringComparison.Ordinal));
        Assert.True((bool)evidence["properties"]!["immutableStorageWithVersioning"]!["enabled"]!);
        Assert.Equal("None", (string?)evidence["properties"]!["publicAccess"]);

        var policy = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.Contains("-evidence", (string?)policy["name"], StringComparison.Ordinal);
        Assert.Equal("[parameters('evidenceRetentionDays')]", (string?)policy["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        Assert.False((bool)policy["properties"]!["allowProtectedAppendWrites"]!);

        // The days flow from the main template's parameter down to the storage module.
        var days = compiled.Template["parameters"]!["evidenceRetentionDays"]!;
        Assert.Equal("int", (string?)days["type"]);
        Assert.Equal(365, (int)days["defaultValue"]!);
        Assert.Equal("[parameters('evidenceRetentionDays')]", (string?)ModuleParameter("storage", "evidenceRetentionDays"));
    }

    [Fact]
    public void Tables_of_the_app_are_created_with_the_prefix()
    {
        var tables = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/tableServices/tables"));
        var name = (string?)tables["name"];
        foreach (var table in new[] { "'changes'", "'changekeys'", "'sandbox'" })
        {
            Assert.Contains(table, name, StringComparison.Ordinal);
        }

        Assert.Equal("upm", (string?)compiled.Module("storage")["parameters"]!["prefix"]!["defaultValue"]);
    }

    [Fact]
    public void Function_app_runs_on_flex_consumption_as_dotnet_isolated_with_the_user_assigned_identity()
    {
        Assert.Single(compiled.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));

        var plan = Assert.Single(compiled.OfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);

        var site = Assert.Single(compiled.OfType("Microsoft.Web/sites"));
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.True(site["identity"]!["userAssignedIdentities"]!.AsObject().ContainsKey("[format('{0}', parameters('identityId'))]"));
        Assert.Equal("[parameters('identityId')]", (string?)site["properties"]!["keyVaultReferenceIdentity"]);
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        // azd deploys the "api" service to the site tagged with its name.
        Assert.Equal("[parameters('tags')]", (string?)site["tags"]);
        Assert.Contains("'azd-service-name', 'api'", (string?)ModuleParameter("api", "tags"), StringComparison.Ordinal);
    }

    [Fact]
    public void App_settings_reach_storage_by_identity_and_secrets_by_key_vault_reference()
    {
        var settings = Assert.Single(compiled.OfType("Microsoft.Web/sites/config"))["properties"]!.AsObject();
        Assert.Equal("[parameters('storageAccountName')]", (string?)settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", (string?)settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('storageAccountName')]", (string?)settings["Upm__Storage__AccountName"]);
        Assert.Equal("[parameters('identityClientId')]", (string?)settings["Upm__Storage__ManagedIdentityClientId"]);
        Assert.Equal("true", (string?)settings["Upm__Auth__TrustAppServicePrincipal"]);
        Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})'", (string?)settings["Upm__Evidence__SigningKeyPem"], StringComparison.Ordinal);
        foreach (var hook in new[] { "generic", "github", "servicenow", "jira" })
        {
            Assert.Contains("@Microsoft.KeyVault(", (string?)settings[$"Upm__Webhooks__{hook}__Secret"], StringComparison.Ordinal);
        }

        // No connection string or account key anywhere in the settings.
        Assert.DoesNotContain(settings, s => s.Key.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && s.Key.StartsWith("Upm", StringComparison.Ordinal));
        Assert.DoesNotContain("listKeys", settings.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", settings.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Key_vault_uses_rbac_authorization()
    {
        var vault = Assert.Single(compiled.OfType("Microsoft.KeyVault/vaults"));
        Assert.True((bool)vault["properties"]!["enableRbacAuthorization"]!);
        Assert.True((bool)vault["properties"]!["enableSoftDelete"]!);
    }

    [Theory]
    [InlineData(BlobDataOwner, "Microsoft.Storage/storageAccounts")]
    [InlineData(QueueDataContributor, "Microsoft.Storage/storageAccounts")]
    [InlineData(TableDataContributor, "Microsoft.Storage/storageAccounts")]
    [InlineData(KeyVaultSecretsUser, "Microsoft.KeyVault/vaults")]
    public void App_identity_holds_the_data_plane_role_on_the_right_resource(string roleDefinitionId, string scopeType)
    {
        var assignment = Assert.Single(
            compiled.OfType("Microsoft.Authorization/roleAssignments"),
            a => (string?)a["properties"]!["principalId"] == "[parameters('identityPrincipalId')]"
                && RoleId((string?)a["properties"]!["roleDefinitionId"]) == roleDefinitionId);
        Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
        Assert.Contains($"'{scopeType}'", (string?)assignment["scope"], StringComparison.Ordinal);

        // The rbac module's principal is the user-assigned identity created by the identity module.
        Assert.Contains("'identity'", (string?)ModuleParameter("rbac", "identityPrincipalId"), StringComparison.Ordinal);
        Assert.Contains("outputs.principalId.value", (string?)ModuleParameter("rbac", "identityPrincipalId"), StringComparison.Ordinal);
    }

    [Fact]
    public void App_identity_has_no_roles_beyond_the_data_plane_ones_it_needs()
    {
        var roles = compiled.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => (string?)a["properties"]!["principalId"] == "[parameters('identityPrincipalId')]")
            .Select(a => RoleId((string?)a["properties"]!["roleDefinitionId"]))
            .Order(StringComparer.Ordinal);
        // The four data-plane roles plus Monitoring Metrics Publisher for Entra-only Application Insights ingestion.
        Assert.Equal(
            new[] { BlobDataOwner, KeyVaultSecretsUser, QueueDataContributor, TableDataContributor, "3913510d-42f4-4e42-8a64-420c390055eb" }
                .Order(StringComparer.Ordinal),
            roles);
    }

    [Fact]
    public void Outputs_are_upper_snake_and_include_what_azd_and_the_hook_read()
    {
        var outputs = compiled.Template["outputs"]!.AsObject();
        Assert.All(outputs, o => Assert.Matches(UpperSnake(), o.Key));
        foreach (var name in new[]
                 {
                     "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "AZURE_STORAGE_ACCOUNT_NAME",
                     "AZURE_KEY_VAULT_NAME", "AZURE_MANAGED_IDENTITY_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING",
                 })
        {
            Assert.True(outputs.ContainsKey(name), $"output {name} missing");
        }
    }

    [Fact]
    public void Every_bicep_file_compiles_and_lints_without_diagnostics()
    {
        Assert.Equal(0, compiled.ExitCode);
        Assert.DoesNotContain(": Warning ", compiled.BuildOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(": Error ", compiled.BuildOutput, StringComparison.Ordinal);
        var linted = Directory.GetFiles(RepositoryRoot.Combine("infra"), "*.bicep", SearchOption.AllDirectories).Length;
        Assert.Contains($"linted {linted} files", compiled.BuildOutput, StringComparison.Ordinal);
    }

    private JsonNode? ModuleParameter(string module, string parameter) =>
        compiled.OfType("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == module)
            ["properties"]!["parameters"]![parameter]!["value"];

    private static string RoleId(string? roleDefinitionId) =>
        RoleGuid().Match(roleDefinitionId ?? "") is { Success: true } m ? m.Value : "";

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex UpperSnake();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RoleGuid();
}
