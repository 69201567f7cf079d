#!/bin/sh
# run.sh - `iamguard check` end to end: small scenarios that pass and fail,
# bad input with the exact diagnostic, the built-in imaging-viewer example
# (its findings), mutations of the seed's policies that must be caught, the
# JSON and JUnit reports, directories, and --cfn on `iamguard cfn render`.
# usage: run.sh IAMGUARD
set -u
case $1 in /*) bin=$1 ;; *) bin=$(pwd)/$1 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_exit WANT NAME CMD... (output in $tmp/out, $tmp/err)
expect_exit() {
    want=$1 name=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, expected $want"; head -5 "$tmp/err"; fi
}
# has NAME TEXT: the last output contains TEXT (a fixed string)
has() {
    if grep -qF -- "$2" "$tmp/out"; then ok; else bad "$1: output lacks \"$2\""; fi
}
lacks() {
    if grep -qF -- "$2" "$tmp/out"; then bad "$1: output has \"$2\""; else ok; fi
}
# The ✓/✗ line of every request: the verdicts, without positions.
verdicts() { grep -E '^  (✓|✗) ' "$1" | sed 's/  \[.*\]$//'; }

cd "$here" || exit 1

# ---- small scenarios ------------------------------------------------------
expect_exit 0 pass.yml "$bin" check pass.yml
has pass.yml "reports-pass: 7 requests, 7 as expected, 0 not; 2 of 2 claims hold, 0 refuted"
has pass.yml "✓ reading-5  denied (nothing allows it)"
lacks pass.yml "$(printf '\033[')"          # no colours when not on a terminal
expect_exit 0 pass.json "$bin" check pass.json
has pass.json "reports-pass-json: 2 requests, 2 as expected, 0 not; 1 of 1 claims hold"

expect_exit 1 fail.yml "$bin" check fail.yml
has fail.yml "✗ list-archive  denied (nothing allows it), expected allowed"
has fail.yml "the closest is ReadReports (policies/reports-reader.json:4:5): its action matches, but its Resource"
has fail.yml "condition StringEquals aws:RequestTag/team = \"analytics\" does not hold: the request has aws:RequestTag/team = \"finance\""
has fail.yml "policies/s3-boundary.json:4:5  OnlyS3 (Allow, S3Boundary)"
has fail.yml "why: Everything allows it, but the permissions boundary S3Boundary does not"
has fail.yml "✗ refuted analysts-can-work: Analysts can list the archive and tag buckets."
has fail.yml "refuted by capped-reads-anything: s3:GetObject on arn:aws:s3:::payroll/2024.csv was allowed, expected denied"
has fail.yml "✓ holds   deletes-refused"
has fail.yml "reports-fail: 5 requests, 1 as expected, 4 not; 1 of 3 claims hold, 2 refuted"

# ---- bad input: exit 2 and exactly the expected file:line:column diagnostic
for f in bad/*.yml bad/*.json; do
    want="${f%.*}.err"
    (cd bad && "$bin" check "$(basename "$f")" >"$tmp/out" 2>"$tmp/err"); got=$?
    if [ "$got" -ne 2 ]; then bad "$f: exit $got, expected 2"; continue; fi
    if [ -s "$tmp/out" ]; then bad "$f: wrote a report for bad input"; continue; fi
    if cmp -s "$tmp/err" "$want"; then ok; else bad "$f: diagnostic differs"; diff "$want" "$tmp/err"; fi
done
expect_exit 2 missing-scenario "$bin" check no-such-scenario.yml
expect_exit 2 unknown-option "$bin" check --frobnicate
expect_exit 2 bad-format "$bin" check --format xml pass.yml
expect_exit 2 account-without-cfn "$bin" check --account 111122223333 pass.yml
expect_exit 0 help "$bin" check --help
has help "usage: iamguard check [SCENARIO|DIR]"

# ---- directories ----------------------------------------------------------
expect_exit 0 dir "$bin" check dir
has dir "2 scenarios: 3 requests, 0 not as expected"
expect_exit 2 empty-dir "$bin" check "$tmp"

# ---- the built-in example, from a directory without the sources ----------
(cd "$tmp" && "$bin" check >"$tmp/builtin.txt" 2>"$tmp/err"); got=$?
cp "$tmp/builtin.txt" "$tmp/out"
if [ "$got" -eq 1 ]; then ok; else bad "built-in: exit $got, expected 1 (the seed's findings)"; fi
has built-in "imaging-viewer: 223 requests, 206 as expected, 17 not; 6 of 10 claims hold, 4 refuted"
for claim in boundary-on-every-role no-role-without-boundary boundary-cannot-be-removed \
             boundary-policy-cannot-change allow-everything-is-capped viewer-works; do
    has built-in "✓ holds   $claim:"
done
for claim in removal-explicitly-denied no-way-around-the-boundary developer-can-deploy developer-can-clean-up; do
    has built-in "✗ refuted $claim:"
done
for req in guard-detach-boundary-explicitly-denied guard-pass-unbounded-lambda-role \
           guard-hijack-other-function guard-capped-role-takes-over-other-role delete-ssm-parameters \
           publish-tag-user-pool delete-function-role-list-attached delete-function-role-list-inline \
           delete-user-pool-client-role-list-attached delete-list-parameters; do
    has built-in "✗ $req "
done
has built-in "the closest is AmplifyCliSsmStore (examples/imaging-viewer/developer-policy.json:269:5)"
has built-in "the request names that in iam:PolicyARN, but iam:DetachRolePolicy is checked against"
has built-in "AmplifyCliLambda (Allow, ImagingViewerDeveloperPolicy): Action \"lambda:UpdateFunctionCode\""

# The same scenario from the source tree, by file and as a directory.
expect_exit 1 example-file "$bin" check "$root/examples/imaging-viewer/scenario.yml"
verdicts "$tmp/out" >"$tmp/file.v"
verdicts "$tmp/builtin.txt" >"$tmp/builtin.v"
if cmp -s "$tmp/file.v" "$tmp/builtin.v"; then ok; else bad "examples/ and built-in verdicts differ"; fi
expect_exit 1 example-dir "$bin" check "$root/examples/imaging-viewer"
has example-dir "imaging-viewer: 223 requests, 206 as expected, 17 not"


# ---- the Amplify CLI the calls were read from: sources, versions ----------
cp "$tmp/builtin.txt" "$tmp/out"
has built-in "amplify   calls read from Amplify CLI 14.3.0 (commit 12f9004c50c4); 5 requests of other versions left out"
lacks built-in "source: packages/"
expect_exit 1 verbose "$bin" check -v --no-analysis
has verbose "      source: packages/amplify-provider-awscloudformation/src/aws-utils/aws-cfn.js:675"
has verbose "      source: aws-samples/aws-healthimaging-samples/imaging-viewer-ui/amplify/backend/function/secureDeployBucket/src/index.js:54"
expect_exit 1 verbose-old "$bin" check --verbose --no-analysis --amplify-version 12.2.3
has verbose-old "source: packages/amplify-category-auth/src/provider-utils/awscloudformation/auth-stack-builder/auth-cognito-stack-builder.ts:609 (12.2.3)  (Amplify CLI <12.2.4)"
expect_exit 1 json-source "$bin" check --format json --no-analysis
if command -v jq >/dev/null 2>&1; then
    if jq -e '[.scenarios[0].groups[].requests[] | select(.id == "delete-root-stack")][0].source == "packages/amplify-provider-awscloudformation/src/aws-utils/aws-cfn.js:675"
              and ([.scenarios[0].groups[].requests[] | select(.source == null)] | length) == 61
              and .scenarios[0].amplifyCli.version == "14.3.0" and .scenarios[0].amplifyCli.leftOut == 5
              and .scenarios[0].summary.resourceShapeWarnings == 0' "$tmp/out" >/dev/null
    then ok; else bad "json: source / amplifyCli members"; fi
fi
# --amplify-version picks the calls of that version: the user pool client
# helper before 12.2.4, the CLI's own DescribeUserPoolClient from 12.2.4 on.
expect_exit 1 amplify-12.2.3 "$bin" check --no-analysis --amplify-version 12.2.3
has amplify-12.2.3 "imaging-viewer: 227 requests, 210 as expected, 17 not"
has amplify-12.2.3 "; requests of Amplify CLI 12.2.3; 1 request of other versions left out"
has amplify-12.2.3 "✓ publish-create-user-pool-client-function  allowed"
has amplify-12.2.3 "✓ publish-user-pool-client-describe  allowed"
lacks amplify-12.2.3 "publish-read-app-client"
expect_exit 1 amplify-12.2.4 "$bin" check --no-analysis --amplify-version 12.2.4
has amplify-12.2.4 "imaging-viewer: 223 requests, 206 as expected, 17 not"
has amplify-12.2.4 "✓ publish-read-app-client  allowed"
lacks amplify-12.2.4 "publish-create-user-pool-client-function"
expect_exit 2 amplify-bad-version "$bin" check --amplify-version 12.2
expect_exit 1 sequence-versions "$bin" check --amplify-version 12.2.3 sequence.yml
has sequence-versions "sequence: 6 requests, 2 as expected, 4 not; 0 of 2 claims hold, 2 refuted"

# ---- resource shapes: hits warn, near misses do not ---------------------
expect_exit 0 shapes "$bin" check shapes.yml
has shapes "resource shapes: 4 requests name a resource AWS does not authorize the action on (the ! lines)"
has shapes "! resource: amplify:CreateApp takes no resource: AWS authorizes it on \"*\""
has shapes "! resource: iam:GetPolicy is authorized on a resource (policy), not on \"*\""
has shapes "! resource: s3:GetObject is authorized on accesspointobject, object, but arn:aws:s3:::reports is an ARN of s3:bucket"
has shapes "! resource: s3:ListBucket is authorized on accesspoint, bucket, but arn:aws:s3:::reports/2024/q1.csv is an ARN of s3:object"
expect_exit 0 shapes-json "$bin" check --format json shapes.yml
if command -v jq >/dev/null 2>&1; then
    hits=$(jq -r '[.scenarios[0].groups[].requests[] | select(.resourceShape != null) | .id] | join(" ")' "$tmp/out")
    if [ "$hits" = "hit-arn-for-star-action hit-star-for-resource-action hit-bucket-for-object-action hit-object-for-bucket-action" ]
    then ok; else bad "shapes: warned about \"$hits\""; fi
fi
# Without a catalog the check is skipped and said so; a named one must exist.
IAMGUARD_CATALOG="$tmp/no-catalog.bin"; export IAMGUARD_CATALOG
expect_exit 0 shapes-no-catalog "$bin" check shapes.yml
unset IAMGUARD_CATALOG
if grep -q "no service catalog, so resource shapes were not checked" "$tmp/err"; then ok; else bad "shapes-no-catalog: no note"; fi
lacks shapes-no-catalog "! resource:"
expect_exit 2 shapes-missing-catalog "$bin" check --catalog "$tmp/no-catalog.bin" shapes.yml

# ---- sequences: where a command first fails and what the user sees -------
expect_exit 1 sequence "$bin" check sequence.yml
has sequence "tool clean fails first at remove-object (call 3 of 4: s3:DeleteObject on arn:aws:s3:::work/a.txt, denied (nothing allows it))"
has sequence "the user sees: the tool prints \"clean failed\" and keeps its state file."
has sequence "not reached: the last call (it would be refused too)"
has sequence "before it, the command went past 1 refused call"
has sequence "tool read completes"
cp "$tmp/builtin.txt" "$tmp/out"
has built-in "amplify delete fails first at delete-function-role-list-attached (call 21 of 56: iam:ListAttachedRolePolicies on arn:aws:iam::123456789012:role/imagingvieweruiLambdaRoleef25becf-dev, denied (nothing allows it))"
has built-in "the user sees: CloudFormation marks the resource DELETE_FAILED and the root stack ends DELETE_FAILED"
has built-in "not reached: the 35 later calls (11 of them would be refused too)"
expect_exit 1 sequence-json "$bin" check --format json sequence.yml
if command -v jq >/dev/null 2>&1; then
    if jq -e '.scenarios[0].groups[0].firstFailure == {"id": "remove-object", "call": 3, "userSees": "the tool prints \"clean failed\" and keeps its state file.", "notReached": 1, "notReachedRefused": 1}
              and .scenarios[0].groups[0].refusedButContinued == 1 and .scenarios[0].groups[1].firstFailure == null' "$tmp/out" >/dev/null
    then ok; else bad "sequence-json: firstFailure"; fi
fi

# ---- JSON and JUnit reports ----------------------------------------------
expect_exit 1 json "$bin" check --format json
has json '"version": 1'
has json '"exitCode": 1'
has json '"refutedBy": ['
if command -v jq >/dev/null 2>&1; then
    if jq -e '.scenarios[0].summary.failed == 17 and ([.scenarios[0].groups[].requests[] | select(.ok == false) | .id] | length) == 17' \
        "$tmp/out" >/dev/null; then ok; else bad "json: jq query failed"; fi
fi
expect_exit 1 junit "$bin" check --format junit
has junit '<testsuite name="imaging-viewer.deploy-init" tests="21" failures="0"'
has junit '<testsuite name="imaging-viewer.deploy-publish" tests="65" failures="1"'
has junit '<testsuite name="imaging-viewer.teardown" tests="56" failures="12"'
has junit '<testsuite name="imaging-viewer.claims" tests="10" failures="4"'
has junit '<failure message="allowed, expected denied" type="expectation">'
has junit 'made by: packages/amplify-provider-awscloudformation/src/utils/ssm-utils/delete-ssm-parameters.ts:93'
has junit 'if refused: CloudFormation marks the resource DELETE_FAILED'
if command -v xmllint >/dev/null 2>&1; then
    if xmllint --noout "$tmp/out" 2>"$tmp/err"; then ok; else bad "junit: not well-formed XML"; head -5 "$tmp/err"; fi
    expect_exit 1 junit-fail "$bin" check --format junit fail.yml
    if xmllint --noout "$tmp/out" 2>"$tmp/err"; then ok; else bad "junit (fail.yml): not well-formed XML"; fi
else
    bad "xmllint not found (scripts/deps.sh installs libxml2-utils)"
fi

# ---- mutations: weaker policies must be caught ----------------------------
# mutate NAME: a fresh copy of the example in $tmp/NAME
mutate() { rm -rf "$tmp/$1"; cp -R "$root/examples/imaging-viewer" "$tmp/$1"; }
# Remove the Condition block of the statement with Sid $1 (pretty-printed JSON).
drop_condition() {
    awk -v sid="\"$1\"" '
        index($0, "\"Sid\"") { insid = index($0, sid) > 0 }
        !skip && insid && index($0, "\"Condition\"") { skip = 1; depth = 0; sub(/,[ \t]*$/, "", prev) }
        skip { depth += gsub(/\{/, "{") - gsub(/\}/, "}"); if (depth <= 0) { skip = 0; insid = 0 }; next }
        { if (have) print prev; prev = $0; have = 1 }
        END { if (have) print prev }' "$2" >"$2.new" && mv "$2.new" "$2"
}
# Remove the whole statement with Sid $1 (not the last one).
drop_statement() {
    awk -v sid="\"$1\"" '
        !skip && index($0, "\"Sid\"") && index($0, sid) { have = 0; skip = 1; depth = 1; next }
        skip { depth += gsub(/\{/, "{") - gsub(/\}/, "}"); if (depth <= 0) skip = 0; next }
        { if (have) print prev; prev = $0; have = 1 }
        END { if (have) print prev }' "$2" >"$2.new" && mv "$2.new" "$2"
}

mutate no-boundary-condition
drop_condition AmplifyCreateIamRolesWithPermissionBoundary "$tmp/no-boundary-condition/developer-policy.json"
expect_exit 1 mutation-no-boundary-condition "$bin" check "$tmp/no-boundary-condition/scenario.yml"
has mutation-no-boundary-condition "✗ refuted boundary-on-every-role:"
has mutation-no-boundary-condition "✗ refuted no-role-without-boundary:"
has mutation-no-boundary-condition "refuted by guard-create-role-without-boundary:"

mutate no-deletion-deny
drop_statement DenyPermissionsBoundaryDeletion "$tmp/no-deletion-deny/developer-policy.json"
expect_exit 1 mutation-no-deletion-deny "$bin" check "$tmp/no-deletion-deny/scenario.yml"
has mutation-no-deletion-deny "✗ guard-remove-boundary-auth-role  denied (nothing allows it), expected denied by an explicit Deny"
has mutation-no-deletion-deny "refuted by guard-remove-boundary-auth-role:"

mutate policy-change-elsewhere
sed 's#"Resource": "arn:aws:iam::\*:policy/ImagingViewerPermissionsBoundary"#"Resource": "arn:aws:iam::*:policy/SomeOtherPolicy"#' \
    "$root/examples/imaging-viewer/developer-policy.json" >"$tmp/policy-change-elsewhere/developer-policy.json"
expect_exit 1 mutation-policy-change-elsewhere "$bin" check "$tmp/policy-change-elsewhere/scenario.yml"
has mutation-policy-change-elsewhere "✗ refuted boundary-policy-cannot-change:"
has mutation-policy-change-elsewhere "refuted by guard-new-boundary-version:"

mutate boundary-allows-all
printf '{"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}\n' \
    >"$tmp/boundary-allows-all/permissions-boundary.json"
expect_exit 1 mutation-boundary-allows-all "$bin" check "$tmp/boundary-allows-all/scenario.yml"
has mutation-boundary-allows-all "✗ refuted allow-everything-is-capped:"
has mutation-boundary-allows-all "✗ refuted boundary-cannot-be-removed:"

# Each mutation really changed the policy (an unchanged copy would also exit 1).
for m in no-boundary-condition no-deletion-deny policy-change-elsewhere boundary-allows-all; do
    f=developer-policy.json; [ "$m" = boundary-allows-all ] && f=permissions-boundary.json
    if cmp -s "$root/examples/imaging-viewer/$f" "$tmp/$m/$f"; then bad "mutation $m changed nothing"; else ok; fi
done

# ---- a repaired copy of the seed: every request and every claim holds ----
# repaired/ copies the seed's scenario whole with a hand-repaired developer
# policy and boundary (its header lists the edits).  The analysis runs on
# any scenario of the seed's shape and is decided on the policies at hand:
# every claim holds, and no note speaks of a flaw the policies no longer
# have (the two left say what is so: the literal reading of the boundary
# claim, and which creation calls the developer is granted at all).
expect_exit 0 repaired "$bin" check repaired/scenario.yml
has repaired "imaging-viewer: 223 requests, 223 as expected, 0 not; 10 of 10 claims hold, 0 refuted"
has repaired "analysis (iamguard effective, escalate and the access checks on the policies of scenario imaging-viewer)"
for claim in boundary-caps-to-healthimaging boundary-required-on-create boundary-cannot-be-removed \
             removal-explicitly-denied no-way-around-the-boundary; do
    has repaired "  holds    $claim:"
done
has repaired "every principal state the developer can reach (15) is capped by the boundary"
has repaired "the denies refuse every such request on their own"
has repaired "claims: 15 of 15 hold; requests: 223 of 223 as expected"
lacks repaired "refuted  "
lacks repaired "unknown  "
if [ "$(grep -c '      note: ' "$tmp/out")" -eq 2 ]; then ok; else bad "repaired: notes other than the two expected"; grep '      note: ' "$tmp/out"; fi
has repaired "note: literally, the boundary lets 8 actions beyond medical-imaging:* through, each only as far as the deployment's own Amplify roles are given it"
has repaired "note: of these calls the developer's policies grant only iam:CreateRole, iam:PutRolePolicy;"
expect_exit 0 repaired-json "$bin" check --format json repaired/scenario.yml
if command -v jq >/dev/null 2>&1; then
    if jq -e '[.analysis.claims[].verdict] == ["holds","holds","holds","holds","holds"] and .summary.exitCode == 0' \
        "$tmp/out" >/dev/null; then ok; else bad "repaired-json: analysis verdicts"; fi
fi
expect_exit 0 repaired-junit "$bin" check --format junit repaired/scenario.yml
# One repair undone: every request is still as expected, but a claim of the
# analysis is refuted -- and that alone makes the check fail (exit 1), with
# the note computed from the policy again.
rm -rf "$tmp/undone"; cp -R repaired "$tmp/undone"
sed '/"AmplifyAuthCognitoPassRole"/,/^    }/ s#"arn:aws:iam::123456789012:role/amplify-imagingviewerui-dev-1a2b3-authRole",#"arn:aws:iam::*:role/amplify-*-authRole",#' \
    repaired/developer-policy.json >"$tmp/undone/developer-policy.json"
if cmp -s repaired/developer-policy.json "$tmp/undone/developer-policy.json"; then bad "undone: the edit changed nothing"; else ok; fi
expect_exit 1 repaired-undone "$bin" check "$tmp/undone/scenario.yml"
has repaired-undone "imaging-viewer: 223 requests, 223 as expected, 0 not; 10 of 10 claims hold, 0 refuted"
has repaired-undone "  refuted  no-way-around-the-boundary:"
has repaired-undone "note: the paths rest on these requests, each allowed by the policies at hand: iam:PassRole on arn:aws:iam::123456789012:role/amplify-outside-authRole"
expect_exit 1 repaired-undone-json "$bin" check --format json "$tmp/undone/scenario.yml"
has repaired-undone-json '"exitCode": 1'
expect_exit 1 repaired-undone-junit "$bin" check --format junit "$tmp/undone/scenario.yml"
expect_exit 0 repaired-undone-no-analysis "$bin" check --no-analysis "$tmp/undone/scenario.yml"

# ---- --cfn: the rendered template gives the same verdicts -----------------
expect_exit 0 cfn-render "$bin" cfn render -o "$tmp/deployment-security-cft.yml"
expect_exit 1 cfn-check "$bin" check --cfn "$tmp/deployment-security-cft.yml"
has cfn-check "ImagingViewerPermissionsBoundary   $tmp/deployment-security-cft.yml (ImagingViewerPermissionsBoundary)  [template]"
has cfn-check "imaging-viewer: 223 requests, 206 as expected, 17 not; 6 of 10 claims hold, 4 refuted"
verdicts "$tmp/out" >"$tmp/cfn.v"
if cmp -s "$tmp/cfn.v" "$tmp/builtin.v"; then ok; else bad "--cfn verdicts differ from the JSON policies"; diff "$tmp/builtin.v" "$tmp/cfn.v" | head; fi
# The template as upstream publishes it: other logical ids, no names.  The
# boundary is the same document; the developer policy is the one that allows
# iam:CreateRole only with iam:PermissionsBoundary; both get the scenario's
# names (CloudFormation would generate them), and the verdicts are the same.
expect_exit 1 cfn-upstream "$bin" check --cfn "$root/tests/cfn/upstream/deployment-security-cft.yml"
has cfn-upstream "ImagingViewerPermissionsBoundary   $root/tests/cfn/upstream/deployment-security-cft.yml (PermissionsBoundaryPolicy, matched by content: the same document; named ImagingViewerPermissionsBoundary as the scenario's requests expect)  [template]"
has cfn-upstream "ImagingViewerDeveloperPolicy       $root/tests/cfn/upstream/deployment-security-cft.yml (UserAccessPolicy, matched by its part: allows iam:CreateRole only with iam:PermissionsBoundary; named ImagingViewerDeveloperPolicy as the scenario's requests expect)  [template]"
has cfn-upstream "imaging-viewer: 223 requests, 206 as expected, 17 not; 6 of 10 claims hold, 4 refuted"
verdicts "$tmp/out" >"$tmp/upstream.v"
if cmp -s "$tmp/upstream.v" "$tmp/builtin.v"; then ok; else bad "--cfn upstream verdicts differ from the built-in example"; diff "$tmp/builtin.v" "$tmp/upstream.v" | head; fi
# A boundary that differs from the example is still found by its part (the
# ARN the developer policy's iam:PermissionsBoundary conditions ask for),
# and the report says so.
sed -e 's/Sid: AwsHealthImaging$/Sid: HealthImaging/' \
    "$root/tests/cfn/upstream/deployment-security-cft.yml" >"$tmp/upstream-edited.yml"
expect_exit 1 cfn-upstream-part "$bin" check --format json --cfn "$tmp/upstream-edited.yml"
has cfn-upstream-part '(PermissionsBoundaryPolicy, matched by its part: the policy used as the permissions boundary; named ImagingViewerPermissionsBoundary as the scenario'
# A template a macro still has to expand is not the one deployed: refused.
{ printf 'Transform: MyMacro\n'; cat "$root/tests/cfn/upstream/deployment-security-cft.yml"; } >"$tmp/macro.yml"
expect_exit 2 cfn-macro "$bin" check --cfn "$tmp/macro.yml"
if grep -q 'cannot be checked, its verdicts would not be about what is deployed: .*macro.yml:1:12: Transform: not deployable as is: macro MyMacro' "$tmp/err"; then ok; else bad "cfn-macro: wrong diagnostic"; cat "$tmp/err"; fi
expect_exit 2 cfn-missing "$bin" check --cfn "$tmp/no-such-template.yml"
printf 'Resources:\n  Other:\n    Type: AWS::S3::Bucket\n' >"$tmp/unrelated.yml"
expect_exit 2 cfn-unrelated "$bin" check --cfn "$tmp/unrelated.yml"
if grep -q "declares none of the scenario's policies" "$tmp/err"; then ok; else bad "cfn-unrelated: wrong diagnostic"; cat "$tmp/err"; fi

# ---- extends: a scenario built on another (the bad cases are in bad/) ----
expect_exit 1 extends-derived "$bin" check extends/derived.yml
has extends-derived "reports-pass-derived: 7 requests, 6 as expected, 1 not; 1 of 2 claims hold, 1 refuted"
has extends-derived "Everything                         extends/everything-denied.json"
"$bin" check --format json extends/derived.yml >"$tmp/out" 2>"$tmp/err"
# An inherited request's position points into the base file.
if jq -e '.scenarios[0].groups[0].requests[0].location == {"file": "pass.yml", "line": 23, "column": 9}' \
    "$tmp/out" >/dev/null; then ok; else bad "extends: the inherited request's location is not in pass.yml"; fi
expect_exit 0 extends-twice "$bin" check extends/derived-twice.yml
has extends-twice "reports-pass-derived: 7 requests, 7 as expected, 0 not; 2 of 2 claims hold, 0 refuted"
expect_exit 0 extends-four-deep "$bin" check extends/deep-1.yml
has extends-four-deep "reports-pass: 7 requests, 7 as expected, 0 not"
expect_exit 0 extends-builtin "$bin" check --no-analysis extends/hardened-builtin.yml
has extends-builtin "hardened-through-builtin: 223 requests, 223 as expected, 0 not; 10 of 10 claims hold"
# the hardened example inside the binary, its relative base among the built-in files
expect_exit 0 extends-builtin-hardened "$bin" check --no-analysis extends/builtin-hardened.yml
has extends-builtin-hardened "hardened-built-in: 223 requests, 223 as expected, 0 not; 10 of 10 claims hold"
has extends-builtin-hardened "ImagingViewerDeveloperPolicy       examples/imaging-viewer-hardened/developer-policy.json"

# ---- the hardened example: every request and claim as the scenario intends ---
# (outcomes only: the policies are the reviewed output of `iamguard fix`)
expect_exit 0 hardened "$bin" check --no-analysis "$root/examples/imaging-viewer-hardened/scenario.yml"
has hardened "imaging-viewer-hardened: 223 requests, 223 as expected, 0 not; 10 of 10 claims hold, 0 refuted"
(cd / && "$bin" check --no-analysis "$root/examples/imaging-viewer-hardened/scenario.yml" >"$tmp/out" 2>&1) &&
    ok || bad "hardened: not from another directory"
# its deployable template (cfn render --hardened) checks the same
expect_exit 0 hardened-render "$bin" cfn render --hardened -o "$tmp/hardened-cft.yml"
expect_exit 0 hardened-cfn "$bin" check --no-analysis --cfn "$tmp/hardened-cft.yml" \
    "$root/examples/imaging-viewer-hardened/scenario.yml"
has hardened-cfn "223 requests, 223 as expected, 0 not; 10 of 10 claims hold"

# ---- docs/check.md's worked example prints exactly what the page shows ---
mkdir -p "$tmp/doc"
cp docs/analyst-policy.json "$tmp/doc/"
awk '/^## A WORKED EXAMPLE/ { f = 1 } f && /^```yaml/ { g = 1; next } g && /^```/ { exit } g' \
    "$root/docs/check.md" >"$tmp/doc/scenario.yml"
awk '/scenario.yml` prints/ { f = 1 } f && /^```$/ { if (g) exit; g = 1; next } g' \
    "$root/docs/check.md" >"$tmp/doc/expected.txt"
(cd "$tmp/doc" && "$bin" check scenario.yml >"$tmp/doc/got.txt" 2>&1); got=$?
if [ "$got" -eq 1 ] && [ -s "$tmp/doc/expected.txt" ] && cmp -s "$tmp/doc/expected.txt" "$tmp/doc/got.txt"; then ok
else bad "docs/check.md worked example differs from the output (exit $got)"; diff "$tmp/doc/expected.txt" "$tmp/doc/got.txt" | head; fi

echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
