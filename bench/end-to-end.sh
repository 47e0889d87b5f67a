#!/usr/bin/env bash
# End-to-end benchmark: simulated users send two photos through the Telegram emulator and wait for the swapped
# photo. 100 sequential swaps (latency) and 4 users at once (throughput), with 1 and then 2 processors, plus the
# services' resident memory idle and after the load, and the queue round trip next to a raw redis PING.
#   bench/end-to-end.sh [swaps=100] [users=4]
set -euo pipefail
cd "$(dirname "$0")/.."
swaps=${1:-100}
users=${2:-4}
for project in FaceSwap.BotApi FaceSwap.Processor FaceSwap.TelegramEmulator FaceSwap.Benchmarks; do
  dotnet build -c Release "$project/$project.csproj" -v q -nologo >/dev/null
done
bin() { echo "$1/bin/Release/net10.0/linux-x64/$1.dll"; }

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
rss() { awk '/VmRSS/ {printf "%d MB", $2/1024}' "/proc/$1/status"; }

redis_port=$(free_port); emulator_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes --appendfsync always >/dev/null & pids+=($!)
sleep 0.5
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== baseline: redis-benchmark PING, 1 client (sequential, like the round trip below)"
redis-benchmark -p "$redis_port" -t ping_mbulk -n 20000 -c 1 -q
dotnet "$(bin FaceSwap.Benchmarks)" --queue "127.0.0.1:$redis_port" 2000

ASPNETCORE_URLS="http://127.0.0.1:$emulator_port" Logging__LogLevel__Default=Warning \
  dotnet "$(bin FaceSwap.TelegramEmulator)" >/dev/null 2>&1 & pids+=($!)

run_with_processors() {
  local processors=$1 bot_port; bot_port=$(free_port)
  local run_pids=()
  ASPNETCORE_URLS="http://127.0.0.1:$bot_port" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    BOT_TOKEN="123456789:emulator-local-token-0000000000000" Telegram__ApiBaseUrl="http://127.0.0.1:$emulator_port" \
    Telegram__WebhookSecret=bench-secret Telegram__PublicUrl="http://127.0.0.1:$bot_port" \
    Swaps__FreeCredits=100000 Swaps__MaxPerHour=100000 ConnectionStrings__redis="127.0.0.1:$redis_port" \
    ConnectionStrings__faceswapdb="Data Source=$work/faceswap-$processors.db" \
    dotnet "$(bin FaceSwap.BotApi)" >"$work/botapi.log" 2>&1 & run_pids+=($!)
  for i in $(seq "$processors"); do
    ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" Logging__LogLevel__Default=Warning ConnectionStrings__redis="127.0.0.1:$redis_port" \
      dotnet "$(bin FaceSwap.Processor)" >"$work/processor-$i.log" 2>&1 & run_pids+=($!)
  done
  pids+=("${run_pids[@]}")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$bot_port/health" >/dev/null && break; sleep 0.3; done
  sleep 3
  echo "== $processors processor(s): idle RSS bot API $(rss "${run_pids[0]}"), processor $(rss "${run_pids[1]}")"
  dotnet "$(bin FaceSwap.Benchmarks)" --e2e "http://127.0.0.1:$emulator_port" "$swaps" "$users"
  echo "   after load RSS bot API $(rss "${run_pids[0]}"), processor $(rss "${run_pids[1]}")"
  kill "${run_pids[@]}"; wait "${run_pids[@]}" 2>/dev/null || true
}
run_with_processors 1
run_with_processors 2
