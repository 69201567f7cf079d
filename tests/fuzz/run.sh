#!/bin/sh
# run.sh BUILD SECONDS TARGET... - seed the corpora and run each libFuzzer
# target for SECONDS.  A crash is copied to tests/fuzz/regressions/TARGET/
# (commit it: the unit test test_fuzz_regressions replays it) and makes the
# run fail.  Seeds come from tests/ and from the shared corpus of AWS
# managed policies, split one policy per file here (not committed).
# FUZZ_FLAGS adds libFuzzer options (e.g. "-fork=2 -ignore_crashes=1").
set -eu
build=$1
secs=$2
shift 2
shared=${IAMGUARD_SHARED:-../shared}
jsonl=$shared/corpus/aws-managed-policies.jsonl
corpus=$build/corpus

seed() {    # seed TARGET: fill $corpus/TARGET once
    dir=$corpus/$1
    [ -d "$dir" ] && return 0
    mkdir -p "$dir"
    for f in $(find tests examples -name '*.json' -o -name '*.yml' -o -name '*.yaml' 2>/dev/null); do
        case $1:$f in
            fuzz_json:*.json|fuzz_simdoc:*.json|fuzz_yaml:*|fuzz_cfn:*|fuzz_scenario:*)
                cp "$f" "$dir/$(echo "$f" | tr '/' '_')" ;;
        esac
    done
    case $1 in
        fuzz_form)
            printf 'Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%%7B%%22Version%%22%%3A%%222012-10-17%%22%%7D&ActionNames.member.1=s3%%3AGetObject&ContextEntries.member.1.ContextKeyName=aws%%3ASourceIp&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1&ContextEntries.member.1.ContextKeyType=ip' > "$dir/seed-simulate"
            printf 'Action=GetUser&UserName=a+b%%2Fc&Version=2010-05-08' > "$dir/seed-getuser" ;;
        fuzz_eval)
            # the requests AWS authorizes apart (docs/semantics.md §6.0, §6.4, §7)
            printf '\002\001{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}\000sts:TagSession\narn:aws:iam::111111111111:role/admin\n' > "$dir/seed-trust"
            printf '\000\000{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}\000kms:CreateAlias\narn:aws:kms:us-east-1:111111111111:alias/a\n' > "$dir/seed-kms-alias"
            printf '\000\001{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*"}}\000kms:Decrypt\narn:aws:kms:us-east-1:111111111111:key/k\n' > "$dir/seed-kms-key"
            printf '\000\000{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}\000sts:GetCallerIdentity\n*\n' > "$dir/seed-no-permission"
            printf '\000\001{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"s3:*","Resource":"*"}]}\000s3:GetObject\narn:aws:s3:::b/k\n' > "$dir/seed-notprincipal" ;;
        fuzz_sigv4)
            printf 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7' > "$dir/seed-header" ;;
    esac
    [ -f "$jsonl" ] || return 0
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        doc=$(printf '%s' "$line" | sed 's/^.*"document"://; s/}$//')
        case $1 in
            fuzz_json) printf '%s' "$line" > "$dir/corpus-$n" ;;
            fuzz_policy) { printf '\000'; printf '%s' "$doc"; } > "$dir/corpus-$n" ;;
            fuzz_eval)
                # principal byte, slot byte, policy, NUL, a request
                { printf "$(printf '\\%03o' $((n % 8)))"; printf '\000%s\000' "$doc";
                  printf 's3:GetObject\narn:aws:s3:::bucket/key\naws:SourceIp=10.0.0.1\naws:TagKeys=a|b\n'; } > "$dir/corpus-$n" ;;
            fuzz_simdoc)
                printf '{"principal":{"arn":"arn:aws:iam::111111111111:user/u"},"policies":{"identity":[{"document":%s}]},"requests":[{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"aws:SourceIp":"10.0.0.1"}}]}' "$doc" > "$dir/corpus-$n" ;;
        esac
        # the policy, eval and simdoc corpora need only a sample
        [ "$1" != fuzz_json ] && [ $n -ge 600 ] && break
    done < "$jsonl"
    return 0
}

status=0
for t in "$@"; do
    seed "$t"
    art=$build/artifacts/$t
    rm -rf "$art"; mkdir -p "$art"    # earlier findings were copied already
    echo "== $t for ${secs}s ($(ls "$corpus/$t" | wc -l) seeds)"
    # shellcheck disable=SC2086
    if ! "$build/$t" ${FUZZ_FLAGS:-} -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$art/" "$corpus/$t" > "$build/$t.log" 2>&1; then
        status=1
        echo "   FINDING in $t (log: $build/$t.log)"
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/$t.log" | sed 's/^/   /' || true
    for crash in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
        [ -f "$crash" ] || continue
        mkdir -p "tests/fuzz/regressions/$t"
        cp "$crash" "tests/fuzz/regressions/$t/"
        echo "   new regression input tests/fuzz/regressions/$t/$(basename "$crash")"
    done
done
exit $status
