#!/bin/sh
# edges.sh - one minimal account per privilege-escalation edge type: the
# attacker "mallory" (a user) and the victims (role Admin, user boss, group
# admins, managed policies dev and fence).  For every edge, the account
# where it exists must give `iamguard escalate mallory` a path by that
# method, and the same account with the condition, resource or boundary
# that removes it must not.  Sourced by run.sh (uses its ok/bad helpers).

A=111122223333
ADMIN_DOC='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
ADMIN_ATT='{"PolicyName":"AdministratorAccess","PolicyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}'
FENCE_ARN="arn:aws:iam::$A:policy/fence"

trust_aws() { printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}' "$1"; }
trust_svc() { printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},"Action":"sts:AssumeRole"}]}' "$1"; }
doc() { printf '{"Version":"2012-10-17","Statement":[%s]}' "$1"; }
allow() { printf '{"Effect":"Allow","Action":%s,"Resource":%s}' "$1" "$2"; }

# account FILE MALLORY_STATEMENTS VICTIM_TRUST [MALLORY_EXTRA] [VICTIM_MANAGED]
# MALLORY_EXTRA is spliced into mallory's object: ,"GroupList":[...] etc.
account() {
    file=$1 stmts=$2 trust=$3 extra=${4:-} vmanaged=${5-$ADMIN_ATT}
    case $extra in *GroupList*) groups="" ;; *) groups=',"GroupList":[]' ;; esac
    cat >"$file" <<EOF
{
 "UserDetailList": [
  {"UserName":"mallory","Arn":"arn:aws:iam::$A:user/mallory","Path":"/",
   "UserPolicyList":[{"PolicyName":"attacker","PolicyDocument":$(doc "$stmts")}]$groups$extra},
  {"UserName":"boss","Arn":"arn:aws:iam::$A:user/boss","Path":"/","UserPolicyList":[],
   "GroupList":[],"AttachedManagedPolicies":[$ADMIN_ATT]}
 ],
 "GroupDetailList": [
  {"GroupName":"admins","Arn":"arn:aws:iam::$A:group/admins","GroupPolicyList":[],"AttachedManagedPolicies":[$ADMIN_ATT]},
  {"GroupName":"devs","Arn":"arn:aws:iam::$A:group/devs","GroupPolicyList":[],"AttachedManagedPolicies":[]}
 ],
 "RoleDetailList": [
  {"RoleName":"Admin","Arn":"arn:aws:iam::$A:role/Admin","Path":"/","AssumeRolePolicyDocument":$trust,
   "RolePolicyList":[],"AttachedManagedPolicies":[$vmanaged]}
 ],
 "Policies": [
  {"PolicyName":"AdministratorAccess","Arn":"arn:aws:iam::aws:policy/AdministratorAccess","DefaultVersionId":"v1",
   "PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"Document":$ADMIN_DOC}]},
  {"PolicyName":"dev","Arn":"arn:aws:iam::$A:policy/dev","DefaultVersionId":"v2",
   "PolicyVersionList":[{"VersionId":"v2","IsDefaultVersion":true,"Document":$(doc "$(allow '"s3:ListAllMyBuckets"' '"*"')")},
                        {"VersionId":"v1","IsDefaultVersion":false,"Document":$ADMIN_DOC}]},
  {"PolicyName":"fence","Arn":"$FENCE_ARN","DefaultVersionId":"v1",
   "PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"Document":$(doc "$(allow '["s3:*","iam:DeleteUserPermissionsBoundary","iam:PutUserPermissionsBoundary","iam:CreatePolicyVersion"]' '"*"')")}]}
 ]
}
EOF
}

# edge NAME METHOD: run on $tmp/e.json (exists) and $tmp/r.json (removed)
edge() {
    name=$1 method=$2
    "$bin" escalate mallory --account "$tmp/e.json" --format json >"$tmp/out" 2>"$tmp/err"; code=$?
    if [ $code -eq 1 ] && grep -qF "\"method\": \"$method\"" "$tmp/out"; then ok
    else bad "edge $name: no path by $method (exit $code)"; head -3 "$tmp/err"; fi
    "$bin" escalate mallory --account "$tmp/r.json" --format json >"$tmp/out" 2>"$tmp/err"; code=$?
    if [ $code -le 1 ] && ! grep -qF "\"method\": \"$method\"" "$tmp/out"; then ok
    else bad "edge $name removed: still a path by $method (exit $code)"; fi
}

M="arn:aws:iam::$A:user/mallory"
ROLE="\"arn:aws:iam::$A:role/Admin\""
LAMBDA=$(trust_svc lambda.amazonaws.com)

# sts:AssumeRole: the trust policy names mallory / names someone else.
account "$tmp/e.json" "$(allow '"sts:AssumeRole"' "$ROLE")" "$(trust_aws "$M")"
account "$tmp/r.json" "$(allow '"sts:AssumeRole"' "$ROLE")" "$(trust_aws "arn:aws:iam::$A:user/boss")"
edge assume "sts:AssumeRole"

# iam:UpdateAssumeRolePolicy + sts:AssumeRole / only on another role.
account "$tmp/e.json" "$(allow '["iam:UpdateAssumeRolePolicy","sts:AssumeRole"]' "$ROLE")" "$LAMBDA"
account "$tmp/r.json" "$(allow '["iam:UpdateAssumeRolePolicy","sts:AssumeRole"]' "\"arn:aws:iam::$A:role/Other\"")" "$LAMBDA"
edge update-trust "iam:UpdateAssumeRolePolicy + sts:AssumeRole"

# iam:PassRole + a service, and changing what runs as a role: one case
# pair per row of the technique table (techniques/, run by cases.sh).
deny() { printf '{"Effect":"Deny","Action":%s,"Resource":%s}' "$1" "$2"; }

# The PassRole condition that removes it: iam:PassedToService.
account "$tmp/e.json" "$(allow '"iam:PassRole"' "$ROLE"),$(allow '["lambda:CreateFunction","lambda:InvokeFunction"]' '"*"')" "$LAMBDA"
account "$tmp/r.json" "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":$ROLE,\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"ec2.amazonaws.com\"}}},$(allow '["lambda:CreateFunction","lambda:InvokeFunction"]' '"*"')" "$LAMBDA"
edge passrole-condition lambda-create-invoke

# Credentials of another user (resource ${aws:username} removes it).
creds() {
    account "$tmp/e.json" "$(allow "\"$1\"" "\"arn:aws:iam::$A:user/boss\"")" "$LAMBDA"
    account "$tmp/r.json" "$(allow "\"$1\"" "\"arn:aws:iam::$A:user/\${aws:username}\"")" "$LAMBDA"
    edge "creds-$1" "$1"
}
creds iam:CreateAccessKey
creds iam:CreateLoginProfile
creds iam:UpdateLoginProfile

# A policy on oneself (a boundary that does not allow IAM removes it).
BOUNDED=",\"PermissionsBoundary\":{\"PermissionsBoundaryType\":\"Policy\",\"PermissionsBoundaryArn\":\"$FENCE_ARN\"}"
account "$tmp/e.json" "$(allow '"iam:PutUserPolicy"' "\"$M\"")" "$LAMBDA"
account "$tmp/r.json" "$(allow '"iam:PutUserPolicy"' "\"$M\"")" "$LAMBDA" "$BOUNDED"
edge put-user-policy iam:PutUserPolicy
account "$tmp/e.json" "$(allow '"iam:AttachUserPolicy"' "\"$M\"")" "$LAMBDA"
account "$tmp/r.json" "{\"Effect\":\"Allow\",\"Action\":\"iam:AttachUserPolicy\",\"Resource\":\"$M\",\"Condition\":{\"ArnEquals\":{\"iam:PolicyARN\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}}}" "$LAMBDA"
edge attach-user-policy iam:AttachUserPolicy

# A policy on a role one can assume (the role has nothing of its own).
account "$tmp/e.json" "$(allow '"iam:PutRolePolicy"' "$ROLE")" "$(trust_aws "$M")" "" ""
account "$tmp/r.json" "$(allow '"iam:PutRolePolicy"' "$ROLE"),$(deny '"iam:PutRolePolicy"' "$ROLE")" "$(trust_aws "$M")" "" ""
edge put-role-policy iam:PutRolePolicy
account "$tmp/e.json" "$(allow '"iam:AttachRolePolicy"' "$ROLE")" "$(trust_aws "$M")" "" ""
account "$tmp/r.json" "{\"Effect\":\"Allow\",\"Action\":\"iam:AttachRolePolicy\",\"Resource\":$ROLE,\"Condition\":{\"ArnEquals\":{\"iam:PolicyARN\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}}}" "$(trust_aws "$M")" "" ""
edge attach-role-policy iam:AttachRolePolicy

# One's group.
DEVS=',"GroupList":["devs"]'
account "$tmp/e.json" "$(allow '"iam:PutGroupPolicy"' "\"arn:aws:iam::$A:group/devs\"")" "$LAMBDA" "$DEVS"
account "$tmp/r.json" "$(allow '"iam:PutGroupPolicy"' "\"arn:aws:iam::$A:group/ops\"")" "$LAMBDA" "$DEVS"
edge put-group-policy iam:PutGroupPolicy
account "$tmp/e.json" "$(allow '"iam:AttachGroupPolicy"' "\"arn:aws:iam::$A:group/devs\"")" "$LAMBDA" "$DEVS"
account "$tmp/r.json" "$(allow '"iam:AttachGroupPolicy"' "\"arn:aws:iam::$A:group/devs\""),$(deny '"iam:AttachGroupPolicy"' '"*"')" "$LAMBDA" "$DEVS"
edge attach-group-policy iam:AttachGroupPolicy
account "$tmp/e.json" "$(allow '"iam:AddUserToGroup"' "\"arn:aws:iam::$A:group/admins\"")" "$LAMBDA"
account "$tmp/r.json" "$(allow '"iam:AddUserToGroup"' "\"arn:aws:iam::$A:group/devs\"")" "$LAMBDA"
edge add-user-to-group iam:AddUserToGroup

# A managed policy one has: a new version, or the older broader one as default.
DEV=',"AttachedManagedPolicies":[{"PolicyName":"dev","PolicyArn":"arn:aws:iam::'$A':policy/dev"}]'
account "$tmp/e.json" "$(allow '"iam:CreatePolicyVersion"' "\"arn:aws:iam::$A:policy/dev\"")" "$LAMBDA" "$DEV"
account "$tmp/r.json" "$(allow '"iam:CreatePolicyVersion"' "\"arn:aws:iam::$A:policy/other\"")" "$LAMBDA" "$DEV"
edge create-policy-version iam:CreatePolicyVersion
account "$tmp/e.json" "$(allow '"iam:SetDefaultPolicyVersion"' "\"arn:aws:iam::$A:policy/dev\"")" "$LAMBDA" "$DEV"
account "$tmp/r.json" "$(allow '"iam:SetDefaultPolicyVersion"' "\"arn:aws:iam::$A:policy/other\"")" "$LAMBDA" "$DEV"
edge set-default-version iam:SetDefaultPolicyVersion

# One's own boundary: delete it, replace it, rewrite its policy.
account "$tmp/e.json" "$(allow '["iam:DeleteUserPermissionsBoundary","ec2:*"]' "\"*\"")" "$LAMBDA" "$BOUNDED"
account "$tmp/r.json" "$(allow '["iam:DeleteUserPermissionsBoundary","ec2:*"]' "\"*\""),{\"Effect\":\"Deny\",\"Action\":\"iam:DeleteUserPermissionsBoundary\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"$FENCE_ARN\"}}}" "$LAMBDA" "$BOUNDED"
edge delete-boundary iam:DeleteUserPermissionsBoundary
account "$tmp/e.json" "$(allow '["iam:PutUserPermissionsBoundary","ec2:*"]' "\"*\"")" "$LAMBDA" "$BOUNDED"
account "$tmp/r.json" "{\"Effect\":\"Allow\",\"Action\":\"iam:PutUserPermissionsBoundary\",\"Resource\":\"*\",\"Condition\":{\"ArnEquals\":{\"iam:PermissionsBoundary\":\"$FENCE_ARN\"}}},$(allow '"ec2:*"' '"*"')" "$LAMBDA" "$BOUNDED"
edge put-boundary iam:PutUserPermissionsBoundary
account "$tmp/e.json" "$(allow '["iam:CreatePolicyVersion","ec2:*"]' "\"*\"")" "$LAMBDA" "$BOUNDED"
account "$tmp/r.json" "$(allow '["iam:CreatePolicyVersion","ec2:*"]' "\"*\""),$(deny '"iam:CreatePolicyVersion"' "\"$FENCE_ARN\"")" "$LAMBDA" "$BOUNDED"
edge boundary-policy-version iam:CreatePolicyVersion

# New principals: a role or user whose policy the attacker writes.
account "$tmp/e.json" "$(allow '["iam:CreateRole","iam:PutRolePolicy"]' "\"arn:aws:iam::$A:role/*\"")" "$LAMBDA"
account "$tmp/r.json" "$(allow '"iam:CreateRole"' "\"arn:aws:iam::$A:role/*\"")" "$LAMBDA"
edge create-role iam:CreateRole
account "$tmp/e.json" "$(allow '["iam:CreateUser","iam:PutUserPolicy","iam:CreateAccessKey"]' "\"arn:aws:iam::$A:user/*\"")" "$LAMBDA"
account "$tmp/r.json" "$(allow '["iam:CreateUser","iam:PutUserPolicy"]' "\"arn:aws:iam::$A:user/*\"")" "$LAMBDA"
edge create-user iam:CreateUser
