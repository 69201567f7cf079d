#!/bin/sh
# run.sh - `iamguard cfn` from the command line: the rendered template read
# back gives exactly the example policies (canonical JSON, the boundary ARN
# resolved for the account), show's output, and the exit status and
# file:line:column diagnostics of bad input.   usage: run.sh IAMGUARD
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run WANT_EXIT CMD...: output in $tmp/out and $tmp/err
run() {
    want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        no "$* exited $rc, want $want"
        sed 's/^/    /' "$tmp/err" | head -5
        return 1
    fi
    ok
}

# has FILE TEXT: FILE contains the fixed string TEXT
has() {
    if grep -qF -- "$2" "$1"; then ok; else no "$1 lacks: $2"; sed 's/^/    /' "$1" | head -5; fi
}

# ---- render, read back ------------------------------------------------------

# From any directory: the examples are inside the binary.
run 0 sh -c "cd / && '$bin' cfn render -o '$tmp/cft.yml'"
has "$tmp/cft.yml" 'Version: "2012-10-17"'
has "$tmp/cft.yml" 'iam:PermissionsBoundary: !Ref ImagingViewerPermissionsBoundary'
has "$tmp/cft.yml" 'Resource: !Ref ImagingViewerPermissionsBoundary'
has "$tmp/cft.yml" 'Type: AWS::IAM::ManagedPolicy'
run 0 "$bin" cfn render --account 111122223333 --region eu-west-1
has "$tmp/out" 'amplify init --permissions-boundary arn:aws:iam::111122223333:policy/ImagingViewerPermissionsBoundary'
has "$tmp/out" '--region eu-west-1'

# Each policy of the rendered template, compiled, is the example JSON with
# the seed's arn:aws:iam::*:policy/ImagingViewerPermissionsBoundary replaced
# by the ARN the !Ref resolves to in that account.
for account in 123456789012 111122223333; do
    for pair in ImagingViewerPermissionsBoundary:permissions-boundary.json \
                ImagingViewerDeveloperPolicy:developer-policy.json; do
        name=${pair%%:*} file=${pair#*:}
        run 0 "$bin" cfn show --account "$account" --canonical --policy "$name" "$tmp/cft.yml" &&
            cp "$tmp/out" "$tmp/got"
        {
            printf '{"Resources":{"P":{"Type":"AWS::IAM::ManagedPolicy","Properties":{"PolicyDocument":'
            sed "s|arn:aws:iam::\*:policy/ImagingViewerPermissionsBoundary|arn:aws:iam::$account:policy/ImagingViewerPermissionsBoundary|g" \
                "$root/examples/imaging-viewer/$file"
            printf '}}}}\n'
        } >"$tmp/want.json"
        run 0 "$bin" cfn show --canonical --policy P "$tmp/want.json" && cp "$tmp/out" "$tmp/want"
        if cmp -s "$tmp/got" "$tmp/want"; then ok; else
            no "$name ($account) differs from examples/imaging-viewer/$file"
            diff "$tmp/want" "$tmp/got" | head -10
        fi
    done
done
# The resolved ARN really is the account's, and the seed's wildcard is gone.
run 0 "$bin" cfn show --account 111122223333 --policy ImagingViewerDeveloperPolicy "$tmp/cft.yml"
has "$tmp/out" '"arn:aws:iam::111122223333:policy/ImagingViewerPermissionsBoundary"'
if grep -qF 'iam::*:policy/ImagingViewerPermissionsBoundary' "$tmp/out"; then
    no "the seed's wildcard boundary ARN survived the render"; else ok; fi

# ---- render --hardened: the repaired strategy, deployable -----------------
# Both managed policies carry their fixed names (the developer policy's
# conditions name the boundary's ARN, amplify init --permissions-boundary
# takes it), and each policy read back is the hardened example's with its
# account (123456789012) as the deploying one.
run 0 sh -c "cd / && '$bin' cfn render --hardened -o '$tmp/hardened.yml'"
has "$tmp/hardened.yml" 'ManagedPolicyName: ImagingViewerPermissionsBoundary'
has "$tmp/hardened.yml" 'ManagedPolicyName: ImagingViewerDeveloperPolicy'
has "$tmp/hardened.yml" 'examples/imaging-viewer-hardened/permissions-boundary.json'
if grep -q 'PermissionsBoundaryPolicyName' "$tmp/hardened.yml"; then
    no "render --hardened: the boundary's name is still a parameter"; else ok; fi
for account in 123456789012 111122223333; do
    for pair in ImagingViewerPermissionsBoundary:permissions-boundary.json \
                ImagingViewerDeveloperPolicy:developer-policy.json; do
        name=${pair%%:*} file=${pair#*:}
        run 0 "$bin" cfn show --account "$account" --canonical --policy "$name" "$tmp/hardened.yml" &&
            cp "$tmp/out" "$tmp/got"
        {
            printf '{"Resources":{"P":{"Type":"AWS::IAM::ManagedPolicy","Properties":{"PolicyDocument":'
            # The developer policy names the boundary as a !Ref to it: the
            # stack's own account, whatever account the file's ARN has.
            sed -e "s|:123456789012:|:$account:|g" \
                -e "s|arn:aws:iam::\*:policy/ImagingViewerPermissionsBoundary|arn:aws:iam::$account:policy/ImagingViewerPermissionsBoundary|g" \
                "$root/examples/imaging-viewer-hardened/$file"
            printf '}}}}\n'
        } >"$tmp/want.json"
        run 0 "$bin" cfn show --canonical --policy P "$tmp/want.json" && cp "$tmp/out" "$tmp/want"
        if cmp -s "$tmp/got" "$tmp/want"; then ok; else
            no "--hardened: $name ($account) differs from examples/imaging-viewer-hardened/$file"
            diff "$tmp/want" "$tmp/got" | head -10
        fi
    done
done
run 0 "$bin" cfn show --account 111122223333 "$tmp/hardened.yml"
has "$tmp/out" 'arn:       arn:aws:iam::111122223333:policy/ImagingViewerPermissionsBoundary'
has "$tmp/out" 'arn:       arn:aws:iam::111122223333:policy/ImagingViewerDeveloperPolicy'
# lint finds no error in it (the developer policy fits the 6,144 characters
# of a managed policy), as in the seed's template
"$bin" lint "$tmp/hardened.yml" >"$tmp/out" 2>&1
if grep -q ': error:' "$tmp/out"; then no "lint finds an error in the hardened template"; grep ': error:' "$tmp/out" | head -3
else ok; fi

# ---- show -------------------------------------------------------------------

run 0 "$bin" cfn show "$tmp/cft.yml"
has "$tmp/out" "$tmp/cft.yml: 2 policies, 0 principals"
has "$tmp/out" 'managed policy ImagingViewerPermissionsBoundary'
has "$tmp/out" 'arn:       arn:aws:iam::123456789012:policy/ImagingViewerDeveloperPolicy'
run 0 "$bin" cfn show --parameter DeveloperRoleName=dev-role --parameter DeveloperPolicyName=Dev \
    "$tmp/cft.yml"
has "$tmp/out" 'managed policy Dev'
has "$tmp/out" 'attached to role/dev-role (outside the template)'
run 0 "$bin" cfn show --format json --region cn-north-1 "$tmp/cft.yml"
has "$tmp/out" '"arn": "arn:aws-cn:iam::123456789012:policy/ImagingViewerPermissionsBoundary"'
has "$tmp/out" '"principals": []'

cat >"$tmp/roles.yml" <<'EOF'
Resources:
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
  App:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      PermissionsBoundary: !Ref Boundary
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
      Policies:
        - PolicyName: everything
          PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
EOF
run 0 "$bin" cfn show --stack-name demo "$tmp/roles.yml"
has "$tmp/out" 'role app'
has "$tmp/out" 'trust policy: App.AssumeRolePolicyDocument'
has "$tmp/out" 'policy:    everything (inline policy)'
has "$tmp/out" 'policy:    arn:aws:iam::aws:policy/ReadOnlyAccess (managed, outside the template)'
has "$tmp/out" 'permissions boundary: arn:aws:iam::123456789012:policy/demo-Boundary-'

# ---- SAM: the roles, policies and connectors the transform creates ----------

sam=$root/tests/cfn/sam.yml
run 0 "$bin" cfn show --parameter Stage=prod "$sam"
has "$tmp/out" 'role iamguard-stack-FnRole-'
has "$tmp/out" 'policy:    arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole (managed, outside the template)'
has "$tmp/out" 'policy:    arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess (managed, outside the template)'
has "$tmp/out" 'policy:    arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole (managed, outside the template)'
has "$tmp/out" 'policy:    arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (managed, outside the template)'
has "$tmp/out" 'permissions boundary: arn:aws:iam::123456789012:policy/Boundary (outside the template)'
has "$tmp/out" 'policy:    FnRolePolicy1 (inline policy)'
has "$tmp/out" 'role iamguard-stack-MachineRole-'
has "$tmp/out" 'managed policy iamguard-stack-ConnPolicy-'
has "$tmp/out" 'managed policy iamguard-stack-FnToQueuePolicy-'
# S3ReadPolicy with the bucket's generated name; the inline document with the parameter
run 0 "$bin" cfn show --canonical --policy FnRolePolicy1 "$sam"
has "$tmp/out" '"arn:aws:s3:::iamguard-stack-bucket-'
has "$tmp/out" '"s3:GetLifecycleConfiguration"'
run 0 "$bin" cfn show --parameter Stage=prod --policy FnRolePolicy3 "$sam"
has "$tmp/out" '"arn:aws:ssm:us-east-1:123456789012:parameter/prod/*"'
run 0 "$bin" cfn show --policy MachineRole.AssumeRolePolicyDocument "$sam"
has "$tmp/out" '"states.amazonaws.com"'
run 0 "$bin" cfn show --policy Conn2Policy "$sam"
has "$tmp/out" '"lambda:InvokeFunction"'
has "$tmp/out" '"arn:aws:lambda:us-east-1:123456789012:function:iamguard-stack-Fn-'
sed 's/S3ReadPolicy: {BucketName: !Ref Bucket}/S3ReadPolicy: {Bucket: !Ref Bucket}/' "$sam" >"$tmp/sam-bad.yml"
run 2 "$bin" cfn show "$tmp/sam-bad.yml"
has "$tmp/err" "sam-bad.yml:27:25: error: Resources.Fn: policy template S3ReadPolicy needs the parameter BucketName"

# ---- resource policies: read apart, compiled as resource policies ------------

cat >"$tmp/bucketpolicy.yml" <<'EOF'
Resources:
  B: {Type: AWS::S3::Bucket}
  BP:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref B
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: !Sub "${B.Arn}/*"}
  K:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Ref AWS::AccountId}, Action: "kms:*", Resource: "*"}]}
EOF
run 0 "$bin" cfn show "$tmp/bucketpolicy.yml"
has "$tmp/out" '0 policies, 0 principals, 2 resource policies'
has "$tmp/out" 'resource policy BP.PolicyDocument'
run 0 "$bin" cfn show --canonical --policy K.KeyPolicy "$tmp/bucketpolicy.yml"
has "$tmp/out" '"AWS": ['
run 0 "$bin" cfn show --policy BP.PolicyDocument "$tmp/bucketpolicy.yml"
cp "$tmp/out" "$tmp/bp.json"
run 1 "$bin" check-no-public-access "$tmp/bp.json"

# ---- macros and Rain: read as written, with a warning -----------------------

printf 'Transform: MyMacro\nResources:\n  B: {Type: AWS::S3::Bucket}\n' >"$tmp/macro.yml"
run 0 "$bin" cfn show "$tmp/macro.yml"
has "$tmp/err" "macro.yml:1:12: warning: Transform: not deployable as is: macro MyMacro"
has "$tmp/out" 'not deployable as is (see the warnings)'

# ---- bad input: exit 2, file:line:column: error: message --------------------

printf '\000\001\002binary' >"$tmp/binary.yml"
run 2 "$bin" cfn show "$tmp/binary.yml"
has "$tmp/err" "$tmp/binary.yml:1:1: error: control character 0x00 in YAML text"

printf 'just words\n' >"$tmp/words.yml"
run 2 "$bin" cfn show "$tmp/words.yml"
has "$tmp/err" "$tmp/words.yml:1:1: error: a CloudFormation template must be a mapping, got string"

cat >"$tmp/import.yml" <<'EOF'
Resources:
  DevPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: !ImportValue SharedBucketArn
EOF
# An import is known only at deploy time: a named placeholder and a warning.
run 0 "$bin" cfn show "$tmp/import.yml"
has "$tmp/err" "$tmp/import.yml:10:23: warning: Resources.DevPolicy.Properties.PolicyDocument.Statement[0].Resource: the export of another stack: placeholder {{Fn::ImportValue SharedBucketArn}}"
has "$tmp/out" '"Resource": "{{Fn::ImportValue SharedBucketArn}}"'
has "$tmp/out" '1 unresolved value shown as {{...}} placeholders'
run 0 "$bin" cfn show --format json "$tmp/import.yml"
has "$tmp/out" '"deployable": true'
has "$tmp/out" '"kind": "placeholder"'


cat >"$tmp/cycle.yml" <<'EOF'
Resources:
  A:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref B]
      PolicyDocument: {Statement: []}
  B:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
      ManagedPolicyArns: [!Ref A]
EOF
run 2 "$bin" cfn show "$tmp/cycle.yml"
has "$tmp/err" "$tmp/cycle.yml:11:27: error: Resources.B.Properties.ManagedPolicyArns[0]: circular dependency between resources: A -> B -> A"

cat >"$tmp/badpolicy.yml" <<'EOF'
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Action: s3
            Resource: "*"
EOF
run 2 "$bin" cfn show "$tmp/badpolicy.yml"
has "$tmp/err" "$tmp/badpolicy.yml:9:21: error: action \"s3\" must be \"*\" or \"service:action\""

run 2 "$bin" cfn show "$tmp/nonexistent.yml"
has "$tmp/err" "$tmp/nonexistent.yml: error: no such file"
run 2 "$bin" cfn show --parameter Nope=1 "$tmp/cft.yml"
has "$tmp/err" 'error: the template declares no parameter Nope'
run 2 "$bin" cfn show --policy Missing "$tmp/cft.yml"
has "$tmp/err" 'error: no policy named Missing in the template'
run 2 "$bin" cfn show --account 12 "$tmp/cft.yml"
run 2 "$bin" cfn show --frobnicate "$tmp/cft.yml"
run 2 "$bin" cfn show
run 2 "$bin" cfn explode
run 2 "$bin" cfn render extra-argument
run 2 "$bin" cfn render -o "$tmp/no/such/dir/cft.yml"
printf '{"Version": "2012-10-17", "Statement": [}' >"$tmp/broken.json"
run 2 "$bin" cfn render --developer-policy "$tmp/broken.json"
has "$tmp/err" "$tmp/broken.json:1:41: error: expected a value"

# ---- help -------------------------------------------------------------------

for sub in "" render show; do
    run 0 "$bin" cfn $sub --help
    has "$tmp/out" 'usage: iamguard cfn render'
done

echo "cfn cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
