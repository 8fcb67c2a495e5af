// UpmDurable on Azure: one resource group with a Flex Consumption function app that reaches storage and Key Vault
// only through a user-assigned managed identity (no shared keys, no connection strings) and only over its VNet (private
// endpoints; the public endpoints deny by default). Every request to the app needs an Entra ID token (App Service
// Authentication) except the health probe and the signed webhooks. docs/deploy.md lists what each parameter does.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Azure region for all resources (must offer Flex Consumption).')
param location string

@description('Object id of the deploying user or pipeline; gets data-plane roles for local runs and secret rotation. Empty to skip.')
param principalId string = ''

@description('Principal type of principalId.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@minValue(1)
@maxValue(146000)
@description('Days each evidence blob version stays immutable (version-level WORM, time-based retention).')
param evidenceRetentionDays int = 365

@minValue(1)
@maxValue(1000)
@description('Flex Consumption scale-out ceiling (instances).')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
@description('Flex Consumption instance memory size (MB).')
param instanceMemoryMB int = 2048

@secure()
@description('Optional ECDSA P-256 PKCS#8 PEM that signs evidence packs. Empty: the postprovision hook creates one in Key Vault.')
param evidenceSigningKeyPem string = ''

@secure()
@description('Optional webhook secrets (generic, github, servicenow, jira). Empty values are created by the postprovision hook.')
param webhookSecrets object = {}

@description('Key Vault purge protection; on for production, off makes `azd down --purge` possible.')
param enablePurgeProtection bool = false

@minLength(1)
@description('Client (application) id of the Entra app registration that protects the API (AUTH_CLIENT_ID; see docs/deploy.md).')
param authClientId string

@description('Entra tenant that issues the API\'s tokens (AUTH_TENANT_ID). Empty: the subscription\'s tenant.')
param authTenantId string = ''

@description('Comma-separated token audiences to accept (AUTH_ALLOWED_AUDIENCES). Empty: api://<authClientId> and <authClientId>.')
param authAllowedAudiences string = ''

@minLength(1)
@description('UpmDurable tenant that callers from authTenantId belong to (UPM_TENANT), unless their token has a upm_tenant claim.')
param upmTenant string = 'default'

@description('Open the storage account and Key Vault public endpoints to every network (ALLOW_PUBLIC_NETWORK_ACCESS). Off: they deny all but allowedIpAddresses; the app uses private endpoints.')
param allowPublicNetworkAccess bool = false

@description('Comma-separated public IPv4 addresses or CIDR ranges let through the storage and Key Vault firewalls (ALLOWED_IP_ADDRESSES): the machine that runs the postprovision hook, or `func start` against the account.')
param allowedIpAddresses string = ''

@description('Lock the evidence container\'s time-based retention policy (LOCK_EVIDENCE_IMMUTABILITY). Irreversible: the postprovision hook locks it; it can then only be extended.')
param lockEvidenceImmutability bool = false

@description('Run the simulated cloud in the deployed app (ENABLE_SANDBOX): the sandbox provider and its tamper route. Off by default: a deployed app acts on real targets only.')
param enableSandbox bool = false

@description('Subscription the azure provider changes (AZURE_TARGET_SUBSCRIPTION_ID). Empty: this deployment\'s subscription.')
param azureTargetSubscriptionId string = ''

@description('Comma-separated existing resource groups the azure provider may change (AZURE_TARGET_RESOURCE_GROUPS). Each gets a Contributor assignment for the app identity, scoped to it. Empty: the azure provider stays off.')
param azureTargetResourceGroups string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var effectiveAuthTenantId = empty(authTenantId) ? tenant().tenantId : authTenantId
var requestedAudiences = filter(map(split(authAllowedAudiences, ','), audience => trim(audience)), audience => !empty(audience))
var effectiveAudiences = empty(requestedAudiences) ? ['api://${authClientId}', authClientId] : requestedAudiences
var allowedIps = filter(map(split(allowedIpAddresses, ','), ip => trim(ip)), ip => !empty(ip))
var targetResourceGroups = filter(map(split(azureTargetResourceGroups, ','), group => trim(group)), group => !empty(group))
var targetSubscriptionId = empty(azureTargetSubscriptionId) ? subscription().subscriptionId : azureTargetSubscriptionId

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    evidenceRetentionDays: evidenceRetentionDays
    lockEvidenceImmutability: lockEvidenceImmutability
    allowPublicNetworkAccess: allowPublicNetworkAccess
    allowedIpAddresses: allowedIps
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    enablePurgeProtection: enablePurgeProtection
    evidenceSigningKeyPem: evidenceSigningKeyPem
    webhookSecrets: webhookSecrets
    allowPublicNetworkAccess: allowPublicNetworkAccess
    allowedIpAddresses: allowedIps
  }
}

module network 'app/network.bicep' = {
  name: 'network'
  scope: rg
  params: {
    name: '${abbrs.networkVirtualNetworks}${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    appContainerNames: storage.outputs.appContainerNames
    appQueueNames: storage.outputs.appQueueNames
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

// The azure provider's role, one assignment per target group and scoped to it (see app/target-group-role.bicep for why Contributor).
module targetGroupRoles 'app/target-group-role.bicep' = [
  for group in targetResourceGroups: {
    name: take('azure-target-${group}', 64)
    scope: resourceGroup(targetSubscriptionId, group)
    params: {
      appPrincipalId: identity.outputs.principalId
    }
  }
]

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultName: keyVault.outputs.name
    evidenceSigningKeySecretName: keyVault.outputs.evidenceSigningKeySecretName
    webhookSecretNames: keyVault.outputs.webhookSecretNames
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    virtualNetworkSubnetId: network.outputs.appSubnetId
    authClientId: authClientId
    authTenantId: effectiveAuthTenantId
    authAllowedAudiences: effectiveAudiences
    upmTenant: upmTenant
    enableSandbox: enableSandbox
    azureSubscriptionId: targetSubscriptionId
    azureResourceGroups: targetResourceGroups
  }
  // The app must not start before its identity can read storage and secrets, nor change a target group it has no role on.
  dependsOn: [rbac, targetGroupRoles]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_URL string = api.outputs.url
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_EVIDENCE_CONTAINER_NAME string = storage.outputs.evidenceContainerName
output AZURE_EVIDENCE_RETENTION_DAYS int = evidenceRetentionDays
output AZURE_LOCK_EVIDENCE_IMMUTABILITY bool = lockEvidenceImmutability
output AZURE_VNET_NAME string = network.outputs.name
output AZURE_AUTH_CLIENT_ID string = authClientId
output AZURE_AUTH_TENANT_ID string = effectiveAuthTenantId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_EVIDENCE_SIGNING_KEY_SECRET_NAME string = keyVault.outputs.evidenceSigningKeySecretName
output AZURE_WEBHOOK_SECRET_NAMES object = keyVault.outputs.webhookSecretNames
output AZURE_TARGET_SUBSCRIPTION_ID string = targetSubscriptionId
output AZURE_TARGET_RESOURCE_GROUPS array = targetResourceGroups
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_MANAGED_IDENTITY_NAME string = identity.outputs.name
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
