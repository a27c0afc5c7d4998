#!/usr/bin/env bash
# Builds Touchstone and runs every test with CTest (GUI tests run offscreen).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/build.sh"
cd "$root/build"
ctest --output-on-failure -j"${JOBS:-2}" "$@"
