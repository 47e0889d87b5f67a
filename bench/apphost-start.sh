#!/usr/bin/env bash
# Start-up: from launching the AppHost (already built) to every resource healthy (redis, botapi, processor,
# telegram-emulator), as the AppHost itself reports it ("FaceSwap is ready ... s after the AppHost started"), next to
# the wall time this script sees. Each run starts from an empty data folder. Baseline in the same run: `dotnet` starting
# and exiting (the runtime's own start-up).
#   bench/apphost-start.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
configuration=${CONFIGURATION:-Release}
dotnet build -c "$configuration" FaceSwap.AppHost/FaceSwap.AppHost.csproj -v q -nologo >/dev/null
echo "== machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N); dotnet --version >/dev/null; echo "   baseline: dotnet --version took $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $start}") s"
for run in $(seq "$runs"); do
  data=$(mktemp -d); log="$data/apphost.log"
  start=$(date +%s.%N)
  FaceSwap__DataDirectory="$data" setsid dotnet run -c "$configuration" --no-build --project FaceSwap.AppHost/FaceSwap.AppHost.csproj \
    --launch-profile http >"$log" 2>&1 &
  pid=$!
  ready=""
  for _ in $(seq 1800); do
    if grep -q "FaceSwap is ready" "$log"; then ready=$(date +%s.%N); break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -n "$ready" ]; then
    echo "   run $run: ready after $(awk "BEGIN{printf \"%.1f\", $ready - $start}") s by the wall clock; $(grep -o 'all [0-9]* resources healthy [0-9.]* s after the AppHost started' "$log")"
  else
    echo "   run $run: NOT ready within 180 s; log: $log" >&2
  fi
  kill -TERM -- -"$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- -"$pid" 2>/dev/null || true
  [ -n "$ready" ] && rm -rf "$data"
done
