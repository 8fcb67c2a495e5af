// The azure provider's access to one target resource group: Contributor for the app's identity on that group only.
// Contributor, not narrower: the provider creates, updates, tags and deletes storage accounts, key vaults, virtual
// networks and AKS clusters (and may delete the group itself when a change created everything in it). No single
// narrower built-in role covers those four resource providers, and the per-service ones fall short (the Azure Kubernetes
// Service Contributor Role cannot delete a cluster, so compensation would fail). Contributor grants no role assignments
// (Microsoft.Authorization/*/Write is excluded), and its scope is this group: nothing else in the subscription.
targetScope = 'resourceGroup'

@description('Object id of the app\'s user-assigned managed identity.')
param appPrincipalId string

var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource appContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, appPrincipalId, contributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', contributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output scope string = resourceGroup().id
