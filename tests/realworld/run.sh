#!/bin/sh
# run.sh - the real-world corpus: every CloudFormation template under
# ../shared/realworld/cfn/ and every account export under
# ../shared/realworld/accounts/ (third-party files, SOURCES.md there) goes
# through `cfn show` (templates), `lint`, and `check-no-public-access` on each
# trust policy and resource policy (bucket, queue, topic, key, secret) it holds.  expected.tsv keeps the outcome of each: the exit
# status, and a short reason for any that is not 0.  Exit 2 (bad input) is
# accepted only where the reason says "not deployable"; the templates read
# (`cfn show` exit 0) must be at least 95 %.
#
#   usage: run.sh IAMGUARD            compare with expected.tsv
#          REALWORLD_UPDATE=1 run.sh IAMGUARD   rewrite expected.tsv (review the diff)
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
shared=${IAMGUARD_SHARED:-$here/../../../shared}
corpus=$shared/realworld
table=$here/expected.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }

if [ ! -d "$corpus/cfn" ] || [ ! -d "$corpus/accounts" ]; then
    echo "realworld: no corpus at $corpus (set IAMGUARD_SHARED)"; exit 1
fi

# Under the sanitizers a report is a failure whatever the exit status says.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
sanitized() {
    if grep -q 'Sanitizer\|runtime error:' "$tmp/err"; then
        no "$1: sanitizer report"; sed 's/^/    /' "$tmp/err" | head -5
    fi
}

# A reason: the first error line of stderr, without the file name, cut short.
reason_of() {
    grep -m1 -E 'error|warning: .*not deployable' "$1" | sed -e 's|^[^ ]*: \(error\|warning\): ||' |
        cut -c1-150 | tr '\t' ' '
}

# Why lint failed: its count of errors and their codes.
lint_reason() {
    codes=$(sed -n 's/.*: error: .*\[\([a-z-]*\)\]$/\1/p' "$tmp/out" | sort -u | tr '\n' ' ')
    count=$(sed -n 's/^iamguard lint: \([0-9]* errors\?\).*/\1/p' "$tmp/err" "$tmp/out" | head -1)
    printf '%s: %s' "$count" "${codes% }"
}

# outcome FILE TOOL RC REASON: one line of the table
outcome() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$tmp/got.tsv"; }

: >"$tmp/got.tsv"
templates=0 read=0
for f in "$corpus"/cfn/*; do
    name=cfn/$(basename "$f")
    templates=$((templates + 1))
    # cfn show: 0 read (a warning says "not deployable as is" for macros and Rain)
    "$bin" cfn show "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
    sanitized "$name show"
    why=""
    if [ "$rc" -eq 0 ]; then
        read=$((read + 1))
        grep -q 'not deployable as is' "$tmp/err" &&
            why="not deployable as is: $(grep -m1 -o 'not deployable as is: [^(]*' "$tmp/err" | sed 's/^not deployable as is: //; s/ *$//')"
    else
        why=$(reason_of "$tmp/err")
    fi
    outcome "$name" show "$rc" "$why"
    # lint: 0 clean, 1 findings of severity error
    "$bin" lint "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
    sanitized "$name lint"
    why=""
    [ "$rc" -eq 1 ] && why=$(lint_reason)
    [ "$rc" -gt 1 ] && why=$(reason_of "$tmp/err")
    outcome "$name" lint "$rc" "$why"
    # check-no-public-access on each trust and resource policy: the worst exit of them
    worst=0 refuted="" n=0
    "$bin" cfn show "$f" 2>/dev/null | sed -n 's/^\(trust\|resource\) policy //p' >"$tmp/trust"
    while IFS= read -r policy; do
        n=$((n + 1))
        "$bin" cfn show --canonical --policy "$policy" "$f" >"$tmp/policy.json" 2>/dev/null
        "$bin" check-no-public-access "$tmp/policy.json" >"$tmp/out" 2>"$tmp/err"; rc=$?
        sanitized "$name public"
        [ "$rc" -ne 0 ] && refuted="$refuted $policy($rc)"
        [ "$rc" -gt "$worst" ] && worst=$rc
    done <"$tmp/trust"
    if [ "$n" -gt 0 ]; then
        outcome "$name" public "$worst" "${refuted:+$n resource and trust policies, not proved:$refuted}"
    fi
done

for f in "$corpus"/accounts/*; do
    name=accounts/$(basename "$f")
    "$bin" lint "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
    sanitized "$name lint"
    why=""
    [ "$rc" -eq 1 ] && why=$(lint_reason)
    [ "$rc" -gt 1 ] && why=$(reason_of "$tmp/err")
    outcome "$name" lint "$rc" "$why"
    worst=0 refuted="" n=0
    jq -c '.RoleDetailList[]? | [.RoleName, .AssumeRolePolicyDocument]' "$f" >"$tmp/roles" 2>/dev/null
    while IFS= read -r line; do
        n=$((n + 1))
        role=$(printf '%s' "$line" | jq -r '.[0]')
        printf '%s' "$line" | jq '.[1]' >"$tmp/policy.json"
        "$bin" check-no-public-access "$tmp/policy.json" >"$tmp/out" 2>"$tmp/err"; rc=$?
        sanitized "$name public"
        [ "$rc" -ne 0 ] && refuted="$refuted $role($rc)"
        [ "$rc" -gt "$worst" ] && worst=$rc
    done <"$tmp/roles"
    if [ "$n" -gt 0 ]; then
        outcome "$name" public "$worst" "${refuted:+$n trust policies, not proved:$refuted}"
    fi
done

if [ "${REALWORLD_UPDATE:-}" = 1 ]; then
    { printf '# file\ttool\texit\treason (any exit but 0; "not deployable as is" also with 0)\n'
      cat "$tmp/got.tsv"; } >"$table"
    echo "realworld: wrote $table"
fi

# Every outcome as the table says (exit status; a reason for every non-zero).
grep -v '^#' "$table" >"$tmp/want.tsv"
while IFS="$(printf '\t')" read -r file tool rc why; do
    want=$(awk -F'\t' -v f="$file" -v t="$tool" '$1 == f && $2 == t { print $3 }' "$tmp/want.tsv")
    if [ -z "$want" ]; then no "$file $tool: not in expected.tsv (exit $rc: $why)"; continue; fi
    if [ "$want" != "$rc" ]; then no "$file $tool: exit $rc, expected $want ($why)"; continue; fi
    ok
    if [ "$rc" -ne 0 ] && [ -z "$why" ]; then no "$file $tool: exit $rc without a reason"; fi
    case "$rc:$why" in
        2:"not deployable"*|2:*"not deployable as is"*) ;;
        2:*) no "$file $tool: exit 2 is only for templates that are not deployable as is ($why)" ;;
    esac
done <"$tmp/got.tsv"
missing=$(awk -F'\t' 'NR == FNR { seen[$1 "\t" $2] = 1; next } !(($1 "\t" $2) in seen) { print $1 " " $2 }' \
    "$tmp/got.tsv" "$tmp/want.tsv")
if [ -n "$missing" ]; then no "in expected.tsv but not in the corpus: $missing"; else ok; fi

# The read rate: at least 95 % of the templates, the rest with a named reason.
pct=$((read * 100 / templates))
echo "realworld: cfn show reads $read of $templates templates ($pct %)"
if [ $((read * 100)) -ge $((templates * 95)) ]; then ok; else no "read rate $pct % is below 95 %"; fi

echo "realworld: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
