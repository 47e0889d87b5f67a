#!/usr/bin/env bash
# The processor service's resident memory as it runs: its own Release executable against a local redis-server, fed
# 4 MP swap jobs one after another; VmRSS and VmHWM after each (docs/benchmarks.md, Processor memory).
#   bench/processor-memory.sh [jobs=15] [megapixels=4.2] [NAME=VALUE environment for the processor ...]
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${CONFIGURATION:-Release}  # Debug: the build ./test.sh made (the CI smoke run)
if [ "$configuration" = Release ]; then
  dotnet build -c Release FaceSwap.Benchmarks/FaceSwap.Benchmarks.csproj -v q -nologo >/dev/null
  dotnet build -c Release FaceSwap.Processor/FaceSwap.Processor.csproj -v q -nologo >/dev/null
fi
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no >/dev/null &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.5
echo "== machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(git rev-parse --short HEAD 2>/dev/null || true)"
dotnet "FaceSwap.Benchmarks/bin/$configuration/net10.0/linux-x64/FaceSwap.Benchmarks.dll" --processor-memory "127.0.0.1:$port" \
  "FaceSwap.Processor/bin/$configuration/net10.0/linux-x64/FaceSwap.Processor.dll" "${1:-15}" "${2:-4.2}" "${@:3}"
