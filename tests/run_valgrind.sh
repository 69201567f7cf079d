#!/bin/sh
# run_valgrind.sh BUILD - the unit tests and a sample of the case and error
# files under Valgrind memcheck (make test-valgrind; docs/testing.md).
#
# BUILD is a build without sanitizers (make test-valgrind uses build-vg/,
# -O1 -g, no _FORTIFY_SOURCE: valgrind 3.19 reports glibc's __memmove_chk as
# an overlapping __memcpy_chk).  Any memcheck error, and any definitely or
# indirectly lost block, fails the run (exit 99 from valgrind); nothing of
# iamguard's is suppressed.  The long random tests run fewer iterations
# than in `make unit` (IAMGUARD_DIFF_N, IAMGUARD_PROP_N; override them in
# the environment), and the CLI runs every IAMGUARD_CASES_EVERY-th case and
# error file (default 8): test_fuzz_regressions already replays every case
# file in-process.  The last line is "N passed, N failed" (test binaries
# plus the case runner).
set -u
build=${1:-build-vg}
if ! command -v valgrind >/dev/null 2>&1; then
    echo "run_valgrind.sh: valgrind is not installed (scripts/deps.sh installs it)" >&2
    exit 2
fi
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
export IAMGUARD_DIFF_N="${IAMGUARD_DIFF_N:-5000}"
export IAMGUARD_PROP_N="${IAMGUARD_PROP_N:-300}"
export IAMGUARD_CASES_EVERY="${IAMGUARD_CASES_EVERY:-8}"

pass=0
fail=0
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    start=$(date +%s)
    # shellcheck disable=SC2086
    if $VG "$t" >"$t.vg.log" 2>&1; then
        pass=$((pass + 1))
        echo "== $t: ok ($(( $(date +%s) - start ))s)"
    else
        fail=$((fail + 1))
        echo "== $t: FAILED (exit $?; log $t.vg.log)"
        grep -E '^==[0-9]+==|FAILED|ERROR' "$t.vg.log" | head -n 40 | sed 's/^/    /'
    fi
done

# The CLI: a wrapper the case runner can call like the binary.
wrap="$build/iamguard-valgrind"
cat >"$wrap" <<WRAP
#!/bin/sh
exec $VG "$(cd "$build" && pwd)/iamguard" "\$@"
WRAP
chmod +x "$wrap"
start=$(date +%s)
if sh tests/run_cases.sh "$wrap" >"$build/cases.vg.log" 2>&1; then
    pass=$((pass + 1))
    echo "== cases under valgrind: ok, $(tail -n 1 "$build/cases.vg.log") ($(( $(date +%s) - start ))s)"
else
    fail=$((fail + 1))
    echo "== cases under valgrind: FAILED (log $build/cases.vg.log)"
    grep -v '^    ' "$build/cases.vg.log" | head -n 20 | sed 's/^/    /'
    grep -E '^ +.*==[0-9]+==' "$build/cases.vg.log" | head -n 40
fi
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
