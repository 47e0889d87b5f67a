#!/usr/bin/env bash
# Installs what FaceSwap needs beyond the .NET 10 SDK, from Debian/Ubuntu packages; skips what is there.
#   redis-server   local Redis when no container runtime answers
#   chromium       (tests only) headless browser for the status page and chat page tests
#   python3        (tests only) the benchmark scripts' smoke runs read SQLite and pick free ports with it
#   libimage-exiftool-perl (tests only) ExifTool, the oracle that reads back the results' AI label (XMP)
#   postgresql     (tests only) the data layer's tests on PostgreSQL (Database:Provider=postgres; to run the app on it locally, install it too)
set -euo pipefail
want=(redis-server)
if [[ "${1:-}" == "--test" ]]; then
  want+=(chromium python3 libimage-exiftool-perl postgresql)
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

# The offline engine's models (BlazeFace, the face mesh) ship in the repository; dlib's model is needed only for
# FaceSwap:Local:Pipeline=classic (apt-get install libdlib-data).
