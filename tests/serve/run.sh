#!/bin/sh
# run.sh - `iamguard serve` end to end: curl, the AWS CLI (/usr/bin/aws) and
# the AWS SDK for JavaScript against a server on a free loopback port.
#   sh tests/serve/run.sh build/iamguard
# The AWS clients must get the decisions and matched statements that
# `iamguard simulate` computes for the same input; hostile and broken
# clients must get errors while the server keeps serving.  Every wait is a
# bounded loop.  Ends with "N passed, M failed".
set -u
IG=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/serve
E=$ROOT/examples/imaging-viewer
AWS=/usr/bin/aws
tmp=$(mktemp -d)
pid=""
passed=0
failed=0

cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
# check NAME EXPECTED ACTUAL
check() { if [ "$2" = "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi; }
# contains NAME NEEDLE HAYSTACK-FILE
contains() { if grep -qF -- "$2" "$3"; then ok; else bad "$1: no [$2] in $(head -c 600 "$3")"; fi; }
# same NAME FILE1 FILE2 (non-empty and equal)
same() {
    if [ -s "$2" ] && cmp -s "$2" "$3"; then ok; else
        bad "$1 differs:"; diff "$2" "$3" | head -20 >&2; fi
}

# ---- the clients' prerequisites ----
[ -x "$AWS" ] || { echo "run.sh: $AWS missing (scripts/deps.sh installs awscli)" >&2; exit 1; }
if [ ! -d "$HERE/node_modules/@aws-sdk/client-iam" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
        { echo "run.sh: npm ci failed in tests/serve" >&2; exit 1; }
fi
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null NODE_NO_WARNINGS=1
unset AWS_PROFILE AWS_SESSION_TOKEN

# ---- start the server on a free port ----
cp -r "$HERE/policies" "$tmp/policies"
sed -i "s#\.\./\.\./\.\./examples#$ROOT/examples#" "$tmp/policies"/*.json
start_server() {
    "$IG" serve --listen 127.0.0.1:0 --policies "$tmp/policies" --timeout 2 \
        --max-body 1048576 --access-log "$tmp/access.log" 2>"$tmp/serve.err" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q "listening on" "$tmp/serve.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    PORT=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' "$tmp/serve.err")
    [ -n "$PORT" ] || { cat "$tmp/serve.err" >&2; echo "run.sh: the server did not start" >&2; exit 1; }
    URL=http://127.0.0.1:$PORT
}
start_server
AWSX="$AWS --endpoint-url $URL --no-cli-pager --output json"

# ---- normalised lines: ACTION RESOURCE DECISION MATCHED MISSING ----
aws_lines() {
    jq -r '.EvaluationResults[] | "\(.EvalActionName) \(.EvalResourceName) \(.EvalDecision) " +
      ([.MatchedStatements[] | "\(.SourcePolicyId):\(.StartPosition.Line):\(.StartPosition.Column)-\(.EndPosition.Line):\(.EndPosition.Column)"]
       | sort | join(",") | if . == "" then "-" else . end) + " " +
      (([.MissingContextValues[]?] + [.ResourceSpecificResults[]?.MissingContextValues[]?]) | unique
       | join(",") | if . == "" then "-" else . end)' "$1"
}
doc_lines() {
    jq -r '.results[] | "\(.action) \(.resource) \(.decision) " +
      ([.matchedStatements[] | "\(.policyId):\(.start.line):\(.start.column)-\(.end.line):\(.end.column)"]
       | sort | join(",") | if . == "" then "-" else . end) + " " +
      ([.missingContextValues[]] | unique | join(",") | if . == "" then "-" else . end)' "$1"
}

# ---- health, metrics, keep-alive ----
curl -s "$URL/healthz" >"$tmp/h"
check "healthz lists the policy sets" '["authrole","developer"]' "$(jq -c .policySets "$tmp/h")"
check "keep-alive reuses the connection" "1 0" \
    "$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$URL/healthz" "$URL/healthz" | sed 's/ $//')"

# ---- AWS CLI: simulate-custom-policy == iamguard simulate (AWS flags) ----
PB=arn:aws:iam::123456789012:policy/ImagingViewerPermissionsBoundary
ACTIONS="iam:CreateRole iam:PassRole iam:DeleteRolePermissionsBoundary s3:GetObject s3:PutObject ec2:RunInstances"
RES="arn:aws:iam::123456789012:role/amplify-app-dev-authRole arn:aws:s3:::amplify-app-dev-deployment/x arn:aws:iam::123456789012:role/fnLambdaRole1"
CTX="ContextKeyName=iam:PermissionsBoundary,ContextKeyValues=$PB,ContextKeyType=string"
# shellcheck disable=SC2086
"$IG" simulate --format json --policy-input-list "file://$E/developer-policy.json" \
    --action-names $ACTIONS --resource-arns $RES --context-entries "$CTX" >"$tmp/cli.json"
# shellcheck disable=SC2086
$AWSX iam simulate-custom-policy --policy-input-list "$(cat "$E/developer-policy.json")" \
    --action-names $ACTIONS --resource-arns $RES --context-entries "$CTX" >"$tmp/aws.json"
aws_lines "$tmp/cli.json" >"$tmp/cli.lines"
aws_lines "$tmp/aws.json" >"$tmp/aws.lines"
same "aws simulate-custom-policy (developer policy) vs iamguard simulate" "$tmp/cli.lines" "$tmp/aws.lines"
check "18 results" 18 "$(wc -l <"$tmp/aws.lines" | tr -d ' ')"
contains "an explicit deny is matched" "iam:DeleteRolePermissionsBoundary arn:aws:iam::123456789012:role/amplify-app-dev-authRole explicitDeny PolicyInputList.1:" "$tmp/aws.lines"

# with a permissions boundary, no resources (so "*"), paging by 2
# shellcheck disable=SC2086
"$IG" simulate --format json --policy-input-list "file://$E/auth-role-read-policy.json" "file://$E/auth-role-write-policy.json" \
    --permissions-boundary-policy-input-list "file://$E/permissions-boundary.json" \
    --action-names medical-imaging:GetImageSet medical-imaging:DeleteImageSet medical-imaging:TagResource s3:GetObject logs:PutLogEvents >"$tmp/cli2.json"
pages_before=$(grep -c '"detail":"SimulateCustomPolicy"' "$tmp/access.log")
$AWSX iam simulate-custom-policy --page-size 2 \
    --policy-input-list "$(cat "$E/auth-role-read-policy.json")" "$(cat "$E/auth-role-write-policy.json")" \
    --permissions-boundary-policy-input-list "$(cat "$E/permissions-boundary.json")" \
    --action-names medical-imaging:GetImageSet medical-imaging:DeleteImageSet medical-imaging:TagResource s3:GetObject logs:PutLogEvents >"$tmp/aws2.json"
aws_lines "$tmp/cli2.json" >"$tmp/cli2.lines"
aws_lines "$tmp/aws2.json" >"$tmp/aws2.lines"
same "aws simulate-custom-policy (auth role + boundary, 3 pages) vs iamguard simulate" "$tmp/cli2.lines" "$tmp/aws2.lines"
# the log line is written once the response is out, maybe after the client exits
i=0
while [ $i -lt 20 ] && [ $(($(grep -c '"detail":"SimulateCustomPolicy"' "$tmp/access.log") - pages_before)) -lt 3 ]; do
    sleep 0.1; i=$((i + 1)); done
check "paging fetched 3 pages" 3 "$(($(grep -c '"detail":"SimulateCustomPolicy"' "$tmp/access.log") - pages_before))"

# resource policy, caller, resource owner, typed multi-valued context
RP='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}]}'
for ip in 10.1.2.3 192.168.0.1; do
    "$IG" simulate --format json --policy-input-list '{"Version":"2012-10-17","Statement":[]}' --resource-policy "$RP" \
        --caller-arn arn:aws:iam::123456789012:user/bob --resource-owner arn:aws:iam::123456789012:root \
        --action-names s3:GetObject --resource-arns arn:aws:s3:::bucket/k \
        --context-entries "ContextKeyName=aws:SourceIp,ContextKeyValues=$ip,ContextKeyType=ip" \
        "ContextKeyName=aws:TagKeys,ContextKeyValues=a,b,ContextKeyType=stringList" >"$tmp/cli3.json"
    $AWSX iam simulate-custom-policy --policy-input-list '{"Version":"2012-10-17","Statement":[]}' --resource-policy "$RP" \
        --caller-arn arn:aws:iam::123456789012:user/bob --resource-owner arn:aws:iam::123456789012:root \
        --action-names s3:GetObject --resource-arns arn:aws:s3:::bucket/k \
        --context-entries "ContextKeyName=aws:SourceIp,ContextKeyValues=$ip,ContextKeyType=ip" \
        "ContextKeyName=aws:TagKeys,ContextKeyValues=a,b,ContextKeyType=stringList" >"$tmp/aws3.json"
    aws_lines "$tmp/cli3.json" >"$tmp/cli3.lines"
    aws_lines "$tmp/aws3.json" >"$tmp/aws3.lines"
    same "aws simulate-custom-policy with a resource policy from $ip" "$tmp/cli3.lines" "$tmp/aws3.lines"
done
contains "the resource policy is the source" "s3:GetObject arn:aws:s3:::bucket/k implicitDeny" "$tmp/aws3.lines"
check "resource-policy match has type resource" '"resource"' \
    "$($AWSX iam simulate-custom-policy --policy-input-list '{"Version":"2012-10-17","Statement":[]}' --resource-policy "$RP" \
        --caller-arn arn:aws:iam::123456789012:user/bob --action-names s3:GetObject --resource-arns arn:aws:s3:::bucket/k \
        --context-entries "ContextKeyName=aws:SourceIp,ContextKeyValues=10.0.0.1,ContextKeyType=ip" \
        | jq -c '.EvaluationResults[0].MatchedStatements[0].SourcePolicyType')"

# ---- AWS CLI: simulate-principal-policy == iamguard simulate of the set ----
principal_doc() {   # SET REQUESTS-JSON -> simulation document on stdout
    jq --argjson r "$2" '. + {requests: $r}' "$tmp/policies/$1.json"
}
REQS='[{"action":"medical-imaging:GetImageSet"},{"action":"medical-imaging:DeleteImageSet"},{"action":"medical-imaging:TagResource"},{"action":"s3:GetObject"}]'
principal_doc authrole "$REQS" >"$tmp/p.json"
"$IG" simulate --format json "$tmp/p.json" >"$tmp/p.out"
doc_lines "$tmp/p.out" >"$tmp/p.lines"
$AWSX iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role/amplify-imagingviewer-dev-authRole \
    --action-names medical-imaging:GetImageSet medical-imaging:DeleteImageSet medical-imaging:TagResource s3:GetObject >"$tmp/pa.json"
aws_lines "$tmp/pa.json" >"$tmp/pa.lines"
same "aws simulate-principal-policy (auth role set) vs iamguard simulate" "$tmp/p.lines" "$tmp/pa.lines"
contains "matched statements name the set's policies" "AuthRoleRead:" "$tmp/pa.lines"
REQS='[{"action":"s3:GetObject","resource":"*"},{"action":"iam:DeleteRolePermissionsBoundary","resource":"*","context":{"iam:PermissionsBoundary":"'$PB'"}}]'
principal_doc developer "$REQS" >"$tmp/p2.json"
"$IG" simulate --format json "$tmp/p2.json" >"$tmp/p2.out"
doc_lines "$tmp/p2.out" >"$tmp/p2.lines"
$AWSX iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role/ImagingDeveloper \
    --action-names s3:GetObject iam:DeleteRolePermissionsBoundary --context-entries "$CTX" >"$tmp/pa2.json"
aws_lines "$tmp/pa2.json" >"$tmp/pa2.lines"
same "aws simulate-principal-policy (a role ARN finds its session's set)" "$tmp/p2.lines" "$tmp/pa2.lines"
$AWSX iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:role/NoSuchRole \
    --action-names s3:GetObject >/dev/null 2>"$tmp/err"
contains "unknown PolicySourceArn is NoSuchEntity" "(NoSuchEntity)" "$tmp/err"

# ---- AWS SDK for JavaScript ----
SDK="node $HERE/sdk.mjs $URL"
$SDK custom "$E/developer-policy.json" "$(echo $ACTIONS | tr ' ' ,)" "$(echo $RES | tr ' ' ,)" \
    "iam:PermissionsBoundary=$PB" >"$tmp/sdk.lines" 2>"$tmp/sdk.err"
same "JS SDK SimulateCustomPolicy (MaxItems=2 pages) vs iamguard simulate" "$tmp/cli.lines" "$tmp/sdk.lines"
$SDK principal arn:aws:iam::123456789012:role/amplify-imagingviewer-dev-authRole \
    medical-imaging:GetImageSet,medical-imaging:DeleteImageSet,medical-imaging:TagResource,s3:GetObject >"$tmp/sdk2.lines" 2>>"$tmp/sdk.err"
same "JS SDK SimulatePrincipalPolicy vs iamguard simulate" "$tmp/p.lines" "$tmp/sdk2.lines"
check "JS SDK sees InvalidInput for a broken policy" "InvalidInputException 400" \
    "$($SDK error-custom '{"Statement":[' s3:GetObject 2>>"$tmp/sdk.err")"
check "JS SDK sees NoSuchEntity" "NoSuchEntityException 404" \
    "$($SDK error-principal arn:aws:iam::123456789012:role/NoSuchRole s3:GetObject 2>>"$tmp/sdk.err")"

# ---- Query API: hostile and broken requests ----
SIG='AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000'
query() {   # BODY [AUTH] -> "STATUS CODE"
    curl -s -o "$tmp/q" -w '%{http_code}' -H "Authorization: ${2-$SIG}" \
        -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$1" "$URL/" >"$tmp/qs"
    echo "$(cat "$tmp/qs") $(sed -n 's:.*<Code>\(.*\)</Code>.*:\1:p' "$tmp/q")"
}
OKB='Version=2010-05-08&Action=SimulateCustomPolicy&ActionNames.member.1=s3%3AGetObject&PolicyInputList.member.1=%7B%22Statement%22%3A%5B%5D%7D'
check "a hand-made form works" "200 " "$(query "$OKB")"
contains "XML in the IAM namespace" '<SimulateCustomPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">' "$tmp/q"
contains "RequestId in every response" "<RequestId>" "$tmp/q"
check "parameter order does not matter" "200 " \
    "$(query 'PolicyInputList.member.1=%7B%22Statement%22%3A%5B%5D%7D&ActionNames.member.1=s3%3AGetObject&Action=SimulateCustomPolicy&Version=2010-05-08')"
check "CallerArn must be a user" "400 InvalidInput" "$(query "$OKB&CallerArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa+b")"
contains "'+' is a space" 'got &quot;arn:aws:iam::1:role/a b&quot;' "$tmp/q"
check "bad percent escape" "404 MalformedQueryString" "$(query 'Action=SimulateCustomPolicy&Version=2010-05-08&ActionNames.member.1=s3%3')"
check "invalid UTF-8" "404 MalformedQueryString" "$(query "$OKB&CallerArn=%C3%28")"
check "NUL byte" "404 MalformedQueryString" "$(query "$OKB&CallerArn=a%00b")"
check "duplicate parameter" "404 MalformedQueryString" "$(query "$OKB&Version=2010-05-08")"
check "unknown Action" "400 InvalidAction" "$(query 'Action=DeleteEverything&Version=2010-05-08')"
check "missing Action" "400 MissingAction" "$(query 'Version=2010-05-08')"
check "wrong Version" "400 InvalidAction" "$(query 'Action=SimulateCustomPolicy&Version=2099-01-01')"
check "unknown parameter" "400 InvalidInput" "$(query "$OKB&PolicyInputLst.member.1=x")"
check "list gap" "400 ValidationError" "$(query "$OKB&ActionNames.member.3=s3%3AGetObject")"
check "member 0" "400 ValidationError" "$(query "$OKB&ResourceArns.member.0=x")"
check "too many members" "400 ValidationError" "$(query "$OKB&ActionNames.member.1025=s3%3AGetObject")"
check "bad ContextKeyType" "400 ValidationError" \
    "$(query "$OKB&ContextEntries.member.1.ContextKeyName=aws%3Ax&ContextEntries.member.1.ContextKeyType=float&ContextEntries.member.1.ContextKeyValues.member.1=1")"
check "two values for a scalar type" "400 InvalidInput" \
    "$(query "$OKB&ContextEntries.member.1.ContextKeyName=aws%3Ax&ContextEntries.member.1.ContextKeyType=string&ContextEntries.member.1.ContextKeyValues.member.1=1&ContextEntries.member.1.ContextKeyValues.member.2=2")"
check "MaxItems out of range" "400 ValidationError" "$(query "$OKB&MaxItems=0")"
check "foreign Marker" "400 InvalidInput" "$(query "$OKB&Marker=7")"
check "action with a wildcard" "400 InvalidInput" "$(query 'Version=2010-05-08&Action=SimulateCustomPolicy&ActionNames.member.1=s3%3A%2A&PolicyInputList.member.1=%7B%22Statement%22%3A%5B%5D%7D')"
check "missing PolicyInputList" "400 ValidationError" "$(query 'Version=2010-05-08&Action=SimulateCustomPolicy&ActionNames.member.1=s3%3AGetObject')"
check "no Authorization header" "403 MissingAuthenticationToken" "$(query "$OKB" "")"
check "malformed signature" "400 IncompleteSignature" "$(query "$OKB" "AWS4-HMAC-SHA256 Credential=x, Signature=zz")"
check "binary garbage body" "404 MalformedQueryString" "$(query "$(printf '%%\377\376%%zz')")"

# ---- JSON API ----
api() {     # CURL-ARGS... -> "STATUS ERROR-CODE"
    curl -s -o "$tmp/a" -w '%{http_code}' "$@" >"$tmp/as"
    echo "$(cat "$tmp/as") $(jq -r .error.code "$tmp/a")"
}
SIMDOC='{"principal":{"arn":"arn:aws:sts::123456789012:assumed-role/ImagingDeveloper/alice"},
 "policies":{"identity":[{"id":"dev","document":'"$(cat "$E/developer-policy.json")"'}],
             "permissionsBoundary":{"id":"pb","document":'"$(cat "$E/permissions-boundary.json")"'}},
 "requests":[{"action":"cloudformation:DescribeStacks","resource":"arn:aws:cloudformation:us-east-1:123456789012:stack/amplify-x/1"},
             {"action":"iam:CreateRole","resource":"arn:aws:iam::123456789012:role/amplify-x-authRole","context":{"iam:PermissionsBoundary":"'$PB'"}},
             {"action":"s3:PutBucketPublicAccessBlock","resource":"arn:aws:s3:::amplify-x-deployment"}]}'
echo "$SIMDOC" >"$tmp/doc.json"
"$IG" simulate --format json "$tmp/doc.json" | sed "s#$tmp/doc.json#<request>#g" >"$tmp/doc.cli"
curl -s --data-binary @"$tmp/doc.json" "$URL/v1/simulate" >"$tmp/doc.api"
same "/v1/simulate == iamguard simulate" "$tmp/doc.cli" "$tmp/doc.api"
check "/v1/simulate refuses file references" "400 invalid_input" \
    "$(api --data-binary '{"principal":{"anonymous":true},"policies":{"identity":[{"file":"/etc/passwd"}]},"requests":[]}' "$URL/v1/simulate")"
curl -s -d '{"principal":{"anonymous":true},
"requests":[{"action":"s3:GetObject","bogus":1}]}' "$URL/v1/simulate" >"$tmp/e"
check "/v1/simulate error has a position" "invalid_input 2 38" "$(jq -r '"\(.error.code) \(.error.line) \(.error.column)"' "$tmp/e")"

AZ='{"policySet":"developer","requests":[
 {"action":"iam:CreateRole","resource":"arn:aws:iam::123456789012:role/amplify-x-authRole","context":{"iam:PermissionsBoundary":"'$PB'"}},
 {"action":"iam:CreateRole","resource":"arn:aws:iam::123456789012:role/amplify-x-authRole"},
 {"action":"iam:DeleteRolePermissionsBoundary","context":{"iam:PermissionsBoundary":"'$PB'"}},
 {"action":"iam:PassRole","resource":"arn:aws:iam::123456789012:role/fnLambdaRole","context":{"iam:PassedToService":["lambda.amazonaws.com"]}}]}'
curl -s -d "$AZ" "$URL/v1/authorize" >"$tmp/az"
check "/v1/authorize batch" "allowed implicitDeny explicitDeny allowed" "$(jq -r '[.results[].decision] | join(" ")' "$tmp/az")"
check "/v1/authorize summary" '{"implicitDeny":1,"explicitDeny":1,"allowed":2}' "$(jq -c .summary "$tmp/az")"
principal_doc developer "$(echo "$AZ" | jq -c .requests)" >"$tmp/azdoc.json"
"$IG" simulate --format json "$tmp/azdoc.json" | jq -r '[.results[].decision] | join(" ")' >"$tmp/az.cli"
check "/v1/authorize == iamguard simulate" "$(cat "$tmp/az.cli")" "$(jq -r '[.results[].decision] | join(" ")' "$tmp/az")"
check "/v1/authorize single with explain" "explicitDeny DenyPermissionsBoundaryDeletion" \
    "$(curl -s -d '{"policySet":"developer","explain":true,"action":"iam:DeleteRolePermissionsBoundary","context":{"iam:PermissionsBoundary":"'$PB'"}}' "$URL/v1/authorize" \
       | jq -r '"\(.decision) \(.matchedStatements[0].sid)"')"
# a batch of 5000 decisions in one call
echo "$AZ" | jq -c '.requests as $r | {policySet, requests: [range(1250) | $r[]]}' >"$tmp/big.json"
check "5000 decisions in one call" '{"implicitDeny":1250,"explicitDeny":1250,"allowed":2500}' \
    "$(curl -s --data-binary @"$tmp/big.json" "$URL/v1/authorize" | jq -c .summary)"
check "unknown policy set" "404 unknown_policy_set" "$(api -d '{"policySet":"nope","action":"s3:GetObject"}' "$URL/v1/authorize")"
curl -s -d '{"policySet":"developer","requests":[{"action":"s3:GetObject"},
  {"action":"s3:GetObject","context":{"k":{"nested":1}}}]}' "$URL/v1/authorize" >"$tmp/e"
check "a bad request rejects the batch, with its position" "invalid_input 2 43" "$(jq -r '"\(.error.code) \(.error.line) \(.error.column)"' "$tmp/e")"
check "malformed JSON" "malformed_json 1" "$(curl -s -d '{"policySet":' "$URL/v1/authorize" | jq -r '"\(.error.code) \(.error.line)"')"
check "unknown endpoint" "404" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/v2/nothing")"
check "wrong method" "405 POST" "$(curl -s -o /dev/null -w '%{http_code} ' -D "$tmp/hd" "$URL/v1/authorize"; tr -d '\r' <"$tmp/hd" | sed -n 's/^Allow: //p')"

curl -s "$URL/v1/lint?type=resource" -d '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObjekt","Resource":"*"}]}' >"$tmp/lint"
check "/v1/lint finds an unknown action" "unknown-action 1" "$(jq -r '[.findings[] | select(.code == "unknown-action")] | "\(.[0].code) \(length)"' "$tmp/lint")"
check "/v1/lint rejects an unknown type" "400 invalid_input" "$(api -d '{}' "$URL/v1/lint?type=nope")"

# ---- limits and misbehaving clients ----
head -c 1200000 /dev/zero | tr '\0' a >"$tmp/huge"
check "oversized body is 413" "413" "$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$tmp/huge" "$URL/v1/authorize")"
check "oversized chunked body is 413" "413" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/huge" "$URL/v1/authorize")"
check "oversized Query API body is 413" "413" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $SIG" --data-binary @"$tmp/huge" "$URL/")"
node "$HERE/slow_client.mjs" "$PORT" body 10 >"$tmp/slow1" &
slow1=$!
node "$HERE/slow_client.mjs" "$PORT" headers 10 >"$tmp/slow2" &
slow2=$!
sleep 0.5
check "served while slow clients stall" "200" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/healthz")"
wait $slow1; check "a stalled body is cut off" 0 $?
wait $slow2; check "stalled headers are cut off" 0 $?
seq 200 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 \
    -d '{"policySet":"developer","action":"s3:GetObject"}' "$URL/v1/authorize" >"$tmp/par"
check "200 parallel connections all answered" "200" "$(grep -c '^200$' "$tmp/par")"
check "still serving" "ok" "$(curl -s "$URL/healthz" | jq -r .status)"

# ---- reload ----
cp "$tmp/policies/developer.json" "$tmp/policies/second.json"
kill -HUP "$pid"
i=0
while [ $i -lt 50 ] && [ "$(curl -s "$URL/healthz" | jq -r .generation)" != 2 ]; do sleep 0.1; i=$((i + 1)); done
check "SIGHUP reloads" '[2,["authrole","developer","second"]]' "$(curl -s "$URL/healthz" | jq -c '[.generation, .policySets]')"
echo '{"principal":' >"$tmp/policies/broken.json"
check "a broken directory is refused by /v1/reload" "400" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/reload")"
check "and the old sets stay" "allowed" "$(curl -s -d '{"policySet":"second","action":"s3:GetObject"}' "$URL/v1/authorize" | jq -r .decision)"
rm "$tmp/policies/broken.json" "$tmp/policies/second.json"
check "/v1/reload reloads" "3" "$(curl -s -X POST "$URL/v1/reload" | jq -r .generation)"

# ---- metrics and the access log ----
curl -s "$URL/metrics" >"$tmp/m"
contains "metrics: requests by route and status" 'iamguard_http_requests_total{route="authorize",status="200"}' "$tmp/m"
contains "metrics: 413s are counted" 'iamguard_http_requests_total{route="authorize",status="413"}' "$tmp/m"
contains "metrics: decisions" 'iamguard_decisions_total{decision="explicitDeny"}' "$tmp/m"
contains "metrics: latency histogram" 'iamguard_http_request_duration_seconds_bucket{route="query",le="+Inf"}' "$tmp/m"
contains "metrics: reloads" 'iamguard_policy_reloads_total{result="error"} 1' "$tmp/m"
check "access log: one JSON object per line" "0" "$(jq -c . "$tmp/access.log" >/dev/null 2>&1; echo $?)"
contains "access log: timeouts are recorded" '"outcome":"timeout"' "$tmp/access.log"

# ---- the examples of docs/serve.md ----
# Blocks after "<!-- test: expect TEXT -->" are run (8642 becomes our port)
# from the repository root; their output must contain TEXT.
awk -v out="$tmp/ex" '
    /^<!-- test: expect / { want = $0; sub(/^<!-- test: expect /, "", want); sub(/ -->$/, "", want); armed = 1; next }
    armed && /^```/ && !inblock { inblock = 1; n++; f = out "." n; print want > (f ".want"); next }
    inblock && /^```/ { inblock = 0; armed = 0; close(f ".sh"); close(f ".want"); next }
    inblock { print > (f ".sh") }' "$ROOT/docs/serve.md"
n=0
for f in "$tmp"/ex.*.sh; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    sed -i "s/8642/$PORT/g" "$f"
    (cd "$ROOT" && PATH=/usr/bin:$PATH sh -e "$f") >"$f.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -qF -- "$(cat "${f%.sh}.want")" "$f.out"; then ok; else
        bad "docs/serve.md example $n (exit $rc): $(head -c 300 "$f")"; head -c 600 "$f.out" >&2; fi
done
[ $n -ge 6 ] && ok || bad "docs/serve.md has only $n tested examples"

# ---- graceful stop ----
kill -TERM "$pid"
i=0
while [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
wait "$pid"
check "SIGTERM stops cleanly" 0 $?
pid=""
contains "stop is logged" "iamguard serve: stopped" "$tmp/serve.err"

echo "serve: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
