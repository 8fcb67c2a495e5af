# Shared by run.sh and test.sh: telemetry off, Azurite installed from the committed lock file (idempotent).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export AZURE_CORE_COLLECT_TELEMETRY=false FUNCTIONS_CORE_TOOLS_TELEMETRY_OPTOUT=1 AZURE_CORE_ONLY_SHOW_ERRORS=true

# dotnet build with the C# compiler server: one compiler process serves every project, so Roslyn and the analyzers load
# and JIT once instead of once per project (a clean build of the solution: ~200 -> ~105 CPU-seconds on 2 cores). The
# server is shut down after the build, also when it fails, so nothing is left running.
dotnet_build() {
  local rc=0
  dotnet build "$@" -p:UseSharedCompilation=true --nologo -v quiet "-clp:ErrorsOnly;NoSummary" || rc=$?
  dotnet build-server shutdown >/dev/null 2>&1 || true
  return $rc
}

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

# The dashboard tests drive the system Chromium with Playwright, which must never download a browser of its own.
# Installed here when missing (Debian package); when it cannot be, those tests are skipped and say why.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing chromium (apt-get) for the dashboard browser tests..."
    local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq)
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install chromium >/dev/null 2>&1 \
      || { "${apt[@]}" update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install chromium >/dev/null 2>&1; } || true
  fi
  [ -x /usr/bin/chromium ] || echo "chromium could not be installed: the dashboard browser tests will be skipped."
}

ensure_azure_cli() {
  # The cli provider's local target: Debian's azure-cli (2.45.0, pinned in the provider's tool manifest). When it
  # cannot be installed the cli tests are skipped, each with the reason.
  if [ -x /usr/bin/az ]; then
    return 0
  fi
  echo "Installing azure-cli (apt-get)..."
  if ! { export DEBIAN_FRONTEND=noninteractive
         apt-get install -y -qq --no-install-recommends azure-cli >/dev/null 2>&1 ||
         { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends azure-cli >/dev/null 2>&1; }; }; then
    echo "azure-cli could not be installed (needs root and Debian's package lists): the cli provider tests will be skipped."
  fi
}
