#!/bin/sh
# gen_account.sh - write an `aws iam get-account-authorization-details`
# export with N roles, N customer managed policies and N/20 users, for the
# analysis benchmark (not committed: generated at bench/test time).
# usage: gen_account.sh N > export.json
#
# The account looks like a busy one: every role has a data policy of its
# own (S3 and DynamoDB on its resources) and trusts Lambda, EC2 or the
# account; one policy in 50 also lets its holder pass app-* roles to Lambda
# and create functions, one in 100 lets it assume roles, one in 200 lets
# it write role policies -- so escalation paths exist and the graph is not
# trivial.  Those three grants name roles by wildcard (app-*, ops-*, svc-*):
# each reaches a fixed share of all roles, so the account has about N^2/375
# pass-role, N^2/3000 assume-role and N^2/600 put-role-policy edges, and
# every start holding one reaches a share of all roles -- any exact
# analysis of it, and its report, grows with N^2.
#
# usage: gen_account.sh N [scoped]
# "scoped": the same account except that those grants name four roles of
# their team each (app-J, ops-J, svc-J for the next J) instead of a
# wildcard, as a least-privilege account would: edges grow with N, and the
# time measures the tool rather than the account's square.
set -eu
n=${1:-1000}
scoped=0
[ "${2:-}" = scoped ] && scoped=1
awk -v n="$n" -v scoped="$scoped" '
function team(prefix, i,    s, j, k) {   # four roles of that prefix after i
    s = ""
    for (j = i + 1; k < 4 && j < i + 40 && j < n; j++)
        if ((prefix == "app" && j % 3 == 0) || (prefix == "svc" && j % 3 == 1) || (prefix == "ops" && j % 3 == 2)) {
            s = s sprintf("%s\"arn:aws:iam::%s:role/%s-%d\"", k ? "," : "", acct, prefix, j)
            k++
        }
    return k ? "[" s "]" : sprintf("\"arn:aws:iam::%s:role/%s-none\"", acct, prefix)
}
BEGIN {
    acct = "210987654321"
    printf "{\n \"Policies\": [\n"
    for (i = 0; i < n; i++) {
        st = sprintf("{\"Sid\":\"Data\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:ListBucket\",\"dynamodb:GetItem\",\"dynamodb:PutItem\",\"dynamodb:Query\"],\"Resource\":[\"arn:aws:s3:::bucket-%d\",\"arn:aws:s3:::bucket-%d/*\",\"arn:aws:dynamodb:*:%s:table/table-%d\"]}", i, i, acct, i)
        if (i % 50 == 7)
            st = st sprintf(",{\"Sid\":\"Deploy\",\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\"],\"Resource\":%s,\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}},{\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"*\"}", scoped ? team("app", i) : sprintf("\"arn:aws:iam::%s:role/app-*\"", acct))
        if (i % 100 == 13)
            st = st sprintf(",{\"Sid\":\"Hop\",\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":%s}", scoped ? team("ops", i) : sprintf("\"arn:aws:iam::%s:role/ops-*\"", acct))
        if (i % 200 == 21)
            st = st sprintf(",{\"Sid\":\"Tune\",\"Effect\":\"Allow\",\"Action\":[\"iam:PutRolePolicy\",\"iam:GetRole\"],\"Resource\":%s}", scoped ? team("svc", i) : sprintf("\"arn:aws:iam::%s:role/svc-*\"", acct))
        printf "  {\"PolicyName\":\"policy-%d\",\"PolicyId\":\"ANPA%016d\",\"Arn\":\"arn:aws:iam::%s:policy/policy-%d\",\"Path\":\"/\",\"DefaultVersionId\":\"v1\",\"AttachmentCount\":1,\"IsAttachable\":true,\"PolicyVersionList\":[{\"VersionId\":\"v1\",\"IsDefaultVersion\":true,\"Document\":{\"Version\":\"2012-10-17\",\"Statement\":[%s]}}]}%s\n", i, i, acct, i, st, (i + 1 < n) ? "," : ""
    }
    printf " ],\n \"RoleDetailList\": [\n"
    for (i = 0; i < n; i++) {
        prefix = (i % 3 == 0) ? "app" : (i % 3 == 1) ? "svc" : "ops"
        if (i % 10 == 0)
            trust = sprintf("{\"AWS\":\"arn:aws:iam::%s:root\"}", acct)
        else if (i % 2 == 0)
            trust = "{\"Service\":\"lambda.amazonaws.com\"}"
        else
            trust = "{\"Service\":\"ec2.amazonaws.com\"}"
        printf "  {\"Path\":\"/\",\"RoleName\":\"%s-%d\",\"RoleId\":\"AROA%016d\",\"Arn\":\"arn:aws:iam::%s:role/%s-%d\",\"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":%s,\"Action\":\"sts:AssumeRole\"}]},\"RolePolicyList\":[],\"AttachedManagedPolicies\":[{\"PolicyName\":\"policy-%d\",\"PolicyArn\":\"arn:aws:iam::%s:policy/policy-%d\"}],\"Tags\":[]}%s\n", prefix, i, i, acct, prefix, i, trust, i, acct, i, (i + 1 < n) ? "," : ""
    }
    users = int(n / 20)
    printf " ],\n \"GroupDetailList\": [{\"GroupName\":\"staff\",\"Arn\":\"arn:aws:iam::%s:group/staff\",\"GroupPolicyList\":[],\"AttachedManagedPolicies\":[]}],\n \"UserDetailList\": [\n", acct
    for (i = 0; i < users; i++)
        printf "  {\"Path\":\"/\",\"UserName\":\"user-%d\",\"Arn\":\"arn:aws:iam::%s:user/user-%d\",\"GroupList\":[\"staff\"],\"UserPolicyList\":[],\"AttachedManagedPolicies\":[{\"PolicyName\":\"policy-%d\",\"PolicyArn\":\"arn:aws:iam::%s:policy/policy-%d\"}]}%s\n", i, acct, i, (i * 7) % n, acct, (i * 7) % n, (i + 1 < users) ? "," : ""
    printf " ]\n}\n"
}'
