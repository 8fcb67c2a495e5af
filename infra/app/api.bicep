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
param webhookSecretNames array
param maximumInstanceCount int
param instanceMemoryMB int

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

var keyVaultReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=%s)'
var webhookSettings = reduce(
  webhookSecretNames,
  {},
  (settings, secretName) => union(settings, {
    'Upm__Webhooks__${split(secretName, '-')[2]}__Secret': format(
      '@Microsoft.KeyVault(VaultName={0};SecretName={1})',
      keyVaultName,
      secretName
    )
  })
)

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(
    {
      // Durable Task hub and triggers over the identity; no shared key, no connection string.
      AzureWebJobsStorage__accountName: storage.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      Upm__Storage__AccountName: storage.name
      Upm__Storage__ManagedIdentityClientId: identityClientId
      Upm__Auth__TrustAppServicePrincipal: 'true'
      Upm__Evidence__SigningKeyPem: replace(keyVaultReference, '%s', evidenceSigningKeySecretName)
    },
    webhookSettings
  )
}

output name string = functionApp.name
output url string = 'https://${functionApp.properties.defaultHostName}'
