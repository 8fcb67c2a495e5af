// The function app's outbound path: Flex Consumption VNet integration into a subnet delegated to Microsoft.App/environments,
// and private endpoints (in a second subnet, as the Flex docs ask: the integration subnet is used for nothing else) for the
// storage account's blob, queue and table services and for Key Vault, resolved through private DNS zones linked to the VNet.
// With that, storage and Key Vault can deny their public endpoints and the app still reaches them.
param name string
param location string
param tags object
param storageAccountName string
param keyVaultName string

@description('Address space of the VNet; the two subnets take its first two /24s.')
param addressPrefix string = '10.40.0.0/16'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [
            {
              name: 'flex-consumption'
              properties: { serviceName: 'Microsoft.App/environments' }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

// One private endpoint per sub-resource the app uses, each registered in its privatelink zone. Zone names come from the
// cloud's own suffixes (no-hardcoded-env-urls): privatelink.<service>.<storage suffix> and privatelink.vaultcore.<...>.
var endpoints = [
  { groupId: 'blob', zone: 'privatelink.blob.${environment().suffixes.storage}' }
  { groupId: 'queue', zone: 'privatelink.queue.${environment().suffixes.storage}' }
  { groupId: 'table', zone: 'privatelink.table.${environment().suffixes.storage}' }
  { groupId: 'vault', zone: 'privatelink${replace(environment().suffixes.keyvaultDns, '.vault.', '.vaultcore.')}' }
]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: vnet.name
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: { id: vnet.id }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: 'pe-${endpoint.groupId}-${name}'
    location: location
    tags: tags
    properties: {
      subnet: { id: vnet.properties.subnets[1].id }
      privateLinkServiceConnections: [
        {
          name: endpoint.groupId
          properties: {
            privateLinkServiceId: endpoint.groupId == 'vault' ? vault.id : storage.id
            groupIds: [endpoint.groupId]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.groupId
          properties: { privateDnsZoneId: zones[i].id }
        }
      ]
    }
  }
]

output name string = vnet.name
output appSubnetId string = vnet.properties.subnets[0].id
output privateEndpointSubnetId string = vnet.properties.subnets[1].id
