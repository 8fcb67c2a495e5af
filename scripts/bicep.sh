#!/usr/bin/env bash
# Compiles and lints every Bicep file with the pinned Bicep CLI (NuGet Azure.Bicep.CommandLine.linux-x64, restored by
# tools/BicepTools). Exits non-zero on any compile or lint error. Output: $BICEP_OUT_DIR (default .artifacts/infra)/main.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Offline: the CLI prefetches public module metadata (aka.ms) on every run even with no registry modules. Route all
# its HTTP through a dead loopback proxy, and where user namespaces work also drop the network entirely.
# (Only for bicep itself: the restore below needs the package feed.)
dead=http://127.0.0.1:9
offline=(env HTTPS_PROXY=$dead HTTP_PROXY=$dead ALL_PROXY=$dead https_proxy=$dead http_proxy=$dead all_proxy=$dead
  NO_PROXY= no_proxy= DOTNET_CLI_TELEMETRY_OPTOUT=1)
if unshare -rn true 2>/dev/null; then offline=(unshare -rn "${offline[@]}"); fi

version=$(sed -n 's/.*Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' tools/BicepTools/BicepTools.csproj)
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
bicep="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -x "$bicep" ]; then
  dotnet restore tools/BicepTools/BicepTools.csproj --nologo -v quiet
  [ -f "$bicep" ] || { echo "bicep.sh: Bicep CLI $version not found at $bicep after restore" >&2; exit 1; }
  chmod +x "$bicep"
fi

out=${BICEP_OUT_DIR:-.artifacts/infra}
mkdir -p "$out"
status=0
"${offline[@]}" "$bicep" build --no-restore infra/main.bicep --outfile "$out/main.json" || status=1
# One process lints every file (each Bicep start costs seconds of CPU); lint exits non-zero on errors, and
# infra/bicepconfig.json raises the rules that matter to error level.
"${offline[@]}" "$bicep" lint --no-restore --pattern 'infra/**/*.bicep' || status=1
if [ $status -ne 0 ]; then echo "bicep.sh: Bicep compile or lint failed" >&2; exit $status; fi
echo "bicep.sh: compiled infra/main.bicep to $out/main.json and linted $(find infra -name '*.bicep' | wc -l) files"
