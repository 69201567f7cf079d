// forge.mjs - send one Query API request signed (or mis-signed) on purpose,
// with the AWS SDK's own SigV4 signer (@smithy/signature-v4, pinned by
// package-lock.json here), so the emulator's verifier is tested against an
// implementation that is not its own.
//   node forge.mjs URL BODY [--key ID] [--secret S] [--token T] [--service iam]
//                  [--region us-east-1] [--skew SECONDS] [--send-body OTHER]
//                  [--no-auth] [--auth HEADER] [--drop-token] [--signed-token T]
// Prints "STATUS CODE" (CODE from the XML, or "-"), then the body on stderr.
import { createRequire } from "node:module";
import { createHash, createHmac } from "node:crypto";
import http from "node:http";

const require = createRequire(import.meta.url);
const { SignatureV4 } = require("@smithy/signature-v4");

class Sha256 {
  constructor(secret) { this.h = secret ? createHmac("sha256", secret) : createHash("sha256"); }
  update(d) { this.h.update(d); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

const [url, body, ...rest] = process.argv.slice(2);
const opt = { key: "", secret: "", token: "", service: "iam", region: "us-east-1", skew: 0 };
for (let i = 0; i < rest.length; i++) {
  const a = rest[i];
  const name = a.replace(/^--/, "").replace(/-(\w)/g, (_, c) => c.toUpperCase());
  if (a === "--no-auth" || a === "--drop-token") { opt[name] = true; continue; }
  opt[name] = rest[++i];
}

const u = new URL(url);
const request = {
  method: "POST", protocol: "http:", hostname: u.hostname, port: Number(u.port), path: "/",
  headers: { host: u.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  body,
};
let headers = request.headers;
if (!opt.noAuth) {
  const signer = new SignatureV4({
    service: opt.service, region: opt.region, sha256: Sha256,
    credentials: { accessKeyId: opt.key, secretAccessKey: opt.secret, sessionToken: opt.signedToken || opt.token || undefined },
  });
  const signed = await signer.sign(request, { signingDate: new Date(Date.now() + Number(opt.skew) * 1000) });
  headers = { ...signed.headers };
  if (opt.dropToken) delete headers["x-amz-security-token"];
  if (opt.signedToken && opt.token) headers["x-amz-security-token"] = opt.token;
}
if (opt.auth) headers.authorization = opt.auth;
const sent = opt.sendBody ?? body;
headers["content-length"] = Buffer.byteLength(sent);

const res = await new Promise((resolve, reject) => {
  const req = http.request({ host: u.hostname, port: u.port, method: "POST", path: "/", headers }, (r) => {
    let data = "";
    r.on("data", (c) => { data += c; });
    r.on("end", () => resolve({ status: r.statusCode, data }));
  });
  req.setTimeout(10000, () => req.destroy(new Error("timeout")));
  req.on("error", reject);
  req.end(sent);
});
const code = /<Code>([^<]*)<\/Code>/.exec(res.data);
console.log(`${res.status} ${code ? code[1] : "-"}`);
console.error(res.data);
