#!/bin/sh
# Runs an already built touchstone GUI under a virtual X server and writes editor.png,
# history.png, playground-empty.png, playground.png, logs.png and the Annotate section
# (annotate-binary.png, annotate-pairwise.png, annotate.png) of the demo project into a directory.
# The playground runs three models served by the project's fake LLM server
# (build/tests/support/touchstone-fake-server), added with touchstone-cli. Builds nothing.
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
build=$(cd "$(dirname "$binary")/.." && pwd)
cli=$build/app/touchstone-cli
fake=$build/tests/support/touchstone-fake-server
for tool in "$cli" "$fake"; do
    [ -x "$tool" ] || { echo "$0: $tool is missing; build touchstone-cli and touchstone-fake-server" >&2; exit 2; }
done
command -v xvfb-run >/dev/null 2>&1 || { echo "$0: xvfb-run is missing (apt install xvfb)" >&2; exit 2; }
mkdir -p "$out"
# A scratch HOME keeps screenshots the same on every machine and leaves the user's own
# settings and demo project alone.
scratch=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

"$fake" --port 0 --latency-ms 120 --tokens-per-sec 300 --output-tokens 70 >"$scratch/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 50); do
    url=$(sed -n 's/^listening on //p' "$scratch/server.log")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "$0: the fake server did not start" >&2; cat "$scratch/server.log" >&2; exit 1; }

project=$scratch/demo.touchstone
HOME=$scratch "$cli" init --demo "$project" >/dev/null
HOME=$scratch "$cli" model add "$project" "fake-small" --provider openai --base-url "$url/v1" \
    --model fake-small --price-in 0.15 --price-out 0.6 >/dev/null
HOME=$scratch "$cli" model add "$project" "fake-large" --provider openai --base-url "$url/v1" \
    --model fake-large --price-in 2.5 --price-out 10 >/dev/null
HOME=$scratch "$cli" model add "$project" "fake-claude" --provider anthropic --base-url "$url" \
    --model fake-small --price-in 0.8 --price-out 4 >/dev/null

# Production traces for logs.png (OTLP JSON Lines of a support chat with tool calls).
HOME=$scratch "$cli" logs import "$project" "$(dirname "$0")/logs/data/screenshot-traces.jsonl" >/dev/null
# Three weeks of support chats, the last with a new topic, for insights-drift.png.
HOME=$scratch "$cli" logs import "$project" "$(dirname "$0")/insights/data/drift-traces.jsonl" >/dev/null

# Both themes: light into OUTPUT_DIR, dark into OUTPUT_DIR/dark, each from its own copy of the
# project (a run adds evals). THEMES=light (or dark) takes one.
cp "$project" "$scratch/dark.touchstone"
for theme in ${THEMES:-light dark}; do
    dir=$out
    shot=$project
    if [ "$theme" = dark ]; then dir=$out/dark; shot=$scratch/dark.touchstone; fi
    HOME=$scratch XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config TOUCHSTONE_NO_KEYCHAIN=1 \
        timeout ${SHOT_TIMEOUT:-240} xvfb-run -a -s "-screen 0 1440x900x24" "$binary" --screenshot "$dir" --theme "$theme" "$shot"
done
ls -l "$out/editor.png" "$out/history.png" "$out/playground-empty.png" "$out/playground.png" \
    "$out/logs.png" "$out/annotate-binary.png" "$out/annotate-pairwise.png" "$out/annotate.png" \
    "$out/insights-evals.png" "$out/insights-cost.png" "$out/insights-drift.png"
