#!/bin/sh
# deps.sh - install the Debian packages one job needs, once; does nothing
# when they are all present. Called by the Makefile:
#   sh scripts/deps.sh [build]   building iamguard and running `iamguard check`
#                                (make, make check)
#   sh scripts/deps.sh test      and the test suite (make test and its parts)
#   sh scripts/deps.sh bench     and the benchmarks (make bench)
#   sh scripts/deps.sh afl       and AFL++ for the optional `make fuzz-afl`
#   sh scripts/deps.sh man       pandoc alone, for the man pages of `make install`
# Each group includes the build group. IAMGUARD_DEPS_DRY_RUN=1 prints the
# packages that would be installed instead of installing them.
set -eu
group=${1:-build}
# Building: a C compiler, pkg-config and the libraries the Makefile asks it
# about (Graphviz's libgvc lays out the HTML report's graph); Node and npm compile the service catalog from the pinned npm
# package (catalog/), over HTTPS.
build="build-essential pkg-config libfyaml-dev libmicrohttpd-dev libsqlite3-dev libssl-dev
       libgraphviz-dev ca-certificates"
# The suites: cmocka for the unit tests; curl, jq, the AWS CLI (and Node's
# SDK) for serve and emulate; xmllint, dot and sqlite3 check reports;
# valgrind; pandoc, mandoc and man-db build and check the man pages; lintian
# checks the .deb; pre-commit runs the hooks of .pre-commit-hooks.yaml; zsh
# reads the zsh completion; tidy and chromium check the HTML reports; wrk
# loads the servers in the pressure suite; patch applies fix's diffs.
test="libcmocka-dev sqlite3 curl jq awscli libxml2-utils graphviz valgrind
      pandoc mandoc man-db lintian pre-commit zsh tidy chromium wrk patch"
bench="wrk curl jq"
afl="afl++ clang"
case "$group" in
    build) want=$build ;;
    test)  want="$build $test" ;;
    bench) want="$build $bench" ;;
    afl)   want="$build $afl" ;;
    man)   want="pandoc" ;;
    *) echo "deps.sh: unknown group \"$group\" (build, test, bench, afl, man)" >&2; exit 2 ;;
esac
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in $want; do
    have_pkg "$p" || need="$need $p"
done
# Node from another source than Debian's packages is fine too.
[ "$group" = man ] || command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
[ -z "$need" ] && exit 0
if [ -n "${IAMGUARD_DEPS_DRY_RUN:-}" ]; then
    echo "deps: would install$need"
    exit 0
fi
echo "deps ($group): installing$need" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# Another apt-get (unattended upgrades, a second make) may hold the lock.
APT="apt-get -o DPkg::Lock::Timeout=600"
$SUDO $APT update -qq >&2
# shellcheck disable=SC2086
$SUDO $APT install -y -qq --no-install-recommends $need >&2
