#!/bin/sh
# deps.sh - install the Debian packages the build and the tests need, once.
# Called by the Makefile; does nothing when everything is already present.
set -eu
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for p in build-essential pkg-config libcmocka-dev libfyaml-dev libmicrohttpd-dev \
         libsqlite3-dev sqlite3 libssl-dev libgraphviz-dev \
         curl jq awscli wrk libxml2-utils graphviz valgrind tidy chromium; do
    have_pkg "$p" || need="$need $p"
done
# `sh scripts/deps.sh afl`: also AFL++ for the optional `make fuzz-afl` (not CI)
if [ "${1:-}" = afl ]; then
    for p in afl++ clang; do have_pkg "$p" || need="$need $p"; done
fi
# tests/serve drives the server with the AWS SDK for JavaScript
command -v npm >/dev/null 2>&1 || need="$need nodejs npm"
[ -z "$need" ] && exit 0
echo "deps: installing$need" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need >&2
