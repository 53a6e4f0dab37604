#!/usr/bin/env bash
# Sets up a fresh clone and runs the main job.
#   1. npm ci: every workspace's dependencies, and Node 24 (the `node` devDependency) for all npm scripts;
#   2. Chromium for the browser tests, redis-server for the UI's session tests and npm run dev, curl (the
#      UI's browser test runs the curl command the page copies), lua5.1 (the Argo CD health checks' tests) and
#      promtool (Debian's prometheus: the alert rules and /metrics checks),
#      from the system's packages when missing (root + apt-get only);
#   3. the UI's production build (apps/mcp-ui/dist), served by `npm run dev`;
#   4. npm run generate: servers.json -> base/ and docs/architecture.md.
# Usage: npm run setup        Exit code: non-zero when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

# ensure_package <command> <Debian package> <what needs it> [<what happens without it>]: installs the package when
# the command is missing (root + apt-get only), or says how to.
apt_updated=""
ensure_package() {
  local command="$1" package="$2" purpose="$3" without="${4:-}"
  if command -v "$command" >/dev/null 2>&1 || [ -x "/usr/bin/$command" ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing $command for $purpose (apt-get install $package)"
    [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
  else
    echo "setup: $command is missing; install it (Debian: apt-get install $package)." >&2
    [ -z "$without" ] || echo "setup: without it $without." >&2
  fi
}

if [ -z "${CHROMIUM_PATH:-}" ]; then
  ensure_package chromium chromium "the browser tests" "the browser tests fail in CI and are skipped locally (or set CHROMIUM_PATH)"
fi
ensure_package redis-server redis-server "the UI's session tests and npm run dev" "the UI's session tests and npm run dev fail"
ensure_package curl curl "the UI's browser test"
ensure_package lua5.1 lua5.1 "the Argo CD health checks' tests" "the Argo CD health tests fail in CI and are skipped locally"
ensure_package promtool prometheus "the alert-rule and /metrics checks" "the alert-rule tests and the promtool check metrics tests fail"

npm run build:ui
npm run generate
