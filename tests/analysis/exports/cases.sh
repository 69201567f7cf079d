#!/bin/sh
# exports/cases.sh - account exports as people have them: the AWS managed
# AWSSSOServiceRolePolicy (CreateRole + PutRolePolicy on a role path in any
# account), the real exports of ../shared/realworld/accounts/.  Sourced by
# run.sh (uses its helpers, $bin, $tmp, $here).

EX=tests/analysis/exports
shared=${IAMGUARD_SHARED:-$root/../shared}

# A role under a path: the new role needs a name after the path (it was a
# false "out of memory" when the witness was the path itself).
expect_exit 1 sso-escalate "$bin" escalate sso-admin --account "$EX/sso-service-role.json"
has sso-escalate "iam:CreateRole on arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/a"
has sso-escalate "allowed by tests/analysis/exports/sso-service-role.json:57:8 (IAMRoleProvisioningActions)"
has sso-escalate "gains: every action of the catalog"
expect_exit 1 sso-escalate-all "$bin" escalate --account "$EX/sso-service-role.json" --format json
has sso-escalate-all '"complete": true'
expect_exit 0 sso-creatable "$bin" effective sso-admin --account "$EX/sso-service-role.json" --creatable --actions 'iam:GetRole'
has sso-creatable "role arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/a"

# Every real export: escalate exits as listed, effective of each principal 0.
if [ -d "$shared/realworld/accounts" ]; then
    for f in "$shared"/realworld/accounts/*.json; do
        b=$(basename "$f")
        want=$(awk -v f="$b" '$1 == f { print $2 }' "$EX/realworld.expect")
        if [ -z "$want" ]; then bad "realworld-$b: not in exports/realworld.expect"; continue; fi
        expect_exit "$want" "realworld-$b" "$bin" escalate --account "$f"
        expect_exit "$want" "realworld-json-$b" "$bin" escalate --account "$f" --format json
        has "realworld-json-$b" '"complete": true'
        for p in $(grep -o '"Arn": *"arn:aws:iam::[0-9]*:\(user\|role\|group\)/[^"]*"' "$f" | sed 's/.*"\(arn:[^"]*\)"/\1/'); do
            expect_exit 0 "realworld-effective-$b-$p" "$bin" effective "$p" --account "$f"
            expect_exit 0 "realworld-creatable-$b-$p" "$bin" effective "$p" --account "$f" --creatable --actions 'iam:*'
        done
    done
else
    echo "note: $shared/realworld/accounts not found: real exports skipped"
fi
