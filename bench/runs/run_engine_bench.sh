#!/usr/bin/env bash
# Runs bench_run_engine against a fake LLM server: the neutral Node server when its path is
# given (e.g. ../shared/tools/fake-llm-server.mjs), else the project's own touchstone-fake-server.
# Usage: bench/runs/run_engine_bench.sh BUILD_DIR [FAKE_SERVER_MJS] [N] [CONCURRENCY] [TTFT_MS]
set -euo pipefail
build=${1:?build dir}
mjs=${2:-}
n=${3:-2000}; c=${4:-16}; ttft=${5:-50}
log=$(mktemp)
if [ -n "$mjs" ]; then
    node "$mjs" --port 0 --latency-ms "$ttft" --tokens-per-sec 0 --max-seconds 600 >"$log" 2>/dev/null &
else
    "$build/tests/support/touchstone-fake-server" --port 0 --latency-ms "$ttft" --tokens-per-sec 0 >"$log" 2>/dev/null &
fi
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1)
"$build/bench/runs/bench_run_engine" "$url/v1" "$n" "$c" "$ttft"
