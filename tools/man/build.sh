#!/bin/sh
# build.sh - the man pages, from docs/ with pandoc (page.lua beside this
# file): iamguard(1) and one page per command.   usage: build.sh OUTDIR VERSION
set -eu
out=$1 version=$2
here=$(cd "$(dirname "$0")" && pwd)
docs=$here/../../docs
mkdir -p "$out"
# Reproducible: the date is the last change of the docs, not today.
date=$(git -C "$here" log -1 --format=%cs -- docs 2>/dev/null || true)
[ -n "$date" ] || date=$(date -u -r "$docs/iamguard.md" +%Y-%m-%d)
page() { # page NAME DOC [SUMMARY]
    title=$(echo "$1" | tr 'a-z' 'A-Z')
    set -- "$1" "$2" "${3:-}"
    if [ -n "$3" ]; then
        pandoc -f gfm -t man -s --lua-filter="$here/page.lua" \
            -M title="$title" -M section=1 -M date="$date" -M footer="iamguard $version" \
            -M header="iamguard manual" -M name="$1" -M summary="$3" "$docs/$2" -o "$out/$1.1"
    else
        pandoc -f gfm -t man -s --lua-filter="$here/page.lua" \
            -M title="$title" -M section=1 -M date="$date" -M footer="iamguard $version" \
            -M header="iamguard manual" -M name="$1" "$docs/$2" -o "$out/$1.1"
    fi
    tidy "$out/$1.1"
}
# mandoc and man both read pandoc's output; what mandoc's lint flags is
# changed: literal text in bold (pandoc's \f[C] and \f[V] are groff's
# constant-width fonts, unknown to mandoc), and no .PP right after a
# heading. Text is set ragged-right (.ad l): the narrow columns of the
# tables cannot be justified, and groff warns. (pandoc's .hy after it keeps
# hyphenation on: without it those columns cannot break long words.)
tidy() {
    sed -e 's/\\f\[[CV]\]/\\f[B]/g' -e 's/\\f\[[CV][BI]\]/\\f[B]/g' "$1" |
        awk '/^\.PP$/ && prev ~ /^\.S[HS]/ { next } { print; prev = $0 }
             /^\.TH / { print ".ad l" }' >"$1.tmp"
    mv "$1.tmp" "$1"
}
page iamguard iamguard.md
for p in check lint simulate cfn effective escalate fix serve catalog bench; do
    page "iamguard-$p" "$p.md"
done
page iamguard-emulate emulator.md
page iamguard-bench-compile bench.md "measure policy parse and compile throughput on a corpus"
page iamguard-check-access-not-granted check-access.md \
    "prove that no request for given actions and resources is allowed, or show one"
page iamguard-check-no-new-access check-access.md \
    "prove that new policies allow nothing the old ones do not, or show a request"
page iamguard-check-no-public-access check-access.md \
    "prove that a resource policy lets nobody outside the account in"
