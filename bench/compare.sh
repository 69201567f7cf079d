#!/bin/sh
# shellcheck disable=SC2016  # backquotes in printf formats are Markdown
# compare.sh - `make bench`: iamguard side by side with its peers, written to
# docs/performance.md.
#
#   bench/compare.sh IAMGUARD [SECONDS]
#
# For every workload under ${IAMGUARD_SHARED:-../shared}/bench:
#   - iamguard bench on 1 thread and on `nproc` threads;
#   - @cloud-copilot/iam-simulate (runSimulation, and runUnsafeSimulation, its
#     faster entry point without input validation) - bench/peers/iam-simulate.mjs;
#   - Cedar (@cedar-policy/cedar-wasm), the workload translated into Cedar -
#     bench/peers/cedar.mjs;
# each checked against the workload's expected decisions first, then timed
# for SECONDS (default 3, or $BENCH_SECONDS) on one thread.  Then the policy
# parse+compile throughput over the AWS managed-policy corpus and the memory
# of the compiled seed policies (iamguard bench-compile).
#
# The peers are installed from bench/peers/package-lock.json with `npm ci`
# when bench/peers/node_modules is missing.  If node or the install is not
# available, the iamguard figures are still measured and the report says
# the peer is unavailable.  Every run is bounded by `timeout`
# ($BENCH_TIMEOUT seconds, default 600).
set -u

bin=${1:?usage: bench/compare.sh IAMGUARD [SECONDS]}
secs=${2:-${BENCH_SECONDS:-3}}
limit=${BENCH_TIMEOUT:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${IAMGUARD_SHARED:-../shared}
peers="$root/bench/peers"
out="$root/docs/performance.md"
threads=$(nproc)
work=$(mktemp -d "${TMPDIR:-/tmp}/iamguard-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

say() { printf '%s\n' "$*" >&2; }

if [ ! -x "$bin" ]; then
    say "compare.sh: $bin is not an executable (build it first: make)"
    exit 2
fi
if ! ls "$shared"/bench/*/workload.json >/dev/null 2>&1; then
    say "compare.sh: no workloads under $shared/bench (set IAMGUARD_SHARED)"
    exit 2
fi

# bounded run: timeout when the system has it
run() {
    if command -v timeout >/dev/null 2>&1; then timeout "$limit" "$@"; else "$@"; fi
}

# ---- the peers -----------------------------------------------------------
peers_ok=no
peers_why=
if ! command -v node >/dev/null 2>&1; then
    peers_why="node is not installed"
elif [ -d "$peers/node_modules/@cloud-copilot/iam-simulate" ] &&
     [ -d "$peers/node_modules/@cedar-policy/cedar-wasm" ]; then
    peers_ok=yes
elif ! command -v npm >/dev/null 2>&1; then
    peers_why="npm is not installed"
else
    say "compare.sh: installing the peers (npm ci in bench/peers)"
    if (cd "$peers" && run npm ci --no-audit --no-fund --loglevel=error) >"$work/npm.log" 2>&1; then
        peers_ok=yes
    else
        peers_why="npm ci failed in bench/peers: $(tail -n 3 "$work/npm.log" | tr '\n' ' ')"
    fi
fi
if [ "$peers_ok" = no ]; then
    say "compare.sh: the peers are unavailable: $peers_why"
    say "compare.sh: measuring iamguard only"
fi

# field NAME JSONLINE: a top-level number or string of a one-line JSON object
field() {
    printf '%s\n' "$2" | sed 's/,"memory":{.*//; s/,"mismatch_categories":\[.*//' |
        sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}
# nsfmt N: nanoseconds, without decimals past a microsecond
nsfmt() { awk -v n="$1" 'BEGIN { if (n == "") print "—"; else if (n + 0 >= 1000) printf "%.0f\n", n; else print n }'; }

# ---- measuring -------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
results="$work/results.jsonl"
: >"$results"
empty='{}'
names=
for w in "$shared"/bench/*/workload.json; do
    name=$(basename "$(dirname "$w")")
    names="$names $name"
    say "compare.sh: $name: iamguard, 1 thread"
    line=$(run "$bin" bench "$w" --seconds "$secs" 2>"$work/$name.ig1.err")
    printf '%s\n' "${line:-$empty}" >"$work/$name.ig1"
    say "compare.sh: $name: iamguard, 1 thread, requests unprepared"
    line=$(run "$bin" bench "$w" --seconds "$secs" --unprepared 2>"$work/$name.igu.err")
    printf '%s\n' "${line:-$empty}" >"$work/$name.igu"
    say "compare.sh: $name: iamguard, $threads threads"
    line=$(run "$bin" bench "$w" --seconds "$secs" --threads "$threads" 2>"$work/$name.ign.err")
    printf '%s\n' "${line:-$empty}" >"$work/$name.ign"
    for p in sim:iam-simulate.mjs:safe simu:iam-simulate.mjs:unsafe cedar:cedar.mjs:stateful; do
        key=${p%%:*}; rest=${p#*:}; script=${rest%%:*}; mode=${rest#*:}
        if [ "$peers_ok" = yes ]; then
            say "compare.sh: $name: $script --mode $mode"
            line=$(run node "$peers/$script" "$w" --seconds "$secs" --mode "$mode" --show 0 \
                   2>"$work/$name.$key.err")
            rc=$?
            if [ -z "$line" ]; then
                say "compare.sh: $name: $script failed (exit $rc): $(tail -n 2 "$work/$name.$key.err")"
            fi
        else
            line=
        fi
        printf '%s\n' "${line:-$empty}" >"$work/$name.$key"
    done
    cat "$work/$name.ig1" "$work/$name.igu" "$work/$name.ign" "$work/$name.sim" "$work/$name.simu" \
        "$work/$name.cedar" | grep -v '^{}$' >>"$results"
done

corpus="$shared/corpus/aws-managed-policies.jsonl"
seed_pols="$root/examples/imaging-viewer/developer-policy.json $root/examples/imaging-viewer/permissions-boundary.json"
compile=
if [ -f "$corpus" ]; then
    say "compare.sh: corpus parse+compile"
    # shellcheck disable=SC2086
    compile=$(run "$bin" bench-compile "$corpus" --seconds "$secs" --memory $seed_pols 2>"$work/compile.err")
    [ -n "$compile" ] || say "compare.sh: bench-compile failed: $(tail -n 2 "$work/compile.err")"
    [ -z "$compile" ] || printf '%s\n' "$compile" >>"$results"
else
    say "compare.sh: no corpus at $corpus"
fi

catalog_file=$(dirname "$bin")/catalog.bin
catalog_bytes=; catalog_load=
if [ -f "$catalog_file" ]; then
    say "compare.sh: catalog load"
    catalog_bytes=$(wc -c <"$catalog_file" | tr -d ' ')
    catalog_load=$(run "$bin" catalog --catalog "$catalog_file" --bench-load 200 2>/dev/null |
                   sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
fi

# ---- the report ---------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
# fmt N: thousands separators; ratio A B: A/B with 3 significant figures
fmt() { awk -v n="$1" 'BEGIN { if (n == "") { print "—"; exit } s = sprintf("%.0f", n); o = "";
    while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) { print "—"; exit }
    r = a / b; if (r >= 100) printf "%.0f×\n", r; else if (r >= 10) printf "%.1f×\n", r; else printf "%.2f×\n", r }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
os=$(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release 2>/dev/null)
ccv=$(${CC:-cc} --version 2>/dev/null | head -n 1)
nodev=$(node --version 2>/dev/null || echo "not installed")
igv=$("$bin" --version 2>/dev/null)
rev=$(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown)
sim_v=; cedar_v=
for n in $names; do
    [ -n "$sim_v" ] || sim_v=$(field version "$(cat "$work/$n.sim")")
    [ -n "$cedar_v" ] || cedar_v=$(field version "$(cat "$work/$n.cedar")")
done

{
printf '# Performance\n\n'
printf 'Written by `make bench` (`bench/compare.sh`) on %s. Every engine sees the\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
printf 'same workloads in the same run; absolute figures depend on the machine (and on\n'
printf 'whatever else it is running), the ratios are what count.\n\n'

printf '## Machine and versions\n\n'
printf '| | |\n|---|---|\n'
printf '| CPU | %s |\n' "${cpu:-unknown}"
printf '| cores (`nproc`) | %s |\n' "$threads"
printf '| memory | %s |\n' "${mem:-unknown}"
printf '| load average (1, 5, 15 min) | %s at the start, %s at the end |\n' "${load_start:-?}" "${load_end:-?}"
printf '| system | %s, Linux %s |\n' "${os:-unknown}" "$(uname -r)"
printf '| compiler | %s |\n' "${ccv:-unknown}"
printf '| iamguard | %s (`%s`), built with `%s` |\n' "${igv:-unknown}" "$rev" "$bin"
printf '| Node.js | %s |\n' "$nodev"
if [ "$peers_ok" = yes ]; then
    printf '| @cloud-copilot/iam-simulate | %s |\n' "${sim_v:-unknown}"
    printf '| @cedar-policy/cedar-wasm | %s |\n' "${cedar_v:-unknown}"
else
    printf '| peers | **unavailable**: %s |\n' "$peers_why"
fi
printf '| measuring time | %s s per engine and workload |\n\n' "$secs"

printf '## Decisions per second\n\n'
printf 'Every engine first decides every request of the workload once and compares\n'
printf 'the decision (allowed / explicitDeny / implicitDeny) with the expected one;\n'
printf '"mismatches" counts the differences. "iamguard ÷" is iamguard on one thread\n'
printf 'divided by the engine on one thread: first with the requests prepared up front\n'
printf '(`ig_request_prepare`: action lowercased and hashed, resource split, context\n'
printf 'keys hashed -- what `iamguard bench` times, as the workloads are parsed up\n'
printf 'front), then with each call taking the request as given (`ig_evaluate`, which\n'
printf 'prepares it on the stack every time).  The peers take their requests as\n'
printf 'given: the first ratio compares evaluation, the second the whole call.\n\n'

goal_ratio=yes; goal_seed=; scaling_lines=
for n in $names; do
    ig1=$(cat "$work/$n.ig1"); ign=$(cat "$work/$n.ign"); igu=$(cat "$work/$n.igu")
    d1=$(field decisions_per_second "$ig1"); dn=$(field decisions_per_second "$ign")
    du=$(field decisions_per_second "$igu")
    reqs=$(field requests "$ig1")
    printf '### %s (%s requests)\n\n' "$n" "${reqs:-?}"
    printf '| engine | called through | threads | mismatches | decisions/s | ns/decision | iamguard ÷ (prepared / as given) |\n'
    printf '|---|---|---:|---:|---:|---:|---:|\n'
    printf '| iamguard | `%s` | 1 | %s | %s | %s | — |\n' "$(field api "$ig1")" \
        "$(field mismatches "$ig1")" "$(fmt "$d1")" "$(nsfmt "$(field ns_per_decision "$ig1")")"
    printf '| iamguard | `%s` | 1 | %s | %s | %s | — |\n' "$(field api "$igu")" \
        "$(field mismatches "$igu")" "$(fmt "$du")" "$(nsfmt "$(field ns_per_decision "$igu")")"
    sc=$(ratio "$dn" "$d1")
    printf '| iamguard | `%s` | %s | %s | %s | %s | scaling %s |\n' "$(field api "$ign")" \
        "$threads" "$(field mismatches "$ign")" "$(fmt "$dn")" "$(nsfmt "$(field ns_per_decision "$ign")")" "$sc"
    scaling_lines="$scaling_lines $n:$sc"
    for key in sim simu cedar; do
        l=$(cat "$work/$n.$key")
        case $key in
            sim) eng="iam-simulate";; simu) eng="iam-simulate";; cedar) eng="cedar-wasm";;
        esac
        d=$(field decisions_per_second "$l")
        if [ -z "$d" ]; then
            printf '| %s | — | 1 | — | unavailable | — | — |\n' "$eng"
            goal_ratio=unknown
            continue
        fi
        extra=
        if [ "$key" = cedar ]; then
            extra=" ($(field cedar_policies "$l") Cedar policies, $(field untranslated "$l") untranslatable elements)"
        fi
        printf '| %s | `%s`%s | 1 | %s | %s | %s | %s |\n' "$eng" "$(field mode "$l")" "$extra" \
            "$(field mismatches "$l")" "$(fmt "$d")" "$(fmt "$(field ns_per_decision "$l")")" \
            "$(ratio "$d1" "$d") / $(ratio "$du" "$d")"
        # the goal is taken against the faster way of calling each peer
        if [ "$key" != sim ] && ! ge "$(awk -v a="$d1" -v b="$d" 'BEGIN { print (b > 0 ? a / b : 0) }')" 1000; then
            [ "$goal_ratio" = unknown ] || goal_ratio=no
        fi
    done
    [ "$n" = seed-developer ] && goal_seed=$d1
    printf '\n'
    cats=$(cat "$work/$n".sim.err "$work/$n".simu.err "$work/$n".cedar.err 2>/dev/null | grep ': mismatches: ' | sed 's/^/- /')
    if [ -n "$cats" ]; then
        printf 'Peer mismatches by kind (engine: workload: count × action):\n\n%s\n\n' "$cats"
        case $cats in *must.use.wildcard*)
            printf 'iam-simulate'"'"'s `runSimulation` refuses a request whose action has no resource\n'
            printf 'type in its catalogue (`amplify:CreateApp` is authorised against `*`) unless\n'
            printf 'the resource is `*`, and returns an error instead of a decision. iamguard decides\n'
            printf 'the request as written: the policy'"'"'s `Resource: "*"` matches any resource\n'
            printf '(docs/semantics.md §2), so it is allowed, as AWS allows the real call\n'
            printf '(made against `*`). Input validation, not a different evaluation:\n'
            printf '`runUnsafeSimulation` allows these requests.\n\n';;
        esac
    fi
    gaps=$(grep 'not expressible in Cedar' "$work/$n.cedar.err" 2>/dev/null | sed 's/^cedar-wasm: not expressible in Cedar: /- /')
    if [ -n "$gaps" ]; then
        printf 'Statement elements Cedar cannot express (translated fail-closed):\n\n%s\n\n' "$gaps"
    fi
done

printf '## Policy parse + compile\n\n'
if [ -n "$compile" ]; then
    printf '`iamguard bench-compile` over `%s`: every line'"'"'s `document` compiled with\n' "$(basename "$corpus")"
    printf '`ig_policy_compile` (strict JSON parse, IAM grammar, compiled form), pass after pass.\n\n'
    printf '| policies | bytes of policy text | failed | MB/s (10⁶ B) | policies/s |\n|---:|---:|---:|---:|---:|\n'
    printf '| %s | %s | %s | %s | %s |\n\n' "$(fmt "$(field policies "$compile")")" \
        "$(fmt "$(field bytes "$compile")")" "$(field failed "$compile")" \
        "$(field mb_per_second "$compile")" "$(fmt "$(field policies_per_second "$compile")")"
    memb=$(printf '%s\n' "$compile" | sed -n 's/.*"compiled_bytes":\([0-9]*\).*/\1/p')
    peakb=$(printf '%s\n' "$compile" | sed -n 's/.*"peak_bytes":\([0-9]*\).*/\1/p')
    printf 'Memory of the compiled seed policies (`examples/imaging-viewer/developer-policy.json`\n'
    printf 'and `permissions-boundary.json`), counted through `ig_set_allocator`: %s bytes held\n' "$(fmt "$memb")"
    printf 'once compiled (bytes requested, arena slack included), %s bytes at the peak of\n' "$(fmt "$peakb")"
    printf 'compiling (the parsed JSON tree included).\n\n'
else
    printf 'Not measured (no corpus, or `iamguard bench-compile` failed).\n\n'
fi

printf '## Goals (issue 8)\n\n| goal | measured | met |\n|---|---|---|\n'
case $goal_ratio in
    yes) r=yes;; no) r="**no**";; *) r="not measured (peers unavailable)";;
esac
printf '| ≥ 1,000× each peer per thread (against its faster entry point) | see the tables | %s |\n' "$r"
if [ -z "$goal_seed" ]; then r="not measured"; elif ge "$goal_seed" 5000000; then r=yes; else r="**no**"; fi
printf '| ≥ 5,000,000 decisions/s per core on seed-developer | %s | %s |\n' "$(fmt "$goal_seed")" "$r"
sl=$(printf '%s' "$scaling_lines" | sed 's/^ //; s/ /, /g; s/:/ /g')
printf '| near-linear scaling up to %s threads | %s | %s |\n' "$threads" "$sl" \
    "$(awk -v l="$scaling_lines" -v t="$threads" 'BEGIN { n = split(l, a, " "); ok = n > 0;
        for (i = 1; i <= n; i++) { split(a[i], p, ":"); v = p[2]; sub("×", "", v); if (v + 0 < 0.85 * t) ok = 0 }
        print (ok ? "yes" : "**no**") }')"
mbs=$(field mb_per_second "$compile")
if ge "$mbs" 200; then r=yes; else r="**no**"; fi
printf '| parse + compile ≥ 200 MB/s | %s MB/s | %s |\n' "${mbs:-—}" "$r"
if [ -n "${memb:-}" ] && [ "$memb" -lt 65536 ]; then r=yes; else r="**no**"; fi
printf '| compiled seed policies < 64 KiB | %s bytes | %s |\n' "$(fmt "${memb:-}")" "$r"
if [ -n "$catalog_bytes" ] && [ "$catalog_bytes" -lt 16777216 ]; then r=yes; else r="**no**"; fi
printf '| resident catalog < 16 MiB | %s bytes mapped (all that can be resident), median load %s ms | %s |\n\n' \
    "$(fmt "$catalog_bytes")" "${catalog_load:-—}" "$r"

printf '## How it is measured\n\n'
cat <<'EOF'
- **iamguard**: `iamguard bench WORKLOAD --seconds S [--threads N]` (docs/bench.md):
  policies compiled and requests parsed and prepared up front
  (`ig_request_prepare`), every decision checked (by `ig_evaluate` and
  `ig_evaluate_prepared`, which must agree), then `ig_evaluate_prepared`
  round-robin over the requests without explanations; `--unprepared` times
  `ig_evaluate` on the requests as given instead.
- **catalog**: `iamguard catalog --bench-load 200`: open (mmap + validation),
  one lookup, close; the median of 200 runs.
- **parse + compile**: `iamguard bench-compile`; like every iamguard command
  it runs with glibc told to keep freed memory in the process
  (`M_MMAP_THRESHOLD` 32 MiB, `M_TRIM_THRESHOLD` 256 MiB, src/cli/main.c):
  with glibc's defaults the big blocks of large policies go back to the
  kernel after each compile and are faulted in again, about a tenth slower.
- **iam-simulate** (`bench/peers/iam-simulate.mjs`): policies validated once
  (`createValidatedPolicy`), every request built as the library's `Simulation`
  up front; the timed loop calls `runSimulation` (its validated entry point,
  which also normalises the request context for the action) or
  `runUnsafeSimulation` (no validation or normalisation; its fast path). The
  ratio goal is taken against the faster of the two.
- **Cedar** (`bench/peers/cedar.mjs`): each IAM statement translated into one
  Cedar policy (actions as entities and action groups, resources with their ARN
  segments as attributes, conditions as `when`, Deny as `forbid`), the IAM
  layers (identity, boundary, resource policy by principal kind, ...) as
  separate preparsed policy sets combined as docs/semantics.md §6 orders them;
  entities and contexts built up front; the timed loop calls
  `statefulIsAuthorized` once per layer the decision needs (one call for
  seed-developer, two with a boundary). The header of the script lists what
  Cedar cannot express.
- The peers run single-threaded in Node.js; `mismatches` are differences in
  decisions with the workload's expectations, which follow docs/semantics.md.
EOF
# The server under wrk (issue 6 goals: >= 40,000 single decisions/s,
# >= 1,000,000 batched decisions/s, p99 < 2 ms at half the peak rate).
printf '## iamguard serve under wrk\n\n'
if command -v wrk >/dev/null 2>&1; then
    printf 'POST /v1/authorize on loopback, server and wrk on the same %s cores, %s s per run (`bench/serve.sh`):\n\n```\n' "$threads" "$secs"
    timeout "$limit" sh "$root/bench/serve.sh" "$bin" "$secs" 2>/dev/null || printf '(bench/serve.sh failed)\n'
    printf '```\n\n'
else
    printf 'wrk is not installed (scripts/deps.sh installs it); not measured.\n\n'
fi
printf '\n<details><summary>Raw results (one JSON line per run)</summary>\n\n```\n'
cat "$results"
printf '```\n\n</details>\n'
} >"$out.tmp" && mv "$out.tmp" "$out"

say "compare.sh: wrote $out"
cat "$results"
