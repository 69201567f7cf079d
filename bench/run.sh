#!/bin/sh
# run.sh - `make bench`: iamguard on every workload of ../shared/bench, one
# JSON line each.  usage: bench/run.sh IAMGUARD [SECONDS]
set -eu
bin=$1
secs=${2:-3}
shared=${IAMGUARD_SHARED:-../shared}
for w in "$shared"/bench/*/workload.json; do
    "$bin" bench "$w" --seconds "$secs"
    "$bin" bench "$w" --seconds "$secs" --threads "$(nproc)"
done
