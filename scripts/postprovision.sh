#!/bin/sh
# azd postprovision hook: locks the evidence container's retention policy when asked (LOCK_EVIDENCE_IMMUTABILITY), creates
# missing Key Vault secrets (evidence signing key, webhook secrets) and writes src/UpmDurable.Functions/local.settings.json
# so `func start` runs against the provisioned account with your identity.
# Existing secrets are never overwritten (rotate them with az keyvault secret set, see docs/deploy.md).
set -eu
cd "$(dirname "$0")/.."

eval "$(azd env get-values)"
: "${AZURE_STORAGE_ACCOUNT_NAME:?run azd provision first}" "${AZURE_KEY_VAULT_NAME:?run azd provision first}"

# Locking is an action on the policy (ARM has no property for it), and final: a locked policy can only be extended.
# The Bicep template stops declaring the policy when the lock is requested (a locked policy refuses a PUT), so this creates
# it when missing, then locks it. Control plane only: the storage firewall does not apply.
if [ "${AZURE_LOCK_EVIDENCE_IMMUTABILITY:-false}" = "true" ]; then
  : "${AZURE_RESOURCE_GROUP:?}" "${AZURE_EVIDENCE_CONTAINER_NAME:?}"
  policy() {
    az storage container immutability-policy "$@" --account-name "$AZURE_STORAGE_ACCOUNT_NAME" \
      --container-name "$AZURE_EVIDENCE_CONTAINER_NAME" --resource-group "$AZURE_RESOURCE_GROUP"
  }
  state=$(policy show --query state -o tsv 2>/dev/null || true)
  if [ "$state" = "Locked" ]; then
    echo "Evidence retention policy of $AZURE_EVIDENCE_CONTAINER_NAME is already locked."
  else
    if [ -z "$state" ]; then
      echo "Creating the evidence retention policy (${AZURE_EVIDENCE_RETENTION_DAYS:-365} days) on $AZURE_EVIDENCE_CONTAINER_NAME"
      policy create --period "${AZURE_EVIDENCE_RETENTION_DAYS:-365}" --allow-protected-append-writes false -o none
    fi
    etag=$(policy show --query etag -o tsv)
    echo "Locking the evidence retention policy of $AZURE_EVIDENCE_CONTAINER_NAME (irreversible)"
    policy lock --if-match "$etag" -o none
  fi
fi

# Key Vault denies public access unless this machine's address is in ALLOWED_IP_ADDRESSES: say so instead of failing
# obscurely, and never treat an error as "missing" (that would write a new version over a rotated secret).
secret_exists() {
  if out=$(az keyvault secret show --vault-name "$AZURE_KEY_VAULT_NAME" --name "$1" --query id -o tsv 2>&1); then
    return 0
  fi
  case "$out" in
    *SecretNotFound*) return 1 ;;
    *ForbiddenByFirewall*|*ForbiddenByConnection*|*"Public network access is disabled"*|*"Client address is not authorized"*)
      echo "Key Vault $AZURE_KEY_VAULT_NAME refuses this machine's address, so the hook cannot create its secrets." >&2
      echo "Add your public IP: azd env set ALLOWED_IP_ADDRESSES <ip>, then azd provision (see docs/deploy.md)." >&2
      exit 1 ;;
    *)
      echo "az keyvault secret show $1 failed: $out" >&2
      exit 1 ;;
  esac
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
if [ -n "${AZURE_AUTH_CLIENT_ID:-}" ] && [ -n "${AZURE_FUNCTION_APP_URL:-}" ]; then
  echo "Browser sign-in needs this redirect URI on app registration $AZURE_AUTH_CLIENT_ID (once):"
  echo "  az ad app update --id $AZURE_AUTH_CLIENT_ID --web-redirect-uris $AZURE_FUNCTION_APP_URL/.auth/login/aad/callback --enable-id-token-issuance true"
fi
