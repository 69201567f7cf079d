// stream.mjs - a stream of mutating IAM calls through @aws-sdk/client-iam
// (pinned by package-lock.json here), for the durability test: each call that was
// answered with success is appended to ACKFILE before the next is sent.
//   node stream.mjs URL KEY SECRET PREFIX ACKFILE MAX
// Stops at the first error (the server was killed) or after MAX rounds.
import { createRequire } from "node:module";
import { appendFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const { IAMClient, CreateUserCommand, CreatePolicyCommand } = require("@aws-sdk/client-iam");

const [endpoint, accessKeyId, secretAccessKey, prefix, ackfile, max] = process.argv.slice(2);
const client = new IAMClient({ endpoint, region: "us-east-1", maxAttempts: 1,
                               credentials: { accessKeyId, secretAccessKey } });
const tags = [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }, { Key: "c", Value: "3" }];
const doc = JSON.stringify({ Version: "2012-10-17",
                             Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });

for (let i = 1; i <= Number(max); i++) {
  try {
    await client.send(new CreateUserCommand({ UserName: `${prefix}-u${i}`, Tags: tags }));
    appendFileSync(ackfile, `user ${prefix}-u${i}\n`);
    await client.send(new CreatePolicyCommand({ PolicyName: `${prefix}-p${i}`, PolicyDocument: doc, Tags: tags }));
    appendFileSync(ackfile, `policy ${prefix}-p${i}\n`);
  } catch (e) {
    console.error(`stopped after round ${i}: ${e.name}`);
    process.exit(0);
  }
}
