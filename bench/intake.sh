#!/usr/bin/env bash
# Webhook intake benchmark: how many durably stored updates per second POST /telegram/webhook sustains, next to
# the same process's bare /alive endpoint measured in the same run. Loopback only; bounded runs.
# The per-IP webhook rate limit (RateLimits:WebhookPerSecond, 500 by default) is lifted: the load comes from one IP.
#   bench/intake.sh [seconds=8] [connections=40]      RATES="500 1000 2000" sets the paced rates
#   DATABASE=postgres bench/intake.sh ...              the bot API on Debian's PostgreSQL (apt-get install postgresql),
#     initdb'd and started as FaceSwap.Tests/Support/PostgresServer.cs does, but with fsync on (as SQLite's file is)
# Without wrk (apt-get install wrk) only the paced, open-loop runs are made. CONFIGURATION=Debug runs the Debug build
# that ./test.sh already made (the CI smoke run does).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
connections=${2:-40}
configuration=${CONFIGURATION:-Release}
database=${DATABASE:-sqlite}
has_wrk=$(command -v wrk >/dev/null && echo yes || echo no)
[ "$has_wrk" = yes ] || echo "wrk is missing (apt-get install wrk): only the open-loop runs" >&2
if [ "$configuration" = Release ]; then
  for project in FaceSwap.BotApi FaceSwap.TelegramEmulator FaceSwap.Benchmarks; do dotnet build -c Release "$project/$project.csproj" -v q -nologo >/dev/null; done
fi

work=$(mktemp -d)
# Services run from their own folder: that is their content root, where appsettings.json lives.
run_dll() { cd "$1/bin/$configuration/net10.0/linux-x64" && exec dotnet "$1.dll"; }  # started with &: the subshell becomes dotnet, so its pid is the one to kill
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); emulator_port=$(free_port); bot_port=$(free_port)
pids=()
# postgres refuses to run as root: as root its tools run as the package's postgres user (PostgresBinaries.cs).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  [ -f "$work/pg/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$database" = postgres ]; then
  [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
  chmod 1777 "$work"  # the postgres user creates its data folder inside, as in /tmp
  pg_port=$(free_port)
  as_pg "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg -c max_connections=200" start >/dev/null
  db_env=(Database__Provider=postgres "ConnectionStrings__faceswapdb=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres")
  count() { as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc "select count(*) from inbox_updates ${1:-}"; }
else
  db_env=("ConnectionStrings__faceswapdb=Data Source=$work/faceswap.db")
  count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from inbox_updates ' + sys.argv[2]).fetchone()[0])" "$work/faceswap.db" "${1:-}"; }
fi

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no >/dev/null & pids+=($!)
ASPNETCORE_URLS="http://127.0.0.1:$emulator_port" Logging__LogLevel__Default=Warning \
  run_dll FaceSwap.TelegramEmulator >/dev/null 2>&1 & pids+=($!)
(export "${db_env[@]}"; ASPNETCORE_URLS="http://127.0.0.1:$bot_port" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  BOT_TOKEN="123456789:emulator-local-token-0000000000000" Telegram__ApiBaseUrl="http://127.0.0.1:$emulator_port" \
  Telegram__WebhookSecret=bench-secret RateLimits__WebhookPerSecond=1000000 ConnectionStrings__redis="127.0.0.1:$redis_port" \
  run_dll FaceSwap.BotApi) >"$work/botapi.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$bot_port/health" >/dev/null && break; sleep 0.3; done

drain() { for _ in $(seq 600); do [ "$(count 'where "Status" = 0')" = 0 ] && return; sleep 0.5; done; echo "inbox did not drain" >&2; }
echo "== database: $database"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
loadgen() { dotnet "FaceSwap.Benchmarks/bin/$configuration/net10.0/linux-x64/FaceSwap.Benchmarks.dll" --intake "$@"; }
echo "== warm-up"
if [ "$has_wrk" = yes ]; then
  wrk -t2 -c"$connections" -d2s "http://127.0.0.1:$bot_port/alive" >/dev/null
  wrk -t2 -c"$connections" -d2s -s bench/intake-update.lua "http://127.0.0.1:$bot_port" -- bench-secret 0 >/dev/null
else
  loadgen "http://127.0.0.1:$bot_port" bench-secret 500 2 1 >/dev/null
fi
echo "   waiting for the inbox worker to handle the warm-up's updates"; drain
echo "== paced: open loop at fixed rates (FaceSwap.Benchmarks --intake), latency from each request's scheduled start"
for rate in ${RATES:-500 1000 2000}; do
  printf '   baseline GET /alive %5s/s: ' "$rate"; loadgen "http://127.0.0.1:$bot_port/alive" - "$rate" "$seconds" 0
  printf '   intake webhook      %5s/s: ' "$rate"
  loadgen "http://127.0.0.1:$bot_port" bench-secret "$rate" "$seconds" "$(( rate * 1000000 + $(date +%s) % 100000 * 100 ))"
  drain
done
[ "$has_wrk" = yes ] || exit 0
echo "== baseline: GET /alive (same process, no storage)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$bot_port/alive" | grep -E "Requests/sec|50%|99%|requests in"
before=$(count)
echo "== intake: POST /telegram/webhook, unique update_ids, each stored in $database before 200"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/intake-update.lua "http://127.0.0.1:$bot_port" -- bench-secret 0 | grep -E "Requests/sec|50%|99%|requests in|Non-2xx"
echo "   rows stored during the run: $(( $(count) - before ))"
