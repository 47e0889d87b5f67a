#!/usr/bin/env bash
# Resolves the current digest of every base image the deployment builds on and writes it next to the tag
# (image:tag@sha256:...), in FaceSwap.Processor/Dockerfile (the # syntax= frontend and each FROM) and in
# FaceSwap.BotApi/FaceSwap.BotApi.csproj and FaceSwap.Processor/FaceSwap.Processor.csproj (ContainerBaseImage). Needs the network. Run it to take a base image's
# security updates, then commit the change so CI builds and tests exactly those images.
#
# usage: scripts/pin-base-images.sh          rewrite the files with the digests the registries serve now
#        scripts/pin-base-images.sh --check  only report pins that differ from the registries (exit 1 if any)
#
# The digest is the one of the tag's manifest list (multi-platform index), as `docker pull image:tag` resolves it:
# from `docker buildx imagetools inspect`, else `crane digest`, else the registry's HTTP API (anonymous token).
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

files=(FaceSwap.Processor/Dockerfile FaceSwap.BotApi/FaceSwap.BotApi.csproj FaceSwap.Processor/FaceSwap.Processor.csproj)
accept='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'

resolve() { # image:tag -> sha256:...
  local ref=$1
  if docker buildx version >/dev/null 2>&1; then
    docker buildx imagetools inspect "$ref" --format '{{json .Manifest.Digest}}' | tr -d '"'
    return
  fi
  if command -v crane >/dev/null 2>&1; then
    crane digest "$ref"
    return
  fi
  local name=${ref%:*} tag=${ref##*:} registry repo token=""
  if [[ "$name" == */* && "${name%%/*}" == *.* ]]; then registry=${name%%/*} repo=${name#*/}; else registry=registry-1.docker.io repo=$name; fi
  [[ "$registry" == registry-1.docker.io && "$repo" != */* ]] && repo="library/$repo"
  if [ "$registry" = registry-1.docker.io ]; then
    token=$(curl -fsS "https://auth.docker.io/token?service=registry.docker.io&scope=repository:$repo:pull" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  fi
  curl -fsSI -H "Accept: $accept" ${token:+-H "Authorization: Bearer $token"} "https://$registry/v2/$repo/manifests/$tag" \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }'
}

# image:tag references, with or without a digest already, in the files above.
refs=$(grep -hoE '(^# syntax=|^FROM |<ContainerBaseImage>)[^ <@]+:[^ <@]+' "${files[@]}" | sed -E 's/^(# syntax=|FROM |<ContainerBaseImage>)//' | sort -u)
stale=0
for ref in $refs; do
  digest=$(resolve "$ref")
  if [[ ! "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "pin-base-images.sh: could not resolve $ref (got '$digest')" >&2
    exit 2
  fi
  escaped=$(printf '%s' "$ref" | sed 's/[.[\/*^$]/\\&/g')
  if grep -qE "${escaped}@${digest}([ <]|$)" "${files[@]}" && ! grep -E "${escaped}(@sha256:[0-9a-f]{64})?([ <]|$)" "${files[@]}" | grep -vq "@${digest}"; then
    echo "up to date: $ref@$digest"
    continue
  fi
  stale=1
  echo "new digest: $ref@$digest"
  if ! $check; then
    sed -i -E "s/${escaped}(@sha256:[0-9a-f]{64})?([ <]|$)/${escaped}@${digest}\2/" "${files[@]}"
  fi
done
if $check && [ "$stale" = 1 ]; then exit 1; fi
