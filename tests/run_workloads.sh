#!/bin/sh
# run_workloads.sh - every request of every ../shared/bench workload must get
# exactly the decision its "expect" names.  usage: run_workloads.sh IAMGUARD
set -u
bin=$1
shared=${IAMGUARD_SHARED:-../shared}
pass=0 fail=0
for w in "$shared"/bench/*/workload.json; do
    [ -f "$w" ] || continue
    if "$bin" simulate --verify --format json "$w" >/dev/null 2>/tmp/iamguard-workload.$$; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $w"; head -20 /tmp/iamguard-workload.$$
    fi
    tail -1 /tmp/iamguard-workload.$$
done
rm -f /tmp/iamguard-workload.$$
[ $((pass + fail)) -gt 0 ] || { echo "no workloads found under $shared/bench"; exit 1; }
echo "workloads: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
