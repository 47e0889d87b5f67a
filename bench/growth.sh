#!/usr/bin/env bash
# Growth benchmark: webhook intake latency, database size and one prune pass with N stored updates and 100,000 users.
# For each size the bot API's database is seeded directly (bench/growth-seed.py: handled updates received over the
# last 30 days, 0.2 % failed, one dispatched outbox message per 10 updates), then:
#   A. intake at a fixed 1,000 updates/s for 8 s (FaceSwap.Benchmarks --intake, after 4 s of warm-up), pruning off,
#      next to GET /alive at the same rate in the same process: the floor that the machine and the process allow;
#   B. a fresh start with pruning on (Inbox:Retention defaults: keep 7 days, batches of 1,000, 100 ms apart) and the
#      first pass 30 s after start, after the start-up health checks; a second 8 s of intake at 1,000/s (after the same
#      warm-up) is lined up with the start of the pass.
# The smallest size is the baseline. Backups are off: each snapshot copies the whole file and would compete with
# the measurement. Loopback only; bounded runs.
#   bench/growth.sh [sizes...]        # default: 10000 100000 1000000; a smoke run: bench/growth.sh 10000
# CONFIGURATION=Debug runs the Debug build that ./test.sh already made.
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a sizes <<<"${*:-10000 100000 1000000}"
users=${USERS:-100000}
rate=1000
seconds=8
source bench/build-release.sh

work=$(mktemp -d)
db="$work/faceswap.db"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); emulator_port=$(free_port); bot_port=$(free_port)
pids=()
bot=""
cleanup() { kill ${bot:+"$bot"} "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no >/dev/null & pids+=($!)
(cd "FaceSwap.TelegramEmulator/bin/$configuration/net10.0/linux-x64" && ASPNETCORE_URLS="http://127.0.0.1:$emulator_port" \
  Logging__LogLevel__Default=Warning exec dotnet FaceSwap.TelegramEmulator.dll) >/dev/null 2>&1 & pids+=($!)

# Starts the bot API (from its folder: its content root) with extra settings as NAME=value; sets $bot, $begin and $started_in.
start_bot() {
  local log=$1; shift
  begin=$(date +%s.%N)
  (cd "FaceSwap.BotApi/bin/$configuration/net10.0/linux-x64" && exec env ASPNETCORE_URLS="http://127.0.0.1:$bot_port" \
    ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__TimestampFormat="yyyy-MM-dd'T'HH:mm:ss.fff " \
    Logging__Console__FormatterOptions__UseUtcTimestamp=true \
    BOT_TOKEN="123456789:emulator-local-token-0000000000000" Telegram__ApiBaseUrl="http://127.0.0.1:$emulator_port" \
    Telegram__WebhookSecret=bench-secret RateLimits__WebhookPerSecond=1000000 ConnectionStrings__redis="127.0.0.1:$redis_port" \
    ConnectionStrings__faceswapdb="Data Source=$db" Backups__Enabled=false "$@" dotnet FaceSwap.BotApi.dll) >"$log" 2>&1 &
  bot=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$bot_port/health" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$bot_port/health" >/dev/null || { cat "$log" >&2; echo "the bot API did not become healthy" >&2; exit 1; }
  started_in=$(python3 -c "import sys,time; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$begin")
}
# Stops the bot API and moves what is left in the WAL into the database file, so the file alone is the database.
stop_bot() {
  kill "$bot"; wait "$bot" 2>/dev/null || true; bot=""
  python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint(TRUNCATE)')" "$db"
}
# A failed request is reported in the result line; the table is still printed.
intake() { dotnet "$benchmarks" --intake "http://127.0.0.1:$bot_port" bench-secret "$rate" "${2:-$seconds}" "$1" || true; }
alive() { dotnet "$benchmarks" --intake "http://127.0.0.1:$bot_port/alive" - "$rate" "$seconds" 0 || true; }
# A fresh process still compiles its hot paths (tiered JIT) in its first seconds: 4 s of the same load first, not measured.
warm_up() { intake "$1" 4 >/dev/null; }
# file MB, WAL MB, MB in use (pages not on the free list); read-only, so it also works while the bot API runs.
sizes_of() { python3 - "$db" <<'EOF'
import os, sqlite3, sys
path = sys.argv[1]
wal = os.path.getsize(path + "-wal") if os.path.exists(path + "-wal") else 0
db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
page, count, free = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count", "freelist_count"))
print(f"{os.path.getsize(path) / 1e6:.1f} {wal / 1e6:.1f} {(count - free) * page / 1e6:.1f}")
EOF
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg); commit $(git describe --always --dirty)"
# An empty database with the migrations applied, copied for each size.
start_bot "$work/migrate.log" Inbox__Retention__Enabled=false
stop_bot
cp "$db" "$work/template.db"

results=()
next_id=1000000000  # above every seeded update id (1..size)
for size in "${sizes[@]}"; do
  rm -f "$db" "$db-wal" "$db-shm"; cp "$work/template.db" "$db"
  seed_begin=$(date +%s)
  python3 bench/growth-seed.py "$db" "$size" "$users"
  read -r seeded_mb _ _ <<<"$(sizes_of)"
  echo "== $size updates, $users users: seeded in $(( $(date +%s) - seed_begin )) s, $seeded_mb MB"

  start_bot "$work/steady.log" Inbox__Retention__Enabled=false
  steady_start=$started_in
  warm_up "$next_id"; next_id=$(( next_id + 100000 ))
  floor=$(alive)
  echo "   GET /alive at the same rate: $floor"
  steady=$(intake "$next_id"); next_id=$(( next_id + 100000 ))
  echo "   intake, no pruning (healthy ${steady_start} s after start): $steady"
  read -r file_mb wal_mb _ <<<"$(sizes_of)"
  stop_bot

  start_bot "$work/prune.log" Inbox__Retention__FirstPassDelay=00:00:30 "Logging__LogLevel__FaceSwap.BotApi.Inbox.InboxPruner=Information"
  # The pass starts about 31 s after the process (its services start after the migrations): warm up from 24 s on.
  sleep "$(python3 -c "import sys,time; print(max(0, float(sys.argv[1]) + 24 - time.time()))" "$begin")"
  warm_up "$next_id"; next_id=$(( next_id + 100000 ))
  load_begin=$(date +%s.%N)
  during=$(intake "$next_id"); next_id=$(( next_id + 100000 ))
  load_end=$(date +%s.%N)
  for _ in $(seq 1200); do grep -q "Pruned " "$work/prune.log" && break; sleep 0.5; done
  pruned=$(grep -B1 "Pruned " "$work/prune.log" | tr '\n' ' ')
  read -r pruned_file_mb pruned_wal_mb _ <<<"$(sizes_of)"
  stop_bot
  read -r _ _ used_mb <<<"$(sizes_of)"
  # The pass's start and end (its log line's Unix time minus its duration) against the measured load window.
  overlap=$(python3 - "$pruned" "$load_begin" "$load_end" "$seconds" <<'EOF'
import datetime, re, sys
line, begin, end, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
logged = datetime.datetime.fromisoformat(line.split()[0]).replace(tzinfo=datetime.timezone.utc).timestamp(); ms = float(re.search(r"in (\d+) ms", line).group(1))
measured = (end - seconds, end)  # the load's measured seconds are its last ones, after a 1 s warm-up
start, stop = logged - ms / 1000, logged
covered = max(0.0, min(stop, measured[1]) - max(start, measured[0]))
print(f"{covered:.1f}")
EOF
)
  echo "   intake while the prune pass runs (pass overlaps ${overlap} s of the ${seconds} s measured): $during"
  echo "   $(grep -o 'Pruned .*' <<<"$pruned")"
  echo "   database: $file_mb MB (+ $wal_mb MB WAL) before pruning; after: file $pruned_file_mb MB (+ $pruned_wal_mb MB WAL), $used_mb MB in use"
  results+=("$size|$file_mb|$wal_mb|$steady_start|$floor|$steady|$during|$overlap|$pruned|$pruned_file_mb|$used_mb")
done

echo "== load at the end: $(cut -d" " -f1-3 /proc/loadavg)"
echo
echo "| stored updates | users | DB MB (+WAL) | healthy after start | GET /alive p50 / p99 at $rate/s | intake p50 / p99 at $rate/s | ratio to ${sizes[0]} | prune pass: rows (updates + outbox), time, slowest batch | intake p50 / p99 during the pass | DB MB after pass: file / in use |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
python3 - "$users" "${results[@]}" <<'EOF'
import re, sys
users, rows = int(sys.argv[1]), [r.split("|") for r in sys.argv[2:]]
def ms(line, name): return float(re.search(name + r" ([\d.]+) ms", line).group(1))
base50, base99 = ms(rows[0][5], "p50"), ms(rows[0][5], "p99")
for size, file_mb, wal_mb, healthy, floor, steady, during, overlap, pruned, after_mb, used_mb in rows:
    p = re.search(r"Pruned (\d+) updates (?:\(\d+ records of their replies\) )?and (\d+) outbox messages .* in (\d+) ms \((\d+) batches, slowest (\d+) ms\)", pruned)
    updates, outbox, took, batches, longest = (int(x) for x in p.groups())
    print(f"| {int(size):,} | {users:,} | {file_mb} (+{wal_mb}) | {healthy} s | {ms(floor, 'p50'):.2f} / {ms(floor, 'p99'):.2f} ms"
          f" | {ms(steady, 'p50'):.2f} / {ms(steady, 'p99'):.2f} ms"
          f" | {ms(steady, 'p50') / base50:.2f}x / {ms(steady, 'p99') / base99:.2f}x"
          f" | {updates:,} + {outbox:,} in {took / 1000:.1f} s ({batches} batches, slowest {longest} ms)"
          f" | {ms(during, 'p50'):.2f} / {ms(during, 'p99'):.2f} ms ({overlap} s overlap) | {after_mb} / {used_mb} |")
EOF
