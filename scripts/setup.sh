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

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Chromium for the browser tests (apt-get install chromium)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: Chromium is missing; install it (Debian: apt-get install chromium) or set CHROMIUM_PATH." >&2
    echo "setup: without it the browser tests fail in CI and are skipped locally." >&2
  fi
fi

if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing redis-server for the UI's session tests and npm run dev (apt-get install redis-server)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "setup: redis-server is missing; install it (Debian: apt-get install redis-server)." >&2
    echo "setup: without it the UI's session tests and npm run dev fail." >&2
  fi
fi

if ! command -v curl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing curl for the UI's browser test (apt-get install curl)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null
  else
    echo "setup: curl is missing; install it (Debian: apt-get install curl)." >&2
  fi
fi

if ! command -v lua5.1 >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing lua5.1 for the Argo CD health checks' tests (apt-get install lua5.1)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lua5.1 >/dev/null
  else
    echo "setup: lua5.1 is missing; install it (Debian: apt-get install lua5.1)." >&2
    echo "setup: without it the Argo CD health tests fail in CI and are skipped locally." >&2
  fi
fi

if ! command -v promtool >/dev/null 2>&1 && [ ! -x /usr/bin/promtool ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing promtool for the alert-rule and /metrics checks (apt-get install prometheus)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
  else
    echo "setup: promtool is missing; install it (Debian: apt-get install prometheus)." >&2
    echo "setup: without it the alert-rule tests and the promtool check metrics tests fail." >&2
  fi
fi

npm run build:ui
npm run generate
