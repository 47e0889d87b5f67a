#!/usr/bin/env bash
# Queue benchmark: a job's round trip through Redis Streams (dispatch -> processor with a no-op engine -> result
# consumed) next to a raw redis PING from one client, measured in the same run against the same redis-server.
#   bench/queue.sh [jobs=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2000}
configuration=${CONFIGURATION:-Release}  # Debug: the build ./test.sh made (the CI smoke run)
[ "$configuration" = Release ] && dotnet build -c Release FaceSwap.Benchmarks/FaceSwap.Benchmarks.csproj -v q -nologo >/dev/null
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly yes --appendfsync always >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.5
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== baseline: redis-benchmark PING, 1 client"
redis-benchmark -p "$port" -t ping_mbulk -n 20000 -c 1 --csv
echo "== round trip (append-only file, fsync always, as the app runs Redis)"
dotnet "FaceSwap.Benchmarks/bin/$configuration/net10.0/linux-x64/FaceSwap.Benchmarks.dll" --queue "127.0.0.1:$port" "$jobs"
