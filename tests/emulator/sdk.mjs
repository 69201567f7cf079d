// sdk.mjs - the imaging-viewer rehearsal (examples/imaging-viewer/rehearse.sh)
// again, from the AWS SDK for JavaScript v3 (@aws-sdk/client-iam and
// client-sts, pinned by package-lock.json here): the same administrator set-up,
// the developer's IAM calls of amplify init/env add/publish, Amplify's custom
// resource with Lambda's credentials, the guardrails, the export check.
//   node sdk.mjs IAMGUARD URL DB ADMIN_KEY ADMIN_SECRET EXAMPLES_DIR
// Prints one line per call and ends with "N calls, M unexpected"; exits 1
// when a call did not end as the seed's policies make AWS end it.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const iam = require("@aws-sdk/client-iam");
const sts = require("@aws-sdk/client-sts");

const [ig, endpoint, db, adminKey, adminSecret, examples] = process.argv.slice(2);
const A = "123456789012";
const PB = `arn:aws:iam::${A}:policy/ImagingViewerPermissionsBoundary`;
const DEVPOL = `arn:aws:iam::${A}:policy/ImagingViewerDeveloperPolicy`;
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const STACK = "amplify-imagingviewerui-dev-1a2b3";
const AUTH = `${STACK}-authRole`, UNAUTH = `${STACK}-unauthRole`, IDP = `${STACK}-authRole-idp`;
const UPCLIENT = "upClientLambdaRole1a2b3c4d1a2b3-dev", FNROLE = "imagingvieweruiLambdaRole1a2b3c4d-dev";
const TAGS = [{ Key: "user:Application", Value: "imagingviewerui" }, { Key: "user:Stack", Value: "dev" }];
const file = (f) => readFileSync(`${examples}/${f}`, "utf8");
const doc = (statements) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const LAMBDA_TRUST = doc([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
const DENY_TRUST = doc([{ Effect: "Deny", Principal: { Federated: "cognito-identity.amazonaws.com" }, Action: "sts:AssumeRoleWithWebIdentity" }]);
const ACCOUNT_TRUST = doc([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "sts:AssumeRole" }]);
const ALLOW_ALL = doc([{ Effect: "Allow", Action: "*", Resource: "*" }]);
const IDP_POLICY = doc([{ Effect: "Allow", Action: ["iam:GetRole", "iam:UpdateAssumeRolePolicy"],
                          Resource: [`arn:aws:iam::${A}:role/${AUTH}`, `arn:aws:iam::${A}:role/${UNAUTH}`] }]);
const poolTrust = (amr) => doc([{ Effect: "Allow", Principal: { Federated: "cognito-identity.amazonaws.com" },
  Action: "sts:AssumeRoleWithWebIdentity",
  Condition: { StringEquals: { "cognito-identity.amazonaws.com:aud": "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b" },
               "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": amr } } }]);

const clients = {};
function as(who, creds) {
  const config = { endpoint, region: "us-east-1", maxAttempts: 1, credentials: creds };
  clients[who] = { iam: new iam.IAMClient(config), sts: new sts.STSClient(config) };
}
as("admin", { accessKeyId: adminKey, secretAccessKey: adminSecret });
const fromSession = (c) => ({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken });

let calls = 0, unexpected = 0, findings = 0;
// step(ID, WHO, EXPECT, SEED, SERVICE, COMMAND, INPUT): as rehearse.sh's `call`
async function step(id, who, expect, seed, service, Command, input) {
  calls++;
  let got, out;
  try {
    out = await clients[who][service].send(new Command(input));
    got = "ok";
  } catch (e) {
    const m = e.message || "";
    got = m.includes("with an explicit deny in an identity-based policy") ? "deny:explicit"
        : m.includes("because no identity-based policy allows") ? "deny:identity"
        : m.includes("permissions boundary") ? "deny:boundary"
        : e.name === "AccessDenied" || e.name === "AccessDeniedException" ? "deny:other" : `error: ${e.name} ${m}`;
  }
  const finding = !(seed === "-" || (seed === "allowed" && got === "ok") || (seed === "denied" && got.startsWith("deny:")) ||
                    (seed === "explicitDeny" && got === "deny:explicit"));
  if (finding) findings++;
  if (got !== expect) unexpected++;
  console.log(`${got.padEnd(14)} ${id.padEnd(44)} ${who.padEnd(8)}${got !== expect ? `  UNEXPECTED (expected ${expect})` : ""}${finding ? `  FINDING: the seed intends ${seed}` : ""}`);
  return out;
}

function lambdaSession(role, name) {
  const out = execFileSync(ig, ["emulate", "session", "--db", db, "--role", role, "--service", "lambda.amazonaws.com",
                                "--session-name", name], { encoding: "utf8" });
  return fromSession(JSON.parse(out).Credentials);
}

const I = iam, S = sts;
// ---- the administrator sets up the account ----
await step("setup-boundary-policy", "admin", "ok", "-", "iam", I.CreatePolicyCommand,
  { PolicyName: "ImagingViewerPermissionsBoundary", PolicyDocument: file("permissions-boundary.json") });
await step("setup-developer-policy", "admin", "ok", "-", "iam", I.CreatePolicyCommand,
  { PolicyName: "ImagingViewerDeveloperPolicy", PolicyDocument: file("developer-policy.json") });
await step("setup-developer-role", "admin", "ok", "-", "iam", I.CreateRoleCommand, { RoleName: "ImagingDeveloper",
  AssumeRolePolicyDocument: doc([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:user/alice` }, Action: "sts:AssumeRole" }]) });
await step("setup-attach-developer-policy", "admin", "ok", "-", "iam", I.AttachRolePolicyCommand, { RoleName: "ImagingDeveloper", PolicyArn: DEVPOL });
await step("setup-user-alice", "admin", "ok", "-", "iam", I.CreateUserCommand, { UserName: "alice" });
await step("setup-alice-may-assume", "admin", "ok", "-", "iam", I.PutUserPolicyCommand, { UserName: "alice", PolicyName: "AssumeImagingDeveloper",
  PolicyDocument: doc([{ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${A}:role/ImagingDeveloper` }]) });
const key = await step("setup-alice-key", "admin", "ok", "-", "iam", I.CreateAccessKeyCommand, { UserName: "alice" });
as("alice", { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey });
await step("setup-payroll-auth-role", "admin", "ok", "-", "iam", I.CreateRoleCommand,
  { RoleName: "amplify-payroll-prod-9f8e7-authRole", AssumeRolePolicyDocument: DENY_TRUST });
await step("setup-admin-role", "admin", "ok", "-", "iam", I.CreateRoleCommand,
  { RoleName: "OrganizationAccountAccessRole", AssumeRolePolicyDocument: ACCOUNT_TRUST });

// ---- the developer signs in ----
const signin = await step("signin-assume-role", "alice", "ok", "-", "sts", S.AssumeRoleCommand,
  { RoleArn: `arn:aws:iam::${A}:role/ImagingDeveloper`, RoleSessionName: "alice" });
as("dev", fromSession(signin.Credentials));
const me = await step("signin-who-am-i", "dev", "ok", "-", "sts", S.GetCallerIdentityCommand, {});
if (me?.Arn !== `arn:aws:sts::${A}:assumed-role/ImagingDeveloper/alice`) { unexpected++; console.log(`the developer is ${me?.Arn}`); }

// ---- amplify init, env add, publish ----
for (const r of [AUTH, UNAUTH]) {
  await step(`init-create-${r === AUTH ? "auth" : "unauth"}-role`, "dev", "ok", "allowed", "iam", I.CreateRoleCommand,
    { RoleName: r, AssumeRolePolicyDocument: DENY_TRUST, PermissionsBoundary: PB, Tags: TAGS });
  await step(`init-tag-${r === AUTH ? "auth" : "unauth"}-role`, "dev", "ok", "allowed", "iam", I.TagRoleCommand, { RoleName: r, Tags: TAGS });
}
await step("envadd-read-boundary", "dev", "ok", "allowed", "iam", I.GetPolicyCommand, { PolicyArn: PB });
for (const [r, name, policy] of [[UPCLIENT, "UserPoolClientLambdaPolicy", doc([{ Effect: "Allow", Action: "cognito-idp:DescribeUserPoolClient", Resource: "*" }])],
                                 [IDP, "UpdateRolesWithIDPFunctionPolicy", IDP_POLICY],
                                 [FNROLE, "secureDeployBucketPolicy", doc([{ Effect: "Allow", Action: "cloudformation:DescribeStacks", Resource: "*" }])]]) {
  await step(`publish-create-${r}`, "dev", "ok", "allowed", "iam", I.CreateRoleCommand,
    { RoleName: r, AssumeRolePolicyDocument: LAMBDA_TRUST, PermissionsBoundary: PB });
  await step(`publish-policy-${r}`, "dev", "ok", "allowed", "iam", I.PutRolePolicyCommand, { RoleName: r, PolicyName: name, PolicyDocument: policy });
  await step(`publish-tag-${r}`, "dev", "ok", "allowed", "iam", I.TagRoleCommand, { RoleName: r, Tags: TAGS });
}
await step("publish-auth-role-read-policy", "dev", "ok", "allowed", "iam", I.PutRolePolicyCommand,
  { RoleName: AUTH, PolicyName: "AuthRoleReadPolicy", PolicyDocument: file("auth-role-read-policy.json") });
const role = await step("publish-read-auth-role", "dev", "ok", "allowed", "iam", I.GetRoleCommand, { RoleName: AUTH });
if (role?.Role?.PermissionsBoundary?.PermissionsBoundaryArn !== PB) { unexpected++; console.log("get-role shows no boundary"); }
if (JSON.parse(decodeURIComponent(role?.Role?.AssumeRolePolicyDocument ?? "{}")).Statement?.[0]?.Effect !== "Deny") {
  unexpected++; console.log("the trust policy does not read back");
}
as("idp", lambdaSession(IDP, "UpdateRolesWithIDPFunction"));
await step("publish-idp-trust-auth-role", "idp", "ok", "allowed", "iam", I.UpdateAssumeRolePolicyCommand, { RoleName: AUTH, PolicyDocument: poolTrust("authenticated") });
await step("publish-idp-trust-unauth-role", "idp", "ok", "allowed", "iam", I.UpdateAssumeRolePolicyCommand, { RoleName: UNAUTH, PolicyDocument: poolTrust("unauthenticated") });

// ---- guardrails ----
const createRole = (id, name, trust, boundary, expect = "deny:identity") => step(id, "dev", expect, expect === "ok" ? "allowed" : "denied", "iam", I.CreateRoleCommand,
  { RoleName: name, AssumeRolePolicyDocument: trust, ...(boundary ? { PermissionsBoundary: boundary } : {}) });
await createRole("guard-create-role-without-boundary", AUTH, DENY_TRUST);
await createRole("guard-create-lambda-role-without-boundary", FNROLE, LAMBDA_TRUST);
await createRole("guard-create-role-admin-boundary", AUTH, DENY_TRUST, ADMIN);
await createRole("guard-create-role-other-boundary", FNROLE, LAMBDA_TRUST, `arn:aws:iam::${A}:policy/PowerUserBoundary`);
await createRole("guard-create-role-outside-names", "DeveloperAdmin", ACCOUNT_TRUST, PB);
await step("guard-put-policy-role-without-boundary", "dev", "deny:identity", "denied", "iam", I.PutRolePolicyCommand,
  { RoleName: "amplify-payroll-prod-9f8e7-authRole", PolicyName: "Escalate", PolicyDocument: ALLOW_ALL });
await step("guard-attach-admin-to-amplify-role", "dev", "deny:identity", "denied", "iam", I.AttachRolePolicyCommand, { RoleName: AUTH, PolicyArn: ADMIN });
await step("guard-attach-admin-to-self", "dev", "deny:identity", "denied", "iam", I.AttachRolePolicyCommand, { RoleName: "ImagingDeveloper", PolicyArn: ADMIN });
await step("guard-rewrite-own-policy", "dev", "deny:identity", "denied", "iam", I.CreatePolicyVersionCommand, { PolicyArn: DEVPOL, PolicyDocument: ALLOW_ALL, SetAsDefault: true });
await step("guard-create-user", "dev", "deny:identity", "denied", "iam", I.CreateUserCommand, { UserName: "deploy-bot" });
await step("guard-developer-rewrites-trust", "dev", "deny:identity", "denied", "iam", I.UpdateAssumeRolePolicyCommand, { RoleName: AUTH, PolicyDocument: ACCOUNT_TRUST });
await step("guard-remove-boundary-auth-role", "dev", "deny:explicit", "explicitDeny", "iam", I.DeleteRolePermissionsBoundaryCommand, { RoleName: AUTH });
await step("guard-remove-boundary-lambda-role", "dev", "deny:explicit", "explicitDeny", "iam", I.DeleteRolePermissionsBoundaryCommand, { RoleName: FNROLE });
await step("guard-replace-boundary", "dev", "deny:identity", "denied", "iam", I.PutRolePermissionsBoundaryCommand, { RoleName: AUTH, PermissionsBoundary: ADMIN });
await step("guard-detach-boundary-explicitly-denied", "dev", "deny:identity", "explicitDeny", "iam", I.DetachRolePolicyCommand, { RoleName: AUTH, PolicyArn: PB });
await step("guard-new-boundary-version", "dev", "deny:explicit", "explicitDeny", "iam", I.CreatePolicyVersionCommand, { PolicyArn: PB, PolicyDocument: ALLOW_ALL, SetAsDefault: true });
await step("guard-switch-boundary-version", "dev", "deny:explicit", "explicitDeny", "iam", I.SetDefaultPolicyVersionCommand, { PolicyArn: PB, VersionId: "v1" });
await step("guard-delete-boundary-version", "dev", "deny:explicit", "explicitDeny", "iam", I.DeletePolicyVersionCommand, { PolicyArn: PB, VersionId: "v1" });
await step("guard-delete-boundary-policy", "dev", "deny:identity", "denied", "iam", I.DeletePolicyCommand, { PolicyArn: PB });

// ---- a role that allows everything, under the boundary ----
await createRole("guard-setup-create-experiment-role", "experimentLambdaRole", LAMBDA_TRUST, PB, "ok");
await step("guard-setup-experiment-allows-all", "dev", "ok", "allowed", "iam", I.PutRolePolicyCommand,
  { RoleName: "experimentLambdaRole", PolicyName: "AllowEverything", PolicyDocument: ALLOW_ALL });
as("capped", lambdaSession("experimentLambdaRole", "experiment"));
await step("guard-capped-role-takes-over-other-role", "capped", "ok", "denied", "iam", I.UpdateAssumeRolePolicyCommand,
  { RoleName: "amplify-payroll-prod-9f8e7-authRole",
    PolicyDocument: doc([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:role/experimentLambdaRole` }, Action: "sts:AssumeRole" }]) });
await step("guard-capped-role-creates-role", "capped", "deny:boundary", "denied", "iam", I.CreateRoleCommand,
  { RoleName: "escapeLambdaRole", AssumeRolePolicyDocument: LAMBDA_TRUST, PermissionsBoundary: PB });
await step("guard-capped-role-removes-own-boundary", "capped", "deny:boundary", "denied", "iam", I.DeleteRolePermissionsBoundaryCommand, { RoleName: "experimentLambdaRole" });
await step("guard-capped-role-rewrites-boundary", "capped", "deny:boundary", "denied", "iam", I.CreatePolicyVersionCommand, { PolicyArn: PB, PolicyDocument: ALLOW_ALL });
await step("cap-assume-admin-role", "capped", "deny:boundary", "denied", "sts", S.AssumeRoleCommand,
  { RoleArn: `arn:aws:iam::${A}:role/OrganizationAccountAccessRole`, RoleSessionName: "escape" });

// ---- the account afterwards ----
const details = await step("export-authorization-details", "admin", "ok", "-", "iam", I.GetAccountAuthorizationDetailsCommand, {});
for (const r of [AUTH, UNAUTH, UPCLIENT, IDP, FNROLE, "experimentLambdaRole"]) {
  const d = details?.RoleDetailList?.find((x) => x.RoleName === r);
  const ok = d?.PermissionsBoundary?.PermissionsBoundaryArn === PB;
  if (!ok) unexpected++;
  console.log(`${ok ? "boundary      " : "UNEXPECTED    "} ${r} ${ok ? "carries" : "lacks"} ImagingViewerPermissionsBoundary`);
}
console.log(`${calls} calls, ${unexpected} unexpected; ${findings} where the seed's policies do not do what the seed intends`);
process.exit(unexpected ? 1 : 0);
