# api.sh - part of tests/emulator/run.sh (sourced): the IAM API through the
# AWS CLI -- users, groups, access keys, login profiles, instance profiles,
# policy versions, AWS's validation errors, the condition context of IAM
# calls, session policies, import/export, SimulatePrincipalPolicy.
echo "== IAM API"
start_emulator "$tmp/api.db"
ALL='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
TRUST_ACCOUNT='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
# err CMD...: the error code of a failing admin call ("ok" when it succeeds)
code_of() { sed -n 's/.*An error occurred (\([A-Za-z]*\)).*/\1/p' "$1" | head -1; }
err() { if admin "$@" >"$tmp/out" 2>"$tmp/err"; then echo ok; else code_of "$tmp/err"; fi; }
# as_user KEY SECRET CMD...: the same for another caller
err_as() { k=$1 s=$2; shift 2; if aws_as "$k" "$s" -- "$@" >"$tmp/out" 2>"$tmp/err"; then echo ok; else code_of "$tmp/err"; fi; }
err_session() { k=$1 s=$2 t=$3; shift 3; if aws_as "$k" "$s" "$t" -- "$@" >"$tmp/out" 2>"$tmp/err"; then echo ok; else code_of "$tmp/err"; fi; }
new_key() {  # USER -> "KEY SECRET"
    admin iam create-access-key --user-name "$1" | jq -r '.AccessKey | "\(.AccessKeyId) \(.SecretAccessKey)"'
}

# ---- users ----
check "create-user with a path and tags" ok "$(err iam create-user --user-name carol --path /eng/ --tags Key=team,Value=blue)"
check "the user's ARN has its path" "arn:aws:iam::123456789012:user/eng/carol" "$(jq -r .User.Arn "$tmp/out")"
check "get-user returns the tags" blue "$(admin iam get-user --user-name carol | jq -r '.User.Tags[0].Value')"
check "names are unique ignoring case" EntityAlreadyExists "$(err iam create-user --user-name CAROL)"
check "an invalid name" ValidationError "$(err iam create-user --user-name 'bad name!')"
check "a missing user" NoSuchEntity "$(err iam get-user --user-name nobody)"
check "list-users by path prefix" carol "$(admin iam list-users --path-prefix /eng/ | jq -r '[.Users[].UserName] | join(" ")')"
check "rename a user" ok "$(err iam update-user --user-name carol --new-user-name carol2 --new-path /ops/)"
check "the renamed user keeps its tags" blue "$(admin iam list-user-tags --user-name carol2 | jq -r '.Tags[0].Value')"
check "the old name is gone" NoSuchEntity "$(err iam get-user --user-name carol)"
check "put-user-policy" ok "$(err iam put-user-policy --user-name carol2 --policy-name p --policy-document "$ALL")"
check "a malformed policy" MalformedPolicyDocument "$(err iam put-user-policy --user-name carol2 --policy-name q --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"iam:GetRole","Resource":"*"}]}')"
check "a policy that is not JSON" MalformedPolicyDocument "$(err iam put-user-policy --user-name carol2 --policy-name q --policy-document '{"Version":')"
check "user policies listed" p "$(admin iam list-user-policies --user-name carol2 | jq -r '.PolicyNames | join(" ")')"
check "delete-user with policies" DeleteConflict "$(err iam delete-user --user-name carol2)"
admin iam delete-user-policy --user-name carol2 --policy-name p
check "access key 1" ok "$(err iam create-access-key --user-name carol2)"
check "access key 2" ok "$(err iam create-access-key --user-name carol2)"
check "access key 3: two at most" LimitExceeded "$(err iam create-access-key --user-name carol2)"
check "list-access-keys" 2 "$(admin iam list-access-keys --user-name carol2 | jq '.AccessKeyMetadata | length')"
check "delete-user with access keys" DeleteConflict "$(err iam delete-user --user-name carol2)"
for k in $(admin iam list-access-keys --user-name carol2 | jq -r '.AccessKeyMetadata[].AccessKeyId'); do
    admin iam delete-access-key --user-name carol2 --access-key-id "$k"; done
check "a weak password" PasswordPolicyViolation "$(err iam create-login-profile --user-name carol2 --password short)"
check "create-login-profile" ok "$(err iam create-login-profile --user-name carol2 --password 'Str0ng-Passw0rd!' --password-reset-required)"
check "login profile twice" EntityAlreadyExists "$(err iam create-login-profile --user-name carol2 --password 'Str0ng-Passw0rd!')"
check "update-login-profile" ok "$(err iam update-login-profile --user-name carol2 --no-password-reset-required)"
check "get-login-profile" false "$(admin iam get-login-profile --user-name carol2 | jq -r .LoginProfile.PasswordResetRequired)"
check "delete-user with a login profile" DeleteConflict "$(err iam delete-user --user-name carol2)"
admin iam delete-login-profile --user-name carol2
check "the login profile is gone" NoSuchEntity "$(err iam get-login-profile --user-name carol2)"
check "delete-user" ok "$(err iam delete-user --user-name carol2)"

# ---- groups: their policies are the members' ----
admin iam create-user --user-name dave >/dev/null
set -- $(new_key dave); DAVE_KEY=$1 DAVE_SECRET=$2
check "a user without policies is denied" AccessDenied "$(err_as "$DAVE_KEY" "$DAVE_SECRET" iam list-roles)"
contains "denied: AWS's message" "User: arn:aws:iam::123456789012:user/dave is not authorized to perform: iam:ListRoles on resource: * because no identity-based policy allows the iam:ListRoles action" "$tmp/err"
check "create-group" ok "$(err iam create-group --group-name readers)"
check "group names are unique" EntityAlreadyExists "$(err iam create-group --group-name Readers)"
admin iam put-group-policy --group-name readers --policy-name list \
    --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:List*","iam:GetUser"],"Resource":"*"}]}'
check "add-user-to-group" ok "$(err iam add-user-to-group --group-name readers --user-name dave)"
check "get-group lists the member" dave "$(admin iam get-group --group-name readers | jq -r '.Users[].UserName')"
check "list-groups-for-user" readers "$(admin iam list-groups-for-user --user-name dave | jq -r '.Groups[].GroupName')"
check "the group's policy applies to the member" ok "$(err_as "$DAVE_KEY" "$DAVE_SECRET" iam list-roles)"
check "get-user of oneself, without UserName" dave "$(aws_as "$DAVE_KEY" "$DAVE_SECRET" -- iam get-user | jq -r .User.UserName)"
check "delete-group with members" DeleteConflict "$(err iam delete-group --group-name readers)"
admin iam remove-user-from-group --group-name readers --user-name dave
check "out of the group, denied again" AccessDenied "$(err_as "$DAVE_KEY" "$DAVE_SECRET" iam list-roles)"
admin iam delete-group-policy --group-name readers --policy-name list
admin iam create-policy --policy-name ListRolesOnly --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]}' >/dev/null
admin iam attach-group-policy --group-name readers --policy-arn arn:aws:iam::123456789012:policy/ListRolesOnly
admin iam add-user-to-group --group-name readers --user-name dave
check "a managed policy attached to the group applies" ok "$(err_as "$DAVE_KEY" "$DAVE_SECRET" iam list-roles)"
check "delete an attached policy" DeleteConflict "$(err iam delete-policy --policy-arn arn:aws:iam::123456789012:policy/ListRolesOnly)"

# ---- policy versions ----
P=arn:aws:iam::123456789012:policy/ListRolesOnly
V='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}'
for i in 2 3 4 5; do admin iam create-policy-version --policy-arn "$P" --policy-document "$V" >/dev/null; done
check "a sixth version" LimitExceeded "$(err iam create-policy-version --policy-arn "$P" --policy-document "$V")"
check "list-policy-versions" "v5 v4 v3 v2 v1" "$(admin iam list-policy-versions --policy-arn "$P" | jq -r '[.Versions[].VersionId] | join(" ")')"
check "delete the default version" DeleteConflict "$(err iam delete-policy-version --policy-arn "$P" --version-id v1)"
check "set-default-policy-version" ok "$(err iam set-default-policy-version --policy-arn "$P" --version-id v3)"
check "the new default decides" AccessDenied "$(err_as "$DAVE_KEY" "$DAVE_SECRET" iam list-roles)"
check "get-policy-version returns the document" iam:GetRole \
    "$(admin iam get-policy-version --policy-arn "$P" --version-id v3 | jq -r '.PolicyVersion.Document.Statement[0].Action')"
check "a missing version" NoSuchEntity "$(err iam get-policy-version --policy-arn "$P" --version-id v9)"
check "a bad version id" ValidationError "$(err iam get-policy-version --policy-arn "$P" --version-id x1)"
check "delete a version" ok "$(err iam delete-policy-version --policy-arn "$P" --version-id v1)"
check "a policy over 6144 characters" LimitExceeded "$(err iam create-policy --policy-name Huge --policy-document \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::$(head -c 6200 /dev/zero | tr '\0' a)\"}]}")"

# ---- roles: validation and conflicts ----
check "a trust policy without Principal" MalformedPolicyDocument "$(err iam create-role --role-name r1 \
    --assume-role-policy-document "$ALL")"
check "create-role" ok "$(err iam create-role --role-name r1 --assume-role-policy-document "$TRUST_ACCOUNT" --max-session-duration 7200)"
check "role names are unique ignoring case" EntityAlreadyExists "$(err iam create-role --role-name R1 --assume-role-policy-document "$TRUST_ACCOUNT")"
check "a boundary that does not exist" NoSuchEntity "$(err iam create-role --role-name r2 \
    --assume-role-policy-document "$TRUST_ACCOUNT" --permissions-boundary arn:aws:iam::123456789012:policy/Nope)"
check "a missing role" NoSuchEntity "$(err iam get-role --role-name nope)"
admin iam put-role-policy --role-name r1 --policy-name all --policy-document "$ALL"
check "delete-role with an inline policy" DeleteConflict "$(err iam delete-role --role-name r1)"
for i in 1 2 3 4 5 6 7 8 9 10 11; do
    admin iam create-policy --policy-name "p$i" --policy-document "$V" >/dev/null
    r=$(err iam attach-role-policy --role-name r1 --policy-arn "arn:aws:iam::123456789012:policy/p$i")
done
check "an eleventh attached policy" LimitExceeded "$r"
check "list-attached-role-policies" 10 "$(admin iam list-attached-role-policies --role-name r1 | jq '.AttachedPolicies | length')"
check "detach a policy that is not attached" NoSuchEntity "$(err iam detach-role-policy --role-name r1 --policy-arn arn:aws:iam::123456789012:policy/p11)"
for n in r2 r3; do admin iam create-role --role-name $n --assume-role-policy-document "$TRUST_ACCOUNT" >/dev/null; done
pages_before=$(grep -c '"detail":"ListRoles"' "$tmp/access.log")
check "paging: 3 roles, one per page" 3 "$(admin iam list-roles --page-size 1 | jq -r '[.Roles[].RoleName] | length')"
i=0; while [ $i -lt 20 ] && [ $(($(grep -c '"detail":"ListRoles"' "$tmp/access.log") - pages_before)) -lt 3 ]; do sleep 0.1; i=$((i + 1)); done
check "paging: three requests with Marker" 3 "$(($(grep -c '"detail":"ListRoles"' "$tmp/access.log") - pages_before))"
check "update-role-description" "a role" "$(admin iam update-role-description --role-name r2 --description 'a role' | jq -r .Role.Description)"
check "tags on a role" ok "$(err iam tag-role --role-name r2 --tags Key=owner,Value=erin Key=env,Value=dev)"
check "untag" "env" "$(admin iam untag-role --role-name r2 --tag-keys owner && admin iam list-role-tags --role-name r2 | jq -r '[.Tags[].Key] | join(" ")')"
check "duplicate tag keys (ignoring case)" InvalidInput "$(err iam tag-role --role-name r2 --tags Key=a,Value=1 Key=A,Value=2)"

# ---- the condition context of IAM calls ----
admin iam create-user --user-name erin >/dev/null
set -- $(new_key erin); ERIN_KEY=$1 ERIN_SECRET=$2
admin iam put-user-policy --user-name erin --policy-name conditions --policy-document '{"Version":"2012-10-17","Statement":[
  {"Sid":"TagOnlyTeamBlue","Effect":"Allow","Action":"iam:TagRole","Resource":"*",
   "Condition":{"StringEquals":{"aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}},
  {"Sid":"DeleteOwnRoles","Effect":"Allow","Action":"iam:DeleteRole","Resource":"*",
   "Condition":{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}},
  {"Sid":"AttachOnlyP1","Effect":"Allow","Action":"iam:AttachRolePolicy","Resource":"*",
   "Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::123456789012:policy/p1"}}},
  {"Sid":"PassOnlyToEc2","Effect":"Allow","Action":["iam:PassRole","iam:AddRoleToInstanceProfile","iam:CreateInstanceProfile"],"Resource":"*",
   "Condition":{"StringEqualsIfExists":{"iam:PassedToService":"ec2.amazonaws.com"}}},
  {"Sid":"OnlyFromLoopback","Effect":"Deny","Action":"iam:CreateRole","Resource":"*",
   "Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
  {"Sid":"Read","Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}'
check "aws:RequestTag and aws:TagKeys allow" ok "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam tag-role --role-name r2 --tags Key=team,Value=blue)"
check "another tag value is denied" AccessDenied "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam tag-role --role-name r2 --tags Key=team,Value=red)"
check "another tag key is denied" AccessDenied "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam tag-role --role-name r2 --tags Key=team,Value=blue Key=x,Value=y)"
check "aws:ResourceTag: not the owner" AccessDenied "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam delete-role --role-name r3)"
admin iam tag-role --role-name r3 --tags Key=owner,Value=erin
check "aws:ResourceTag with \${aws:username}: the owner" ok "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam delete-role --role-name r3)"
check "iam:PolicyARN: the allowed policy" ok "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam attach-role-policy --role-name r2 --policy-arn arn:aws:iam::123456789012:policy/p1)"
check "iam:PolicyARN: another policy" AccessDenied "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam attach-role-policy --role-name r2 --policy-arn arn:aws:iam::123456789012:policy/p2)"
check "aws:SourceIp: an explicit deny from 127.0.0.1" AccessDenied "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam create-role --role-name r9 --assume-role-policy-document "$TRUST_ACCOUNT")"
contains "aws:SourceIp: the message says explicit" "with an explicit deny in an identity-based policy" "$tmp/err"

# ---- instance profiles: adding a role passes it to EC2 ----
check "create-instance-profile" ok "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam create-instance-profile --instance-profile-name web)"
check "add-role-to-instance-profile (iam:PassedToService ec2)" ok "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam add-role-to-instance-profile --instance-profile-name web --role-name r2)"
check "one role per instance profile" LimitExceeded "$(err iam add-role-to-instance-profile --instance-profile-name web --role-name r1)"
check "get-instance-profile" r2 "$(admin iam get-instance-profile --instance-profile-name web | jq -r '.InstanceProfile.Roles[0].RoleName')"
check "list-instance-profiles-for-role" web "$(admin iam list-instance-profiles-for-role --role-name r2 | jq -r '.InstanceProfiles[0].InstanceProfileName')"
check "delete a role in a profile" DeleteConflict "$(err iam delete-role --role-name r2)"
admin iam create-user --user-name frank >/dev/null
set -- $(new_key frank); FRANK_KEY=$1 FRANK_SECRET=$2
admin iam put-user-policy --user-name frank --policy-name noPass --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:AddRoleToInstanceProfile","iam:CreateInstanceProfile"],"Resource":"*"}]}'
admin iam create-instance-profile --instance-profile-name batch >/dev/null
check "adding a role without iam:PassRole" AccessDenied "$(err_as "$FRANK_KEY" "$FRANK_SECRET" iam add-role-to-instance-profile --instance-profile-name batch --role-name r1)"
contains "the denied action is iam:PassRole" "perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/r1" "$tmp/err"
check "remove-role-from-instance-profile" ok "$(err iam remove-role-from-instance-profile --instance-profile-name web --role-name r2)"
check "delete-instance-profile" ok "$(err iam delete-instance-profile --instance-profile-name web)"

# ---- AssumeRole: trust, session policies, durations ----
admin iam create-role --role-name Deployer --assume-role-policy-document "$TRUST_ACCOUNT" >/dev/null
admin iam put-role-policy --role-name Deployer --policy-name all --policy-document "$ALL"
admin iam put-user-policy --user-name dave --policy-name assume --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/Deployer"}]}'
check "a role the caller may not assume" AccessDenied "$(err_as "$ERIN_KEY" "$ERIN_SECRET" sts assume-role --role-arn arn:aws:iam::123456789012:role/Deployer --role-session-name ev)"
check "a role that does not exist" AccessDenied "$(err_as "$DAVE_KEY" "$DAVE_SECRET" sts assume-role --role-arn arn:aws:iam::123456789012:role/Nope --role-session-name dv)"
check "longer than the role allows" ValidationError "$(err_as "$DAVE_KEY" "$DAVE_SECRET" sts assume-role --role-arn arn:aws:iam::123456789012:role/Deployer --role-session-name dv --duration-seconds 7200)"
aws_as "$DAVE_KEY" "$DAVE_SECRET" -- sts assume-role --role-arn arn:aws:iam::123456789012:role/Deployer --role-session-name dv \
    --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}' >"$tmp/sp.json"
set -- "$(jq -r .Credentials.AccessKeyId "$tmp/sp.json")" "$(jq -r .Credentials.SecretAccessKey "$tmp/sp.json")" "$(jq -r .Credentials.SessionToken "$tmp/sp.json")"
check "a session policy allows" ok "$(err_session "$1" "$2" "$3" iam get-role --role-name r1)"
check "a session policy limits" AccessDenied "$(err_session "$1" "$2" "$3" iam list-roles)"
contains "limited by the session policy" "because no session policy allows the iam:ListRoles action" "$tmp/err"
check "a session policy also limits AssumeRole" AccessDenied "$(err_session "$1" "$2" "$3" sts assume-role --role-arn arn:aws:iam::123456789012:role/r1 --role-session-name xx)"
aws_as "$DAVE_KEY" "$DAVE_SECRET" -- sts assume-role --role-arn arn:aws:iam::123456789012:role/Deployer --role-session-name plain >"$tmp/plain.json"
check "role chaining beyond one hour" ValidationError "$(err_session "$(jq -r .Credentials.AccessKeyId "$tmp/plain.json")" \
    "$(jq -r .Credentials.SecretAccessKey "$tmp/plain.json")" "$(jq -r .Credentials.SessionToken "$tmp/plain.json")" \
    sts assume-role --role-arn arn:aws:iam::123456789012:role/r1 --role-session-name xx --duration-seconds 5000)"
check "session tags are refused, not ignored" InvalidInput "$(err_as "$DAVE_KEY" "$DAVE_SECRET" sts assume-role --role-arn arn:aws:iam::123456789012:role/Deployer --role-session-name dv --tags Key=a,Value=b)"
check "deleting a role ends its sessions" InvalidClientTokenId "$(admin iam delete-role-policy --role-name Deployer --policy-name all; admin iam delete-role --role-name Deployer; err_session "$1" "$2" "$3" iam get-role --role-name r1)"

# ---- a permissions boundary decides, and says so ----
admin iam create-policy --policy-name OnlyGetRole --policy-document "$V" >/dev/null
admin iam put-user-permissions-boundary --user-name erin --permissions-boundary arn:aws:iam::123456789012:policy/OnlyGetRole
check "the boundary blocks" AccessDenied "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam tag-role --role-name r2 --tags Key=team,Value=blue)"
contains "blocked by the boundary" "because no permissions boundary allows the iam:TagRole action" "$tmp/err"
admin iam delete-user-permissions-boundary --user-name erin
check "without it, allowed again" ok "$(err_as "$ERIN_KEY" "$ERIN_SECRET" iam tag-role --role-name r2 --tags Key=team,Value=blue)"

# ---- SimulatePrincipalPolicy against the stored state ----
sim() { admin iam simulate-principal-policy --policy-source-arn "$1" --action-names "$2" | jq -r '.EvaluationResults[0].EvalDecision'; }
check "simulate the user dave (his group's policy, default version v3)" allowed "$(sim arn:aws:iam::123456789012:user/dave iam:GetRole)"
check "simulate: not allowed" implicitDeny "$(sim arn:aws:iam::123456789012:user/dave iam:ListRoles)"
admin iam remove-user-from-group --group-name readers --user-name dave
check "simulate follows the state" implicitDeny "$(sim arn:aws:iam::123456789012:user/dave iam:GetRole)"
check "simulate a role" allowed "$(sim arn:aws:iam::123456789012:role/r1 s3:GetObject)"
check "simulate with context from the caller's view" explicitDeny \
    "$(admin iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/erin --action-names iam:CreateRole \
        --context-entries ContextKeyName=aws:SourceIp,ContextKeyValues=192.0.2.1,ContextKeyType=ip | jq -r '.EvaluationResults[0].EvalDecision')"
check "simulate a principal that does not exist" InvalidInput "$(err iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/nobody --action-names s3:GetObject)"
check "simulating needs permission" AccessDenied "$(err_as "$DAVE_KEY" "$DAVE_SECRET" iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/dave --action-names s3:GetObject)"

# ---- hostile input ----
check "an unknown action" "400 InvalidAction" "$(forge "Action=CreateRocket&Version=2010-05-08" --key "$ADMIN_KEY" --secret "$ADMIN_SECRET")"
check "an unknown parameter" "400 InvalidInput" "$(forge "Action=CreateUser&Version=2010-05-08&UserName=x1&PermissionBoundary=arn:aws:iam::123456789012:policy/p1" --key "$ADMIN_KEY" --secret "$ADMIN_SECRET")"
check "a parameter twice" "404 MalformedQueryString" "$(forge "Action=CreateUser&Version=2010-05-08&UserName=x1&UserName=x2" --key "$ADMIN_KEY" --secret "$ADMIN_SECRET")"
check "invalid UTF-8" "404 MalformedQueryString" "$(forge "Action=CreateUser&Version=2010-05-08&UserName=%FF" --key "$ADMIN_KEY" --secret "$ADMIN_SECRET")"
check "an STS action with the IAM version" "400 InvalidAction" "$(forge "Action=AssumeRole&Version=2010-05-08" --key "$ADMIN_KEY" --secret "$ADMIN_SECRET")"
check "a body over --max-body" 413 "$(head -c 9000000 /dev/zero | tr '\0' a | curl -s -o /dev/null -w '%{http_code}' --data-binary @- "$URL/")"
check "the users after hostile input" "dave erin frank" "$(admin iam list-users | jq -r '[.Users[].UserName] | sort | join(" ")')"

# ---- export, import into a new database, export again ----
admin iam get-account-authorization-details >"$tmp/api-export.json"
stop_emulator
"$IG" emulate export --db "$tmp/api.db" --output "$tmp/api-export-db.json" 2>/dev/null
check "export = get-account-authorization-details" "$(jq -S . "$tmp/api-export.json" | sha256sum)" "$(jq -S . "$tmp/api-export-db.json" | sha256sum)"
IAMGUARD_EMULATOR_ACCESS_KEY_ID=$ADMIN_KEY IAMGUARD_EMULATOR_SECRET_ACCESS_KEY=$ADMIN_SECRET \
    "$IG" emulate import --db "$tmp/copy.db" "$tmp/api-export.json" 2>"$tmp/err"
check "import of the export" 0 "$?"
"$IG" emulate export --db "$tmp/copy.db" --output "$tmp/copy-export.json" 2>/dev/null
check "the copy exports the same account" "$(jq -S 'del(.Policies[] | select(.Arn | startswith("arn:aws:iam::aws:")))' "$tmp/api-export.json" | sha256sum)" \
    "$(jq -S 'del(.Policies[] | select(.Arn | startswith("arn:aws:iam::aws:")))' "$tmp/copy-export.json" | sha256sum)"
"$IG" emulate import --db "$tmp/copy.db" "$tmp/api-export.json" 2>"$tmp/err"
check "importing it twice is refused" 2 "$?"
contains "refused with the reason" "already exists in the database" "$tmp/err"
jq '.RoleDetailList[0].RolePolicyList = [{"PolicyName":"bad","PolicyDocument":{"Statement":[{"Effect":"Maybe"}]}}]' \
    "$tmp/api-export.json" >"$tmp/bad-export.json"
"$IG" emulate import --db "$tmp/fresh.db" "$tmp/bad-export.json" 2>"$tmp/err"
check "an import with a broken policy is refused" 2 "$?"
check "... and changed nothing" 0 "$(sqlite3 "$tmp/fresh.db" "SELECT COUNT(*) FROM entities")"
"$IG" emulate import --db "$tmp/fresh.db" --aws-managed "$ROOT/../shared/corpus/aws-managed-policies.jsonl" 2>"$tmp/err" ||
    "$IG" emulate import --db "$tmp/fresh.db" --aws-managed "${IAMGUARD_SHARED:-/nonexistent}/corpus/aws-managed-policies.jsonl" 2>>"$tmp/err"
check "AWS managed policies imported" 1 "$([ "$(sqlite3 "$tmp/fresh.db" "SELECT COUNT(*) FROM policies WHERE aws = 1")" -gt 1000 ] && echo 1 || cat "$tmp/err")"
check "integrity" ok "$(sqlite3 "$tmp/api.db" "PRAGMA integrity_check")"
