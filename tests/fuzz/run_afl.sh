#!/bin/sh
# run_afl.sh BUILD SECONDS TARGET... - run AFL++ on targets built by
# `make fuzz-afl` (afl-clang-fast -fsanitize=fuzzer: the libFuzzer entry
# point through AFL++'s libAFLDriver, library and target under ASan).
# Optional, not in CI; libFuzzer (tests/fuzz/run.sh) stays the main fuzzer.
# A crash or hang is copied to tests/fuzz/findings/TARGET/ (triage it and
# move it to regressions/ with the fix) and makes the run fail.
set -eu
build=$1
secs=$2
shift 2
status=0
for t in "$@"; do
    in=$build/afl-in/$t
    out=$build/afl-out/$t
    rm -rf "$in" "$out"
    mkdir -p "$in" "$(dirname "$out")"
    n=0
    for f in $(find tests/cases examples -name '*.json' | LC_ALL=C sort); do
        [ $((n % 8)) -eq 0 ] || { n=$((n + 1)); continue; }
        [ "$(wc -c < "$f")" -le 4096 ] || continue
        case $t in
            fuzz_policy)   # type byte 0 (identity) + a document
                { printf '\000'; cat "$f"; } > "$in/seed-$n" ;;
            *) cp "$f" "$in/seed-$n" ;;
        esac
        n=$((n + 1))
    done
    echo "== $t (AFL++) for ${secs}s ($(ls "$in" | wc -l) seeds)"
    # -m none: ASan reserves terabytes of address space; -V: stop after secs
    AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    AFL_SKIP_CRASHES=1 AFL_NO_AFFINITY=1 \
        afl-fuzz -i "$in" -o "$out" -m none -t 2000 -V "$secs" -- "$build/$t" \
        > "$build/$t.afl.log" 2>&1 || { status=1; echo "   afl-fuzz failed (log: $build/$t.afl.log)"; }
    stats=$out/default/fuzzer_stats
    if [ -f "$stats" ]; then
        grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) ' "$stats" | sed 's/^/   /'
    fi
    for f in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
        [ -f "$f" ] || continue
        status=1
        mkdir -p "tests/fuzz/findings/$t"
        name=afl-$(sha1sum "$f" | cut -c 1-16)
        cp "$f" "tests/fuzz/findings/$t/$name"
        echo "   FINDING tests/fuzz/findings/$t/$name"
    done
done
exit $status
