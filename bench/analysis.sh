#!/bin/sh
# analysis.sh - `make bench-analysis`: the least-privilege analysis against
# its performance goals (docs/analysis.md): effective permissions of one
# principal over the whole catalog (< 10 ms), escalation analysis of the
# seed (< 50 ms), an account export with 1,000 roles and 1,000 policies
# (< 2 s on one core).  usage: bench/analysis.sh IAMGUARD
set -eu
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
one=""
command -v taskset >/dev/null 2>&1 && one="taskset -c 0"
X=$root/examples/imaging-viewer
echo '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' >"$tmp/all.json"

echo "== effective permissions over the whole catalog"
$one "$bin" effective --policy "$X/developer-policy.json" --repeat 200 >/dev/null
$one "$bin" effective --policy "$tmp/all.json" --repeat 100 >/dev/null
$one "$bin" effective --policy "$tmp/all.json" --boundary "$X/permissions-boundary.json" --repeat 200 >/dev/null
echo "== escalation analysis of the seed (from the developer)"
$one "$bin" escalate ImagingDeveloper --account builtin:imaging-viewer --repeat 50 >/dev/null || true
echo "== an account export with 1,000 roles and 1,000 policies (every principal a start)"
sh "$root/tests/analysis/gen_account.sh" 1000 >"$tmp/big.json"
start=$(date +%s%N)
$one "$bin" escalate --account "$tmp/big.json" >"$tmp/out" || true
end=$(date +%s%N)
echo "escalate: $(( (end - start) / 1000000 )) ms wall, load included ($(grep -c '^privilege' "$tmp/out") principals with paths)"
