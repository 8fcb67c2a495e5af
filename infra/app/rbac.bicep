// Data-plane roles. The app identity holds each storage role on the narrowest scope the data plane honours:
//   blobs  - Storage Blob Data Contributor on each container it uses (storage.bicep creates them all, so none is missing);
//   queues - Storage Queue Data Contributor on each Durable Task hub queue (control queues per partition, work items);
//   tables - Storage Table Data Contributor on the account: creating a table is a POST to the service's /Tables, not to a
//            path under the table, so a table-scoped role cannot create (or CreateIfNotExists) its own table, which both
//            UpmDurable and the Durable Task backend do at start-up.
// No Blob Data Owner anywhere for the app (it never manages ACLs or deletes containers). The deploying user (optional)
// keeps account-scoped storage roles for local runs against the account, plus secret management for rotation.
param storageAccountName string
param keyVaultName string
param applicationInsightsName string
param identityPrincipalId string
@description('Containers the app uses (storage.bicep output).')
param appContainerNames array
@description('Durable Task hub queues the app uses (storage.bicep output).')
param appQueueNames array
param userPrincipalId string = ''
param userPrincipalType string = 'User'

// Well-known built-in role definition ids.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
// The deploying user's loop: Storage Blob Data Owner, Storage Queue Data Contributor, Storage Table Data Contributor.
var userStorageRoleIds = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor
  storageTableDataContributor
]
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource appContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = [
  for container in appContainerNames: {
    parent: blobService
    name: container
  }
]

resource appQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' existing = [
  for queue in appQueueNames: {
    parent: queueService
    name: queue
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (container, i) in appContainerNames: {
    name: guid(appContainers[i].id, identityPrincipalId, storageBlobDataContributor)
    scope: appContainers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queue, i) in appQueueNames: {
    name: guid(appQueues[i].id, identityPrincipalId, storageQueueDataContributor)
    scope: appQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityPrincipalId, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Vault scope: the secrets are created by the postprovision hook (data plane) after this deployment, so there is no
// secret resource yet to scope a role to; the vault holds only this app's secrets.
resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights ingestion with Entra ID (local auth is off).
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource userStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in userStorageRoleIds: if (!empty(userPrincipalId)) {
    name: guid(storage.id, userPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: userPrincipalId
      principalType: userPrincipalType
    }
  }
]

resource userSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(vault.id, userPrincipalId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}
