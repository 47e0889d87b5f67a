#!/usr/bin/env bash
# End to end: simulated users send a face and target photos to the Telegram emulator; the whole application (Redis,
# bot API, processors with the local engine) swaps them. Per processor count: p50/p95 one swap at a time, then swaps
# per minute with many users at once, the engine's share, and the services' memory. Exit 1 if a swap was lost.
#   bench/e2e.sh [processor counts=1,2] [swaps per phase=100] [users=24] [users at once=8]
#   DATABASE=postgres bench/e2e.sh ...             the bot API on Debian's PostgreSQL (bench/postgres.sh, fsync on),
#     a new database per processor count
#   DATABASE=postgres REPLICAS=2 bench/e2e.sh ...  two bot APIs (each its own Replica:Id) behind a round-robin that
#     the emulator's webhook points at; either replica's results consumer delivers the swaps
# CONFIGURATION=Debug runs the Debug build that ./test.sh already made (the CI smoke run does).
set -euo pipefail
cd "$(dirname "$0")/.."
database=${DATABASE:-sqlite}
replicas=${REPLICAS:-1}
[ "$database" = postgres ] || [ "$replicas" = 1 ] || { echo "REPLICAS>1 needs DATABASE=postgres: replicas share one database, and a SQLite file belongs to one process" >&2; exit 2; }
source bench/build-release.sh
args=("${1:-1,2}" "${2:-100}" "${3:-24}" "${4:-8}" "$replicas")
if [ "$database" = sqlite ]; then
  exec dotnet "$benchmarks" --e2e "${args[@]}"
fi
source bench/postgres.sh
work=$(mktemp -d)
cleanup() { stop_postgres "$work"; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM  # Ctrl-C: exit, so the EXIT trap stops PostgreSQL (the benchmark stops its own children)
start_postgres "$work"
dotnet "$benchmarks" --e2e "${args[@]}" "$pg_connection"
