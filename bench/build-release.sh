#!/usr/bin/env bash
# Sourced by the bench scripts: builds what runs the whole application as processes, in $CONFIGURATION (default
# Release). With CONFIGURATION=Debug nothing is built: the Debug build ./test.sh made is used (the CI smoke run).
configuration=${CONFIGURATION:-Release}
command -v redis-server >/dev/null || { echo "redis-server is missing: scripts/install-prerequisites.sh --test" >&2; exit 1; }
if [ "$configuration" = Release ] && [ -z "${NO_BUILD:-}" ]; then  # NO_BUILD=1: bench/scaling.sh built it once
  for project in FaceSwap.BotApi FaceSwap.Processor FaceSwap.TelegramEmulator FaceSwap.Benchmarks; do
    dotnet build -c Release "$project/$project.csproj" -v q -nologo >/dev/null
  done
fi
benchmarks="FaceSwap.Benchmarks/bin/$configuration/net10.0/linux-x64/FaceSwap.Benchmarks.dll"
