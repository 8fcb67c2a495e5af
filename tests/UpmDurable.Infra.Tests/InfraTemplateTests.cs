using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace UpmDurable.Infra.Tests;

/// <summary>What infra/main.bicep compiles to: the properties a reviewer of the deployment must be able to rely on.</summary>
public sealed partial class InfraTemplateTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
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

        // One container loop; only the evidence container gets version-level immutability.
        var containers = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal(
            "[if(equals(variables('appContainerNames')[copyIndex()], format('{0}-evidence', parameters('prefix'))), "
            + "createObject('publicAccess', 'None', 'immutableStorageWithVersioning', createObject('enabled', true())), createObject('publicAccess', 'None'))]",
            (string?)containers["properties"]);

        var policy = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.Contains("format('{0}-evidence', parameters('prefix'))", (string?)policy["name"], StringComparison.Ordinal);
        Assert.Equal("[parameters('evidenceRetentionDays')]", (string?)policy["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        Assert.False((bool)policy["properties"]!["allowProtectedAppendWrites"]!);

        // The days flow from the main template's parameter down to the storage module.
        var days = compiled.Template["parameters"]!["evidenceRetentionDays"]!;
        Assert.Equal("int", (string?)days["type"]);
        Assert.Equal(365, (int)days["defaultValue"]!);
        Assert.Equal("[parameters('evidenceRetentionDays')]", (string?)ModuleParameter("storage", "evidenceRetentionDays"));
    }

    [Fact]
    public void Locking_the_evidence_retention_hands_the_policy_to_the_postprovision_hook()
    {
        // Off by default (locking is final); when on, the template stops declaring the policy (a locked policy refuses the
        // PUT a redeploy sends) and tells the hook, which creates it if missing and locks it.
        var lockParameter = compiled.Template["parameters"]!["lockEvidenceImmutability"]!;
        Assert.Equal("bool", (string?)lockParameter["type"]);
        Assert.False((bool)lockParameter["defaultValue"]!);
        Assert.Equal("[parameters('lockEvidenceImmutability')]", (string?)ModuleParameter("storage", "lockEvidenceImmutability"));

        var policy = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.Equal("[not(parameters('lockEvidenceImmutability'))]", (string?)policy["condition"]);
        Assert.Null(policy["properties"]!["state"]); // not an ARM property: locking is the POST .../lock the hook sends

        var outputs = compiled.Template["outputs"]!;
        Assert.Equal("[parameters('lockEvidenceImmutability')]", (string?)outputs["AZURE_LOCK_EVIDENCE_IMMUTABILITY"]!["value"]);
        Assert.Equal("[parameters('evidenceRetentionDays')]", (string?)outputs["AZURE_EVIDENCE_RETENTION_DAYS"]!["value"]);
        Assert.Equal("${LOCK_EVIDENCE_IMMUTABILITY=false}", (string?)Parameters()["lockEvidenceImmutability"]!["value"]);

        string hook = File.ReadAllText(RepositoryRoot.Combine("scripts", "postprovision.sh"));
        Assert.Contains("AZURE_LOCK_EVIDENCE_IMMUTABILITY", hook, StringComparison.Ordinal);
        Assert.Contains("policy lock --if-match", hook, StringComparison.Ordinal);
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
        var settings = SiteConfig("appsettings")["properties"]!.AsObject();
        Assert.Equal("[parameters('storageAccountName')]", (string?)settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", (string?)settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('storageAccountName')]", (string?)settings["Upm__Storage__AccountName"]);
        Assert.Equal("[parameters('identityClientId')]", (string?)settings["Upm__Storage__ManagedIdentityClientId"]);
        Assert.Equal("true", (string?)settings["Upm__Auth__TrustAppServicePrincipal"]);
        Assert.Equal("[parameters('upmTenant')]", (string?)settings["[format('Upm__Auth__Tenants__{0}', parameters('authTenantId'))]"]);
        Assert.Equal(
            "[format('https://{0}', reference(resourceId('Microsoft.Web/sites', parameters('name')), '2024-04-01').defaultHostName)]",
            (string?)settings["Upm__PublicBaseUrl"]);
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

    [Fact]
    public void Platform_authentication_is_on_and_required_with_entra_id_except_for_health_and_webhooks()
    {
        var auth = SiteConfig("authsettingsV2")["properties"]!;
        Assert.True((bool)auth["platform"]!["enabled"]!);
        var validation = auth["globalValidation"]!;
        Assert.True((bool)validation["requireAuthentication"]!);
        Assert.Equal("Return401", (string?)validation["unauthenticatedClientAction"]);
        Assert.Equal(["/api/health", "/api/webhooks/*"], validation["excludedPaths"]!.AsArray().Select(p => (string?)p));

        var aad = auth["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True((bool)aad["enabled"]!);
        Assert.Equal("[parameters('authClientId')]", (string?)aad["registration"]!["clientId"]);
        Assert.Equal("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, parameters('authTenantId'))]", (string?)aad["registration"]!["openIdIssuer"]);
        Assert.Null(aad["registration"]!["clientSecretSettingName"]); // bearer tokens are validated without a secret
        Assert.Equal("[parameters('authAllowedAudiences')]", (string?)aad["validation"]!["allowedAudiences"]);
        Assert.False((bool)auth["login"]!["tokenStore"]!["enabled"]!);

        // The client id is required; tenant and audiences default to the subscription's tenant and the app's own id.
        var parameters = compiled.Template["parameters"]!;
        Assert.Null(parameters["authClientId"]!["defaultValue"]);
        Assert.Equal(1, (int)parameters["authClientId"]!["minLength"]!);
        Assert.Equal("[if(empty(parameters('authTenantId')), tenant().tenantId, parameters('authTenantId'))]", (string?)compiled.Template["variables"]!["effectiveAuthTenantId"]);
        Assert.Equal("[if(empty(variables('requestedAudiences')), createArray(format('api://{0}', parameters('authClientId')), parameters('authClientId')), variables('requestedAudiences'))]",
            (string?)compiled.Template["variables"]!["effectiveAudiences"]);
        Assert.Equal("[parameters('authClientId')]", (string?)ModuleParameter("api", "authClientId"));
        Assert.Equal("[variables('effectiveAuthTenantId')]", (string?)ModuleParameter("api", "authTenantId"));
        Assert.Equal("[variables('effectiveAudiences')]", (string?)ModuleParameter("api", "authAllowedAudiences"));
        Assert.Equal("default", (string?)parameters["upmTenant"]!["defaultValue"]);

        // azd fills them from its environment.
        var file = Parameters();
        Assert.Equal("${AUTH_CLIENT_ID}", (string?)file["authClientId"]!["value"]);
        Assert.Equal("${AUTH_TENANT_ID}", (string?)file["authTenantId"]!["value"]);
        Assert.Equal("${AUTH_ALLOWED_AUDIENCES}", (string?)file["authAllowedAudiences"]!["value"]);
        Assert.Equal("${UPM_TENANT=default}", (string?)file["upmTenant"]!["value"]);
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts")]
    [InlineData("Microsoft.KeyVault/vaults")]
    public void Storage_and_key_vault_deny_public_network_access_by_default(string type)
    {
        var properties = Assert.Single(compiled.OfType(type))["properties"]!;
        Assert.Equal("[if(parameters('allowPublicNetworkAccess'), 'Allow', 'Deny')]", (string?)properties["networkAcls"]!["defaultAction"]);
        Assert.Equal("AzureServices", (string?)properties["networkAcls"]!["bypass"]);
        Assert.Equal("[if(or(parameters('allowPublicNetworkAccess'), not(empty(parameters('allowedIpAddresses')))), 'Enabled', 'Disabled')]", (string?)properties["publicNetworkAccess"]);
        Assert.Equal("[length(parameters('allowedIpAddresses'))]", (string?)properties["networkAcls"]!["copy"]![0]!["count"]);

        var parameters = compiled.Template["parameters"]!;
        Assert.False((bool)parameters["allowPublicNetworkAccess"]!["defaultValue"]!);
        Assert.Equal("", (string?)parameters["allowedIpAddresses"]!["defaultValue"]);
        string module = type.Contains("Storage", StringComparison.Ordinal) ? "storage" : "keyvault";
        Assert.Equal("[parameters('allowPublicNetworkAccess')]", (string?)ModuleParameter(module, "allowPublicNetworkAccess"));
        Assert.Equal("[variables('allowedIps')]", (string?)ModuleParameter(module, "allowedIpAddresses"));
        Assert.Equal("${ALLOW_PUBLIC_NETWORK_ACCESS=false}", (string?)Parameters()["allowPublicNetworkAccess"]!["value"]);
        Assert.Equal("${ALLOWED_IP_ADDRESSES}", (string?)Parameters()["allowedIpAddresses"]!["value"]);
    }

    [Fact]
    public void Function_app_reaches_storage_and_key_vault_through_its_vnet_and_private_endpoints()
    {
        var site = Assert.Single(compiled.OfType("Microsoft.Web/sites"));
        Assert.Equal("[parameters('virtualNetworkSubnetId')]", (string?)site["properties"]!["virtualNetworkSubnetId"]);
        Assert.Contains("outputs.appSubnetId.value", (string?)ModuleParameter("api", "virtualNetworkSubnetId"), StringComparison.Ordinal);

        var vnet = Assert.Single(compiled.OfType("Microsoft.Network/virtualNetworks"));
        var subnets = vnet["properties"]!["subnets"]!.AsArray();
        Assert.Equal(2, subnets.Count);
        var app = subnets.Single(s => (string?)s!["name"] == "app")!;
        Assert.Equal("Microsoft.App/environments", (string?)Assert.Single(app["properties"]!["delegations"]!.AsArray())!["properties"]!["serviceName"]);
        Assert.Null(app["properties"]!["serviceEndpoints"]); // the Flex integration subnet is used for nothing else

        var endpoints = Assert.Single(compiled.OfType("Microsoft.Network/privateEndpoints"));
        Assert.Equal("[length(variables('endpoints'))]", (string?)endpoints["copy"]!["count"]);
        var groups = compiled.Module("network")["variables"]!["endpoints"]!.AsArray().Select(e => (string?)e!["groupId"]);
        Assert.Equal(["blob", "queue", "table", "vault"], groups);
        Assert.Single(compiled.OfType("Microsoft.Network/privateDnsZones"));
        Assert.Single(compiled.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks"));
        Assert.Single(compiled.OfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups"));
    }

    [Theory]
    [InlineData(TableDataContributor, "Microsoft.Storage/storageAccounts")]
    [InlineData(KeyVaultSecretsUser, "Microsoft.KeyVault/vaults")]
    public void App_identity_holds_the_data_plane_role_on_the_right_resource(string roleDefinitionId, string scopeType)
    {
        var assignment = Assert.Single(AppRoleAssignments(), a => RoleOf(a) == roleDefinitionId);
        Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
        Assert.Equal($"[resourceId('{scopeType}', parameters('{(scopeType.Contains("Storage", StringComparison.Ordinal) ? "storageAccountName" : "keyVaultName")}'))]", (string?)assignment["scope"]);

        // The rbac module's principal is the user-assigned identity created by the identity module.
        Assert.Contains("'identity'", (string?)ModuleParameter("rbac", "identityPrincipalId"), StringComparison.Ordinal);
        Assert.Contains("outputs.principalId.value", (string?)ModuleParameter("rbac", "identityPrincipalId"), StringComparison.Ordinal);
    }

    [Fact]
    public void App_identity_gets_blob_access_per_container_and_never_blob_data_owner()
    {
        Assert.DoesNotContain(AppRoleAssignments(), a => RoleOf(a) == BlobDataOwner);

        var blob = Assert.Single(AppRoleAssignments(), a => RoleOf(a) == BlobDataContributor);
        Assert.Equal(BlobDataContributor, (string?)compiled.Module("rbac")["variables"]!["storageBlobDataContributor"]);
        Assert.Equal("[length(parameters('appContainerNames'))]", (string?)blob["copy"]!["count"]);
        Assert.Equal(
            "[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('storageAccountName'), 'default', parameters('appContainerNames')[copyIndex()])]",
            (string?)blob["scope"]);
        Assert.Contains("storage", (string?)ModuleParameter("rbac", "appContainerNames"), StringComparison.Ordinal);
        Assert.Contains("outputs.appContainerNames.value", (string?)ModuleParameter("rbac", "appContainerNames"), StringComparison.Ordinal);

        // Every container it is scoped to is created by the storage module: the Functions host's, the Durable Task hub's
        // (named after host.json's hubName) and UpmDurable's.
        var names = compiled.Module("storage")["variables"]!["appContainerNames"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Equal(
            [
                "azure-webjobs-hosts", "azure-webjobs-secrets", "[format('{0}-leases', variables('hub'))]", "[format('{0}-applease', variables('hub'))]",
                "[format('{0}-largemessages', variables('hub'))]", "[format('{0}-records', parameters('prefix'))]", "[format('{0}-evidence', parameters('prefix'))]",
                "[parameters('deploymentContainerName')]",
            ],
            names);
        Assert.Equal("[toLower(variables('durableTask').hubName)]", (string?)compiled.Module("storage")["variables"]!["hub"]);
        var hostJson = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("host.json")))!;
        Assert.Equal((string?)hostJson["extensions"]!["durableTask"]!["hubName"], (string?)compiled.Module("storage")["variables"]!["$fxv#0"]!["extensions"]!["durableTask"]!["hubName"]);
        var created = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal("[length(variables('appContainerNames'))]", (string?)created["copy"]!["count"]);
    }

    [Fact]
    public void App_identity_gets_queue_access_per_durable_task_hub_queue()
    {
        var queue = Assert.Single(AppRoleAssignments(), a => RoleOf(a) == QueueDataContributor);
        Assert.Equal(QueueDataContributor, (string?)compiled.Module("rbac")["variables"]!["storageQueueDataContributor"]);
        Assert.Equal("[length(parameters('appQueueNames'))]", (string?)queue["copy"]!["count"]);
        Assert.Equal(
            "[resourceId('Microsoft.Storage/storageAccounts/queueServices/queues', parameters('storageAccountName'), 'default', parameters('appQueueNames')[copyIndex()])]",
            (string?)queue["scope"]);

        // One control queue per partition of host.json, plus the work-item queue; all created by the storage module.
        Assert.Equal(
            "[concat(map(range(0, variables('durableTask').storageProvider.partitionCount), lambda('i', format('{0}-control-{1}', variables('hub'), padLeft(string(lambdaVariables('i')), 2, '0')))), createArray(format('{0}-workitems', variables('hub'))))]",
            (string?)compiled.Module("storage")["variables"]!["hubQueueNames"]);
        var created = Assert.Single(compiled.OfType("Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Equal("[length(variables('hubQueueNames'))]", (string?)created["copy"]!["count"]);
    }

    [Fact]
    public void App_identity_has_no_roles_beyond_the_data_plane_ones_it_needs()
    {
        var roles = AppRoleAssignments()
            .Select(a => RoleOf(a))
            .Order(StringComparer.Ordinal);
        // Container-scoped blob, queue-scoped queue, account-scoped table (a table cannot be created under a table-scoped
        // role), vault-scoped secrets, plus Monitoring Metrics Publisher for Entra-only Application Insights ingestion.
        Assert.Equal(
            new[] { BlobDataContributor, KeyVaultSecretsUser, QueueDataContributor, TableDataContributor, "3913510d-42f4-4e42-8a64-420c390055eb" }
                .Order(StringComparer.Ordinal),
            roles);
    }

    [Fact]
    public void Only_the_deploying_user_holds_account_scoped_blob_data_owner()
    {
        var owners = compiled.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => ((string?)a["properties"]!["roleDefinitionId"])!.Contains("userStorageRoleIds", StringComparison.Ordinal))
            .ToList();
        var user = Assert.Single(owners);
        Assert.Equal("[parameters('userPrincipalId')]", (string?)user["properties"]!["principalId"]);
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]", (string?)user["scope"]);
        Assert.Contains(BlobDataOwner, compiled.Module("rbac")["variables"]!["userStorageRoleIds"]!.AsArray().Select(r => (string?)r));
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

    private IEnumerable<JsonObject> AppRoleAssignments() => compiled.OfType("Microsoft.Authorization/roleAssignments")
        .Where(a => (string?)a["properties"]!["principalId"] == "[parameters('identityPrincipalId')]");

    /// <summary>The role definition id of an assignment, written out or as variables('name') of the rbac module.</summary>
    private string RoleOf(JsonObject assignment)
    {
        string definition = (string?)assignment["properties"]!["roleDefinitionId"] ?? "";
        return RoleId(definition) is { Length: > 0 } id ? id
            : VariableName().Match(definition) is { Success: true } m ? (string?)compiled.Module("rbac")["variables"]![m.Groups[1].Value] ?? "" : "";
    }

    private JsonObject SiteConfig(string name) =>
        Assert.Single(compiled.OfType("Microsoft.Web/sites/config"), c => ((string?)c["name"])!.Contains($"'{name}'", StringComparison.Ordinal));

    private static JsonNode Parameters() =>
        JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("infra", "main.parameters.json")))!["parameters"]!;

    private JsonNode? ModuleParameter(string module, string parameter) =>
        compiled.OfType("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == module)
            ["properties"]!["parameters"]![parameter]!["value"];

    private static string RoleId(string? roleDefinitionId) =>
        RoleGuid().Match(roleDefinitionId ?? "") is { Success: true } m ? m.Value : "";

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex UpperSnake();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RoleGuid();

    [GeneratedRegex(@"variables\('([A-Za-z]+)'\)")]
    private static partial Regex VariableName();
}
