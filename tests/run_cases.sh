#!/bin/sh
# run_cases.sh - run iamguard's data-driven tests.
#
#   sh tests/run_cases.sh path/to/iamguard      (run from the repository root)
#
# tests/cases/**/*.json   simulation documents with expectations; each must
#                         pass `iamguard simulate --verify FILE` (exit 0).
# tests/errors/NAME.json  malformed inputs; `iamguard simulate FILE` must exit
#                         2 and the first line of stderr must start with
#                         "FILE:LINE:COLUMN: error:" and contain SUBSTRING
#                         (compared ignoring ASCII case), where
#                         tests/errors/NAME.expect holds "LINE:COLUMN SUBSTRING".
#
# Every failing file is reported with its path; the last line is
# "N passed, N failed" (counting files).  Exit status 1 if anything failed.
# IAMGUARD_CASES_EVERY=N runs only every Nth file of each list (the first,
# the N+1th, ...): make test-valgrind uses it, as each run under valgrind
# costs most of a second.

set -u

if [ $# -ne 1 ]; then
    echo "usage: sh tests/run_cases.sh path/to/iamguard" >&2
    exit 2
fi
bin=$1
if [ ! -x "$bin" ]; then
    echo "run_cases.sh: $bin: not an executable" >&2
    exit 2
fi
if [ ! -d tests/cases ] || [ ! -d tests/errors ]; then
    echo "run_cases.sh: run me from the repository root" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iamguard-cases.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# A hung evaluator must not hang the suite: use timeout(1) when there is one.
run() {
    if command -v timeout >/dev/null 2>&1; then
        timeout 60 "$@"
    else
        "$@"
    fi
}

pass=0
fail=0

# Print the first lines of a captured stream, indented, under a heading.
show() {
    if [ -s "$2" ]; then
        echo "    $1:"
        head -n 20 "$2" | cut -c 1-400 | sed 's/^/      /'
    fi
}

# ---- case files ---------------------------------------------------------
every=${IAMGUARD_CASES_EVERY:-1}
sample() { awk -v n="$every" '(NR - 1) % n == 0'; }

find tests/cases -type f -name '*.json' | LC_ALL=C sort | sample >"$tmp/cases"
while IFS= read -r f; do
    run "$bin" simulate --verify "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $f (exit $rc)"
        show stdout "$tmp/out"
        show stderr "$tmp/err"
    fi
done <"$tmp/cases"

# ---- error files --------------------------------------------------------
find tests/errors -type f -name '*.json' | LC_ALL=C sort | sample >"$tmp/errors"
while IFS= read -r f; do
    exp=${f%.json}.expect
    if [ ! -f "$exp" ]; then
        fail=$((fail + 1))
        echo "FAIL $f: missing $exp"
        continue
    fi
    line=$(head -n 1 "$exp")
    pos=${line%% *}
    sub=${line#* }
    if [ -z "$pos" ] || [ "$pos" = "$line" ] || [ -z "$sub" ]; then
        fail=$((fail + 1))
        echo "FAIL $f: malformed $exp (want 'LINE:COLUMN substring')"
        continue
    fi
    run "$bin" simulate "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    first=$(head -n 1 "$tmp/err")
    prefix="$f:$pos: error:"
    why=""
    if [ "$rc" -ne 2 ]; then
        why="exit $rc, want 2"
    else
        case $first in
            "$prefix"*)
                if ! printf '%s\n' "$first" | grep -i -F -e "$sub" >/dev/null; then
                    why="message lacks '$sub'"
                fi
                ;;
            *)
                why="want '$prefix ...'"
                ;;
        esac
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $f: $why"
        echo "    stderr: $first"
    fi
done <"$tmp/errors"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
