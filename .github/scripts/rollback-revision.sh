#!/usr/bin/env bash
# Puts a container app's traffic back on a known-good revision and deactivates the failed one.
# Works in single-revision mode (the bot API's: one SQLite writer), where activating the old
# revision is allowed from the CLI; the traffic rule is also set for apps in multiple-revision mode.
# Usage: rollback-revision.sh RESOURCE_GROUP APP GOOD_REVISION [FAILED_REVISION]
set -euo pipefail

resource_group="${1:?usage: rollback-revision.sh RESOURCE_GROUP APP GOOD_REVISION [FAILED_REVISION]}"
app="${2:?app name missing}"
good="${3:?good revision missing}"
failed="${4:-}"

echo "rolling $app back to revision $good"
az containerapp revision activate --resource-group "$resource_group" --name "$app" --revision "$good"
mode=$(az containerapp show --resource-group "$resource_group" --name "$app" \
  --query properties.configuration.activeRevisionsMode --output tsv)
if [[ "${mode,,}" == "multiple" ]]; then
  az containerapp ingress traffic set --resource-group "$resource_group" --name "$app" \
    --revision-weight "$good=100"
fi
if [[ -n "$failed" && "$failed" != "$good" ]]; then
  # In single-revision mode the failed revision would otherwise keep (or take back) the traffic.
  az containerapp revision deactivate --resource-group "$resource_group" --name "$app" --revision "$failed"
fi
echo "traffic of $app is on $good"
