#!/bin/sh
# Runs an already built touchstone GUI under a virtual X server and writes editor.png and
# history.png of the demo project into a directory. Builds nothing.
#   tests/ui/take-screenshots.sh build-ui/app/touchstone /tmp/touchstone-shots
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 PATH/TO/touchstone OUTPUT_DIR" >&2
    exit 2
fi
binary=$1
out=$2
if [ ! -x "$binary" ]; then
    echo "$0: $binary is not an executable; build the touchstone target first" >&2
    exit 2
fi
command -v xvfb-run >/dev/null 2>&1 || { echo "$0: xvfb-run is missing (apt install xvfb)" >&2; exit 2; }
mkdir -p "$out"
# The demo project lives in the app's data directory; a scratch HOME keeps screenshots the same
# on every machine and leaves the user's own demo alone.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
HOME=$scratch XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config \
    timeout 120 xvfb-run -a -s "-screen 0 1440x900x24" "$binary" --screenshot "$out"
ls -l "$out/editor.png" "$out/history.png"
