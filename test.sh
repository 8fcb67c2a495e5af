#!/usr/bin/env bash
# Runs every test: restores and builds the solution, installs Azurite (tests start their own on free ports),
# runs all test projects and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh
# The suite starts well over a hundred short-lived .NET processes (builds, test hosts, local hosts, the upm CLI): tiered
# PGO's instrumentation costs them more than it gives back (~15 % less CPU without it, docs/testing.md). Test run only:
# the product's own hosts keep the runtime's default.
export DOTNET_TieredPGO=0

# The installs are mostly file I/O (Azurite's npm ci writes ~365 MB), the build mostly CPU: they run side by side.
mkdir -p .artifacts
( ensure_azurite && ensure_chromium && ensure_azure_cli ) > .artifacts/setup.log 2>&1 &
installs=$!
dotnet restore UpmDurable.sln --nologo -v quiet
dotnet_build UpmDurable.sln -c Release --no-restore
if ! wait $installs; then cat .artifacts/setup.log; echo "test.sh: installing Azurite failed" >&2; exit 1; fi
cat .artifacts/setup.log

# Bicep: tests/UpmDurable.Infra.Tests runs scripts/bicep.sh (compile + lint, no diagnostics allowed) once for all its tests.

# And the tests' processes tier a method up to optimised code only after 4,096 calls (0x1000: runtime knobs read hex)
# instead of 30: most of their methods run briefly, and recompiling them cost more than it gave (docs/testing.md).
export DOTNET_TC_CallCountThreshold=1000

results=.artifacts/test-results
rm -rf "$results"
status=0
dotnet test UpmDurable.sln -c Release --no-build --nologo --results-directory "$results" \
  --logger "trx" --logger "console;verbosity=minimal" --blame-hang-timeout 10m || status=$?

node -e '
  const fs = require("fs"), path = require("path");
  let passed = 0, failed = 0, files = 0;
  for (const f of fs.readdirSync(process.argv[1]).filter(f => f.endsWith(".trx"))) {
    const trx = fs.readFileSync(path.join(process.argv[1], f), "utf8");
    const c = /<Counters [^>]*/.exec(trx)[0];
    const n = k => Number((new RegExp(` ${k}="(\\d+)"`).exec(c) || [0, 0])[1]);
    const bad = n("failed") + n("error") + n("timeout") + n("aborted");
    // A test host that crashed or aborted counts as a failure even when no test result was recorded.
    const outcome = (/<ResultSummary outcome="(\w+)"/.exec(trx) || [0, "Failed"])[1];
    passed += n("passed"); failed += bad > 0 ? bad : (outcome === "Completed" || outcome === "Passed" ? 0 : 1); files++;
  }
  if (files === 0) failed++;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
' "$results" || status=1
exit $status
