#!/usr/bin/env bash
# Builds temporal-server and temporal-sql-tool from source at the pinned version into the build cache,
# with the PostgreSQL schema files of the same module beside them. Needs only bash, flock and Go (no
# node_modules), so .ci/run starts it before `npm ci`; scripts/cluster/cluster.ts `build()` runs this
# same script. One build at a time per cache: a second caller waits on the lock (released by the kernel
# if the holder dies), then finds the binaries there and returns.
#
#   bash scripts/cluster/go-build.sh [version]   # default: TEMPORAL_SERVER_VERSION in cluster.ts
#
# CLUSTER_BIN_CACHE overrides the cache (default ~/.cache/disposal-orchestration/temporal-server-<version>).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${1:-$(sed -n "s/^export const TEMPORAL_SERVER_VERSION = '\(v[0-9.]*\)';$/\1/p" "$here/cluster.ts")}
[ -n "$version" ] || { echo "go-build: no version given and none found in cluster.ts" >&2; exit 2; }
module=go.temporal.io/server
cache=${CLUSTER_BIN_CACHE:-$HOME/.cache/disposal-orchestration/temporal-server-$version}
if [ -d /usr/local/go/bin ]; then PATH="$PATH:/usr/local/go/bin"; fi

built() {
  [ "$(cat "$cache/VERSION" 2>/dev/null)" = "$version" ] && [ -x "$cache/bin/temporal-server" ] && [ -x "$cache/bin/temporal-sql-tool" ]
}
if built; then
  echo "temporal-server $version present ($cache); build skipped"
  exit 0
fi
if ! go_version=$(go version 2>&1); then
  echo "go-build: Go is needed to build temporal-server $version from source (go install $module/cmd/server@$version);" \
    "install Go >= 1.26 (https://go.dev/dl/; Debian 12's golang-go is too old) and retry: $go_version" >&2
  exit 1
fi

mkdir -p "$cache"
exec 9>"$cache/.build.lock"
if ! flock -n 9; then
  echo "waiting for another build of temporal-server $version into $cache"
  flock 9
fi
if built; then
  echo "temporal-server $version built meanwhile by another process ($cache)"
  exit 0
fi

start=$(date +%s)
echo "building temporal-server $version with $go_version into $cache"
rm -rf "$cache/gobin"
GOBIN="$cache/gobin" go install "$module/cmd/server@$version" "$module/cmd/tools/sql@$version"
mkdir -p "$cache/bin"
mv "$cache/gobin/server" "$cache/bin/temporal-server"
mv "$cache/gobin/sql" "$cache/bin/temporal-sql-tool"
# The schema files of exactly this version, kept beside the binaries (the module cache may be cleaned).
rm -rf "$cache/schema/postgresql"
mkdir -p "$cache/schema"
cp -R "$(go env GOMODCACHE)/$module@$version/schema/postgresql" "$cache/schema/postgresql"
chmod -R u+w "$cache/schema"
echo "$version" >"$cache/VERSION"
echo "built temporal-server and temporal-sql-tool $version in $(($(date +%s) - start)) s"
