#!/bin/sh
# azd postprovision hook: creates missing Key Vault secrets (evidence signing key, webhook secrets) and writes
# src/UpmDurable.Functions/local.settings.json so `func start` runs against the provisioned account with your identity.
# Existing secrets are never overwritten (rotate them with az keyvault secret set, see README "Deploy to Azure").
set -eu
cd "$(dirname "$0")/.."

eval "$(azd env get-values)"
: "${AZURE_STORAGE_ACCOUNT_NAME:?run azd provision first}" "${AZURE_KEY_VAULT_NAME:?run azd provision first}"

secret_exists() {
  az keyvault secret show --vault-name "$AZURE_KEY_VAULT_NAME" --name "$1" --query id -o tsv >/dev/null 2>&1
}

signing_key=${AZURE_EVIDENCE_SIGNING_KEY_SECRET_NAME:-upm-evidence-signing-key}
if ! secret_exists "$signing_key"; then
  echo "Creating $signing_key (ECDSA P-256, PKCS#8 PEM) in $AZURE_KEY_VAULT_NAME"
  pem=$(mktemp)
  trap 'rm -f "$pem"' EXIT
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pem"
  az keyvault secret set --vault-name "$AZURE_KEY_VAULT_NAME" --name "$signing_key" --file "$pem" \
    --content-type application/x-pem-file -o none
  rm -f "$pem"
fi

for hook in generic github servicenow jira; do
  name="upm-webhook-$hook-secret"
  if ! secret_exists "$name"; then
    echo "Creating $name in $AZURE_KEY_VAULT_NAME"
    az keyvault secret set --vault-name "$AZURE_KEY_VAULT_NAME" --name "$name" --value "$(openssl rand -hex 32)" \
      --content-type text/plain -o none
  fi
done

settings=src/UpmDurable.Functions/local.settings.json
cat > "$settings" <<JSON
{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated",
    "AzureWebJobsDisableHomepage": "true",
    "AzureWebJobsStorage__accountName": "$AZURE_STORAGE_ACCOUNT_NAME",
    "Upm__Storage__AccountName": "$AZURE_STORAGE_ACCOUNT_NAME",
    "APPLICATIONINSIGHTS_CONNECTION_STRING": "${APPLICATIONINSIGHTS_CONNECTION_STRING:-}",
    "AZURE_KEY_VAULT_URI": "${AZURE_KEY_VAULT_URI:-}"
  },
  "Host": {
    "LocalHttpPort": 7071
  }
}
JSON
echo "Wrote $settings for storage account $AZURE_STORAGE_ACCOUNT_NAME (your az login identity; no keys)."
