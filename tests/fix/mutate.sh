#!/bin/sh
# mutate.sh - `iamguard fix` restores what a weakened policy set loses.
#
# Start from the seed and from the repaired seed (`iamguard fix -o DIR` on
# the built-in example, which must exit 0), in turn.  Then, N times, weaken
# the two policies in a random way -- widen a Resource (to "*", a wildcard
# account, a wildcard name), drop a Condition, drop a Deny statement, turn ArnEquals into
# ArnLike with a wildcard account, add a wildcard action -- into a scenario
# that extends the built-in example with the weakened files, and run
# `iamguard fix` on it.  Every run must exit 0 with every request as
# expected and every claim holding (the analysis' included, no escalation
# path), and `iamguard check` on what it wrote must exit 0: fix restores
# every claim without refusing an expected-allowed request.
#
#   sh tests/fix/mutate.sh [IAMGUARD] [N] [SEED]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
IG=${1:-$HERE/../../build/iamguard}
N=${2:-16}
SEED=${3:-20261206}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$IG" fix -o "$TMP/base" >"$TMP/base.txt" 2>&1
rc=$?
if [ "$rc" = 0 ]; then ok; else bad "fix on the built-in example exits $rc"; tail -20 "$TMP/base.txt"; exit 1; fi

# A random number below $1 for mutation $i, draw $2 (reproducible).
rnd() { awk -v s="$SEED" -v i="$i" -v d="$2" -v n="$1" 'BEGIN { srand(s + i * 97 + d); print int(rand() * n) }'; }

KINDS="widen-star widen-account widen-name drop-condition drop-deny like-any-account wildcard-action"
nk=$(echo $KINDS | wc -w)
i=0
while [ "$i" -lt "$N" ]; do
    i=$((i + 1))
    kind=$(echo $KINDS | cut -d' ' -f$(( $(rnd "$nk" 1) + 1 )))
    file=developer-policy.json
    [ "$(rnd 3 2)" = 0 ] && file=permissions-boundary.json
    m="$TMP/m$i"
    mkdir -p "$m"
    # Odd mutations weaken the seed's own policies, even ones the repaired.
    from="$TMP/base" origin=repaired
    if [ $((i % 2)) = 1 ]; then from="$HERE/../../examples/imaging-viewer" origin=seed; fi
    cp "$from/developer-policy.json" "$from/permissions-boundary.json" "$m/"
    doc="$m/$file"
    ns=$(jq '.Statement | length' "$doc")
    pick=$(rnd "$ns" 3)
    case "$kind" in
        widen-star) filter='.Statement[$k] |= (if .Effect == "Allow" and has("Resource") then .Resource = "*" else . end)' ;;
        widen-account) filter='.Statement[$k] |= (if has("Resource") then .Resource |= (if type == "array" then map(sub("^(?<a>arn:[^:]*:[^:]*:[^:]*:)[0-9]+"; "\(.a)*")) else sub("^(?<a>arn:[^:]*:[^:]*:[^:]*:)[0-9]+"; "\(.a)*") end) else . end)' ;;
        widen-name) filter='.Statement[$k] |= (if has("Resource") then .Resource |= (if type == "array" then map(sub("(?<p>[:/])[^:/]*$"; "\(.p)*")) else sub("(?<p>[:/])[^:/]*$"; "\(.p)*") end) else . end)' ;;
        drop-condition) filter='.Statement[$k] |= del(.Condition)' ;;
        drop-deny) filter='.Statement |= (. as $s | [range(0; length) as $j | $s[$j] | select(.Effect != "Deny" or $j != $k)])' ;;
        like-any-account) filter='walk(if type == "object" and has("ArnEquals") then {ArnLike: (.ArnEquals | map_values(if type == "string" then sub("::[0-9]+:"; "::*:") else map(sub("::[0-9]+:"; "::*:")) end))} + del(.ArnEquals) else . end)' ;;
        wildcard-action) filter='.Statement[$k] |= (if .Effect == "Allow" and (.Action | type) == "array" then .Action += [(.Action[0] | sub(":.*"; ":*"))] else . end)' ;;
    esac
    jq --indent 2 --argjson k "$pick" "$filter" "$doc" >"$doc.new" && mv "$doc.new" "$doc" ||
        { bad "mutation $i ($kind) could not be applied"; continue; }
    cat >"$m/scenario.yml" <<EOF
# mutation $i: $kind in the $origin $file (statement $pick)
extends: builtin:imaging-viewer/scenario.yml
policies:
  ImagingViewerDeveloperPolicy: {file: developer-policy.json}
  ImagingViewerPermissionsBoundary: {file: permissions-boundary.json}
EOF
    "$IG" fix "$m/scenario.yml" -o "$m/fixed" --format json >"$m/fix.json" 2>"$m/fix.err"
    rc=$?
    what="mutation $i ($kind in the $origin $file, statement $pick)"
    if [ "$rc" = 0 ]; then ok; else
        bad "$what: fix exits $rc"
        jq -r '.unfixed[]? | "    \(.obligation): \(.reason)"' "$m/fix.json" 2>/dev/null | head -5
        head -3 "$m/fix.err"
        continue
    fi
    if [ "$(jq '.after.requestsAsExpected == .after.requests and .after.claimsHold == .after.claims and
                 .after.analysisClaimsHold == .after.analysisClaims and .after.escalationPaths == 0' "$m/fix.json")" = true ]
    then ok; else bad "$what: not everything holds after the fix: $(jq -c .after "$m/fix.json")"; fi
    if [ -f "$m/fixed/scenario.yml" ]; then
        if "$IG" check "$m/fixed/scenario.yml" >"$m/check.txt" 2>&1; then ok; else
            bad "$what: iamguard check on the fixed files exits $?"; grep -E 'refuted|FAIL' "$m/check.txt" | head -5
        fi
    fi
done
echo "fix mutations: $pass passed, $fail failed ($N mutations, seed $SEED)"
[ "$fail" = 0 ]
