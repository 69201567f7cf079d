#!/bin/sh
# tests/html/run.sh - the HTML reports (docs/check.md "The HTML report"):
# written by check, escalate and effective; valid HTML (tidy, with the
# inline SVG checked apart as XML, since tidy knows no SVG 2); the same facts
# as --format json; then opened in Debian's chromium by browser.js.
# usage: sh tests/html/run.sh build/iamguard
set -u
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(dirname "$BIN")/test-artifacts/html
mkdir -p "$OUT"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "  FAIL $*"; }

# Graphviz writes an SVG island into the page: validate the page without it
# (tidy) and the island on its own (xmllint), so neither hides the other.
valid() {
    page=$1
    python3 - "$page" "$OUT/island.svg" "$OUT/page-nosvg.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
svgs = re.findall(r'<svg.*?</svg>', s, flags=re.S)
open(sys.argv[2], 'w').write(svgs[0] if svgs else '<svg xmlns="http://www.w3.org/2000/svg"/>')
open(sys.argv[3], 'w').write(re.sub(r'<svg.*?</svg>', '', s, flags=re.S))
PY
    if tidy -q -e "$OUT/page-nosvg.html" >"$OUT/tidy.txt" 2>&1; then ok; else no "$page: tidy: $(head -3 "$OUT/tidy.txt")"; fi
    if xmllint --noout "$OUT/island.svg" 2>"$OUT/xmllint.txt"; then ok; else no "$page: svg: $(head -3 "$OUT/xmllint.txt")"; fi
    if grep -qiE '<(script|link|img|iframe)[^>]* (src|href)="(https?:)?//' "$page"; then no "$page: refers to the network"; else ok; fi
}

# check: the built-in example, as make check writes it
"$BIN" check --format html -o "$OUT/check.html"; rc=$?
[ $rc -eq 1 ] && ok || no "check --format html exit $rc (the seed has refuted claims: 1)"
"$BIN" check --format json > "$OUT/check.json"
"$BIN" check --html-report "$OUT/check-side.html" > "$OUT/check.txt"; rc=$?
[ $rc -eq 1 ] && ok || no "check --html-report exit $rc"
# the same page either way, but for the command line in the footer
sed '/^<footer>/d' "$OUT/check.html" > "$OUT/a.html"; sed '/^<footer>/d' "$OUT/check-side.html" > "$OUT/b.html"
cmp -s "$OUT/a.html" "$OUT/b.html" && ok || no "--html-report and --format html differ"
tail -1 "$OUT/check.txt" | grep -q "^full report: $OUT/check-side.html\$" && ok || no "summary names the page: $(tail -1 "$OUT/check.txt")"
# the summary fits a screen: a line per claim and two more
nclaims=$(jq '[.scenarios[].claims[]] + (.analysis.claims // []) | length' "$OUT/check.json")
lines=$(sed -n '/^== summary/,$p' "$OUT/check.txt" | wc -l)
[ "$lines" -eq $((nclaims + 3)) ] && ok || no "summary has $lines lines for $nclaims claims"
[ "$lines" -le 40 ] && ok || no "summary longer than a screen"
awk 'length > 100' "$OUT/check.txt" | sed -n '/^== summary/,$p' | grep -q . && no "summary lines over 100 columns" || ok
refuted=$(jq '[.scenarios[].claims[] | select(.holds | not)] + [(.analysis.claims // [])[] | select(.verdict != "holds")] | length' "$OUT/check.json")
sed -n '/^== summary/,$p' "$OUT/check.txt" | grep -c '^  refuted' | grep -qx "$refuted" && ok || no "summary refuted count"
grep -q "id=\"count-refuted\">$refuted of $nclaims<" "$OUT/check.html" && ok || no "verdict header count"
valid "$OUT/check.html"

# escalate and effective on the seed's deployment
"$BIN" escalate --account builtin:imaging-viewer --format html -o "$OUT/escalate.html"; rc=$?
[ $rc -eq 1 ] && ok || no "escalate --format html exit $rc"
"$BIN" escalate --account builtin:imaging-viewer --format json > "$OUT/escalate.json"
valid "$OUT/escalate.html"
"$BIN" effective ImagingDeveloper --account builtin:imaging-viewer --format html -o "$OUT/effective.html"; rc=$?
[ $rc -eq 0 ] && ok || no "effective --format html exit $rc"
"$BIN" effective ImagingDeveloper --account builtin:imaging-viewer --format json > "$OUT/effective.json"
valid "$OUT/effective.html"

# a scenario from disk: its policy files are read and shown with their lines,
# a statement that decided something is highlighted and linked to
"$BIN" check tests/check/pass.yml --format html -o "$OUT/pass.html"; rc=$?
[ $rc -eq 0 ] && ok || no "check pass.yml --format html exit $rc"
grep -q '<h3 id="src-[0-9]*">tests/check/policies/reports-reader.json</h3>' "$OUT/pass.html" && ok || no "policy file shown"
grep -q 'class="ln hit"' "$OUT/pass.html" && ok || no "deciding statement highlighted"
grep -q 'href="#src-[0-9]*-L[0-9]*"' "$OUT/pass.html" && ok || no "statement links"
grep -q 'id="escalation"' "$OUT/pass.html" && no "a scenario without analysis has no escalation section" || ok
"$BIN" check tests/check/pass.yml > "$OUT/pass.txt"
tail -1 "$OUT/pass.txt" | grep -q '^full report: iamguard check --format html' && ok || no "summary says how to get the page"

# real account exports nobody here wrote (../shared/realworld/accounts): each
# escalate page, and the effective page of its first role or user, is valid
SHARED=${IAMGUARD_SHARED:-$(cd "$HERE/../../.." && pwd)/shared}
for f in "$SHARED"/realworld/accounts/*.json; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .json)
    "$BIN" escalate --account "$f" --format html -o "$OUT/rw-$b-escalate.html"; rc=$?
    [ $rc -le 1 ] && ok || no "escalate --format html on $b: exit $rc"
    [ $rc -le 1 ] && valid "$OUT/rw-$b-escalate.html"
    arn=$(jq -r '[.RoleDetailList[]?.Arn, .UserDetailList[]?.Arn] | map(select(.)) | .[0] // empty' "$f")
    [ -n "$arn" ] || continue
    "$BIN" effective "$arn" --account "$f" --format html -o "$OUT/rw-$b-effective.html"; rc=$?
    [ $rc -eq 0 ] && ok || no "effective --format html on $b: exit $rc"
    [ $rc -eq 0 ] && valid "$OUT/rw-$b-effective.html"
done

# bad usage
"$BIN" check --html-report x.html --format json >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "--html-report with json is bad usage"
"$BIN" check -o "$OUT/nope/x.html" --format html >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "unwritable -o is exit 2"

# the browser
if [ ! -d "$HERE/node_modules/puppeteer-core" ]; then
    (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >/dev/null 2>&1 ||
        no "npm ci in tests/html"
fi
for k in check escalate effective; do
    if node "$HERE/browser.js" "$OUT/$k.html" "$OUT/$k.json" "$k" "$OUT/$k.png"; then ok; else no "browser: $k"; fi
done

echo "html: $pass passed, $fail failed (artifacts in $OUT)"
[ $fail -eq 0 ]
