# Shared by run.sh and test.sh: telemetry off, Azurite installed from the committed lock file (idempotent).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export AZURE_CORE_COLLECT_TELEMETRY=false FUNCTIONS_CORE_TOOLS_TELEMETRY_OPTOUT=1

ensure_azurite() {
  local want
  want=$(node -p "require('./package-lock.json').packages['node_modules/azurite'].version")
  if [ "$(node -p "try { require('./node_modules/azurite/package.json').version } catch { '' }" 2>/dev/null)" != "$want" ]; then
    echo "Installing Azurite $want (npm ci)..."
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

azurite_args() {
  # $1 data folder, then blob, queue, table ports.
  echo --disableTelemetry --skipApiVersionCheck --loose --silent \
    --blobHost 127.0.0.1 --blobPort "$2" --queueHost 127.0.0.1 --queuePort "$3" --tableHost 127.0.0.1 --tablePort "$4" \
    --location "$1"
}
