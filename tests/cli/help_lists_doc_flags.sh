#!/bin/sh
# help_lists_doc_flags.sh - every flag a command's page in docs/ lists (in
# its SYNOPSIS and OPTIONS sections) is in that command's --help.
#   usage: help_lists_doc_flags.sh IAMGUARD
set -u
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

# doc_flags DOC: the --flags of its SYNOPSIS and OPTIONS sections
doc_flags() {
    awk '/^## / { s = toupper($0); on = (s ~ /SYNOPSIS|OPTIONS/); next } on' "$root/docs/$1" |
        grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}
# check DOC COMMAND...: each flag of DOC is in the --help of one of the commands
check() {
    doc=$1; shift
    : >"$tmp/help"
    for c; do "$bin" "$c" --help >>"$tmp/help" 2>&1; done
    for f in $(doc_flags "$doc"); do
        if grep -q -- "$f\([^a-z0-9-]\|$\)" "$tmp/help"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1)); echo "FAIL: docs/$doc lists $f, \`iamguard $*\` --help does not"
        fi
    done
}
check check.md check
check lint.md lint
check simulate.md simulate
check cfn.md cfn
check effective.md effective
check escalate.md escalate
check serve.md serve
check emulator.md emulate
check catalog.md catalog
check bench.md bench bench-compile
check check-access.md check-access-not-granted check-no-new-access check-no-public-access
echo "help-flags: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
