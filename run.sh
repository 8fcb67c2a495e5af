#!/usr/bin/env bash
# Runs UpmDurable locally: Azurite (default ports 10000-10002, data in .azurite/), a second Azurite as the cli provider's
# target account (ports 10010-10012, data in .azurite-target/) and the local host on http://127.0.0.1:7071.
# With --demo, runs the spec's sample change through the upm CLI (scripts/demo.sh) and exits. With --port N, the host
# listens on N: run it beside a first one for a second worker on the same emulators and task hub (docs/operations-scale.md).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh

demo=false
port=7071
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) demo=true ;;
    --port) [ $# -ge 2 ] || { echo "--port needs a value" >&2; exit 2; }; port="$2"; shift ;;
    --port=*) port="${1#--port=}" ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (try --demo or --port N)" >&2; exit 2 ;;
  esac
  shift
done
case "$port" in
  ''|*[!0-9]*) echo "--port takes a TCP port number, not '$port'" >&2; exit 2 ;;
esac
if [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then echo "--port takes 1024-65535, not $port" >&2; exit 2; fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_azurite
echo "Building the local host..."
dotnet_build src/UpmDurable.Local -c Release
if $demo; then
  echo "Building the upm CLI..."
  dotnet_build src/UpmDurable.Cli -c Release
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if port_busy 10000 && port_busy 10001 && port_busy 10002; then
  echo "Using the storage emulator already listening on 10000-10002."
else
  mkdir -p .azurite .artifacts
  # shellcheck disable=SC2046
  node node_modules/azurite/dist/src/azurite.js $(azurite_args .azurite 10000 10001 10002) >.artifacts/azurite.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do port_busy 10002 && break; sleep 0.1; done
fi

# The cli provider runs az with its target's full key, so its target is never the service's own account (the host
# refuses that): a second emulator that holds none of the service's records, evidence or keys.
if port_busy 10010 && port_busy 10011 && port_busy 10012; then
  echo "Using the cli target emulator already listening on 10010-10012."
else
  mkdir -p .azurite-target .artifacts
  # shellcheck disable=SC2046
  node node_modules/azurite/dist/src/azurite.js $(azurite_args .azurite-target 10010 10011 10012) >.artifacts/azurite-target.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do port_busy 10012 && break; sleep 0.1; done
fi
# The simulated cloud and its tamper route: on for local runs and demos (the deployed Functions app leaves it off).
export Upm__Sandbox__Enabled="${Upm__Sandbox__Enabled:-true}"
# Azurite's published development account key (not a secret); the endpoints are what make it another account.
dev_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export Upm__Cli__StorageConnectionString="${Upm__Cli__StorageConnectionString:-DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$dev_key;BlobEndpoint=http://127.0.0.1:10010/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10011/devstoreaccount1;TableEndpoint=http://127.0.0.1:10012/devstoreaccount1;}"

if port_busy "$port"; then
  echo "Port $port is already in use: stop what listens there first, or start another worker with --port (e.g. --port 7072)." >&2
  exit 1
fi

mkdir -p .artifacts
if $demo; then
  # Keep the demo's own output readable: the host logs to a file.
  dotnet src/UpmDurable.Local/bin/Release/net10.0/UpmDurable.Local.dll --Upm:Local:Port="$port" >.artifacts/local-host.log 2>&1 &
else
  # Every host started here shares the emulator and the task hub (Upm:Local:TaskHub): they split its partitions by lease.
  dotnet src/UpmDurable.Local/bin/Release/net10.0/UpmDurable.Local.dll --Upm:Local:Port="$port" &
fi
pids+=($!)
for _ in $(seq 1 300); do
  if node -e "fetch('http://127.0.0.1:$port/api/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then break; fi
  sleep 0.2
done
echo "UpmDurable is up on http://127.0.0.1:$port (demo API keys: see README)."

if $demo; then
  echo "(host log: .artifacts/local-host.log)"
  scripts/demo.sh
else
  echo "Press Ctrl+C to stop."
  wait
fi
