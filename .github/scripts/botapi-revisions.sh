#!/usr/bin/env bash
# The bot API's zero-downtime deploy in PostgreSQL mode (docs/operations/deploy.md, "Zero-downtime deploys"):
# the app runs in multiple-revision mode with at least two replicas; a deploy's new revision is created with 0 %
# traffic and the label `candidate`, smoke-tested on the label's own URL, and only then given all traffic.
# SQLite mode does not use this script (one writer: single-revision mode, rollback-revision.sh).
#
# Usage, in the order deploy.yml runs them:
#   botapi-revisions.sh hold      RG APP [SERVING]                        before `azd deploy`
#   botapi-revisions.sh candidate RG APP SUFFIX SECRET_URI IDENTITY_ID [SERVING]   after `azd deploy`
#   botapi-revisions.sh promote   RG APP CANDIDATE [SERVING]              the candidate passed its smoke test
#   botapi-revisions.sh discard   RG APP CANDIDATE                        it did not: traffic never moved
# `candidate` appends revision=NAME and url=https://... to $GITHUB_OUTPUT when that is set.
set -euo pipefail

usage="usage: botapi-revisions.sh hold|candidate|promote|discard RESOURCE_GROUP APP ..."
command="${1:?$usage}"
resource_group="${2:?$usage}"
app="${3:?$usage}"
label=candidate
app_args=(--resource-group "$resource_group" --name "$app")

case "$command" in
  hold)
    serving="${4:-}"
    if [[ -z "$serving" ]]; then
      # The app may not exist before azd's first deploy, and there is no traffic to keep.
      echo "no serving revision (first deploy): nothing to hold"
      exit 0
    fi
    # Multiple-revision mode lets two revisions run at once, so the new one can be tried before it serves.
    az containerapp revision set-mode "${app_args[@]}" --mode multiple
    # Traffic given to a named revision (not to "latest") stays there: the revision azd creates next gets 0 %.
    az containerapp ingress traffic set "${app_args[@]}" --revision-weight "$serving=100"
    ;;

  candidate)
    suffix="${4:?suffix missing}"
    secret_uri="${5:?Key Vault secret URI of the connection string missing}"
    identity="${6:?managed identity resource id missing}"
    serving="${7:-}"
    candidate="$app--$suffix"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT

    # A template that says `single` (azd's default) switches the app back at `azd deploy`, and then azd's revision
    # already took the traffic: stop rather than pretend the candidate was tried first.
    mode=$(az containerapp show "${app_args[@]}" --query properties.configuration.activeRevisionsMode --output tsv)
    if [[ "${mode,,}" != "multiple" && -z "$serving" ]]; then
      # First deploy: nothing served before, so the mode can change now.
      az containerapp revision set-mode "${app_args[@]}" --mode multiple
    elif [[ "${mode,,}" != "multiple" ]]; then
      echo "$app is in $mode revision mode after azd deploy: set activeRevisionsMode: multiple in infra/botapi.tmpl.yaml (docs/operations/deploy.md, \"Two modes\")" >&2
      exit 1
    fi
    # The revision azd just created runs the manifest's settings (the SQLite path); it is replaced below.
    deployed=$(az containerapp show "${app_args[@]}" --query properties.latestRevisionName --output tsv)
    # The connection string stays in Key Vault: the app holds a reference, read with its managed identity.
    az containerapp secret set "${app_args[@]}" --secrets "faceswapdb=keyvaultref:$secret_uri,identityref:$identity"
    az containerapp show "${app_args[@]}" --output json > "$work/app.json"
    # One template change, so one new revision: PostgreSQL settings, at least 2 replicas, probes on /health.
    jq --arg suffix "$suffix" '
      (.properties.configuration.ingress.targetPort // 8080) as $port
      | { properties: { template: (.properties.template
          | .revisionSuffix = $suffix
          | .scale.minReplicas = ([.scale.minReplicas // 0, 2] | max)
          | .scale.maxReplicas = ([.scale.maxReplicas // 0, .scale.minReplicas, 10] | max)
          | .containers[0].env = ([.containers[0].env // [] | .[]
                | select(.name | IN("ConnectionStrings__faceswapdb", "Database__Provider", "Database__JournalMode", "Backups__Directory") | not)]
              + [ { name: "Database__Provider", value: "postgres" },
                  { name: "ConnectionStrings__faceswapdb", secretRef: "faceswapdb" } ])
          | .containers[0].probes = [
              { type: "Startup", httpGet: { path: "/health", port: $port }, periodSeconds: 5, failureThreshold: 60 },
              { type: "Readiness", httpGet: { path: "/health", port: $port }, periodSeconds: 10, failureThreshold: 3 },
              { type: "Liveness", httpGet: { path: "/alive", port: $port }, periodSeconds: 30, failureThreshold: 3 } ]) } }
      ' "$work/app.json" > "$work/patch.json"
    # JSON is YAML: `update --yaml` patches the app with just this template.
    az containerapp update "${app_args[@]}" --yaml "$work/patch.json"
    az containerapp revision label add "${app_args[@]}" --label "$label" --revision "$candidate" --yes
    if [[ -n "$deployed" && "$deployed" != "$candidate" && "$deployed" != "$serving" ]]; then
      az containerapp revision deactivate "${app_args[@]}" --revision "$deployed"
    fi

    fqdn=$(az containerapp show "${app_args[@]}" --query properties.configuration.ingress.fqdn --output tsv)
    # A label's own address: <app>---<label>.<environment domain>, next to the app's <app>.<environment domain>.
    url="https://$app---$label.${fqdn#*.}"
    echo "candidate $candidate at $url (0 % of the traffic)"
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
      printf 'revision=%s\nurl=%s\n' "$candidate" "$url" >> "$GITHUB_OUTPUT"
    fi
    ;;

  promote)
    candidate="${4:?candidate revision missing}"
    serving="${5:-}"
    weights=("$candidate=100")
    if [[ -n "$serving" && "$serving" != "$candidate" ]]; then
      weights+=("$serving=0")
    fi
    az containerapp ingress traffic set "${app_args[@]}" --revision-weight "${weights[@]}"
    az containerapp revision label remove "${app_args[@]}" --label "$label"
    if [[ -n "$serving" && "$serving" != "$candidate" ]]; then
      # After the move, not before: until then the old revision is what serves.
      az containerapp revision deactivate "${app_args[@]}" --revision "$serving"
    fi
    echo "traffic of $app is on $candidate"
    ;;

  discard)
    candidate="${4:?candidate revision missing}"
    # The traffic rule was never changed, so the serving revision still has all of it.
    az containerapp revision label remove "${app_args[@]}" --label "$label" || true
    az containerapp revision deactivate "${app_args[@]}" --revision "$candidate"
    echo "candidate $candidate deactivated; traffic of $app did not move"
    ;;

  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
