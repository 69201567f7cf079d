#!/bin/sh
# run.sh - `iamguard emulate` end to end (docs/emulator.md):
#   sh tests/emulator/run.sh build/iamguard
# 1. the imaging-viewer rehearsal through /usr/bin/aws (examples/imaging-viewer/rehearse.sh),
#    with the seed's policies and (1b) with the hardened ones (--hardened);
# 2. authentication failures: requests signed wrongly on purpose with the AWS
#    SDK's own signer (forge.mjs) are each rejected with AWS's error code and
#    change nothing;
# 3. users, groups, keys, login profiles, instance profiles, validation
#    errors, import/export, SimulatePrincipalPolicy (api.sh);
# 4. durability: SIGKILL in the middle of a stream of writes (durability.sh);
# 4b. import from the imaging-viewer scenario of `iamguard check`, then export;
# 5. the rehearsal again through @aws-sdk/client-iam (sdk.mjs).
# Servers listen on 127.0.0.1 free ports; every wait is a bounded loop.
# Ends with "N passed, M failed".
set -u
IG=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/emulator
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
# contains NAME NEEDLE FILE
contains() { if grep -qF -- "$2" "$3"; then ok; else bad "$1: no [$2] in $(head -c 400 "$3")"; fi; }

[ -x "$AWS" ] || { echo "run.sh: $AWS missing (scripts/deps.sh installs awscli)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "run.sh: sqlite3 missing (scripts/deps.sh installs it)" >&2; exit 1; }
if [ ! -d "$HERE/node_modules/@aws-sdk/client-sts" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
        { echo "run.sh: npm ci failed in tests/emulator" >&2; exit 1; }
fi
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null NODE_NO_WARNINGS=1
unset AWS_PROFILE AWS_SESSION_TOKEN
ADMIN_KEY=AKIATESTADMIN0000001
ADMIN_SECRET=test-admin-secret-0123456789abcdefghij

# start_emulator DB [extra options]: sets pid, PORT, URL
start_emulator() {
    db=$1; shift
    : >"$tmp/emulate.err"
    IAMGUARD_EMULATOR_ACCESS_KEY_ID=$ADMIN_KEY IAMGUARD_EMULATOR_SECRET_ACCESS_KEY=$ADMIN_SECRET \
        "$IG" emulate --db "$db" --listen 127.0.0.1:0 --access-log "$tmp/access.log" "$@" 2>"$tmp/emulate.err" &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q "listening on" "$tmp/emulate.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    PORT=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' "$tmp/emulate.err")
    [ -n "$PORT" ] || { cat "$tmp/emulate.err" >&2; echo "run.sh: the emulator did not start" >&2; exit 1; }
    URL=http://127.0.0.1:$PORT
}
# stop_emulator: SIGTERM; it must exit 0 without a sanitizer report
stop_emulator() {
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    pid=""
    check "the emulator stopped cleanly" 0 "$rc"
    if grep -q "Sanitizer" "$tmp/emulate.err"; then bad "sanitizer report:"; head -30 "$tmp/emulate.err" >&2; fi
}
# aws_as KEY SECRET [TOKEN] -- ARGS: the AWS CLI with those credentials
aws_as() {
    k=$1 s=$2 t=""
    shift 2
    if [ "$1" != "--" ]; then t=$1; shift; fi
    shift
    if [ -n "$t" ]; then
        AWS_ACCESS_KEY_ID=$k AWS_SECRET_ACCESS_KEY=$s AWS_SESSION_TOKEN=$t "$AWS" --endpoint-url "$URL" --output json "$@"
    else
        AWS_ACCESS_KEY_ID=$k AWS_SECRET_ACCESS_KEY=$s "$AWS" --endpoint-url "$URL" --output json "$@"
    fi
}
admin() { aws_as "$ADMIN_KEY" "$ADMIN_SECRET" -- "$@"; }
# forge BODY OPTIONS...: "STATUS CODE" of a hand-signed request
forge() { b=$1; shift; node "$HERE/forge.mjs" "$URL" "$b" "$@" 2>"$tmp/forge.body"; }

# EMU_ONLY=SECTION runs one section (rehearsal rehearsal-hardened auth api durability scenario sdk)
only() { [ -z "${EMU_ONLY:-}" ] || [ "$EMU_ONLY" = "$1" ]; }

# ---- 1. the rehearsal ------------------------------------------------------
if only rehearsal; then
echo "== rehearsal (examples/imaging-viewer/rehearse.sh)"
if sh "$ROOT/examples/imaging-viewer/rehearse.sh" "$IG" >"$tmp/rehearse.out" 2>&1; then ok; else
    bad "rehearse.sh failed:"; grep -E "UNEXPECTED|FINDING|calls," "$tmp/rehearse.out" | head -20 >&2; fi
check "rehearsal: every call as expected" "80 calls, 80 as expected, 0 unexpected; 3 where the seed's policies do not do what the seed intends" \
    "$(tail -1 "$tmp/rehearse.out")"
contains "rehearsal: the detach finding" "deny:identity  guard-detach-boundary-explicitly-denied      dev      iam detach-role-policy  FINDING: the seed intends explicitDeny" "$tmp/rehearse.out"
contains "rehearsal: amplify delete stops where CloudFormation lists the role's policies" "deny:identity  delete-function-role-list-attached           dev      iam list-attached-role-policies  FINDING: the seed intends allowed" "$tmp/rehearse.out"
contains "rehearsal: the takeover finding" "ok             guard-capped-role-takes-over-other-role      capped   iam update-assume-role-policy  FINDING: the seed intends denied" "$tmp/rehearse.out"
check "rehearsal: six created roles carry the boundary" 6 "$(grep -c '^boundary .* carries ImagingViewerPermissionsBoundary' "$tmp/rehearse.out")"
contains "rehearsal: exports agree" "iamguard emulate export equals get-account-authorization-details" "$tmp/rehearse.out"
fi

# ---- 1b. the rehearsal with the hardened policies ----------------------------
# (examples/imaging-viewer-hardened/): every call as the seed intends, no
# FINDING, amplify delete to the end; outcomes only, not the policies' words.
if only rehearsal-hardened; then
echo "== rehearsal --hardened"
if sh "$ROOT/examples/imaging-viewer/rehearse.sh" "$IG" --hardened >"$tmp/rehearse-h.out" 2>&1; then ok; else
    bad "rehearse.sh --hardened failed:"; grep -E "UNEXPECTED|FINDING|calls," "$tmp/rehearse-h.out" | head -20 >&2; fi
if grep -q "FINDING" "$tmp/rehearse-h.out"; then bad "rehearsal --hardened: a FINDING line"; else ok; fi
contains "rehearsal --hardened: nothing the seed does not intend" "0 unexpected; 0 where the hardened policies do not do what the seed intends" "$tmp/rehearse-h.out"
contains "rehearsal --hardened: the boundary stops the takeover" "deny:boundary  guard-capped-role-takes-over-other-role" "$tmp/rehearse-h.out"
contains "rehearsal --hardened: detaching the boundary is denied explicitly" "deny:explicit  guard-detach-boundary-explicitly-denied" "$tmp/rehearse-h.out"
contains "rehearsal --hardened: amplify delete goes to the end" "ok             delete-unauth-role" "$tmp/rehearse-h.out"
check "rehearsal --hardened: the deployment's five roles are deleted" 5 "$(grep -c '^deleted ' "$tmp/rehearse-h.out")"
contains "rehearsal --hardened: exports agree" "iamguard emulate export equals get-account-authorization-details" "$tmp/rehearse-h.out"
fi

# ---- 2. authentication failures ---------------------------------------------
if only auth; then
echo "== authentication"
start_emulator "$tmp/auth.db"
admin iam create-user --user-name bob >/dev/null
admin iam create-access-key --user-name bob >"$tmp/bobkey.json"
BOB_KEY=$(jq -r .AccessKey.AccessKeyId "$tmp/bobkey.json")
BOB_SECRET=$(jq -r .AccessKey.SecretAccessKey "$tmp/bobkey.json")
admin iam put-user-policy --user-name bob --policy-name all \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
admin iam create-role --role-name Sessions --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}]}' >/dev/null
admin iam put-role-policy --role-name Sessions --policy-name all \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
aws_as "$BOB_KEY" "$BOB_SECRET" -- sts assume-role --role-arn arn:aws:iam::123456789012:role/Sessions \
    --role-session-name s1 >"$tmp/session.json"
S_KEY=$(jq -r .Credentials.AccessKeyId "$tmp/session.json")
S_SECRET=$(jq -r .Credentials.SecretAccessKey "$tmp/session.json")
S_TOKEN=$(jq -r .Credentials.SessionToken "$tmp/session.json")
check "a session key is an ASIA key" ASIA "$(echo "$S_KEY" | cut -c1-4)"
check "the session works" "arn:aws:sts::123456789012:assumed-role/Sessions/s1" \
    "$(aws_as "$S_KEY" "$S_SECRET" "$S_TOKEN" -- sts get-caller-identity | jq -r .Arn)"
aws_as "$BOB_KEY" "$BOB_SECRET" -- sts assume-role --role-arn arn:aws:iam::123456789012:role/Sessions \
    --role-session-name s2 --source-identity bob >/dev/null 2>"$tmp/source.err"
contains "a source identity needs the trust policy to allow sts:SetSourceIdentity" \
    "not authorized to perform: sts:SetSourceIdentity" "$tmp/source.err"

create() { echo "Action=CreateUser&Version=2010-05-08&UserName=$1"; }
SIG="--key $ADMIN_KEY --secret $ADMIN_SECRET"
admin iam get-account-authorization-details >"$tmp/before.json"
# shellcheck disable=SC2086
check "control: a correctly signed request is accepted" "200 -" "$(forge "$(create forged-ok)" $SIG)"
# shellcheck disable=SC2086
check "control: skew inside 15 minutes is accepted" "200 -" "$(forge "$(create forged-skew-ok)" $SIG --skew -600)"
admin iam get-account-authorization-details >"$tmp/before.json"
check "no signature" "403 MissingAuthenticationToken" "$(forge "$(create no-signature)" --no-auth)"
# shellcheck disable=SC2086
check "malformed Authorization" "400 IncompleteSignature" \
    "$(forge "$(create malformed)" $SIG --auth 'AWS4-HMAC-SHA256 Credential=x')"
check "wrong secret" "403 SignatureDoesNotMatch" \
    "$(forge "$(create wrong-secret)" --key "$ADMIN_KEY" --secret not-the-secret-0123456789)"
check "unknown key" "403 InvalidClientTokenId" \
    "$(forge "$(create unknown-key)" --key AKIAUNKNOWNKEY000001 --secret "$ADMIN_SECRET")"
# shellcheck disable=SC2086
check "tampered body" "403 SignatureDoesNotMatch" \
    "$(forge "$(create tampered-a)" $SIG --send-body "$(create tampered-b)")"
# shellcheck disable=SC2086
check "tampered parameter (same length)" "403 SignatureDoesNotMatch" \
    "$(forge "$(create tamper-one)" $SIG --send-body "$(create tamper-two)")"
# shellcheck disable=SC2086
check "replay outside the time window" "403 SignatureDoesNotMatch" "$(forge "$(create replayed)" $SIG --skew -1000)"
contains "replay: AWS's message" "Signature expired: " "$tmp/forge.body"
# shellcheck disable=SC2086
check "a date in the future" "403 SignatureDoesNotMatch" "$(forge "$(create future)" $SIG --skew 1000)"
contains "future: AWS's message" "Signature not yet current: " "$tmp/forge.body"
# shellcheck disable=SC2086
check "signed for another service" "403 SignatureDoesNotMatch" "$(forge "$(create wrong-service)" $SIG --service sts)"
# IAM is global: AWS refuses a scope with any region but the partition's
# global one (us-east-1); STS has regional endpoints (issue 18)
# shellcheck disable=SC2086
check "IAM signed for us-west-2" "403 SignatureDoesNotMatch" "$(forge "$(create iam-west)" $SIG --region us-west-2)"
contains "region: AWS's message" "Credential should be scoped to a valid region, not &apos;us-west-2&apos;" "$tmp/forge.body"
# shellcheck disable=SC2086
check "IAM signed for a region that does not exist" "403 SignatureDoesNotMatch" "$(forge "$(create iam-nowhere)" $SIG --region xx-nowhere-9)"
# shellcheck disable=SC2086
check "STS at a regional endpoint" "200 -" "$(forge "Action=GetCallerIdentity&Version=2011-06-15" $SIG --service sts --region eu-west-1)"
# shellcheck disable=SC2086
check "STS signed for a region that does not exist" "403 SignatureDoesNotMatch" \
    "$(forge "Action=GetCallerIdentity&Version=2011-06-15" $SIG --service sts --region xx-nowhere-9)"
check "session key without its token" "403 InvalidClientTokenId" \
    "$(forge "$(create no-token)" --key "$S_KEY" --secret "$S_SECRET" --token "$S_TOKEN" --drop-token)"
check "session key with another token" "403 InvalidClientTokenId" \
    "$(forge "$(create other-token)" --key "$S_KEY" --secret "$S_SECRET" --token "${S_TOKEN}x")"
check "session token of the right length but wrong" "403 InvalidClientTokenId" \
    "$(forge "$(create forged-token)" --key "$S_KEY" --secret "$S_SECRET" --token "$(echo "$S_TOKEN" | tr 'A-Za-z' 'N-ZA-Mn-za-m')")"
check "a long-term key with a session token" "403 InvalidClientTokenId" \
    "$(forge "$(create key-with-token)" --key "$BOB_KEY" --secret "$BOB_SECRET" --token "$S_TOKEN")"
check "session control: the right token is accepted" "200 -" \
    "$(forge "Action=GetCallerIdentity&Version=2011-06-15" --key "$S_KEY" --secret "$S_SECRET" --token "$S_TOKEN" --service sts)"
sqlite3 "$tmp/auth.db" "UPDATE access_keys SET expires = 1 WHERE id = '$S_KEY'"
check "expired session credentials" "403 ExpiredToken" \
    "$(forge "$(create expired)" --key "$S_KEY" --secret "$S_SECRET" --token "$S_TOKEN")"
admin iam update-access-key --user-name bob --access-key-id "$BOB_KEY" --status Inactive
check "an inactive key" "403 InvalidClientTokenId" "$(forge "$(create inactive)" --key "$BOB_KEY" --secret "$BOB_SECRET")"
AWS_ACCESS_KEY_ID=$ADMIN_KEY AWS_SECRET_ACCESS_KEY=wrong "$AWS" --endpoint-url "$URL" iam create-user \
    --user-name via-cli-wrong-secret >/dev/null 2>"$tmp/cli.err"
contains "the AWS CLI with a wrong secret" "(SignatureDoesNotMatch)" "$tmp/cli.err"
AWS_ACCESS_KEY_ID=AKIANOSUCHKEY0000001 AWS_SECRET_ACCESS_KEY=x "$AWS" --endpoint-url "$URL" iam create-user \
    --user-name via-cli-unknown >/dev/null 2>"$tmp/cli.err"
contains "the AWS CLI with an unknown key" "(InvalidClientTokenId)" "$tmp/cli.err"
admin iam get-account-authorization-details >"$tmp/after.json"
check "rejected requests changed nothing" "$(jq -S . "$tmp/before.json" | sha256sum)" "$(jq -S . "$tmp/after.json" | sha256sum)"
check "users: only those of accepted requests" "bob forged-ok forged-skew-ok" \
    "$(admin iam list-users | jq -r '[.Users[].UserName] | sort | join(" ")')"
check "the log names the error codes" 1 "$(grep -c '"detail":"ExpiredToken"' "$tmp/access.log")"
stop_emulator
fi

if only api; then . "$HERE/api.sh"; fi
if only durability; then . "$HERE/durability.sh"; fi

# ---- 4b. import from a scenario of `iamguard check` -------------------------
if only scenario; then
echo "== import from a scenario (examples/imaging-viewer/scenario.yml)"
IAMGUARD_EMULATOR_ACCESS_KEY_ID=$ADMIN_KEY IAMGUARD_EMULATOR_SECRET_ACCESS_KEY=$ADMIN_SECRET \
    "$IG" emulate import "$ROOT/examples/imaging-viewer/scenario.yml" --db "$tmp/scenario.db" 2>"$tmp/scenario.err"
check "scenario: import exits 0" 0 "$?"
IAMGUARD_EMULATOR_ACCESS_KEY_ID=$ADMIN_KEY IAMGUARD_EMULATOR_SECRET_ACCESS_KEY=$ADMIN_SECRET \
    "$IG" emulate export --db "$tmp/scenario.db" --output "$tmp/scenario.json"
check "scenario: the developer role has its policy" "ImagingViewerDeveloperPolicy" \
    "$(jq -r '.RoleDetailList[] | select(.RoleName == "ImagingDeveloper") | [.AttachedManagedPolicies[].PolicyName] | join(" ")' "$tmp/scenario.json")"
check "scenario: the auth role carries the boundary" \
    "arn:aws:iam::123456789012:policy/ImagingViewerPermissionsBoundary AuthRoleReadPolicy AuthRoleWritePolicy" \
    "$(jq -r '.RoleDetailList[] | select(.RoleName == "amplify-imagingviewerui-dev-1a2b3-authRole") | [.PermissionsBoundary.PermissionsBoundaryArn, .AttachedManagedPolicies[].PolicyName] | join(" ")' "$tmp/scenario.json")"
check "scenario: a document written in the scenario is a managed policy" 1 \
    "$(jq '[.Policies[] | select(.PolicyName == "UpdateRolesWithIdpFunctionPolicy")] | length' "$tmp/scenario.json")"
check "scenario: six roles, no users" "6 0" "$(jq -r '"\(.RoleDetailList | length) \(.UserDetailList | length)"' "$tmp/scenario.json")"
contains "scenario: resource policies are skipped, said on stderr" "policy AccountKeyPolicy: skipped: not an identity policy" "$tmp/scenario.err"
contains "scenario: the trust policies are said on stderr" "trust the account (arn:aws:iam::123456789012:root)" "$tmp/scenario.err"
IAMGUARD_EMULATOR_ACCESS_KEY_ID=$ADMIN_KEY IAMGUARD_EMULATOR_SECRET_ACCESS_KEY=$ADMIN_SECRET \
    "$IG" emulate import "$ROOT/examples/imaging-viewer/scenario.yml" --db "$tmp/scenario.db" 2>"$tmp/scenario.err"
check "scenario: a second import is refused" 2 "$?"
contains "scenario: ... because the policies exist" "already exists in the database" "$tmp/scenario.err"
IAMGUARD_EMULATOR_ACCESS_KEY_ID=$ADMIN_KEY IAMGUARD_EMULATOR_SECRET_ACCESS_KEY=$ADMIN_SECRET \
    "$IG" emulate export --db "$tmp/scenario.db" --output "$tmp/scenario2.json"
check "scenario: ... and changes nothing" "$(jq -S . "$tmp/scenario.json" | sha256sum)" "$(jq -S . "$tmp/scenario2.json" | sha256sum)"
fi

# ---- 5. the rehearsal from the AWS SDK for JavaScript ----------------------
if only sdk; then
echo "== rehearsal through @aws-sdk/client-iam (sdk.mjs)"
start_emulator "$tmp/sdk.db"
if node "$HERE/sdk.mjs" "$IG" "$URL" "$tmp/sdk.db" "$ADMIN_KEY" "$ADMIN_SECRET" "$ROOT/examples/imaging-viewer" >"$tmp/sdk.out" 2>&1; then ok; else
    bad "sdk.mjs failed:"; grep -E "UNEXPECTED|Error|calls," "$tmp/sdk.out" | head -20 >&2; fi
check "sdk: every call as expected" "56 calls, 0 unexpected; 2 where the seed's policies do not do what the seed intends" "$(tail -1 "$tmp/sdk.out")"
check "sdk: six created roles carry the boundary" 6 "$(grep -c '^boundary .* carries' "$tmp/sdk.out")"
stop_emulator
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
