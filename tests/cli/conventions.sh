#!/bin/sh
# conventions.sh - what users expect of any command-line tool, on every
# command: --version and -V; --help; NO_COLOR set and not empty turns colour
# off, set but empty does not (no-color.org; on a pseudo-terminal made by
# script(1)); a directory where a file belongs says "is a directory" and
# exits 2; and every flag a command's doc lists is in its --help
# (help_lists_doc_flags.sh).   usage: conventions.sh IAMGUARD
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
version=$(sed -n 's/^#define IAMGUARD_VERSION "\(.*\)"/\1/p' "$root/include/iamguard.h")

commands=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo "$commands" | wc -w)" -ge 14 ] && ok || no "iamguard --help lists too few commands: $commands"
for v in --version -V; do
    out=$("$bin" $v) && [ "$out" = "iamguard $version" ] && ok || no "iamguard $v: '$out'"
done
for c in $commands; do
    for v in --version -V; do
        out=$("$bin" "$c" $v 2>&1); rc=$?
        if [ $rc -eq 0 ] && [ "$out" = "iamguard $version" ]; then ok; else no "iamguard $c $v: exit $rc, '$out'"; fi
    done
    # after other arguments too, and not after "--"
    out=$("$bin" "$c" --format json --version 2>&1) && [ "$out" = "iamguard $version" ] && ok ||
        no "iamguard $c --format json --version: '$out'"
    "$bin" "$c" --help >"$tmp/help" 2>&1 && grep -q "usage: iamguard $c" "$tmp/help" && ok ||
        no "iamguard $c --help: exit status or no usage line"
done
"$bin" lint -- --version >/dev/null 2>&1
[ $? -eq 2 ] && ok || no "iamguard lint -- --version: want the file \"--version\" (not found, exit 2)"

# ---- NO_COLOR ---------------------------------------------------------------
esc=$(printf '\033[')
# on_tty ENV...: lint with findings on a pseudo-terminal, output in $tmp/tty
on_tty() {
    script -qec "env $* '$bin' lint '$root/tests/lint/unknown-action-hit.json'" /dev/null >"$tmp/tty" 2>&1
}
if command -v script >/dev/null 2>&1; then
    on_tty -u NO_COLOR
    grep -qF "$esc" "$tmp/tty" && ok || no "lint on a terminal: no colour"
    on_tty NO_COLOR=
    grep -qF "$esc" "$tmp/tty" && ok || no "NO_COLOR set but empty turned colour off"
    on_tty NO_COLOR=1
    grep -qF "$esc" "$tmp/tty" && no "NO_COLOR=1 left colour on" || ok
    script -qec "env NO_COLOR= '$bin' check --no-analysis" /dev/null >"$tmp/tty" 2>&1
    grep -qF "$esc" "$tmp/tty" && ok || no "check: NO_COLOR set but empty turned colour off"
    script -qec "env NO_COLOR=1 '$bin' check --no-analysis" /dev/null >"$tmp/tty" 2>&1
    grep -qF "$esc" "$tmp/tty" && no "check: NO_COLOR=1 left colour on" || ok
else
    no "script(1) not found (bsdutils)"
fi

# ---- a directory where a file belongs ---------------------------------------
d=$tmp/dir
mkdir -p "$d"
isdir() {
    "$bin" "$@" >/dev/null 2>"$tmp/err"; rc=$?
    if [ $rc -eq 2 ] && grep -q "is a directory" "$tmp/err"; then ok
    else no "iamguard $*: exit $rc, want 2 and \"is a directory\": $(head -1 "$tmp/err")"; fi
}
isdir lint "$d"
isdir simulate "$d"
isdir cfn show "$d"
isdir escalate --account "$d"
isdir effective --policy "$d"
isdir check --cfn "$d"
isdir cfn render -o "$d"
isdir escalate --account "$root/tests/analysis/account.json" -o "$d"

sh "$here/help_lists_doc_flags.sh" "$bin" >"$tmp/flags" 2>&1 && ok || { no "help_lists_doc_flags.sh:"; cat "$tmp/flags"; }

echo "conventions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
