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
mkdir -p artifacts
rm -f artifacts/unit-results.json artifacts/e2e-results.json

echo "== type check"
npx tsc --noEmit -p .

status=0
echo "== unit tests"
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/unit-results.json || status=1

if [ -d test/corpus/risky ] && [ -d test/corpus/clean ]; then
  echo "== corpus evaluation (npm run eval)"
  node scripts/run-ts.mjs test/eval/corpus.ts > artifacts/eval.txt || status=1
  sed -n '1,20p' artifacts/eval.txt
fi

echo "== end-to-end tests (headless Chromium, built extension)"
npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=artifacts/e2e-results.json || status=1

node -e '
const fs = require("fs")
let passed = 0, failed = 0, skipped = 0
for (const f of ["artifacts/unit-results.json", "artifacts/e2e-results.json"]) {
  if (!fs.existsSync(f)) { failed++; continue }
  const r = JSON.parse(fs.readFileSync(f, "utf8"))
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0)
}
console.log(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""))
'
exit $status
