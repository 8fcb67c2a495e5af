using System.Text.Json.Nodes;
using Xunit;

namespace UpmDurable.Infra.Tests;

// Azure defaults: the sandbox off in the deployed app, the azure provider configured from azd parameters, and its role
// scoped to each target resource group.
public sealed partial class InfraTemplateTests
{
    private const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    [Fact]
    public void Sandbox_is_off_in_the_deployed_app_unless_ENABLE_SANDBOX_turns_it_on()
    {
        var parameter = compiled.Template["parameters"]!["enableSandbox"]!;
        Assert.Equal("bool", (string?)parameter["type"]);
        Assert.False((bool)parameter["defaultValue"]!);
        Assert.Equal("${ENABLE_SANDBOX=false}", (string?)Parameters()["enableSandbox"]!["value"]);
        Assert.Equal("[parameters('enableSandbox')]", (string?)ModuleParameter("api", "enableSandbox"));
        Assert.False((bool)compiled.Module("api")["parameters"]!["enableSandbox"]!["defaultValue"]!);

        var settings = SiteConfig("appsettings")["properties"]!.AsObject();
        Assert.Equal("[string(parameters('enableSandbox'))]", (string?)settings["Upm__Sandbox__Enabled"]);
    }

    [Fact]
    public void The_azure_provider_is_configured_from_the_target_subscription_and_groups_azd_passes()
    {
        var parameters = compiled.Template["parameters"]!;
        Assert.Equal(("string", ""), ((string?)parameters["azureTargetSubscriptionId"]!["type"], (string?)parameters["azureTargetSubscriptionId"]!["defaultValue"]));
        Assert.Equal(("string", ""), ((string?)parameters["azureTargetResourceGroups"]!["type"], (string?)parameters["azureTargetResourceGroups"]!["defaultValue"]));
        Assert.Equal("${AZURE_TARGET_SUBSCRIPTION_ID}", (string?)Parameters()["azureTargetSubscriptionId"]!["value"]);
        Assert.Equal("${AZURE_TARGET_RESOURCE_GROUPS}", (string?)Parameters()["azureTargetResourceGroups"]!["value"]);

        // Comma-separated as azd env vars are, trimmed, empties dropped; the subscription defaults to the deployment's.
        var variables = compiled.Template["variables"]!;
        Assert.Equal(
            "[filter(map(split(parameters('azureTargetResourceGroups'), ','), lambda('group', trim(lambdaVariables('group')))), lambda('group', not(empty(lambdaVariables('group')))))]",
            (string?)variables["targetResourceGroups"]);
        Assert.Equal("[if(empty(parameters('azureTargetSubscriptionId')), subscription().subscriptionId, parameters('azureTargetSubscriptionId'))]", (string?)variables["targetSubscriptionId"]);
        Assert.Equal("[variables('targetResourceGroups')]", (string?)ModuleParameter("api", "azureResourceGroups"));
        Assert.Equal("[variables('targetSubscriptionId')]", (string?)ModuleParameter("api", "azureSubscriptionId"));
        Assert.Equal("array", (string?)compiled.Module("api")["parameters"]!["azureResourceGroups"]!["type"]);

        // No target group, no subscription id: the app leaves the provider off (AzureProviderServices).
        var settings = SiteConfig("appsettings")["properties"]!.AsObject();
        Assert.Equal("[if(empty(parameters('azureResourceGroups')), '', parameters('azureSubscriptionId'))]", (string?)settings["Upm__Azure__SubscriptionId"]);
        Assert.Equal("[join(parameters('azureResourceGroups'), ',')]", (string?)settings["Upm__Azure__ResourceGroups"]);
        Assert.Equal("[parameters('identityClientId')]", (string?)settings["Upm__Azure__ManagedIdentityClientId"]);
        Assert.Equal("[tenant().tenantId]", (string?)settings["Upm__Azure__TenantId"]);

        var outputs = compiled.Template["outputs"]!.AsObject();
        Assert.True(outputs.ContainsKey("AZURE_TARGET_SUBSCRIPTION_ID"));
        Assert.True(outputs.ContainsKey("AZURE_TARGET_RESOURCE_GROUPS"));
    }

    [Fact]
    public void Each_target_group_gets_Contributor_for_the_app_identity_scoped_to_that_group_and_nothing_wider()
    {
        var roles = compiled.OfType("Microsoft.Resources/deployments").Single(d => (string?)d["copy"]?["name"] == "targetGroupRoles");
        Assert.Equal("[length(variables('targetResourceGroups'))]", (string?)roles["copy"]!["count"]);
        Assert.Equal("[variables('targetSubscriptionId')]", (string?)roles["subscriptionId"]);
        Assert.Equal("[variables('targetResourceGroups')[copyIndex()]]", (string?)roles["resourceGroup"]);
        string principal = (string?)roles["properties"]!["parameters"]!["appPrincipalId"]!["value"] ?? "";
        Assert.Contains("'identity'", principal, StringComparison.Ordinal);
        Assert.Contains("outputs.principalId.value", principal, StringComparison.Ordinal);

        // The nested template holds one assignment, at its own (resource group) scope: no scope property widens it.
        var template = roles["properties"]!["template"]!.AsObject();
        Assert.EndsWith("deploymentTemplate.json#", (string?)template["$schema"], StringComparison.Ordinal);
        Assert.DoesNotContain("subscriptionDeploymentTemplate", (string?)template["$schema"], StringComparison.Ordinal);
        var assignment = Assert.Single(template["resources"]!.AsArray())!.AsObject();
        Assert.Equal("Microsoft.Authorization/roleAssignments", (string?)assignment["type"]);
        Assert.Null(assignment["scope"]);
        Assert.Equal(Contributor, (string?)template["variables"]!["contributor"]);
        Assert.Equal("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('contributor'))]", (string?)assignment["properties"]!["roleDefinitionId"]);
        Assert.Equal("[parameters('appPrincipalId')]", (string?)assignment["properties"]!["principalId"]);
        Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
        Assert.Equal("[guid(resourceGroup().id, parameters('appPrincipalId'), variables('contributor'))]", (string?)assignment["name"]);

        // Contributor appears nowhere else, and no assignment anywhere grants Owner or User Access Administrator.
        Assert.Single(compiled.OfType("Microsoft.Authorization/roleAssignments"), a => Resolved(a).Contains(Contributor, StringComparison.Ordinal));
        Assert.DoesNotContain(compiled.OfType("Microsoft.Authorization/roleAssignments"), a =>
            Resolved(a).Contains("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", StringComparison.Ordinal) || Resolved(a).Contains("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", StringComparison.Ordinal));

        // The app starts only once its identity holds the role on the groups it will change.
        var api = compiled.OfType("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == "api");
        Assert.Contains("targetGroupRoles", api["dependsOn"]!.AsArray().Select(d => (string?)d));
    }

    // An assignment's role definition with the variables of its own (nested) template written out.
    private static string Resolved(JsonObject assignment)
    {
        string resolved = (string?)assignment["properties"]!["roleDefinitionId"] ?? "";
        JsonNode? template = assignment.Parent;
        while (template is not null && !(template is JsonObject t && t.ContainsKey("resources") && t.ContainsKey("$schema")))
        {
            template = template.Parent;
        }

        foreach (var (name, value) in template?["variables"] as JsonObject ?? [])
        {
            resolved = resolved.Replace($"variables('{name}')", value?.ToJsonString(), StringComparison.Ordinal);
        }

        return resolved;
    }
}
