#!/usr/bin/env bash
# Smoke test of a deployed bot API: polls /alive (process up) and /health (ready: Redis, database,
# workers) until both answer 200 or the deadline passes.
# Usage: smoke-test.sh BASE_URL [DEADLINE_SECONDS=300] [INTERVAL_SECONDS=10]
# Exit: 0 when healthy, 1 when the deadline passed (the last answers are printed).
set -euo pipefail

base_url="${1:?usage: smoke-test.sh BASE_URL [DEADLINE_SECONDS] [INTERVAL_SECONDS]}"
base_url="${base_url%/}"
deadline_seconds="${2:-300}"
interval_seconds="${3:-10}"
deadline=$((SECONDS + deadline_seconds))

# Prints the HTTP status of one GET (000 when the connection fails), never failing the script.
status_of() {
  curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 "$1" || true
}

attempt=0
while :; do
  attempt=$((attempt + 1))
  alive=$(status_of "$base_url/alive")
  health=$(status_of "$base_url/health")
  echo "smoke attempt $attempt: /alive $alive, /health $health"
  if [[ "$alive" == "200" && "$health" == "200" ]]; then
    echo "smoke test passed: $base_url is alive and healthy"
    exit 0
  fi
  if (( SECONDS + interval_seconds > deadline )); then
    echo "smoke test failed: $base_url not healthy within ${deadline_seconds}s (last: /alive $alive, /health $health)" >&2
    exit 1
  fi
  sleep "$interval_seconds"
done
