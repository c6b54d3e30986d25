#!/usr/bin/env bash
# The whole test suite: set up (packages, containerd 2.x cache, npm, build),
# then every jest test (unit, conformance, real daemons through the binary),
# and a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p build
set +e
npx jest --runInBand --json --outputFile=build/jest-results.json "$@"
rc=$?
set -e
node -e '
const r = require("./build/jest-results.json");
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit $rc
