#!/bin/sh
# serve.sh - `iamguard serve` under wrk on loopback.
#   sh bench/serve.sh [IAMGUARD] [SECONDS]
# Measures, on the seed-developer workload of ../shared/bench (the seed's
# developer policy, Amplify deploy calls and boundary-bypass attempts):
#   1. single-decision POST /v1/authorize: requests/s and latency at full load;
#   2. batch POST /v1/authorize (1000 requests per call): decisions/s;
#   3. single-decision latency (p50/p99) at half the peak rate of 1, and at
#      20,000 requests/s (half of the required 40,000/s);
#   4. serve and emulate under connection pressure and hostile clients
#      (tests/serve/pressure.sh with the full numbers of issue 18).
# Server and wrk share the machine's cores, as they would on one host.
# Prints one JSON line per measurement.
set -eu
bin=${1:-build/iamguard}
secs=${2:-10}
shared=${IAMGUARD_SHARED:-../shared}
w=$shared/bench/seed-developer
command -v wrk >/dev/null || { echo "serve.sh: wrk missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$w/workload.json" ] || { echo "serve.sh: no $w/workload.json" >&2; exit 1; }
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

mkdir "$tmp/sets"
jq 'del(.requests, .requestsFile, .name)' "$w/workload.json" >"$tmp/sets/developer.json"
threads=$(nproc)
"$bin" serve --listen 127.0.0.1:0 --policies "$tmp/sets" --access-log off --threads "$threads" \
    2>"$tmp/err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "listening on" "$tmp/err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' "$tmp/err")
[ -n "$port" ] || { cat "$tmp/err" >&2; exit 1; }
url=http://127.0.0.1:$port/v1/authorize

# request bodies: the workload's requests without their expectations
head -n 1 "$w/requests.jsonl" | jq -c '{policySet: "developer"} + del(.expect, .why, .name, .description)' >"$tmp/one.json"
head -n 1000 "$w/requests.jsonl" | jq -c 'del(.expect, .why, .name, .description)' |
    jq -cs '{policySet: "developer", requests: .}' >"$tmp/batch.json"
batch=$(jq '.requests | length' "$tmp/batch.json")

# post.lua BODYFILE [DELAY_MS]: POST the file's content, optionally pausing
# DELAY_MS before each request of a connection (to hold a lower rate).
cat >"$tmp/post.lua" <<'LUA'
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local pause = tonumber(os.getenv("DELAY_MS") or "0")
if pause > 0 then function delay() return pause end end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.0f %.0f %.0f %d %d\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout))
end
LUA

run() {     # NAME BODY CONNECTIONS [DELAY_MS] -> "rps p50us p99us maxus errors"
    BODY=$2 DELAY_MS=${4:-0} wrk -t "$threads" -c "$3" -d "${secs}s" -s "$tmp/post.lua" "$url" \
        >"$tmp/$1.out" 2>&1
    awk '/^RESULT/ { printf "%.0f %s %s %s %d\n", $2 / ($3 / 1e6), $4, $5, $6, $7 + $8 }' "$tmp/$1.out"
}
emit() {    # NAME RESULT-LINE [DECISIONS-PER-REQUEST]
    set -- "$1" $2 "${3:-1}"
    printf '{"bench":"serve-%s","requests_per_second":%s,"decisions_per_second":%s,"p50_us":%s,"p99_us":%s,"max_us":%s,"errors":%s,"threads":%s,"seconds":%s}\n' \
        "$1" "$2" $(($2 * $7)) "$3" "$4" "$5" "$6" "$threads" "$secs"
}

# warm up, then the three measurements
curl -s --data-binary @"$tmp/one.json" "$url" >/dev/null
single=$(run single "$tmp/one.json" 64)
emit authorize-single "$single"
emit authorize-batch-$batch "$(run batch "$tmp/batch.json" 8)" "$batch"
peak=${single%% *}
# Half the peak rate: each connection pauses 2 ms before each request, so
# rate ~ connections / (2 ms + latency); wrk reports the rate it reached.
conns=$(awk -v p="$peak" 'BEGIN { c = int(p / 2 * 0.002 + 0.5); printf "%d", c < 1 ? 1 : c }')
emit authorize-single-half-peak "$(run half "$tmp/one.json" "$conns" 2)"
# and at 20,000 requests/s: half of the 40,000/s the service must sustain
emit authorize-single-20k "$(run fixed "$tmp/one.json" 40 2)"
kill -TERM $pid
wait $pid || true
pid=""

# 4. the pressure goals, full size; its JSON lines and its verdict
sh "$(dirname "$0")/../tests/serve/pressure.sh" "$bin" full 2>&1 | grep -E '^\{|^pressure:|^FAIL' || true
