#!/bin/sh
# install.sh - `make install` into a temporary prefix and the installed tree
# used as a user would: from /, without flags: check, lint (which needs the
# catalog from share/iamguard), escalate; a copy of the binary elsewhere
# still finds the catalog (the data directory compiled in); a C program
# built with `pkg-config --cflags --libs iamguard` (and --static); the man
# pages (man -w, man -l, lexgrog, mandoc -T lint); bash completion. Then
# `make uninstall` leaves no file behind.   usage: install.sh [BUILD]
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
# run WANT_EXIT CMD...: output in $tmp/out and $tmp/err
run() {
    want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        no "$* exited $rc, want $want"; sed 's/^/    /' "$tmp/err" | head -5; return 1
    fi
    ok
}
has() { if grep -qF -- "$2" "$1"; then ok; else no "$1 lacks: $2"; sed 's/^/    /' "$1" | head -5; fi; }

p=$tmp/prefix
cd "$root" || exit 1
# A copy of the build (times kept): installing for another PREFIX rebuilds
# catalog_open.o for its data directory, and the suites' binary must not
# change under them.
case $build in /*) ;; *) build=$root/$build ;; esac
mkdir -p "$tmp/build"
(cd "$build" && tar -cf - --exclude=./tests --exclude=./man --exclude=./completion .) |
    (cd "$tmp/build" && tar -xf -) || no "cannot copy $build"
build=$tmp/build
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" "$@"; }
run 0 mk install PREFIX="$p"
cat "$tmp/err"

# ---- the binary, from / -----------------------------------------------------
ig=$p/bin/iamguard
run 0 sh -c "cd / && '$ig' --version"
has "$tmp/out" "iamguard "
# exit 1 is a refuted claim: the report, not a failure
run 0 sh -c "cd / && env -u IAMGUARD_CATALOG '$ig' check --no-color; [ \$? -le 1 ]"
has "$tmp/out" "holds"
has "$tmp/out" "analysis"
run 1 sh -c "cd / && env -u IAMGUARD_CATALOG '$ig' lint '$root/tests/lint/unknown-action-hit.json'"
has "$tmp/out" "unknown-action"
run 1 sh -c "cd / && env -u IAMGUARD_CATALOG '$ig' escalate --account '$root/tests/analysis/account.json'"
has "$tmp/out" "iam:"
# moved away from its tree: the compiled-in data directory
mkdir -p "$tmp/elsewhere" && cp "$ig" "$tmp/elsewhere/iamguard"
run 1 sh -c "cd / && env -u IAMGUARD_CATALOG '$tmp/elsewhere/iamguard' lint '$root/tests/lint/unknown-action-hit.json'"
has "$tmp/out" "unknown-action"
run 0 sh -c "cd / && env -u IAMGUARD_CATALOG '$ig' catalog --help"

# ---- the library, through pkg-config ----------------------------------------
cat >"$tmp/use.c" <<'EOC'
#include <stdio.h>
#include <string.h>
#include <iamguard.h>
int main(void)
{
    const char *doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                      "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}";
    ig_diag d;
    ig_policy *p = ig_policy_compile(doc, strlen(doc), IG_POLICY_IDENTITY, "p", NULL, &d);
    ig_env *env = ig_env_new();
    if (!p || !env || ig_env_set_principal_arn(env, "arn:aws:iam::123456789012:user/u", NULL, &d) ||
        ig_env_add_identity(env, p))
        return 2;
    ig_request req = { .action = "s3:GetObject", .resource = "arn:aws:s3:::b/k" };
    ig_result r;
    if (ig_evaluate(env, &req, 0, &r) != IG_OK)
        return 2;
    printf("%s %s\n", IAMGUARD_VERSION, ig_decision_name(r.decision));
    ig_env_free(env);
    ig_policy_free(p);
    return 0;
}
EOC
export PKG_CONFIG_PATH="$p/lib/pkgconfig"
run 0 pkg-config --modversion iamguard
flags=$(pkg-config --cflags --libs iamguard)
run 0 sh -c "cc -std=c17 -Wall -Werror -o '$tmp/use' '$tmp/use.c' $flags"
run 0 env LD_LIBRARY_PATH="$p/lib" "$tmp/use"
has "$tmp/out" "allowed"
run 0 sh -c "readelf -d '$tmp/use' | grep NEEDED"
has "$tmp/out" "libiamguard.so.0"
run 0 sh -c "readelf -d '$p/lib/libiamguard.so' | grep SONAME"
has "$tmp/out" "libiamguard.so.0"
# The archive: --static adds the libraries it needs (Libs.private).
sflags=$(pkg-config --static --cflags --libs iamguard)
run 0 sh -c "cc -std=c17 -o '$tmp/use-static' '$tmp/use.c' -Wl,--as-needed '$p/lib/libiamguard.a' $sflags"
run 0 sh -c "readelf -d '$tmp/use-static' | grep NEEDED"
grep -q libiamguard "$tmp/out" && no "the static link needs libiamguard.so" || ok
run 0 "$tmp/use-static"
has "$tmp/out" "allowed"
unset PKG_CONFIG_PATH

# ---- man pages --------------------------------------------------------------
pages=$(ls "$p/share/man/man1")
[ "$(echo "$pages" | wc -l)" -ge 15 ] && ok || no "want 15 man pages, have: $pages"
for page in $pages; do
    name=${page%.1}
    run 0 env MANPATH="$p/share/man" man -w "$name"
    run 0 sh -c "MANWIDTH=80 man -l '$p/share/man/man1/$page' | col -b"
    has "$tmp/out" "NAME"
    [ "$(wc -l <"$tmp/out")" -gt 10 ] && ok || no "man -l $page: too short"
    run 0 lexgrog "$p/share/man/man1/$page"
    has "$tmp/out" "$name - "
    if command -v mandoc >/dev/null 2>&1; then
        run 0 mandoc -T lint -W warning "$p/share/man/man1/$page"
    fi
done
for c in check lint escalate simulate; do
    run 0 sh -c "MANWIDTH=80 man -l '$p/share/man/man1/iamguard-$c.1' | col -b"
    has "$tmp/out" "SYNOPSIS"
    has "$tmp/out" "iamguard $c"
done

# ---- completion -------------------------------------------------------------
comp=$p/share/bash-completion/completions/iamguard
run 0 bash -c ". '$comp'; COMP_WORDS=(iamguard li); COMP_CWORD=1; _iamguard; echo \"\${COMPREPLY[*]}\""
has "$tmp/out" "lint"
run 0 bash -c ". '$comp'; COMP_WORDS=(iamguard lint --fo); COMP_CWORD=2; _iamguard; echo \"\${COMPREPLY[*]}\""
has "$tmp/out" "--format"
run 0 bash -c ". '$comp'; COMP_WORDS=(iamguard check --no); COMP_CWORD=2; _iamguard; echo \"\${COMPREPLY[*]}\""
has "$tmp/out" "--no-analysis"
has "$p/share/zsh/site-functions/_iamguard" "#compdef iamguard"
if command -v zsh >/dev/null 2>&1; then run 0 zsh -n "$p/share/zsh/site-functions/_iamguard"; fi

# ---- uninstall --------------------------------------------------------------
run 0 mk uninstall PREFIX="$p"
left=$(find "$p" \( -type f -o -type l \) | head -5)
if [ -z "$left" ]; then ok; else no "left after uninstall: $left"; fi
[ -d "$p/share/iamguard" ] && no "uninstall left share/iamguard" || ok

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
