#!/usr/bin/env bash
# Issue #15 in one run: webhook intake and end-to-end swaps on SQLite, on PostgreSQL with one bot API replica and
# with two (bench/intake.sh and bench/e2e.sh with DATABASE and REPLICAS), one after another on the same machine,
# then a summary table: medians over the rounds and each figure's ratio to SQLite's in the same run.
#   bench/scaling.sh [intake rounds=3] [e2e rounds=1]
# Settings (environment): INTAKE_SECONDS=8 CONNECTIONS=40 RATE=1000 (the paced rate whose p99 is reported);
# E2E="1 40 16 4" (processors, swaps per phase, users, users at once). About 15 minutes with the defaults.
# Each run's full output is kept in a folder under /tmp (printed; SCALING_LOGS=DIR to choose). CONFIGURATION=Debug:
# the Debug build ./test.sh made.
set -euo pipefail
cd "$(dirname "$0")/.."
intake_rounds=${1:-3}
e2e_rounds=${2:-1}
read -r -a e2e <<<"${E2E:-1 40 16 4}"
export CONFIGURATION=${CONFIGURATION:-Release}
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 1; }
source bench/build-release.sh  # once here; the runs below skip their builds
export NO_BUILD=1
out=${SCALING_LOGS:-$(mktemp -d /tmp/faceswap-scaling-XXXXXX)}
mkdir -p "$out"
setups=("sqlite 1" "postgres 1" "postgres 2")
loads=()
load() { loads+=("$(cut -d' ' -f1 /proc/loadavg)"); }
echo "== bench/scaling.sh $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $CONFIGURATION build"
echo "== logs: $out"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
# Rounds interleave the setups, so a busy minute on the shared machine falls on all three, not on one.
for round in $(seq "$intake_rounds"); do
  for setup in "${setups[@]}"; do
    read -r database replicas <<<"$setup"
    log="$out/intake-$database-$replicas-$round.log"
    echo "-- intake, $database, $replicas replica(s), round $round/$intake_rounds (load $(cut -d' ' -f1 /proc/loadavg))"; load
    DATABASE=$database REPLICAS=$replicas RATES=${RATE:-1000} bench/intake.sh "${INTAKE_SECONDS:-8}" "${CONNECTIONS:-40}" >"$log" 2>&1 \
      || { echo "   failed: see $log" >&2; tail -5 "$log" >&2; exit 1; }
    grep -E "intake webhook|rows stored" "$log" | sed 's/^ */   /'
  done
done
for round in $(seq "$e2e_rounds"); do
  for setup in "${setups[@]}"; do
    read -r database replicas <<<"$setup"
    log="$out/e2e-$database-$replicas-$round.log"
    echo "-- end to end, $database, $replicas replica(s), round $round/$e2e_rounds (load $(cut -d' ' -f1 /proc/loadavg))"; load
    DATABASE=$database REPLICAS=$replicas bench/e2e.sh "${e2e[0]}" "${e2e[1]}" "${e2e[2]}" "${e2e[3]}" >"$log" 2>&1 \
      || { echo "   failed: see $log" >&2; tail -5 "$log" >&2; exit 1; }
    grep -E "swaps/min|round-robin|VERDICT" "$log" | sed -E 's/; inside the bot API.*//; s/^ */   /'
  done
done
echo "== load average (1 min) at the start of each run: ${loads[*]}; now $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/scaling-summary.py "$out"
