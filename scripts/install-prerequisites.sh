#!/usr/bin/env bash
# Installs what FaceSwap needs beyond the .NET 10 SDK, from Debian/Ubuntu packages; skips what is there.
#   redis-server   local Redis when no container runtime answers
#   libdlib-data   dlib's 68-point landmark model for the offline face engine
#   chromium       (tests only) headless browser for the status page and chat page tests
#   python3        (tests only) the benchmark scripts' smoke runs read SQLite and pick free ports with it
#   libimage-exiftool-perl (tests only) ExifTool, the oracle that reads back the results' AI label (XMP)
set -euo pipefail
want=(redis-server libdlib-data)
if [[ "${1:-}" == "--test" ]]; then
  want+=(chromium python3 libimage-exiftool-perl)
fi

missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "Installing: ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The engine's ONNX face detector ships in the repository; the landmark model comes from libdlib-data.
test -f /usr/share/dlib/shape_predictor_68_face_landmarks.dat || {
  echo "The dlib landmark model is missing: apt-get install libdlib-data, or set FaceSwap:Local:LandmarkModelPath." >&2
  exit 1
}
