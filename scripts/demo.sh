#!/usr/bin/env bash
# The demo change through the upm CLI: plan it, submit it, follow it live, approve it as the other people it needs
# (two for a high-risk change), then download its signed evidence pack and verify it offline. Used by ./run.sh --demo.
# Needs the built CLI (dotnet build src/UpmDurable.Cli -c Release) and a running service (UPM_ENDPOINT, default :7071).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-samples/aks-demo.json}
export UPM_ENDPOINT=${UPM_ENDPOINT:-http://127.0.0.1:7071}
upm() { dotnet src/UpmDurable.Cli/bin/Release/net10.0/upm.dll "$@"; }
# Reads a dotted path (approvals.decisions.length) from the JSON on stdin.
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=process.argv[1].split(".").reduce((o,k)=>o?.[k],JSON.parse(s));console.log(typeof v==="object"?JSON.stringify(v):v)})' "$1"; }

started=$(date +%s)
UPM_API_KEY=demo-submitter-key upm plan "$file"
id=$(UPM_API_KEY=demo-submitter-key upm submit "$file" --output json | field change_id)
echo "submitted $id"

UPM_API_KEY=demo-submitter-key upm status "$id" --wait &
follow=$!
approvers=(demo-approver-key demo-approver2-key)
given=0
while kill -0 "$follow" 2>/dev/null; do
  record=$(UPM_API_KEY=demo-submitter-key upm status "$id" --output json)
  status=$(field status <<<"$record")
  required=$(field approvals.required <<<"$record")
  decided=$(field approvals.decisions.length <<<"$record")
  if [ "$status" = awaiting_approval ] && [ "$given" -eq "$decided" ] && [ "$given" -lt "$required" ] && [ "$given" -lt "${#approvers[@]}" ]; then
    UPM_API_KEY=${approvers[$given]} upm approve "$id" --comment "demo approval" >/dev/null && given=$((given + 1))
  fi
  sleep 0.5
done
rc=0
wait "$follow" || rc=$?

echo
UPM_API_KEY=demo-submitter-key upm status "$id"
mkdir -p .artifacts
UPM_API_KEY=demo-auditor-key upm evidence "$id" -o .artifacts/demo-evidence.zip
node -e 'fetch(process.argv[1] + "/api/evidence/public-key").then(r => r.json()).then(k => process.stdout.write(k.public_key_pem))' "$UPM_ENDPOINT" >.artifacts/evidence-public-key.pem
upm evidence verify .artifacts/demo-evidence.zip --public-key .artifacts/evidence-public-key.pem
echo "finished in $(($(date +%s) - started)) s (exit $rc)"
exit $rc
