#!/usr/bin/env bash
# npm test's second pass: the suites that load the machine or measure real time. Two lanes side by
# side, each one suite at a time: lane "browser", the Chromium suites (no two browsers ever share the
# 2 cores), and lane "wait": the other fault drills (SMTP outage), the embedded smoke start, the robots'
# outage and the cluster test, which spend most of their time waiting on processes they stop, restart or time, with the
# cluster test last (in CI a fresh machine's temporal-server build may still be running). Then the
# worker-kill drill alone: its 500 clues in flight take both cores, and a browser beside it timed out.
# Each jest run starts its own PostgreSQL and every suite its own servers on free ports, so nothing is
# shared. Each output line carries its lane's name; the pass fails if any run did.
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
{
  lane wait test/drills test/smoke test/integration/robots --testPathIgnorePatterns 'worker-kill'
  first=$?
  lane wait test/cluster && exit "$first"
} &
waiting=$!
rc=0
wait "$browser" || { echo "second pass: the browser lane failed"; rc=1; }
wait "$waiting" || { echo "second pass: the waiting lane (SMTP drill, cluster, smoke, robots) failed"; rc=1; }
lane kill test/drills/worker-kill || { echo "second pass: the worker-kill drill failed"; rc=1; }
exit $rc
