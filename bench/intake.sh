#!/usr/bin/env bash
# Webhook intake benchmark: how many durably stored updates per second POST /telegram/webhook sustains, next to
# the same process's bare /alive endpoint measured in the same run. Loopback only; bounded runs.
# The per-IP webhook rate limit (RateLimits:WebhookPerSecond, 500 by default) is lifted: the load comes from one IP.
#   bench/intake.sh [seconds=8] [connections=40]      RATES="500 1000 2000" sets the paced rates
#   DATABASE=postgres bench/intake.sh ...              the bot API on Debian's PostgreSQL (apt-get install postgresql),
#     initdb'd and started as FaceSwap.Tests/Support/PostgresServer.cs does, but with fsync on (bench/postgres.sh)
#   DATABASE=postgres REPLICAS=2 bench/intake.sh ...   two bot APIs on that database and one Redis, each with its own
#     Replica:Id (chat leases on); the paced generator alternates between them and wrk runs once per replica side
#     by side, half the connections each. The stored rows are counted from the database either way.
# Without wrk (apt-get install wrk) only the paced, open-loop runs are made. CONFIGURATION=Debug runs the Debug build
# that ./test.sh already made (the CI smoke run does).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
connections=${2:-40}
configuration=${CONFIGURATION:-Release}
database=${DATABASE:-sqlite}
replicas=${REPLICAS:-1}
[ "$database" = postgres ] || [ "$replicas" = 1 ] || { echo "REPLICAS>1 needs DATABASE=postgres: replicas share one database, and a SQLite file belongs to one process" >&2; exit 2; }
has_wrk=$(command -v wrk >/dev/null && echo yes || echo no)
[ "$has_wrk" = yes ] || echo "wrk is missing (apt-get install wrk): only the open-loop runs" >&2
if [ "$configuration" = Release ] && [ -z "${NO_BUILD:-}" ]; then  # NO_BUILD=1: bench/scaling.sh built it once
  for project in FaceSwap.BotApi FaceSwap.TelegramEmulator FaceSwap.Benchmarks; do dotnet build -c Release "$project/$project.csproj" -v q -nologo >/dev/null; done
fi

work=$(mktemp -d)
# Services run from their own folder: that is their content root, where appsettings.json lives.
run_dll() { cd "$1/bin/$configuration/net10.0/linux-x64" && exec dotnet "$1.dll"; }  # started with &: the subshell becomes dotnet, so its pid is the one to kill
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); emulator_port=$(free_port)
bot_ports=(); for _ in $(seq "$replicas"); do bot_ports+=("$(free_port)"); done
pids=()
source bench/postgres.sh
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  stop_postgres "$work"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # Ctrl-C: exit, so the EXIT trap stops every process started here

if [ "$database" = postgres ]; then
  start_postgres "$work"
  db_env=(Database__Provider=postgres "ConnectionStrings__faceswapdb=$pg_connection")
  count() { as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc "select count(*) from inbox_updates ${1:-}"; }
else
  db_env=("ConnectionStrings__faceswapdb=Data Source=$work/faceswap.db")
  count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from inbox_updates ' + sys.argv[2]).fetchone()[0])" "$work/faceswap.db" "${1:-}"; }
fi

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no >/dev/null & pids+=($!)
ASPNETCORE_URLS="http://127.0.0.1:$emulator_port" Logging__LogLevel__Default=Warning \
  run_dll FaceSwap.TelegramEmulator >/dev/null 2>&1 & pids+=($!)
for replica in $(seq "$replicas"); do
  port=${bot_ports[$((replica - 1))]}
  (export "${db_env[@]}"; ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    BOT_TOKEN="123456789:emulator-local-token-0000000000000" Telegram__ApiBaseUrl="http://127.0.0.1:$emulator_port" \
    Telegram__WebhookSecret=bench-secret RateLimits__WebhookPerSecond=1000000 ConnectionStrings__redis="127.0.0.1:$redis_port" \
    Replica__Id="bench-$replica" run_dll FaceSwap.BotApi) >"$work/botapi-$replica.log" 2>&1 & pids+=($!)
  # One at a time: the first applies the database migrations before the second starts.
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.3; done
done
urls=(); for port in "${bot_ports[@]}"; do urls+=("http://127.0.0.1:$port"); done
alive_urls=(); for url in "${urls[@]}"; do alive_urls+=("$url/alive"); done
# wrk once per replica, side by side, the connections split between them; prints each instance's summary lines.
wrk_all() {  # wrk_all CONNECTIONS SECONDS PATH_SUFFIX [wrk arguments...]
  local total=$1 secs=$2 suffix=$3; shift 3
  local share=$(( total / replicas )) wrk_pids=() i=0
  for url in "${urls[@]}"; do
    i=$((i + 1)); wrk -t$(( replicas == 1 ? 2 : 1 )) -c"$share" -d"$secs" "$@" "$url$suffix" -- bench-secret 0 "$i" >"$work/wrk-$i.out" & wrk_pids+=($!)
  done
  wait "${wrk_pids[@]}"
  for i in $(seq "$replicas"); do [ "$replicas" = 1 ] || echo "   wrk against replica $i:"; cat "$work/wrk-$i.out"; done
}

drain() { for _ in $(seq 600); do [ "$(count 'where "Status" = 0')" = 0 ] && return; sleep 0.5; done; echo "inbox did not drain" >&2; }
echo "== database: $database, $replicas bot API replica(s)"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
loadgen() { dotnet "FaceSwap.Benchmarks/bin/$configuration/net10.0/linux-x64/FaceSwap.Benchmarks.dll" --intake "$@"; }
join() { local IFS=,; echo "$*"; }
echo "== warm-up"
if [ "$has_wrk" = yes ]; then
  wrk_all "$connections" 2s /alive >/dev/null
  wrk_all "$connections" 2s "" -s bench/intake-update.lua >/dev/null
else
  loadgen "$(join "${urls[@]}")" bench-secret 500 2 1 >/dev/null
fi
echo "   waiting for the inbox worker to handle the warm-up's updates"; drain
echo "== paced: open loop at fixed rates (FaceSwap.Benchmarks --intake), latency from each request's scheduled start"
for rate in ${RATES:-500 1000 2000}; do
  printf '   baseline GET /alive %5s/s: ' "$rate"; loadgen "$(join "${alive_urls[@]}")" - "$rate" "$seconds" 0
  printf '   intake webhook      %5s/s: ' "$rate"
  loadgen "$(join "${urls[@]}")" bench-secret "$rate" "$seconds" "$(( rate * 1000000 + $(date +%s) % 100000 * 100 ))"
  drain
done
[ "$has_wrk" = yes ] || exit 0
echo "== baseline: GET /alive (same process, no storage)"
wrk_all "$connections" "${seconds}s" /alive --latency | grep -E "Requests/sec|50%|99%|requests in|against replica"
before=$(count)
echo "== intake: POST /telegram/webhook, unique update_ids, each stored in $database before 200"
wrk_all "$connections" "${seconds}s" "" --latency -s bench/intake-update.lua | grep -E "Requests/sec|50%|99%|requests in|Non-2xx|against replica"
stored=$(( $(count) - before ))
echo "   rows stored during the run: $stored = $(( stored / seconds ))/s"
