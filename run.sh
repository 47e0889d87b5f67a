#!/usr/bin/env bash
# Runs FaceSwap locally: the Aspire dashboard, Redis, the bot API, the processor and the Telegram emulator.
# Prints the dashboard login URL and the chat page URL. No secrets or Docker needed.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-prerequisites.sh
exec dotnet run --project FaceSwap.AppHost/FaceSwap.AppHost.csproj --launch-profile http -- "$@"
