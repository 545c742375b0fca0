#!/usr/bin/env bash
# Runs every test: type check, unit tests (engine, rule examples, CLI, settings), the corpus evaluation, and the
# end-to-end tests in headless Chromium with the built extension. Installs Chromium first where it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/lib/chromium/chromium ]; then
  echo "== installing chromium and fonts-noto-cjk (Debian packages)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y chromium fonts-noto-cjk
fi
if [ ! -f build/chrome-mv3-prod/manifest.json ] || [ ! -f dist/cli.js ]; then
  echo "== building (npm run build)"
  npm run build
fi

echo "== type check"
npx tsc --noEmit -p .
echo "== unit tests"
npx vitest run
if [ -f vitest.e2e.config.ts ]; then
  echo "== end-to-end tests (headless Chromium)"
  npx vitest run -c vitest.e2e.config.ts
fi
