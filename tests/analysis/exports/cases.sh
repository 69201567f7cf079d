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

# Split exports (page-1/page-2 are account.json cut as the AWS CLI pages
# it: each lists part of every list, and names what the other defines):
# any order, and a page given twice, give the same model and output.
expect_exit 1 pages-ab "$bin" escalate --account "$EX/page-1.json" --account "$EX/page-2.json"
cp "$tmp/out" "$tmp/pages-ab"
expect_exit 1 pages-ba "$bin" escalate --account "$EX/page-2.json" --account "$EX/page-1.json"
if cmp -s "$tmp/out" "$tmp/pages-ab"; then ok; else bad "pages-ba: output differs from pages-ab"; fi
expect_exit 1 pages-aba "$bin" escalate --account "$EX/page-1.json" --account "$EX/page-2.json" --account "$EX/page-1.json"
if cmp -s "$tmp/out" "$tmp/pages-ab"; then ok; else bad "pages-aba: output differs from pages-ab"; fi
has pages-aba "privilege escalation from user arn:aws:iam::111122223333:user/dana"
expect_exit 1 pages-json-ab "$bin" escalate --account "$EX/page-1.json" --account "$EX/page-2.json" --format json
cp "$tmp/out" "$tmp/pages-json-ab"
expect_exit 1 pages-json-ba "$bin" escalate --account "$EX/page-2.json" --account "$EX/page-1.json" --format json
if cmp -s "$tmp/out" "$tmp/pages-json-ab"; then ok; else bad "pages-json-ba: output differs"; fi
# The same starts as the whole export (dana is in group developers, which
# only the other page lists).
"$bin" escalate --account "$ACCT" 2>/dev/null | grep '^privilege' | sort >"$tmp/starts-one"
grep '^privilege' "$tmp/pages-ab" | sort >"$tmp/starts-pages"
if cmp -s "$tmp/starts-one" "$tmp/starts-pages"; then ok; else bad "pages: other starts than the whole export"; fi
expect_exit 0 pages-group "$bin" effective dana --account "$EX/page-2.json" --account "$EX/page-1.json" --actions 'sts:AssumeRole'
has pages-group "arn:aws:iam::111122223333:role/deployer"
# The same ARN with another document: an error naming both files.
expect_exit 2 pages-conflict "$bin" escalate --account "$EX/page-1.json" --account "$EX/page-2.json" --account "$EX/conflict-ci-deploy.json"
err_has pages-conflict "conflict-ci-deploy.json:3:3: error: policy arn:aws:iam::111122223333:policy/ci-deploy differs from its entry at tests/analysis/exports/page-2.json:"

# Two accounts together: alice (111122223333) may assume partner-* roles
# of 444455556666, whose partner-admin trusts her account; partner-audit
# trusts a third account only (near miss), bob has no sts:AssumeRole.
expect_exit 1 xacct "$bin" escalate alice --account "$EX/xacct-a.json" --account "$EX/xacct-b.json"
has xacct "path 1: role arn:aws:iam::444455556666:role/partner-admin"
has xacct "allowed by tests/analysis/exports/xacct-b.json:6:6 (TrustAccountA); tests/analysis/exports/xacct-a.json:5:6 (HopToPartner)"
lacks xacct "partner-audit"
expect_exit 1 xacct-json "$bin" escalate alice --account "$EX/xacct-b.json" --account "$EX/xacct-a.json" --format json
has xacct-json '"from": "arn:aws:iam::111122223333:user/alice"'
has xacct-json 'arn:aws:iam::444455556666:role/partner-admin'
expect_exit 0 xacct-near-miss "$bin" escalate bob --account "$EX/xacct-a.json" --account "$EX/xacct-b.json"
has xacct-near-miss "no escalation path"
expect_exit 0 xacct-one-side "$bin" escalate alice --account "$EX/xacct-a.json"
