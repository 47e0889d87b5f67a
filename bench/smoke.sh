#!/usr/bin/env bash
# CI's smoke run of every benchmark and of three fault scripts: short, on the Debug build ./test.sh made, so they keep
# working; the figures mean nothing. Each step fails the run if its benchmark fails or its verdict is FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION=${CONFIGURATION:-Debug}
# Each step's start says how long the run has taken so far, so a slow step shows in CI's log.
step() { echo; echo "== smoke (+${SECONDS}s): $*"; }
step "engine stages and model load (BenchmarkDotNet, one dry iteration each, 0.5 MP)"
dotnet "FaceSwap.Benchmarks/bin/$CONFIGURATION/net10.0/linux-x64/FaceSwap.Benchmarks.dll" --smoke | grep -E "^\| |executed benchmarks"
step "webhook intake, open loop at 200/s for 2 s"
RATES=200 bench/intake.sh 2
step "queue round trip, 100 jobs"
bench/queue.sh 100
step "end to end, 1 processor, 4 swaps per phase"
bench/e2e.sh 1 4 2 2
step "growth: 10,000 stored updates and 10,000 users, intake and one prune pass"
USERS=10000 bench/growth.sh 10000
step "faults: processor killed mid-job, duplicate and reordered webhook deliveries, one chat flooding the bot"
bench/faults.sh processor-kill webhook-duplicates chatty-chat
echo
echo "== smoke: done in ${SECONDS}s"
