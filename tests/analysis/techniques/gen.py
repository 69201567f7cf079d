#!/usr/bin/env python3
"""gen.py - write the two case directories of each technique-table row that
has none yet: <id>/path (a minimal account where user mallory gains role
Target by that technique) and <id>/near-miss (the same account with the one
thing that stops it: iam:PassRole limited to another service, or the calls
limited to another account's resources; must report nothing).  Existing
directories are left alone, so hand-edited cases stay.
usage: gen.py IAMGUARD"""
import json
import os
import subprocess
import sys

A = "111122223333"
OTHER = "999999999999"
here = os.path.dirname(os.path.abspath(__file__))
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def account(stmts, service):
    target = f"arn:aws:iam::{A}:role/Target"
    return {
        "UserDetailList": [{
            "UserName": "mallory", "Arn": f"arn:aws:iam::{A}:user/mallory", "Path": "/", "GroupList": [],
            "UserPolicyList": [{"PolicyName": "attacker",
                                "PolicyDocument": {"Version": "2012-10-17", "Statement": stmts}}]}],
        "GroupDetailList": [],
        "RoleDetailList": [{
            "RoleName": "Target", "Arn": target, "Path": "/", "RolePolicyList": [],
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
            "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess",
                                         "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}],
        "Policies": [{"PolicyName": "AdministratorAccess", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess",
                      "DefaultVersionId": "v1",
                      "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": ADMIN}]}],
    }


def statements(row, near):
    target = f"arn:aws:iam::{A}:role/Target"
    out = []
    for c in row["calls"]:
        act, res = c["action"], c["resource"]
        if act == "iam:PassRole":
            st = {"Effect": "Allow", "Action": act, "Resource": target}
            if near and row["kind"] == "pass":
                other = "ec2.amazonaws.com" if row["service"] != "ec2.amazonaws.com" else "lambda.amazonaws.com"
                st["Condition"] = {"StringEquals": {"iam:PassedToService": other}}
            out.append(st)
        elif near and row["kind"] == "hijack" and "%s" in res:
            out.append({"Effect": "Allow", "Action": act, "Resource": res.replace("%s", OTHER)})
        else:
            out.append({"Effect": "Allow", "Action": act, "Resource": "*"})
    return out


def write(d, acct, expect):
    os.makedirs(d)
    with open(os.path.join(d, "account.json"), "w") as f:
        json.dump(acct, f, indent=1)
        f.write("\n")
    with open(os.path.join(d, "expect"), "w") as f:
        f.write(expect)


def main():
    rows = json.loads(subprocess.run([sys.argv[1], "escalate", "--list-techniques", "--format", "json"],
                                     check=True, capture_output=True, text=True).stdout)["techniques"]
    for row in rows:
        base = os.path.join(here, row["id"])
        if os.path.exists(base):
            continue
        has_pattern = any("%s" in c["resource"] for c in row["calls"] if c["action"] != "iam:PassRole")
        exp = (f"# {row['id']}: mallory gains role Target by {' + '.join(c['action'] for c in row['calls'])}.\n"
               f"run escalate mallory --format json\nexit 1\nhas \"method\": \"{row['id']}\"\n")
        if row["assumes"]:
            exp += f"run escalate mallory\nexit 1\nhas assumes: {row['assumes']}\n"
        write(os.path.join(base, "path"), account(statements(row, False), row["service"]), exp)
        # The near-miss: the one thing that stops this technique (iam:PassRole
        # only to another service; the calls only on another account's
        # resources) -- unless what is left still allows another technique
        # of the table, then a role that trusts another service.
        near = [(statements(row, True), row["service"],
                 "iam:PassRole only to another service" if row["kind"] == "pass"
                 else "the calls only on another account's resources")] if row["kind"] == "pass" or has_pattern else []
        near.append((statements(row, False), "states.amazonaws.com",
                     f"the role trusts states.amazonaws.com, not {row['service']}"))
        for stmts, svc, why in near:
            acct = account(stmts, svc)
            with open("/tmp/iamguard-gen-near.json", "w") as f:
                json.dump(acct, f)
            if subprocess.run([sys.argv[1], "escalate", "mallory", "--account", "/tmp/iamguard-gen-near.json"],
                              capture_output=True).returncode == 0:
                break
        write(os.path.join(base, "near-miss"), acct,
              f"# {row['id']}, but {why}: nothing to report.\nrun escalate mallory\nexit 0\nhas no escalation path\n")

main()
