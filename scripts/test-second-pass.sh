#!/usr/bin/env bash
# npm test's second pass: the suites that load the machine or measure real time, in two lanes side by
# side, each one suite at a time. Lane "browser": the Chromium suites, so no two browsers ever share the
# 2 cores. Lane "wait": the fault drills, the cluster, the embedded smoke start and the robots' outage,
# which spend most of their time waiting on processes they kill, restart or time. Each jest run starts
# its own PostgreSQL and every suite its own servers on free ports, so the lanes share nothing.
# Output: each line carries its lane's name; a lane's exit code is kept and the pass fails if either did.
set -uo pipefail
cd "$(dirname "$0")/.."

lane() {
  local name=$1
  shift
  npx jest --runInBand "$@" 2>&1 | sed -u "s/^/[$name] /"
  return "${PIPESTATUS[0]}"
}

lane browser test/browser &
browser=$!
lane wait test/drills test/cluster test/smoke test/integration/robots &
waiting=$!
rc=0
wait "$browser" || { echo "second pass: the browser lane failed"; rc=1; }
wait "$waiting" || { echo "second pass: the waiting lane (drills, cluster, smoke, robots) failed"; rc=1; }
exit $rc
