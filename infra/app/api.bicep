// Flex Consumption (Linux, .NET isolated) function app running the UpmDurable Functions host.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
param keyVaultName string
param evidenceSigningKeySecretName string
@description('Key Vault secret name per webhook (generic, github, servicenow, jira).')
param webhookSecretNames object
param maximumInstanceCount int
param instanceMemoryMB int

@description('Subnet (delegated to Microsoft.App/environments) the app integrates with for all its outbound traffic.')
param virtualNetworkSubnetId string

@description('Client (application) id of the Entra app registration callers get tokens for.')
param authClientId string

@description('Entra tenant that issues the tokens.')
param authTenantId string

@description('Token audiences App Service Authentication accepts.')
param authAllowedAudiences array

@description('UpmDurable tenant the callers of authTenantId belong to (Upm:Auth:Tenants).')
param upmTenant string

@description('Run the sandbox provider and its tamper route (Upm:Sandbox:Enabled).')
param enableSandbox bool = false

@description('Subscription the azure provider changes.')
param azureSubscriptionId string

@description('Resource groups the azure provider changes; empty leaves the provider off.')
param azureResourceGroups array = []

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Flex Consumption VNet integration: storage and Key Vault are reached through their private endpoints.
    virtualNetworkSubnetId: virtualNetworkSubnetId
    // Key Vault references resolve with the user-assigned identity (Key Vault Secrets User).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: {
    // Durable Task hub and triggers over the identity; no shared key, no connection string.
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    Upm__Storage__AccountName: storage.name
    Upm__Storage__ManagedIdentityClientId: identityClientId
    // App Service Authentication (authSettings below) validates the token and writes X-MS-CLIENT-PRINCIPAL; the app trusts it.
    Upm__Auth__TrustAppServicePrincipal: 'true'
    // The Entra tenant's callers are this UpmDurable tenant (a upm_tenant claim, when present, wins).
    'Upm__Auth__Tenants__${authTenantId}': upmTenant
    // Links in evidence packs and notices: the app's own host name, never a request's Host header.
    Upm__PublicBaseUrl: 'https://${functionApp.properties.defaultHostName}'
    // host.json routePrefix is "" so the dashboard answers at /; the host's own landing page would shadow it.
    AzureWebJobsDisableHomepage: 'true'
    // Versionless Key Vault references: a rotated secret is picked up without a redeploy.
    Upm__Evidence__SigningKeyPem: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${evidenceSigningKeySecretName})'
    Upm__Webhooks__generic__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${webhookSecretNames.generic})'
    Upm__Webhooks__github__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${webhookSecretNames.github})'
    Upm__Webhooks__servicenow__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${webhookSecretNames.servicenow})'
    Upm__Webhooks__jira__Secret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${webhookSecretNames.jira})'
    // The simulated cloud is off unless asked for: a deployed app's changes are real.
    Upm__Sandbox__Enabled: string(enableSandbox)
    // The azure provider runs when it has target groups (its identity holds Contributor on each, see main.bicep); an empty
    // subscription id leaves it off. It reads and writes by resource id inside these groups only.
    Upm__Azure__SubscriptionId: empty(azureResourceGroups) ? '' : azureSubscriptionId
    Upm__Azure__ResourceGroups: join(azureResourceGroups, ',')
    Upm__Azure__ManagedIdentityClientId: identityClientId
    Upm__Azure__TenantId: tenant().tenantId
  }
}

// Every request needs an Entra ID token for the app registration, except the health probe and the webhooks (they carry
// their own HMAC signature). API callers send a bearer token and get 401 without one (no redirect); no client secret is
// needed to validate tokens. Browsers sign in at /.auth/login/aad (the registration needs the callback redirect URI and
// ID tokens, see docs/deploy.md). No token store: the app reads the principal, never the caller's tokens.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/api/health'
        '/api/webhooks/*'
      ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: authAllowedAudiences
        }
      }
    }
    login: {
      tokenStore: { enabled: false }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
