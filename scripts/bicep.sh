#!/usr/bin/env bash
# Compiles and lints every Bicep file with the pinned Bicep CLI (NuGet Azure.Bicep.CommandLine.linux-x64, restored by
# tools/BicepTools). Exits non-zero on any compile or lint error. Output: .artifacts/infra/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Offline: no telemetry, no module registry or version checks.
export BICEP_TRACING_ENABLED=false AZURE_CORE_COLLECT_TELEMETRY=false

version=$(sed -n 's/.*Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' tools/BicepTools/BicepTools.csproj)
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
bicep="$packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -x "$bicep" ]; then
  dotnet restore tools/BicepTools/BicepTools.csproj --nologo -v quiet
  [ -f "$bicep" ] || { echo "bicep.sh: Bicep CLI $version not found at $bicep after restore" >&2; exit 1; }
  chmod +x "$bicep"
fi

out=.artifacts/infra
mkdir -p "$out"
status=0
"$bicep" build infra/main.bicep --outfile "$out/main.json" || status=1
while IFS= read -r -d '' file; do
  # --diagnostics-format defaults to text; lint exits non-zero on errors (warnings are errors via bicepconfig.json).
  "$bicep" lint "$file" || status=1
done < <(find infra -name '*.bicep' -print0 | sort -z)
if [ $status -ne 0 ]; then echo "bicep.sh: Bicep compile or lint failed" >&2; exit $status; fi
echo "bicep.sh: compiled infra/main.bicep to $out/main.json and linted $(find infra -name '*.bicep' | wc -l) files"
