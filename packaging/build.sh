#!/usr/bin/env bash
# Installs missing dependencies (Debian 12) and builds Touchstone into ./build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j"${JOBS:-2}" "$@"
