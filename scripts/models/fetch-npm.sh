#!/usr/bin/env bash
# Fetches one npm package tarball (npm pack, no install scripts run), checks it against the sha256 recorded here,
# and extracts it. Prints the extracted package directory.
# usage: fetch-npm.sh NAME@VERSION SHA256 WORK_DIR
set -euo pipefail
spec=$1 expected=$2 work=$3
dir=$(mktemp -d "$work/npm.XXXXXX")
tarball=$(cd "$dir" && npm pack --silent "$spec")
actual=$(sha256sum "$dir/$tarball" | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "fetch-npm.sh: $spec has sha256 $actual, expected $expected" >&2
  exit 1
fi
tar -xzf "$dir/$tarball" -C "$dir"
echo "$dir/package"
