// Storage for the Durable Task hub (queues, tables, leases), UpmDurable's records and the WORM evidence container.
// Public endpoint: denied unless allowPublicNetworkAccess (the app comes in through its private endpoints, see network.bicep);
// allowedIpAddresses opens it to named addresses only (a developer running `func start` against this account).
param name string
param location string
param tags object
param deploymentContainerName string

@minValue(1)
param evidenceRetentionDays int

@description('True: the immutability policy is left to the postprovision hook, which creates and locks it (locking is an action, not a property, and a locked policy refuses the PUT a redeploy would send).')
param lockEvidenceImmutability bool

@description('Open the public endpoint to every network (default Allow). Off: only allowedIpAddresses, trusted Azure services and the private endpoints.')
param allowPublicNetworkAccess bool

@description('Public IPv4 addresses or CIDR ranges allowed through the firewall.')
param allowedIpAddresses array

@description('Prefix of the app\'s tables and containers (Upm:Storage:Prefix).')
param prefix string = 'upm'

// The Durable Functions hub of the Functions host (host.json): its containers and queues are created here so that the app's
// identity can hold its roles on them, not on the account.
var durableTask = loadJsonContent('../../host.json').extensions.durableTask
var hub = toLower(durableTask.hubName)
var hubQueueNames = concat(
  map(range(0, durableTask.storageProvider.partitionCount), i => '${hub}-control-${padLeft(string(i), 2, '0')}'),
  ['${hub}-workitems']
)

// Every container the app's identity touches: the Functions host's own (locks, function keys), the Durable Task hub's
// (partition and app leases, large messages), UpmDurable's records and evidence, and the deployment package.
var appContainerNames = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
  '${hub}-leases'
  '${hub}-applease'
  '${hub}-largemessages'
  '${prefix}-records'
  '${prefix}-evidence'
  deploymentContainerName
]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // IP rules only apply while the public endpoint is enabled; with neither rules nor public access it is off entirely.
    publicNetworkAccess: allowPublicNetworkAccess || !empty(allowedIpAddresses) ? 'Enabled' : 'Disabled'
    networkAcls: {
      defaultAction: allowPublicNetworkAccess ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
      ipRules: [for ip in allowedIpAddresses: { value: ip, action: 'Allow' }]
      virtualNetworkRules: []
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Version-level immutability needs versioning on the account.
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in appContainerNames: {
    parent: blobService
    name: container
    properties: container == '${prefix}-evidence'
      ? { publicAccess: 'None', immutableStorageWithVersioning: { enabled: true } }
      : { publicAccess: 'None' }
  }
]

// Default time-based retention for every new version in the evidence container. Declared only while it may change: locking
// is a POST (no ARM property does it), and a locked policy accepts no PUT. With lockEvidenceImmutability the postprovision
// hook creates the policy when missing and locks it (az storage container immutability-policy create/lock); after that only
// `az storage container immutability-policy extend` can lengthen it, and nothing can shorten or remove it.
resource evidenceRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = if (!lockEvidenceImmutability) {
  parent: containers[indexOf(appContainerNames, '${prefix}-evidence')]
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: evidenceRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for table in ['changes', 'changekeys', 'sandbox', 'webhookdeliveries', 'resources', 'ratelimits']: {
    parent: tableService
    name: '${prefix}${table}'
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queue in hubQueueNames: {
    parent: queueService
    name: queue
  }
]

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output evidenceContainerName string = '${prefix}-evidence'
@description('Containers the app identity gets Storage Blob Data Contributor on (all created above).')
output appContainerNames array = [for (container, i) in appContainerNames: containers[i].name]
@description('Durable Task hub queues the app identity gets Storage Queue Data Contributor on (all created above).')
output appQueueNames array = [for (queue, i) in hubQueueNames: queues[i].name]
