#!/usr/bin/env bash
# Builds Touchstone and opens it on the demo project (created on first run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/build.sh" --target touchstone touchstone-cli
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found; opening under a virtual X server (xvfb-run)." >&2
    exec xvfb-run -a -s "-screen 0 1440x900x24" "$root/build/app/touchstone" --demo "$@"
fi
exec "$root/build/app/touchstone" --demo "$@"
