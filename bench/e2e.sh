#!/usr/bin/env bash
# End to end: simulated users send a face and target photos to the Telegram emulator; the whole application (Redis,
# bot API, processors with the local engine) swaps them. Per processor count: p50/p95 one swap at a time, then swaps
# per minute with many users at once, the engine's share, and the services' memory. Exit 1 if a swap was lost.
#   bench/e2e.sh [processor counts=1,2] [swaps per phase=100] [users=24] [users at once=8]
# CONFIGURATION=Debug runs the Debug build that ./test.sh already made (the CI smoke run does).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/build-release.sh
exec dotnet "$benchmarks" --e2e "${1:-1,2}" "${2:-100}" "${3:-24}" "${4:-8}"
