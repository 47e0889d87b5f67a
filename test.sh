#!/usr/bin/env bash
# Builds with zero warnings and runs every test: the unit tier (FaceSwap.UnitTests, in parallel) and the integration
# tier (FaceSwap.Tests: API, end-to-end through Aspire, browser, deployment scripts; one trx file per project);
# then a short smoke run of every benchmark and two fault scripts (bench/smoke.sh). Arguments go to `dotnet test`
# (e.g. --filter ...), and then the smoke run is skipped.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh --test
dotnet build FaceSwap.sln -c Debug -warnaserror
dotnet test FaceSwap.sln -c Debug --no-build --logger trx --results-directory TestResults "$@"
if [[ $# -eq 0 ]]; then
  CONFIGURATION=Debug bench/smoke.sh
fi
