#!/bin/sh
# rehearse.sh - rehearse the IAM side of the imaging viewer's Amplify
# deployment against `iamguard emulate`, through the real AWS CLI.
#
#   sh examples/imaging-viewer/rehearse.sh [IAMGUARD] [--keep DIR] [--hardened]
#
# An administrator (the emulator's bootstrap key: the account root) creates
# the seed's permissions boundary and developer policy, the developer's role
# ImagingDeveloper, the user alice who may assume it, and another team's
# roles.  Then, as the developer (alice's session of ImagingDeveloper), every
# IAM call that `amplify init`, `amplify env add` and `amplify publish` make
# (scenario.yml: roles with the boundary, inline policies, tags); Amplify's
# custom resource rewrites the trust of the auth/unauth roles with the
# credentials Lambda gets for its role; every guardrail attempt, by the
# developer and by a role whose own policy allows everything; and the IAM
# calls of `amplify delete` up to the one where it first fails.  Each call
# must end as the seed's policies make AWS end it (the `expect` column);
# where that is not what the seed intends (the `seed` column) the line says
# FINDING -- the same findings `iamguard check` reports.  Finally the account
# is exported (get-account-authorization-details, and `iamguard emulate
# export` after the server stopped) and every role the deployment created
# must carry the boundary.
#
# With --hardened the policies are those of ../imaging-viewer-hardened/ and
# every call must end as the seed intends (the `seed` column; a FINDING is
# then unexpected); the role whose own policy allows everything is named
# within the hardened policy's role names, and `amplify delete` goes on to
# the end: every role the deployment created is deleted.
#
# Exit status: 0 when every call ended as expected and the export checks
# hold, 1 otherwise, 2 when the rehearsal could not run.  Needs /usr/bin/aws
# (Debian's awscli) and jq.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
IG=""
KEEP=""
HARDENED=""
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=$2; shift 2 ;;
        --hardened) HARDENED=1; shift ;;
        *) IG=$1; shift ;;
    esac
done
[ -n "$IG" ] || IG=$ROOT/build/iamguard
POLICIES=$HERE
[ -z "$HARDENED" ] || POLICIES=$ROOT/examples/imaging-viewer-hardened
IG=$(cd "$(dirname "$IG")" && pwd)/$(basename "$IG")
AWS=/usr/bin/aws
[ -x "$IG" ] || { echo "rehearse.sh: no iamguard at $IG" >&2; exit 2; }
[ -x "$AWS" ] || { echo "rehearse.sh: $AWS missing (apt-get install awscli)" >&2; exit 2; }
command -v jq >/dev/null || { echo "rehearse.sh: jq missing" >&2; exit 2; }

if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && tmp=$(cd "$KEEP" && pwd); else tmp=$(mktemp -d); fi
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "$KEEP" ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ACCOUNT=123456789012
PB=arn:aws:iam::$ACCOUNT:policy/ImagingViewerPermissionsBoundary
DEVPOL=arn:aws:iam::$ACCOUNT:policy/ImagingViewerDeveloperPolicy
ADMIN=arn:aws:iam::aws:policy/AdministratorAccess
STACK=amplify-imagingviewerui-dev-1a2b3
AUTH=$STACK-authRole
UNAUTH=$STACK-unauthRole
IDP=$STACK-authRole-idp
UPCLIENT=upClientLambdaRole8d3480701a2b3-dev
FNROLE=imagingvieweruiLambdaRoleef25becf-dev
TESTAUTH=amplify-imagingviewerui-test-4c5d6-authRole
TAGS="Key=user:Application,Value=ImagingViewerUi Key=user:Stack,Value=dev"
# a role the developer may create (its name fits the developer policy's
# role names) whose own policy allows everything: what does the boundary leave?
EXPERIMENT=experimentLambdaRole
[ -z "$HARDENED" ] || EXPERIMENT=imagingvieweruiLambdaRole0experiment-dev

# ---- the emulator, on a free loopback port, with a known administrator key ----
export IAMGUARD_EMULATOR_ACCESS_KEY_ID=AKIAREHEARSALADMIN01
export IAMGUARD_EMULATOR_SECRET_ACCESS_KEY=rehearsal-admin-secret-0123456789abcdef
rm -f "$tmp/iamguard.db" "$tmp/iamguard.db-wal" "$tmp/iamguard.db-shm"
"$IG" emulate --db "$tmp/iamguard.db" --listen 127.0.0.1:0 --access-log "$tmp/access.log" 2>"$tmp/emulate.err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "listening on" "$tmp/emulate.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
PORT=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' "$tmp/emulate.err")
[ -n "$PORT" ] || { cat "$tmp/emulate.err" >&2; echo "rehearse.sh: the emulator did not start" >&2; exit 2; }
URL=http://127.0.0.1:$PORT

export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

# credentials per identity: WHO_KEY, WHO_SECRET, WHO_TOKEN
admin_KEY=$IAMGUARD_EMULATOR_ACCESS_KEY_ID admin_SECRET=$IAMGUARD_EMULATOR_SECRET_ACCESS_KEY admin_TOKEN=""

# as WHO ARGS... : run the AWS CLI with WHO's credentials; output in $tmp/out, errors in $tmp/err
as() {
    who=$1; shift
    eval "k=\$${who}_KEY s=\$${who}_SECRET t=\$${who}_TOKEN"
    if [ -n "$t" ]; then
        AWS_ACCESS_KEY_ID=$k AWS_SECRET_ACCESS_KEY=$s AWS_SESSION_TOKEN=$t \
            "$AWS" --endpoint-url "$URL" --output json "$@" >"$tmp/out" 2>"$tmp/err"
    else
        AWS_ACCESS_KEY_ID=$k AWS_SECRET_ACCESS_KEY=$s \
            "$AWS" --endpoint-url "$URL" --output json "$@" >"$tmp/out" 2>"$tmp/err"
    fi
}

# take_credentials WHO FILE: the Credentials of an assume-role answer
take_credentials() {
    eval "$1_KEY=\$(jq -r .Credentials.AccessKeyId \"\$2\")"
    eval "$1_SECRET=\$(jq -r .Credentials.SecretAccessKey \"\$2\")"
    eval "$1_TOKEN=\$(jq -r .Credentials.SessionToken \"\$2\")"
}

calls=0
unexpected=0
findings=0
# call ID WHO EXPECT SEED ARGS...
#   EXPECT  ok | deny:identity | deny:explicit | deny:boundary  -- what AWS does
#           under the seed's policies (so what the rehearsal checks)
#   SEED    allowed | denied | explicitDeny | -                 -- what the seed intends
call() {
    id=$1 who=$2 expect=$3 seed=$4
    shift 4
    calls=$((calls + 1))
    if as "$who" "$@"; then
        got=ok
    else
        msg=$(sed -n 's/.*An error occurred (\([A-Za-z]*\)) when calling the [A-Za-z]* operation[^:]*: \(.*\)/\1: \2/p' "$tmp/err" | head -1)
        case "$msg" in
            *"with an explicit deny in an identity-based policy"*) got=deny:explicit ;;
            *"because no identity-based policy allows"*) got=deny:identity ;;
            *"permissions boundary"*) got=deny:boundary ;;
            AccessDenied*) got=deny:other ;;
            *) got="error: ${msg:-$(tr -s '\n' ' ' <"$tmp/err" | head -c 300)}" ;;
        esac
    fi
    note=""
    case "$seed:$got" in
        allowed:ok|denied:deny:*|explicitDeny:deny:explicit|-:*)
            # hardened: what the seed intends is what is expected
            [ -z "$HARDENED" ] || [ "$seed" = - ] || expect=$got ;;
        *) note="  FINDING: the seed intends $seed"; findings=$((findings + 1))
           [ -z "$HARDENED" ] || expect="$seed (as the seed intends)" ;;
    esac
    if [ "$got" = "$expect" ]; then
        printf '%-14s %-44s %-8s %s%s\n' "$got" "$id" "$who" "$1 $2" "$note"
    else
        unexpected=$((unexpected + 1))
        printf '%-14s %-44s %-8s %s  UNEXPECTED (expected %s)\n' "$got" "$id" "$who" "$1 $2" "$expect"
        grep -v '^$' "$tmp/err" | sed 's/^/    /' | head -5
    fi
    [ "$got" = ok ]
}

LAMBDA_TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
# Amplify's auth/unauth roles start trusting nobody; the custom resource rewrites them
DENY_TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}'
pool_trust() {  # AMR -> the trust the custom resource writes
    printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"%s"}}}]}' "$1"
}
IDP_POLICY='{"Version":"2012-10-17","Statement":[{"Sid":"UpdateAuthUnauthTrust","Effect":"Allow","Action":["iam:GetRole","iam:UpdateAssumeRolePolicy"],"Resource":["arn:aws:iam::123456789012:role/amplify-imagingviewerui-dev-1a2b3-authRole","arn:aws:iam::123456789012:role/amplify-imagingviewerui-dev-1a2b3-unauthRole"]},{"Sid":"Logging","Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:*"}]}'
# the viewer's function role: Amplify's log policy and its custom-policies.json
FN_LOG_POLICY='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/secureDeployBucket-dev:log-stream:*"}]}'
FN_POLICY='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutBucketPublicAccessBlock"],"Resource":["arn:aws:s3:::amplify-*-deployment"]},{"Effect":"Allow","Action":["cloudformation:DescribeStacks"],"Resource":["arn:aws:cloudformation:*:*:stack/amplify-*"]}]}'
ALLOW_ALL='{"Version":"2012-10-17","Statement":[{"Sid":"AllowEverything","Effect":"Allow","Action":"*","Resource":"*"}]}'
ACCOUNT_TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'

echo "== the administrator sets up the account (seed: Setup)"
call setup-boundary-policy admin ok - iam create-policy --policy-name ImagingViewerPermissionsBoundary \
    --policy-document "file://$POLICIES/permissions-boundary.json"
call setup-developer-policy admin ok - iam create-policy --policy-name ImagingViewerDeveloperPolicy \
    --policy-document "file://$POLICIES/developer-policy.json"
call setup-developer-role admin ok - iam create-role --role-name ImagingDeveloper --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]}'
call setup-attach-developer-policy admin ok - iam attach-role-policy --role-name ImagingDeveloper --policy-arn "$DEVPOL"
call setup-user-alice admin ok - iam create-user --user-name alice
call setup-alice-may-assume admin ok - iam put-user-policy --user-name alice --policy-name AssumeImagingDeveloper \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/ImagingDeveloper"}]}'
call setup-alice-key admin ok - iam create-access-key --user-name alice
alice_KEY=$(jq -r .AccessKey.AccessKeyId "$tmp/out") alice_SECRET=$(jq -r .AccessKey.SecretAccessKey "$tmp/out") alice_TOKEN=""
call setup-payroll-boundary admin ok - iam create-policy --policy-name PayrollBoundary \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
call setup-payroll-auth-role admin ok - iam create-role --role-name amplify-payroll-prod-9f8e7-authRole \
    --assume-role-policy-document "$DENY_TRUST"
call setup-payroll-unauth-role admin ok - iam create-role --role-name amplify-payroll-prod-9f8e7-unauthRole \
    --assume-role-policy-document "$DENY_TRUST" --permissions-boundary arn:aws:iam::123456789012:policy/PayrollBoundary
call setup-payroll-lambda-role admin ok - iam create-role --role-name payrollLambdaRole5e6f7a8b-prod \
    --assume-role-policy-document "$LAMBDA_TRUST"
call setup-admin-role admin ok - iam create-role --role-name OrganizationAccountAccessRole \
    --assume-role-policy-document "$ACCOUNT_TRUST"
call setup-admin-role-policy admin ok - iam attach-role-policy --role-name OrganizationAccountAccessRole --policy-arn "$ADMIN"
call setup-root-cannot-assume admin deny:other - sts assume-role --role-arn arn:aws:iam::123456789012:role/ImagingDeveloper \
    --role-session-name root

echo "== the developer signs in: alice assumes ImagingDeveloper"
call signin-assume-role alice ok - sts assume-role --role-arn arn:aws:iam::123456789012:role/ImagingDeveloper \
    --role-session-name alice
take_credentials dev "$tmp/out"
call signin-who-am-i dev ok - sts get-caller-identity
[ "$(jq -r .Arn "$tmp/out")" = "arn:aws:sts::123456789012:assumed-role/ImagingDeveloper/alice" ] ||
    { echo "the developer is $(jq -r .Arn "$tmp/out"), not ImagingDeveloper/alice"; unexpected=$((unexpected + 1)); }

echo "== amplify init --permissions-boundary $PB"
# shellcheck disable=SC2086
call init-create-auth-role dev ok allowed iam create-role --role-name "$AUTH" \
    --assume-role-policy-document "$DENY_TRUST" --permissions-boundary "$PB" --tags $TAGS
# shellcheck disable=SC2086
call init-tag-auth-role dev ok allowed iam tag-role --role-name "$AUTH" --tags $TAGS
call init-read-auth-role dev ok allowed iam get-role --role-name "$AUTH"
# shellcheck disable=SC2086
call init-create-unauth-role dev ok allowed iam create-role --role-name "$UNAUTH" \
    --assume-role-policy-document "$DENY_TRUST" --permissions-boundary "$PB" --tags $TAGS
# shellcheck disable=SC2086
call init-tag-unauth-role dev ok allowed iam tag-role --role-name "$UNAUTH" --tags $TAGS

echo "== amplify env add (test)"
call envadd-read-boundary dev ok allowed iam get-policy --policy-arn "$PB"
call envadd-create-auth-role dev ok allowed iam create-role --role-name "$TESTAUTH" \
    --assume-role-policy-document "$DENY_TRUST" --permissions-boundary "$PB"

echo "== amplify publish"
call publish-create-user-pool-client-role dev ok allowed iam create-role --role-name "$UPCLIENT" \
    --assume-role-policy-document "$LAMBDA_TRUST" --permissions-boundary "$PB"
# shellcheck disable=SC2086
call publish-tag-user-pool-client-role dev ok allowed iam tag-role --role-name "$UPCLIENT" --tags $TAGS
call publish-create-idp-role dev ok allowed iam create-role --role-name "$IDP" \
    --assume-role-policy-document "$LAMBDA_TRUST" --permissions-boundary "$PB"
call publish-policy-idp-role dev ok allowed iam put-role-policy --role-name "$IDP" \
    --policy-name UpdateRolesWithIDPFunctionPolicy --policy-document "$IDP_POLICY"
# shellcheck disable=SC2086
call publish-tag-idp-role dev ok allowed iam tag-role --role-name "$IDP" --tags $TAGS
call publish-create-function-role dev ok allowed iam create-role --role-name "$FNROLE" \
    --assume-role-policy-document "$LAMBDA_TRUST" --permissions-boundary "$PB"
call publish-policy-function-role dev ok allowed iam put-role-policy --role-name "$FNROLE" \
    --policy-name lambda-execution-policy --policy-document "$FN_LOG_POLICY"
call publish-custom-policy-function-role dev ok allowed iam put-role-policy --role-name "$FNROLE" \
    --policy-name custom-lambda-execution-policy --policy-document "$FN_POLICY"
# shellcheck disable=SC2086
call publish-tag-function-role dev ok allowed iam tag-role --role-name "$FNROLE" --tags $TAGS
call publish-auth-role-read-policy dev ok allowed iam put-role-policy --role-name "$AUTH" \
    --policy-name medical-imaging-read-only --policy-document "file://$HERE/auth-role-read-policy.json"
call publish-auth-role-write-policy dev ok allowed iam put-role-policy --role-name "$AUTH" \
    --policy-name medical-imaging-read-write --policy-document "file://$HERE/auth-role-write-policy.json"

echo "== amplify publish: the custom resource, with the credentials Lambda gets for $IDP"
if "$IG" emulate session --db "$tmp/iamguard.db" --role "$IDP" --service lambda.amazonaws.com \
        --session-name amplify-imagingviewerui-d-UpdateRolesWithIDPFunct-4Xy7Zk9QwErT >"$tmp/idp.json" 2>"$tmp/err"; then
    take_credentials idp "$tmp/idp.json"
    echo "ok             lambda.amazonaws.com assumes $IDP (its trust policy allows Lambda)"
else
    unexpected=$((unexpected + 1)); echo "UNEXPECTED: no Lambda session for $IDP: $(cat "$tmp/err")"
fi
calls=$((calls + 1))
if "$IG" emulate session --db "$tmp/iamguard.db" --role "$AUTH" --service lambda.amazonaws.com >/dev/null 2>"$tmp/err"; then
    unexpected=$((unexpected + 1)); echo "UNEXPECTED: Lambda got credentials of $AUTH, whose trust does not allow it"
else
    echo "refused        lambda.amazonaws.com cannot assume $AUTH (its trust policy does not allow Lambda)"
fi
calls=$((calls + 1))
call publish-idp-trust-auth-role idp ok allowed iam update-assume-role-policy --role-name "$AUTH" \
    --policy-document "$(pool_trust authenticated)"
call publish-idp-trust-unauth-role idp ok allowed iam update-assume-role-policy --role-name "$UNAUTH" \
    --policy-document "$(pool_trust unauthenticated)"
call publish-idp-no-other-roles idp deny:identity denied iam get-role --role-name amplify-payroll-prod-9f8e7-authRole

echo "== guardrails: a role without the boundary"
call guard-create-role-without-boundary dev deny:identity denied iam create-role --role-name "$AUTH" \
    --assume-role-policy-document "$DENY_TRUST"
call guard-create-lambda-role-without-boundary dev deny:identity denied iam create-role --role-name "$FNROLE" \
    --assume-role-policy-document "$LAMBDA_TRUST"
call guard-create-role-admin-boundary dev deny:identity denied iam create-role --role-name "$AUTH" \
    --assume-role-policy-document "$DENY_TRUST" --permissions-boundary "$ADMIN"
call guard-create-role-other-boundary dev deny:identity denied iam create-role --role-name "$FNROLE" \
    --assume-role-policy-document "$LAMBDA_TRUST" --permissions-boundary arn:aws:iam::123456789012:policy/PowerUserBoundary
call guard-create-role-outside-names dev deny:identity denied iam create-role --role-name DeveloperAdmin \
    --assume-role-policy-document "$ACCOUNT_TRUST" --permissions-boundary "$PB"
call guard-create-amplify-role-other-suffix dev deny:identity denied iam create-role --role-name "$STACK-adminRole" \
    --assume-role-policy-document "$ACCOUNT_TRUST" --permissions-boundary "$PB"
call guard-put-policy-role-without-boundary dev deny:identity denied iam put-role-policy \
    --role-name amplify-payroll-prod-9f8e7-authRole --policy-name Escalate --policy-document "$ALLOW_ALL"
call guard-put-policy-role-other-boundary dev deny:identity denied iam put-role-policy \
    --role-name amplify-payroll-prod-9f8e7-unauthRole --policy-name Escalate --policy-document "$ALLOW_ALL"
call guard-attach-admin-to-amplify-role dev deny:identity denied iam attach-role-policy --role-name "$AUTH" --policy-arn "$ADMIN"
call guard-attach-admin-to-lambda-role dev deny:identity denied iam attach-role-policy --role-name "$FNROLE" --policy-arn "$ADMIN"
call guard-attach-admin-to-self dev deny:identity denied iam attach-role-policy --role-name ImagingDeveloper --policy-arn "$ADMIN"
call guard-rewrite-own-policy dev deny:identity denied iam create-policy-version --policy-arn "$DEVPOL" \
    --policy-document "$ALLOW_ALL" --set-as-default
call guard-create-user dev deny:identity denied iam create-user --user-name deploy-bot
call guard-developer-rewrites-trust dev deny:identity denied iam update-assume-role-policy --role-name "$AUTH" \
    --policy-document "$ACCOUNT_TRUST"

echo "== guardrails: remove, replace or change the boundary"
call guard-remove-boundary-auth-role dev deny:explicit explicitDeny iam delete-role-permissions-boundary --role-name "$AUTH"
call guard-remove-boundary-lambda-role dev deny:explicit explicitDeny iam delete-role-permissions-boundary --role-name "$FNROLE"
call guard-replace-boundary dev deny:identity denied iam put-role-permissions-boundary --role-name "$AUTH" \
    --permissions-boundary "$ADMIN"
call guard-detach-boundary dev deny:identity denied iam detach-role-policy --role-name "$AUTH" --policy-arn "$PB"
call guard-detach-boundary-explicitly-denied dev deny:identity explicitDeny iam detach-role-policy --role-name "$AUTH" \
    --policy-arn "$PB"
call guard-new-boundary-version dev deny:explicit explicitDeny iam create-policy-version --policy-arn "$PB" \
    --policy-document "$ALLOW_ALL" --set-as-default
call guard-switch-boundary-version dev deny:explicit explicitDeny iam set-default-policy-version --policy-arn "$PB" \
    --version-id v1
call guard-delete-boundary-version dev deny:explicit explicitDeny iam delete-policy-version --policy-arn "$PB" --version-id v1
call guard-delete-boundary-policy dev deny:identity denied iam delete-policy --policy-arn "$PB"

echo "== guardrails: a role the developer creates whose own policy allows everything"
call guard-setup-create-experiment-role dev ok allowed iam create-role --role-name "$EXPERIMENT" \
    --assume-role-policy-document "$LAMBDA_TRUST" --permissions-boundary "$PB"
call guard-setup-experiment-allows-all dev ok allowed iam put-role-policy --role-name "$EXPERIMENT" \
    --policy-name AllowEverything --policy-document "$ALLOW_ALL"
if "$IG" emulate session --db "$tmp/iamguard.db" --role "$EXPERIMENT" --service lambda.amazonaws.com \
        --session-name experiment >"$tmp/capped.json" 2>"$tmp/err"; then
    take_credentials capped "$tmp/capped.json"
    echo "ok             lambda.amazonaws.com assumes $EXPERIMENT"
else
    unexpected=$((unexpected + 1)); echo "UNEXPECTED: no Lambda session for $EXPERIMENT: $(cat "$tmp/err")"
fi
calls=$((calls + 1))
call guard-capped-role-takes-over-other-role capped ok denied iam update-assume-role-policy \
    --role-name amplify-payroll-prod-9f8e7-authRole --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/'"$EXPERIMENT"'"},"Action":"sts:AssumeRole"}]}'
call guard-capped-role-creates-role capped deny:boundary denied iam create-role --role-name escapeLambdaRole \
    --assume-role-policy-document "$LAMBDA_TRUST" --permissions-boundary "$PB"
call guard-capped-role-removes-own-boundary capped deny:boundary denied iam delete-role-permissions-boundary \
    --role-name "$EXPERIMENT"
call guard-capped-role-replaces-own-boundary capped deny:boundary denied iam put-role-permissions-boundary \
    --role-name "$EXPERIMENT" --permissions-boundary "$ADMIN"
call guard-capped-role-rewrites-boundary capped deny:boundary denied iam create-policy-version --policy-arn "$PB" \
    --policy-document "$ALLOW_ALL" --set-as-default
call cap-create-user capped deny:boundary denied iam create-user --user-name backdoor
call cap-attach-admin-to-self capped deny:boundary denied iam attach-role-policy --role-name "$EXPERIMENT" \
    --policy-arn "$ADMIN"
call cap-assume-admin-role capped deny:boundary denied sts assume-role \
    --role-arn arn:aws:iam::123456789012:role/OrganizationAccountAccessRole --role-session-name escape

echo "== amplify env remove test"
call teardown-delete-test-auth-role dev ok allowed iam delete-role --role-name "$TESTAUTH"

echo "== amplify delete: CloudFormation deletes the stacks with the developer's credentials"
# The order of scenario.yml's teardown group; it stops where the scenario
# says amplify delete first fails (delete-function-role-list-attached), so
# every role the deployment created is still there below.
call delete-idp-read-auth-role idp ok allowed iam get-role --role-name "$AUTH"
call delete-trust-back-to-deny idp ok allowed iam update-assume-role-policy --role-name "$AUTH" \
    --policy-document "$DENY_TRUST"
call delete-function-role-policy dev ok allowed iam delete-role-policy --role-name "$FNROLE" \
    --policy-name lambda-execution-policy
call delete-function-role-custom-policy dev ok allowed iam delete-role-policy --role-name "$FNROLE" \
    --policy-name custom-lambda-execution-policy
call delete-function-role-list-attached dev deny:identity allowed iam list-attached-role-policies --role-name "$FNROLE"
if [ -z "$HARDENED" ]; then
    echo "               (amplify delete fails here: the stack ends DELETE_FAILED, \"Project delete failed.\")"
else
    # the hardened policies let amplify delete go on to the end
    call delete-function-role-list-inline dev ok allowed iam list-role-policies --role-name "$FNROLE"
    call delete-function-role dev ok allowed iam delete-role --role-name "$FNROLE"
    call delete-user-pool-client-role-list-attached dev ok allowed iam list-attached-role-policies --role-name "$UPCLIENT"
    call delete-user-pool-client-role-list-inline dev ok allowed iam list-role-policies --role-name "$UPCLIENT"
    call delete-user-pool-client-role dev ok allowed iam delete-role --role-name "$UPCLIENT"
    call delete-idp-read-unauth-role idp ok allowed iam get-role --role-name "$UNAUTH"
    call delete-unauth-trust-back-to-deny idp ok allowed iam update-assume-role-policy --role-name "$UNAUTH" \
        --policy-document "$DENY_TRUST"
    call delete-idp-role-list-attached dev ok allowed iam list-attached-role-policies --role-name "$IDP"
    call delete-idp-role-list-inline dev ok allowed iam list-role-policies --role-name "$IDP"
    call delete-idp-role-policy dev ok allowed iam delete-role-policy --role-name "$IDP" \
        --policy-name UpdateRolesWithIDPFunctionPolicy
    call delete-idp-role dev ok allowed iam delete-role --role-name "$IDP"
    call delete-auth-role-list-attached dev ok allowed iam list-attached-role-policies --role-name "$AUTH"
    call delete-auth-role-list-inline dev ok allowed iam list-role-policies --role-name "$AUTH"
    call delete-auth-role-policy dev ok allowed iam delete-role-policy --role-name "$AUTH" \
        --policy-name medical-imaging-read-only
    call delete-auth-role-write-policy dev ok allowed iam delete-role-policy --role-name "$AUTH" \
        --policy-name medical-imaging-read-write
    call delete-auth-role dev ok allowed iam delete-role --role-name "$AUTH"
    call delete-unauth-role-list-attached dev ok allowed iam list-attached-role-policies --role-name "$UNAUTH"
    call delete-unauth-role-list-inline dev ok allowed iam list-role-policies --role-name "$UNAUTH"
    call delete-unauth-role dev ok allowed iam delete-role --role-name "$UNAUTH"
    echo "               (amplify delete is done: every role the deployment created is deleted)"
fi

echo "== the account afterwards"
call export-authorization-details admin ok - iam get-account-authorization-details
cp "$tmp/out" "$tmp/export-api.json"
CREATED="$AUTH $UNAUTH $UPCLIENT $IDP $FNROLE $EXPERIMENT"
if [ -n "$HARDENED" ]; then
    CREATED=$EXPERIMENT
    for r in $AUTH $UNAUTH $UPCLIENT $IDP $FNROLE; do
        n=$(jq -r --arg r "$r" '[.RoleDetailList[] | select(.RoleName == $r)] | length' "$tmp/export-api.json")
        if [ "$n" = 0 ]; then echo "deleted        $r"
        else unexpected=$((unexpected + 1)); echo "UNEXPECTED     $r is still there after amplify delete"; fi
    done
fi
for r in $CREATED; do
    b=$(jq -r --arg r "$r" '.RoleDetailList[] | select(.RoleName == $r) | .PermissionsBoundary.PermissionsBoundaryArn // "none"' "$tmp/export-api.json")
    if [ "$b" = "$PB" ]; then echo "boundary       $r carries ImagingViewerPermissionsBoundary"
    else unexpected=$((unexpected + 1)); echo "UNEXPECTED     $r has boundary [$b]"; fi
done
unbounded=$(jq -r --arg pb "$PB" '[.RoleDetailList[] | select((.PermissionsBoundary.PermissionsBoundaryArn // "") != $pb) | .RoleName] | sort | join(" ")' "$tmp/export-api.json")
want="ImagingDeveloper OrganizationAccountAccessRole amplify-payroll-prod-9f8e7-authRole amplify-payroll-prod-9f8e7-unauthRole payrollLambdaRole5e6f7a8b-prod"
if [ "$unbounded" = "$want" ]; then echo "boundary       the only roles without it are the administrator's: $unbounded"
else unexpected=$((unexpected + 1)); echo "UNEXPECTED     roles without the boundary: [$unbounded], want [$want]"; fi
gone=$(jq -r --arg r "$TESTAUTH" '[.RoleDetailList[] | select(.RoleName == $r)] | length' "$tmp/export-api.json")
[ "$gone" = 0 ] || { unexpected=$((unexpected + 1)); echo "UNEXPECTED     $TESTAUTH was not deleted"; }
takeover=$(jq -r '.RoleDetailList[] | select(.RoleName == "amplify-payroll-prod-9f8e7-authRole") | .AssumeRolePolicyDocument.Statement[0].Principal.AWS // ""' "$tmp/export-api.json")
echo "evidence       amplify-payroll-prod-9f8e7-authRole now trusts: ${takeover:-nobody new}"
checks=$(jq -r '[.Policies[] | select(.PolicyName == "ImagingViewerPermissionsBoundary") | .PolicyVersionList | length] | .[0]' "$tmp/export-api.json")
[ "$checks" = 1 ] || { unexpected=$((unexpected + 1)); echo "UNEXPECTED     the boundary policy has $checks versions"; }

# the server stops; the database holds the same account
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rc=$?
pid=""
if [ "$rc" -ne 0 ] || grep -q "Sanitizer" "$tmp/emulate.err"; then
    unexpected=$((unexpected + 1)); echo "UNEXPECTED     the emulator exited with $rc"; head -20 "$tmp/emulate.err"
fi
if "$IG" emulate export --db "$tmp/iamguard.db" --output "$tmp/export-db.json" 2>"$tmp/err" &&
   [ "$(jq -S . "$tmp/export-db.json")" = "$(jq -S . "$tmp/export-api.json")" ]; then
    echo "export         iamguard emulate export equals get-account-authorization-details"
else
    unexpected=$((unexpected + 1)); echo "UNEXPECTED     the exports differ: $(cat "$tmp/err")"
fi

echo
whose="the seed's"
[ -z "$HARDENED" ] || whose="the hardened"
echo "$calls calls, $((calls - unexpected)) as expected, $unexpected unexpected; $findings where $whose policies do not do what the seed intends"
[ -n "$KEEP" ] && echo "state kept in $tmp (iamguard.db, export-api.json)"
[ "$unexpected" -eq 0 ]
