#!/bin/sh
# deb.sh - `make deb` (in a copy of the build, so the suites' binary stays
# as it is): the package's name, fields and files; lintian finds no error;
# unpacked into a staging root with dpkg -x, its iamguard runs from / and
# finds the packaged catalog; the man pages are there, compressed.
#   usage: deb.sh [BUILD]
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
run() {
    want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        no "$* exited $rc, want $want"; sed 's/^/    /' "$tmp/err" "$tmp/out" | head -8; return 1
    fi
    ok
}
has() { if grep -qF -- "$2" "$1"; then ok; else no "$1 lacks: $2"; sed 's/^/    /' "$1" | head -5; fi; }

cd "$root" || exit 1
case $build in /*) ;; *) build=$root/$build ;; esac
mkdir -p "$tmp/build"
(cd "$build" && tar -cf - --exclude=./tests --exclude=./deb --exclude='./*.deb' .) |
    (cd "$tmp/build" && tar -xf -) || no "cannot copy $build"
version=$(sed -n 's/^#define IAMGUARD_VERSION "\(.*\)"/\1/p' include/iamguard.h)
arch=$(dpkg --print-architecture)
deb=$tmp/build/iamguard_${version}_$arch.deb
run 0 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$tmp/build" deb
[ -f "$deb" ] && ok || { no "no $deb"; echo "deb: $pass passed, $fail failed"; exit 1; }

# ---- the package ------------------------------------------------------------
run 0 dpkg-deb -f "$deb" Package Version Architecture Maintainer Depends Description
has "$tmp/out" "Package: iamguard"
has "$tmp/out" "Version: $version"
has "$tmp/out" "Architecture: $arch"
has "$tmp/out" "Depends: libc6"
has "$tmp/out" "libfyaml"
run 0 dpkg-deb -c "$deb"
for f in ./usr/bin/iamguard ./usr/lib/libiamguard.so.$version ./usr/lib/libiamguard.so.0 \
         ./usr/lib/libiamguard.a ./usr/include/iamguard.h ./usr/lib/pkgconfig/iamguard.pc \
         ./usr/share/iamguard/catalog.bin ./usr/share/man/man1/iamguard.1.gz \
         ./usr/share/man/man1/iamguard-check.1.gz ./usr/share/bash-completion/completions/iamguard \
         ./usr/share/zsh/vendor-completions/_iamguard ./usr/share/doc/iamguard/copyright \
         ./usr/share/doc/iamguard/changelog.gz; do
    has "$tmp/out" "$f"
done
if grep -q ' root/root ' "$tmp/out" && ! grep -v ' root/root ' "$tmp/out" | grep -q .; then ok
else no "files not owned by root/root"; fi
run 0 dpkg-deb -I "$deb" triggers
has "$tmp/out" "activate-noawait ldconfig"
if command -v lintian >/dev/null 2>&1; then
    run 0 lintian --fail-on error "$deb"
    if grep -q '^E:' "$tmp/out"; then no "lintian errors:"; grep '^E:' "$tmp/out" | head; else ok; fi
else
    no "lintian not found (scripts/deps.sh test installs it)"
fi

# ---- unpacked and run -------------------------------------------------------
stage=$tmp/stage
run 0 dpkg -x "$deb" "$stage"
ig=$stage/usr/bin/iamguard
run 0 sh -c "cd / && '$ig' --version"
has "$tmp/out" "iamguard $version"
run 0 sh -c "cd / && env -u IAMGUARD_CATALOG '$ig' check --no-color; [ \$? -le 1 ]"
has "$tmp/out" "holds"
run 1 sh -c "cd / && env -u IAMGUARD_CATALOG '$ig' lint '$root/tests/lint/unknown-action-hit.json'"
has "$tmp/out" "unknown-action"
run 0 sh -c "zcat '$stage/usr/share/man/man1/iamguard-lint.1.gz' | MANWIDTH=80 man -l - | col -b"
has "$tmp/out" "SYNOPSIS"

echo "deb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
