#!/usr/bin/env bash
# Builds with zero warnings and runs every test: unit, API, end-to-end through Aspire, browser, deployment checks.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh --test
dotnet build FaceSwap.sln -c Debug -warnaserror
dotnet test FaceSwap.sln -c Debug --no-build --logger "trx;LogFileName=faceswap.trx" --results-directory TestResults "$@"
