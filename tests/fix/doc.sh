#!/bin/sh
# doc.sh - the patched files and diffs of `iamguard fix` on real policies:
# every AWS managed policy of the corpus and every policy under examples/
# and tests/ is read and written back byte for byte; then each gets random
# edits (tests/fix/doc_tool.c checks that the result compiles, reads back
# to the edited fields and keeps the unedited statements' bytes), and the
# unified diff of each pair must turn the original into the edited text
# with patch(1), and change no more lines than diff -u's.
# usage: doc.sh DOC_TOOL
set -u
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=$root/../shared/corpus/aws-managed-policies.jsonl
[ -f "$corpus" ] || corpus=/work/shared/corpus/aws-managed-policies.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
cd "$root" || exit 2

files=$(find examples tests -name '*.json' | LC_ALL=C sort)
# shellcheck disable=SC2086
"$tool" roundtrip "$corpus" $files || fail=1

mkdir "$tmp/pairs"
# shellcheck disable=SC2086
"$tool" edits "$tmp/pairs" 17 8 "$corpus" $files || fail=1

applied=0 bad=0 larger=0 compared=0
for d in "$tmp"/pairs/*/; do
    if ! patch -s -f -o "$d/patched.json" "$d/policy.json" <"$d/fix.diff" >"$d/patch.out" 2>&1 ||
       ! cmp -s "$d/patched.json" "$d/want.json"; then
        bad=$((bad + 1))
        [ $bad -le 3 ] && { echo "FAIL: the diff in $d does not apply"; cat "$d/patch.out"; }
        continue
    fi
    applied=$((applied + 1))
    # As few changed lines as diff -u's (every third pair: processes each).
    case $d in */*[036]/) ;; *) continue ;; esac
    theirs=$(diff -u "$d/policy.json" "$d/want.json" | grep -c '^[-+]')
    [ "$theirs" -gt 0 ] && theirs=$((theirs - 2))
    compared=$((compared + 1))
    if [ "$(cat "$d/changed")" -gt "$theirs" ]; then
        larger=$((larger + 1))
        [ $larger -le 3 ] && echo "FAIL: $d: $(cat "$d/changed") changed lines, diff -u has $theirs"
    fi
done
echo "patch: $applied diffs applied exactly, $bad failed; $compared compared with diff -u, $larger longer"
[ $bad -eq 0 ] || fail=1
[ $larger -eq 0 ] || fail=1
[ $applied -gt 300 ] || { echo "FAIL: only $applied pairs"; fail=1; }
exit $fail
