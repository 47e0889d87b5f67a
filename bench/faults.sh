#!/usr/bin/env bash
# Fault suite: each fault is injected into the running application (separate processes: redis-server, emulator, bot
# API, processors) while simulated users swap, and ends in PASS or FAIL: no update lost, no swap delivered twice or
# not at all, no credit lost or spent twice, healthy again within the stated time. Exit 1 if any fault fails.
#   bench/faults.sh                      # all: processor-kill redis-restart botapi-restart webhook-duplicates
#                                        #      telegram-errors backup-disk-full soak (50 users, 5 minutes)
#                                        #      and the isolation faults: user-blocks-bot chatty-chat lost-queue-entry
#                                        #      large-uploads memory-cap (needs root for a memory cgroup) slow-hosted-job
#   bench/faults.sh redis-restart soak   # some
#   SOAK_SECONDS=60 bench/faults.sh soak # a shorter soak
# CONFIGURATION=Debug runs the Debug build that ./test.sh already made (the CI smoke run does).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/build-release.sh
exec dotnet "$benchmarks" --faults --soak-seconds "${SOAK_SECONDS:-300}" "$@"
