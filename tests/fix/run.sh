#!/bin/sh
# run.sh - `iamguard fix` on its case files (tests/fix/cases/<name>/):
#   scenario.yml + policy files   the input
#   expected.exit                 0 (everything holds after the fix) or 1
#   expected.diff                 the unified diff fix prints (exact)
#   expected.reasons              lines that must appear in a "not fixed" reason
# and, for every case that exits 0, the same checks a user would make:
# the files `fix -o DIR` writes pass `iamguard check DIR/scenario.yml`
# (exit 0), and `iamguard lint` finds no error in them it did not find in
# the originals.  FIX_UPDATE=1 rewrites expected.diff from the output.
#
#   sh tests/fix/run.sh [IAMGUARD]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
IG=${1:-$HERE/../../build/iamguard}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

lint_errors() {
    # errors (not warnings) lint reports for the given files
    "$IG" lint --format json "$@" 2>/dev/null |
        jq '[.. | objects | select(has("severity")) | select(.severity == "error")] | length' 2>/dev/null || echo 0
}

for dir in "$HERE"/cases/*/; do
    name=$(basename "$dir")
    want=$(cat "$dir/expected.exit")
    "$IG" fix "$dir/scenario.yml" --no-write --format json >"$TMP/$name.json" 2>"$TMP/$name.err"
    rc=$?
    if [ "$rc" = "$want" ]; then ok; else bad "$name: exit $rc, expected $want ($(head -c 300 "$TMP/$name.err"))"; continue; fi
    jq -r '.diff' "$TMP/$name.json" >"$TMP/$name.diff" || { bad "$name: the JSON report does not parse"; continue; }
    if [ "${FIX_UPDATE:-}" = 1 ]; then
        cp "$TMP/$name.diff" "$dir/expected.diff"
    fi
    if [ -f "$dir/expected.diff" ]; then
        if cmp -s "$TMP/$name.diff" "$dir/expected.diff"; then ok; else
            bad "$name: the diff differs from expected.diff:"
            diff "$dir/expected.diff" "$TMP/$name.diff" | head -20
        fi
    fi
    if [ -f "$dir/expected.reasons" ]; then
        while IFS= read -r line; do
            if jq -r '.unfixed[].reason' "$TMP/$name.json" | grep -qF "$line"; then ok; else
                bad "$name: no reason says \"$line\": $(jq -c '.unfixed' "$TMP/$name.json" | head -c 400)"
            fi
        done <"$dir/expected.reasons"
    fi
    # Never an expected-allowed request refused afterwards.
    if [ "$(jq '.after.requestsAsExpected == .after.requests or .complete == false' "$TMP/$name.json")" = true ]; then ok
    else bad "$name: complete but not every request as expected"; fi
    [ "$want" = 0 ] || continue
    # The diff applies to the originals and gives the written files.
    out="$TMP/$name.out"
    "$IG" fix "$dir/scenario.yml" -o "$out" >"$TMP/$name.txt" 2>&1
    rc=$?
    if [ "$rc" = 0 ]; then ok; else bad "$name: fix -o exits $rc"; continue; fi
    if [ "$(jq '[.files[] | select(.changed)] | length' "$TMP/$name.json")" -gt 0 ]; then
        mkdir -p "$TMP/$name.patched" && cp "$dir"/*.json "$TMP/$name.patched/"
        if (cd "$TMP/$name.patched" && patch -s -p1 <"$TMP/$name.diff"); then ok; else bad "$name: the diff does not apply"; fi
        for f in "$out"/*.json; do
            if cmp -s "$f" "$TMP/$name.patched/$(basename "$f")"; then ok; else bad "$name: $(basename "$f") differs from the patched original"; fi
        done
        if "$IG" check "$out/scenario.yml" >"$TMP/$name.check" 2>&1; then ok; else
            bad "$name: iamguard check on the fixed scenario fails:"; tail -5 "$TMP/$name.check"
        fi
        before=$(lint_errors "$dir"/*.json)
        after=$(lint_errors "$out"/*.json)
        if [ "$after" -le "$before" ]; then ok; else bad "$name: lint finds $after errors in the fixed files, $before before"; fi
    fi
done

# The seed: fix exits 0, and what it writes is the hardened example, which
# needs no edit any more.
"$IG" fix -o "$TMP/seed" >"$TMP/seed.txt" 2>&1
rc=$?
if [ "$rc" = 0 ]; then ok; else bad "fix on the built-in example exits $rc"; tail -5 "$TMP/seed.txt"; fi
for f in developer-policy.json permissions-boundary.json; do
    if cmp -s "$TMP/seed/$f" "$HERE/../../examples/imaging-viewer-hardened/$f"; then ok; else
        bad "examples/imaging-viewer-hardened/$f is not what fix writes for the seed"
        diff "$HERE/../../examples/imaging-viewer-hardened/$f" "$TMP/seed/$f" | head -10
    fi
done
if "$IG" check "$TMP/seed/scenario.yml" >"$TMP/seed.check" 2>&1; then ok; else bad "check on the fixed seed fails"; fi
before=$(lint_errors "$HERE/../../examples/imaging-viewer/developer-policy.json" "$HERE/../../examples/imaging-viewer/permissions-boundary.json")
after=$(lint_errors "$TMP/seed/developer-policy.json" "$TMP/seed/permissions-boundary.json")
if [ "$after" -le "$before" ]; then ok; else bad "lint finds $after errors in the fixed seed, $before before"; fi
"$IG" lint --aws-managed "$TMP/seed/developer-policy.json" "$TMP/seed/permissions-boundary.json" >"$TMP/seed.lint" 2>&1
if grep -q 'quota\|6,144\|6144' "$TMP/seed.lint"; then bad "the fixed seed's policies break a managed-policy quota"; else ok; fi
"$IG" fix "$HERE/../../examples/imaging-viewer-hardened/scenario.yml" --format json >"$TMP/hardened.json" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ "$(jq '.edits | length' "$TMP/hardened.json")" = 0 ]; then ok; else
    bad "fix on the hardened example: exit $rc, $(jq '.edits | length' "$TMP/hardened.json" 2>/dev/null) edits"
fi

# The requests of an older Amplify CLI (its user pool client custom
# resource): everything holds after the fix too.
"$IG" fix --amplify-version 12.2.3 --no-write --format json >"$TMP/old-cli.json" 2>&1
if [ $? = 0 ] && [ "$(jq '.after.requestsAsExpected == .after.requests' "$TMP/old-cli.json")" = true ]; then ok
else bad "fix --amplify-version 12.2.3"; fi

# Bad input: exit 2 with a diagnostic, no file written.
printf 'name: [\n' >"$TMP/broken.yml"
"$IG" fix "$TMP/broken.yml" >/dev/null 2>"$TMP/broken.err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'broken.yml:' "$TMP/broken.err"; then ok; else bad "broken scenario: exit $rc"; fi
"$IG" fix --format yaml >/dev/null 2>&1
if [ $? = 2 ]; then ok; else bad "--format yaml is not refused"; fi
"$IG" fix --in-place >/dev/null 2>&1
if [ $? = 2 ]; then ok; else bad "--in-place without a scenario is not refused"; fi

# Where files go: beside the originals as NAME.fixed.json by default (the
# original untouched), over them with --in-place.
cp -r "$HERE/cases/wide-resource" "$TMP/beside"
"$IG" fix "$TMP/beside/scenario.yml" >/dev/null 2>&1
if [ $? = 0 ] && [ -f "$TMP/beside/policy.fixed.json" ] &&
   cmp -s "$TMP/beside/policy.json" "$HERE/cases/wide-resource/policy.json"; then ok; else bad "default write beside"; fi
"$IG" fix "$TMP/beside/scenario.yml" --in-place >/dev/null 2>&1
if [ $? = 0 ] && cmp -s "$TMP/beside/policy.json" "$TMP/beside/policy.fixed.json"; then ok; else bad "--in-place"; fi
"$IG" fix "$TMP/beside/scenario.yml" --format json >"$TMP/again.json" 2>&1
if [ $? = 0 ] && [ "$(jq '.edits | length' "$TMP/again.json")" = 0 ]; then ok; else bad "fix after --in-place finds more"; fi

# Real inputs that are not scenarios: every template of the real-world
# set, an account export, a policy: exit 2 with what the file is, no crash.
RW=$HERE/../../../shared/realworld
if [ -d "$RW/cfn" ]; then
    n=0
    for t in "$RW"/cfn/*; do
        [ -f "$t" ] || continue
        n=$((n + 1))
        "$IG" fix "$t" >/dev/null 2>"$TMP/rw.err"
        rc=$?
        if [ "$rc" = 2 ] && grep -q 'not a scenario\|error' "$TMP/rw.err"; then ok; else bad "fix $t: exit $rc"; fi
    done
    echo "fix: $n real-world templates refused as not scenarios"
fi
if [ -d "$RW/accounts" ]; then
    for a in "$RW"/accounts/*.json; do
        "$IG" fix "$a" >/dev/null 2>"$TMP/rw.err"
        rc=$?
        if [ "$rc" = 2 ] && grep -q "$(basename "$a"):" "$TMP/rw.err"; then ok; else bad "fix $a: exit $rc"; fi
    done
fi
"$IG" fix "$HERE/../../examples/imaging-viewer/developer-policy.json" >/dev/null 2>"$TMP/pol.err"
if [ $? = 2 ] && grep -q 'is a policy document, not a scenario' "$TMP/pol.err"; then ok; else bad "a policy given as scenario"; fi

echo "fix: $pass passed, $fail failed"
[ "$fail" = 0 ]
