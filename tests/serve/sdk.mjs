// sdk.mjs - ask `iamguard serve` through the AWS SDK for JavaScript v3.
//   node sdk.mjs ENDPOINT custom   POLICY_FILE ACTION[,ACTION..] [RESOURCE[,RESOURCE..]] [CTXKEY=VALUE]
//   node sdk.mjs ENDPOINT principal SOURCE_ARN  ACTION[,ACTION..] [RESOURCE[,RESOURCE..]]
//   node sdk.mjs ENDPOINT error-custom POLICY_TEXT ACTION
//   node sdk.mjs ENDPOINT error-principal SOURCE_ARN ACTION
// Prints one line per result: ACTION RESOURCE DECISION ID:L:C-L:C,... MISSINGKEYS
// (the same line tests/serve/run.sh derives from `iamguard simulate`), or
// for error-*: the error's name and HTTP status.  Pages with MaxItems=2 so
// Marker paging is exercised.
import { readFileSync } from "node:fs";
import { IAMClient, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";

const [endpoint, mode, first, actions, resources, context] = process.argv.slice(2);
const client = new IAMClient({
  endpoint,
  region: "us-east-1",
  maxAttempts: 1,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
});

function input() {
  const base = { ActionNames: actions.split(",") };
  if (resources) base.ResourceArns = resources.split(",");
  if (context) {
    const [key, value] = context.split("=");
    base.ContextEntries = [{ ContextKeyName: key, ContextKeyValues: [value], ContextKeyType: "string" }];
  }
  if (mode === "principal" || mode === "error-principal") return { ...base, PolicySourceArn: first };
  if (mode === "error-custom") return { ...base, PolicyInputList: [first] };
  return { ...base, PolicyInputList: [readFileSync(first, "utf8")] };
}

async function main() {
  const Command = mode.endsWith("principal") ? SimulatePrincipalPolicyCommand : SimulateCustomPolicyCommand;
  let marker;
  const lines = [];
  for (let page = 0; page < 1000; page++) {       // bounded: at most 1000 pages
    const out = await client.send(new Command({ ...input(), MaxItems: 2, Marker: marker }));
    for (const r of out.EvaluationResults) {
      const matched = (r.MatchedStatements || [])
        .map((m) => `${m.SourcePolicyId}:${m.StartPosition.Line}:${m.StartPosition.Column}` +
                    `-${m.EndPosition.Line}:${m.EndPosition.Column}`)
        .sort().join(",");
      const missing = [...new Set([...(r.MissingContextValues || []),
        ...(r.ResourceSpecificResults || []).flatMap((x) => x.MissingContextValues || [])])].sort().join(",");
      lines.push(`${r.EvalActionName} ${r.EvalResourceName} ${r.EvalDecision} ${matched || "-"} ${missing || "-"}`);
    }
    if (!out.IsTruncated) break;
    marker = out.Marker;
  }
  console.log(lines.join("\n"));
}

main().catch((e) => {
  if (mode.startsWith("error")) {
    console.log(`${e.name} ${e.$metadata?.httpStatusCode}`);
  } else {
    console.error(e);
    process.exit(1);
  }
});
