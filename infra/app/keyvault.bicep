// Key Vault in RBAC mode for the webhook secrets and the evidence signing key. Secrets are written here only when
// given as parameters, so a redeploy never overwrites a rotated value; the postprovision hook fills in missing ones.
// Public endpoint: denied unless allowPublicNetworkAccess; the app resolves its Key Vault references through the private
// endpoint (network.bicep), the hook writes secrets from an address in allowedIpAddresses.
param name string
param location string
param tags object
param enablePurgeProtection bool

@description('Open the public endpoint to every network (default Allow). Off: only allowedIpAddresses, trusted Azure services and the private endpoint.')
param allowPublicNetworkAccess bool

@description('Public IPv4 addresses or CIDR ranges allowed through the firewall (the machine running the postprovision hook).')
param allowedIpAddresses array

@secure()
param evidenceSigningKeyPem string

@secure()
param webhookSecrets object

var evidenceSigningKeySecretName = 'upm-evidence-signing-key'
var webhooks = ['generic', 'github', 'servicenow', 'jira']

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: enablePurgeProtection ? true : null
    // IP rules only apply while the public endpoint is enabled; with neither rules nor public access it is off entirely.
    publicNetworkAccess: allowPublicNetworkAccess || !empty(allowedIpAddresses) ? 'Enabled' : 'Disabled'
    networkAcls: {
      defaultAction: allowPublicNetworkAccess ? 'Allow' : 'Deny'
      bypass: 'AzureServices'
      ipRules: [for ip in allowedIpAddresses: { value: ip }]
      virtualNetworkRules: []
    }
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(evidenceSigningKeyPem)) {
  parent: vault
  name: evidenceSigningKeySecretName
  properties: {
    value: evidenceSigningKeyPem
    contentType: 'application/x-pem-file'
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for webhook in webhooks: if (!empty(webhookSecrets[?webhook] ?? '')) {
    parent: vault
    name: 'upm-webhook-${webhook}-secret'
    properties: {
      value: webhookSecrets[webhook]
      contentType: 'text/plain'
    }
  }
]

output name string = vault.name
output uri string = vault.properties.vaultUri
output evidenceSigningKeySecretName string = evidenceSigningKeySecretName
output webhookSecretNames object = toObject(webhooks, webhook => webhook, webhook => 'upm-webhook-${webhook}-secret')
