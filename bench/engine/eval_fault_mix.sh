#!/usr/bin/env bash
# Evals under network faults: the same eval against a clean fake server and against one that
# injects 10% HTTP 429 (retry-after: 1), 5% HTTP 500 and 5% connections dropped half-way
# through the answer. Goal (issue 11): every call completed, 0 errors, wall time within 1.3x.
#
#   bench/engine/eval_fault_mix.sh SERVER_JS [BENCH_EVAL_FAULTS] [CASES]
#
# SERVER_JS is fake-llm-server.mjs (Node only, no dependencies); BENCH_EVAL_FAULTS defaults to
# build/bench/engine/bench_eval_faults (an eval through EvalRunner, the engine of
# `touchstone-cli eval`, into a project file); CASES defaults to 500 (x 2 models = 1,000
# calls). Workload: one contains assertion per case, no cache, concurrency $CONCURRENCY
# (default 16, also each model's limit). Each answer
# takes LATENCY_MS (default 400) to the first token plus 40 tokens at TPS (default 100) tokens
# a second, sent whole (evals do not stream): about 0.8 s, a small model over a real API.
# With LATENCY_MS=50 TPS=0 every call takes 50 ms and the waits the faults impose (a 429 asks
# for 1 s) dominate; the script prints the figures either way.
#
# Reports, for each server: wall time, calls answered, calls that ended in an error, what the
# server injected; then the ratio faults / clean. Exit 1 when a goal is missed.
set -euo pipefail

SERVER_JS=${1:?usage: eval_fault_mix.sh SERVER_JS [BENCH_EVAL_FAULTS] [CASES]}
BENCH=${2:-build/bench/engine/bench_eval_faults}
CASES=${3:-500}
CONCURRENCY=${CONCURRENCY:-16}
LATENCY_MS=${LATENCY_MS:-400}
TPS=${TPS:-100}
FAULTS=(--error-rate-429 0.1 --error-rate-500 0.05 --drop-rate 0.05)
CALLS=$((CASES * 2))
SERVER_JS=$(realpath "$SERVER_JS")
BENCH=$(realpath "$BENCH")

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

start_server() { # NAME FLAGS... ; sets URL
    local name=$1; shift
    node "$SERVER_JS" --port 0 --latency-ms "$LATENCY_MS" --tokens-per-sec "$TPS" --output-tokens 40 \
        --max-seconds 3600 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    PIDS+=($!)
    for _ in $(seq 100); do
        grep -q '^listening on ' "$WORK/$name.out" 2>/dev/null && break
        sleep 0.1
    done
    URL=$(sed -n 's/^listening on //p' "$WORK/$name.out")
    [[ -n $URL ]] || { echo "the fake server did not start:" >&2; cat "$WORK/$name.err" >&2; exit 1; }
}

run_eval() { # NAME URL ; prints "wall answered errors"
    local line
    line=$("$BENCH" "$2" "$CASES" "$CONCURRENCY" 2>"$WORK/$1.bench.err" | tee "$WORK/$1.bench.out" | head -1) || {
        cat "$WORK/$1.bench.err" >&2
        exit 1
    }
    # "wall 12.34 s, 1000/1000 calls answered, 0 errors"
    awk '{ split($4, a, "/"); print $2, a[1], $7 }' <<<"$line"
}

server_stats() { # URL
    node -e 'fetch(process.argv[1] + "/__stats").then(r => r.json()).then(s => {
        const i = s.injected || {};
        console.log("  server saw " + s.requests_total + " requests (injected: " + (i["429"] || 0) +
            " x 429, " + (i["500"] || 0) + " x 500, " + (i.drop || 0) + " dropped), at most " +
            s.concurrent_max + " at once");
    }).catch(e => console.log("  (no server stats: " + e.message + ")"))' "$1"
}

echo "Workload: $CASES cases x 2 models = $CALLS calls, concurrency $CONCURRENCY," \
    "${LATENCY_MS} ms to first token + 40 tokens at ${TPS} tok/s"

start_server clean
CLEAN_URL=$URL
read -r clean_wall clean_ok clean_errors < <(run_eval clean "$CLEAN_URL")
echo "without faults: wall ${clean_wall} s, ${clean_ok}/${CALLS} calls answered, ${clean_errors} errors"
server_stats "$CLEAN_URL"

start_server faulty "${FAULTS[@]}"
FAULTY_URL=$URL
read -r faulty_wall faulty_ok faulty_errors < <(run_eval faulty "$FAULTY_URL")
echo "with ${FAULTS[*]}: wall ${faulty_wall} s, ${faulty_ok}/${CALLS} calls answered, ${faulty_errors} errors"
sed -n 's/^  first error/  first error/p' "$WORK/faulty.bench.out"
server_stats "$FAULTY_URL"

ratio=$(awk -v a="$faulty_wall" -v b="$clean_wall" 'BEGIN { printf "%.2f", a / b }')
echo "ratio faults / clean: ${ratio}x (goal <= 1.30x)"
missed=0
[[ $faulty_ok == "$CALLS" ]] || { echo "MISSED: not every call completed"; missed=1; }
[[ $faulty_errors == 0 ]] || { echo "MISSED: ${faulty_errors} errors"; missed=1; }
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.30) }' || { echo "MISSED: wall time ratio"; missed=1; }
[[ $missed == 0 ]] && echo "goal met: every call completed, 0 errors, within 1.3x"
exit "$missed"
