#!/usr/bin/env bash
# Installs missing dependencies (Debian 12) and builds Touchstone into ./build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh"
# CI builds what the tests need, without debug info or benchmarks (they are run by hand).
options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${CI:-}" = "true" ]; then
    options=(-DCMAKE_BUILD_TYPE=Release -DTOUCHSTONE_BUILD_BENCH=OFF)
fi
cmake -S "$root" -B "$root/build" -G Ninja "${options[@]}" >/dev/null
cmake --build "$root/build" -j"${JOBS:-2}" "$@"
