#!/bin/sh
# first_run.sh - the README's first command on a machine that has none of
# the project's packages, without such a machine: `make check` in a fresh
# build directory with fakes on PATH for dpkg-query (nothing installed until
# apt-get installs it), apt-get (records what it is asked for) and
# pkg-config (knows no package until its -dev package is "installed", then
# the real one answers). The real scripts/deps.sh and Makefile run. A
# Makefile that asks pkg-config before deps.sh ran (the first-link failure
# of issue 13) fails here twice: a pkg-config call before the install, and
# a link without the libraries.   usage: first_run.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }

real_pkg_config=$(command -v pkg-config) || { echo "FAIL: no pkg-config"; echo "0 passed, 1 failed"; exit 1; }
fake=$tmp/fake
mkdir -p "$fake"
: >"$tmp/installed"
cat >"$fake/dpkg-query" <<EOS
#!/bin/sh
# the last argument is the package
for p; do :; done
grep -qx "\$p" "$tmp/installed" && printf 'install ok installed'
exit 0
EOS
cat >"$fake/apt-get" <<EOS
#!/bin/sh
echo "apt-get \$*" >>"$tmp/apt.log"
[ "\$3" = install ] || exit 0
for p; do case \$p in -*|install|DPkg*) ;; *) echo "\$p" >>"$tmp/installed" ;; esac; done
EOS
cat >"$fake/sudo" <<'EOS'
#!/bin/sh
exec "$@"
EOS
cat >"$fake/pkg-config" <<EOS
#!/bin/sh
for dev in libfyaml-dev libmicrohttpd-dev libsqlite3-dev libssl-dev; do
    if ! grep -qx "\$dev" "$tmp/installed"; then
        echo "pkg-config \$* (before \$dev)" >>"$tmp/pkg-config.log"
        echo "Package \$dev was not found in the pkg-config search path" >&2
        exit 1
    fi
done
echo "pkg-config \$*" >>"$tmp/pkg-config.log"
exec "$real_pkg_config" "\$@"
EOS
chmod +x "$fake"/*

# A clean make: nothing of an outer make (BUILD, SAN) leaks in.
cd "$root" || exit 1
build=$tmp/build
fresh_make() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL PATH="$fake:$PATH" make --no-print-directory "$@"
}

# ---- make check, the first time ---------------------------------------------
fresh_make -j2 BUILD="$build" OPT=-O0 check >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ]; then ok; else no "make check exited $rc"; tail -15 "$tmp/err"; fi
if grep -q 'holds' "$tmp/out"; then ok; else no "make check printed no verdict"; tail -5 "$tmp/out"; fi
if [ -x "$build/iamguard" ] && [ -s "$build/catalog.bin" ]; then ok; else no "no iamguard or catalog.bin in $build"; fi
if grep -q 'before' "$tmp/pkg-config.log" 2>/dev/null; then
    no "pkg-config was asked before deps.sh installed the packages:"; grep before "$tmp/pkg-config.log" | head -3
else ok; fi
if grep -q -- '--libs' "$tmp/pkg-config.log" 2>/dev/null; then ok; else no "pkg-config was never asked for the libraries"; fi

# ---- what each job installs -------------------------------------------------
# has_pkg NAME: deps.sh asked apt-get for NAME
has_pkg() { grep -qx "$1" "$tmp/installed"; }
for p in build-essential pkg-config libfyaml-dev libmicrohttpd-dev libsqlite3-dev libssl-dev; do
    if has_pkg "$p"; then ok; else no "make check did not install $p"; fi
done
for p in awscli wrk valgrind graphviz libxml2-utils libcmocka-dev lintian chromium tidy; do
    if has_pkg "$p"; then no "make check installed $p, which only the tests or benchmarks need"; else ok; fi
done
# The HTML report's graph is laid out in-process: libgvc is a build need.
if has_pkg libgraphviz-dev; then ok; else no "make check did not install libgraphviz-dev"; fi
if head -1 "$tmp/apt.log" | grep -q ' update'; then ok; else no "apt-get update did not come first"; fi

fresh_make BUILD="$build" "$build/.deps-test" >"$tmp/out" 2>&1 || no "the test dependencies step failed"
# wrk too: the pressure suite loads the servers with it.
for p in awscli valgrind libcmocka-dev libxml2-utils lintian pre-commit chromium tidy wrk; do
    if has_pkg "$p"; then ok; else no "the test step did not install $p"; fi
done
fresh_make BUILD="$build" "$build/.deps-bench" >"$tmp/out" 2>&1 || no "the bench dependencies step failed"
if has_pkg wrk; then ok; else no "the bench step did not install wrk"; fi

# Nothing missing: nothing to do, not even apt-get update.
n=$(wc -l <"$tmp/apt.log")
PATH="$fake:$PATH" sh scripts/deps.sh test >/dev/null 2>&1
if [ "$(wc -l <"$tmp/apt.log")" -eq "$n" ]; then ok; else no "deps.sh ran apt-get with everything installed"; fi
PATH="$fake:$PATH" sh scripts/deps.sh nonsense >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ] && grep -q 'unknown group' "$tmp/err"; then ok; else no "deps.sh nonsense: want exit 2 and 'unknown group'"; fi

echo "first-run: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
