#!/bin/sh
# hooks.sh - iamguard in other people's pipelines. .pre-commit-hooks.yaml
# with Debian's pre-commit in a throwaway repository (offline: language
# system): a bad policy and a failing scenario stop `pre-commit run` and a
# commit, good ones pass. action.yml: its shell steps, taken out of the
# YAML, run in order with the variables a runner sets (GITHUB_ACTION_PATH
# a copy of this tree and of the build, GITHUB_PATH, GITHUB_OUTPUT,
# RUNNER_TEMP) in a repository with policies; the SARIF it writes, its
# outputs, the upload step's inputs.   usage: hooks.sh [BUILD]
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
has() { if grep -qF -- "$2" "$1"; then ok; else no "$1 lacks: $2"; sed 's/^/    /' "$1" | head -8; fi; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

# the policies and scenarios of a user's repository
bad='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjectt","Resource":"*"}]}'
good='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}'
user_repo() { # user_repo DIR
    mkdir -p "$1/policies" "$1/scenarios/policies"
    echo "$good" >"$1/policies/good.json"
    echo "$bad" >"$1/policies/bad.json"
    cp "$root/tests/check/pass.yml" "$1/scenarios/pass.yml"
    cp "$root"/tests/check/policies/*.json "$1/scenarios/policies/"
    echo '{"name": "not a policy"}' >"$1/package.json"
    git -C "$1" init -q && git -C "$1" add -A && git -C "$1" commit -qm start
}

# ---- pre-commit -------------------------------------------------------------
if command -v pre-commit >/dev/null 2>&1; then
    hooks=$tmp/hooks
    mkdir -p "$hooks" && cp "$root/.pre-commit-hooks.yaml" "$hooks/"
    git -C "$hooks" init -q && git -C "$hooks" add -A && git -C "$hooks" commit -qm hooks
    rev=$(git -C "$hooks" rev-parse HEAD)
    repo=$tmp/pc-repo
    user_repo "$repo"
    printf 'repos:\n- repo: %s\n  rev: %s\n  hooks:\n  - id: iamguard-lint\n  - id: iamguard-check\n' \
        "$hooks" "$rev" >"$repo/.pre-commit-config.yaml"
    git -C "$repo" add -A && git -C "$repo" commit -qm config
    export PRE_COMMIT_HOME=$tmp/pre-commit
    pc() { (cd "$repo" && PATH="$build:$PATH" pre-commit "$@") >"$tmp/out" 2>&1; }
    pc run --all-files
    [ $? -eq 1 ] && ok || no "pre-commit run with a bad policy: want exit 1"
    has "$tmp/out" "unknown-action"
    has "$tmp/out" "policies/bad.json"
    if grep -q "^iamguard lint\.*Failed" "$tmp/out"; then ok; else no "the lint hook did not fail"; cat "$tmp/out"; fi
    if grep -q "^iamguard check\.*Passed" "$tmp/out"; then ok; else no "the check hook did not pass"; cat "$tmp/out"; fi
    grep -q "package.json" "$tmp/out" && no "the lint hook read package.json" || ok
    # a commit of a bad policy is stopped by the installed hook
    pc install && ok || no "pre-commit install"
    echo "$bad" >"$repo/policies/new.json"
    git -C "$repo" add policies/new.json
    (cd "$repo" && PATH="$build:$PATH" git commit -qm "bad policy") >"$tmp/out" 2>&1 &&
        no "git commit of a bad policy went through" || ok
    has "$tmp/out" "unknown-action"
    git -C "$repo" rm -qf policies/new.json policies/bad.json
    cp "$root/tests/check/fail.yml" "$repo/scenarios/fail.yml"
    git -C "$repo" add -A
    pc run --all-files
    [ $? -eq 1 ] && ok || no "pre-commit run with a failing scenario: want exit 1"
    if grep -q "^iamguard check\.*Failed" "$tmp/out"; then ok; else no "the check hook did not fail"; cat "$tmp/out"; fi
    if grep -q "^iamguard lint\.*Passed" "$tmp/out"; then ok; else no "the lint hook did not pass"; cat "$tmp/out"; fi
    git -C "$repo" rm -qf scenarios/fail.yml
    pc run --all-files
    [ $? -eq 0 ] && ok || { no "pre-commit run on good files: want exit 0"; cat "$tmp/out"; }
    (cd "$repo" && PATH="$build:$PATH" git commit -qm "good") >"$tmp/out" 2>&1 && ok ||
        { no "git commit of good files was stopped"; cat "$tmp/out"; }
else
    no "pre-commit not found (scripts/deps.sh test installs it)"
fi

# ---- action.yml -------------------------------------------------------------
# The action's own checkout: this tree (tracked and new files) and the
# build with its times, so that its `make all` has nothing to do.
act=$tmp/action
mkdir -p "$act"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - catalog/node_modules) |
    (cd "$act" && tar -xf -) || no "cannot copy the tree"
mkdir -p "$act/build"
(cd "$build" && tar -cf - --exclude=./tests --exclude=./deb --exclude='./*.deb' .) |
    (cd "$act/build" && tar -xf -) || no "cannot copy $build"

# steps FILES FAIL_ON: the action's steps as a runner would take them:
# step-N.sh (its run:), step-N.env (its env:, ${{ inputs.* }} resolved),
# step-N.uses (a uses: step's action and with:).
steps() {
    python3 - "$root/action.yml" "$tmp/steps" "$1" "$2" <<'EOP'
import os, re, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
inputs["files"], inputs["fail-on"] = sys.argv[3], sys.argv[4]
def resolve(v):
    v = str(v)
    v = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], v)
    # step outputs are read from GITHUB_OUTPUT when the step runs
    return re.sub(r"\$\{\{\s*steps\.(\w+)\.outputs\.([\w-]+)\s*\}\}", r"@OUT:\2@", v)
assert action["runs"]["using"] == "composite"
for i, s in enumerate(action["runs"]["steps"]):
    if "run" in s:
        assert s.get("shell") == "bash", s
        open(f"{out}/step-{i}.sh", "w").write(s["run"])
        with open(f"{out}/step-{i}.env", "w") as f:
            for k, v in (s.get("env") or {}).items():
                f.write(f"{k}={resolve(v)}\n")
    else:
        with open(f"{out}/step-{i}.uses", "w") as f:
            f.write(s["uses"] + "\n")
            for k, v in (s.get("with") or {}).items():
                f.write(f"{k}={resolve(v)}\n")
            f.write(f"if={s.get('if', '')}\n")
EOP
}
# run_action REPO FILES FAIL_ON: every shell step in order, as a runner
# does: GITHUB_PATH entries on PATH for later steps; stops at a failure.
# Sets $failed_step (or empty) and leaves the outputs in $tmp/gh/output.
run_action() {
    dir=$1
    rm -rf "$tmp/steps" "$tmp/gh" && mkdir -p "$tmp/gh/temp"
    : >"$tmp/gh/path"; : >"$tmp/gh/output"
    steps "$2" "$3" || { no "cannot read action.yml"; return; }
    failed_step=""
    for s in $(ls "$tmp/steps" | sed -n 's/^step-\([0-9]*\)\.sh$/\1/p' | sort -n); do
        path=$(tac "$tmp/gh/path" | tr '\n' ':')$PATH
        set --
        while IFS= read -r kv; do
            k=${kv%%=*}; v=${kv#*=}
            case $v in @OUT:*@) o=${v#@OUT:}; o=${o%@}; v=$(sed -n "s/^$o=//p" "$tmp/gh/output" | tail -1) ;; esac
            set -- "$@" "$k=$v"
        done <"$tmp/steps/step-$s.env"
        (cd "$dir" && env "$@" PATH="$path" GITHUB_ACTION_PATH="$act" GITHUB_PATH="$tmp/gh/path" \
            GITHUB_OUTPUT="$tmp/gh/output" RUNNER_TEMP="$tmp/gh/temp" GITHUB_WORKSPACE="$dir" \
            GITHUB_ACTIONS=true CI=true bash -e "$tmp/steps/step-$s.sh") >"$tmp/step-$s.out" 2>&1 ||
            { failed_step=$s; return; }
    done
}
out_of() { sed -n "s/^$1=//p" "$tmp/gh/output" | tail -1; }

repo=$tmp/act-repo
user_repo "$repo"
run_action "$repo" "policies/*.json" error
[ "$failed_step" = 3 ] && ok || { no "with a bad policy: want the last step (3) to fail, failed: '$failed_step'"; cat "$tmp"/step-*.out | tail -20; }
has "$tmp/gh/path" "$act/build"
[ "$(out_of exit-code)" = 1 ] && ok || no "exit-code output: '$(out_of exit-code)', want 1"
[ "$(out_of sarif-file)" = iamguard.sarif ] && ok || no "sarif-file output: '$(out_of sarif-file)'"
grep -q "  CC \|  LD " "$tmp/step-0.out" && no "the build step rebuilt (the copy is stale?)" || ok
python3 - "$repo/iamguard.sarif" >"$tmp/sarif" 2>&1 <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
for r in d["runs"][0]["results"]:
    print(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
EOP
[ $? -eq 0 ] && ok || { no "the SARIF report does not read"; cat "$tmp/sarif"; }
has "$tmp/sarif" "unknown-action policies/bad.json"
grep -q "good.json\|package.json\|scenarios" "$tmp/sarif" && no "findings outside policies/bad.json: $(cat "$tmp/sarif")" || ok
up=$tmp/steps/step-2.uses
has "$up" "github/codeql-action/upload-sarif@"
has "$up" "sarif_file=iamguard.sarif"
has "$up" "always()"

run_action "$repo" "policies/good.json" error
[ -z "$failed_step" ] && ok || { no "with a good policy: step $failed_step failed"; cat "$tmp/step-$failed_step.out"; }
[ "$(out_of exit-code)" = 0 ] && ok || no "good policy: exit-code '$(out_of exit-code)', want 0"
run_action "$repo" "policies/bad.json" none
[ -z "$failed_step" ] && ok || no "fail-on none: step $failed_step failed"
run_action "$repo" "nothing/*.json" error
[ -z "$failed_step" ] && ok || no "no matching file: step $failed_step failed"
python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['runs'][0]['results'] == []" "$repo/iamguard.sarif" &&
    ok || no "no matching file: want an empty SARIF report"
echo "not json" >"$repo/policies/broken.json" && git -C "$repo" add policies/broken.json
run_action "$repo" "policies/broken.json" error
[ "$failed_step" = 3 ] && ok || no "a broken file: want the last step to fail (a syntax-error finding), failed: '$failed_step'"

echo "hooks: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
