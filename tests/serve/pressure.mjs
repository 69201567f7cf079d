// pressure.mjs - hostile and legitimate clients for tests/serve/pressure.sh.
//   node pressure.mjs slowloris PORT SOCKETS SECONDS   legit requests while SOCKETS trickle headers
//   node pressure.mjs refusal PORT                     time to an answer for one new connection
//   node pressure.mjs bodies PORT CLIENTS BYTES        CLIENTS post BYTES-long bodies at once
//   node pressure.mjs lint PORT FILE                   /healthz latency while FILE is linted
//   node pressure.mjs raw PORT REQUEST                 send REQUEST (\r\n escapes), print the answer
// Prints one JSON object.  Every wait is bounded.
import net from "node:net";
import fs from "node:fs";

const [mode, portArg, ...rest] = process.argv.slice(2);
const port = Number(portArg);
const HOST = "127.0.0.1";

// One request on a new connection: resolves {ms, status} (status 0: no answer).
function request(text, limitMs = 5000) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    let data = "";
    let done = false;
    const s = net.connect(port, HOST, () => s.write(text));
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: m ? Number(m[1]) : 0, data });
    };
    const timer = setTimeout(finish, limitMs);
    s.setNoDelay(true);
    s.on("data", (d) => {
      data += d.toString("latin1");
      const head = data.indexOf("\r\n\r\n");
      const len = /content-length: *(\d+)/i.exec(data);
      if (head >= 0 && len && data.length >= head + 4 + Number(len[1])) finish();
    });
    s.on("error", finish);
    s.on("close", finish);
  });
}

const HEALTHZ = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : null;
};
const round = (x) => (x === null ? null : Math.round(x * 100) / 100);

async function slowloris(sockets, seconds, hold) {
  // Spread over loopback addresses, as many clients would be; 127.0.0.1
  // stays the legitimate client's.
  const held = [];
  let open = 0, closed = 0;
  for (let i = 0; i < sockets; i++) {
    const s = net.connect({ port, host: HOST, localAddress: `127.0.${1 + (i % 200)}.${2 + Math.floor(i / 200)}` });
    s.on("connect", () => { open++; s.write("POST /v1/authorize HTTP/1.1\r\n"); });
    s.on("error", () => {});
    s.on("close", () => { closed++; });
    s.on("data", () => {});
    held.push(s);
    if (i % 100 === 99) await sleep(10);
  }
  let line = 0;
  const drip = setInterval(() => {
    line++;
    for (const s of held) if (!s.destroyed) s.write(`X-Slow-${line}: ${"a".repeat(20)}\r\n`);
  }, 3000);
  await sleep(1500);        // they are established and older than a fresh client
  const openAtStart = open - closed;
  const legit = [];
  const started = Date.now() - 1500;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    legit.push(await request(HEALTHZ));
    await sleep(250);
  }
  while (Date.now() < started + hold * 1000) await sleep(100);
  clearInterval(drip);
  const answered = legit.filter((r) => r.status === 200).length;
  const closedByServer = closed;
  for (const s of held) s.destroy();
  const ms = legit.map((r) => r.ms);
  return { sockets, openAtStart, closedByServer, legit: legit.length, answered, p50_ms: round(pct(ms, 0.5)),
           p90_ms: round(pct(ms, 0.9)), max_ms: round(Math.max(...ms)) };
}

async function refusal() {
  const tries = [];
  for (let i = 0; i < 5; i++) {
    const r = await request(HEALTHZ, 3000);
    tries.push(r);
    await sleep(50);
  }
  const ms = tries.map((r) => r.ms);
  return { statuses: tries.map((r) => r.status), p50_ms: round(pct(ms, 0.5)), max_ms: round(Math.max(...ms)) };
}

async function bodies(clients, bytes) {
  const chunk = Buffer.alloc(1 << 20, 0x61);
  const results = await Promise.all(Array.from({ length: clients }, (_, i) => new Promise((resolve) => {
    let data = "";
    let finished = false;
    const s = net.connect({ port, host: HOST, localAddress: `127.0.${1 + (i % 200)}.${2 + Math.floor(i / 200)}` });
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      s.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve(m ? Number(m[1]) : 0);
    };
    const timer = setTimeout(done, 60000);
    s.on("connect", async () => {
      s.write(`POST /v1/authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${bytes}\r\n\r\n`);
      let sent = 0;
      while (sent < bytes && !finished) {
        const n = Math.min(chunk.length, bytes - sent);
        if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n)))
          await new Promise((r) => { s.once("drain", r); s.once("close", r); });
        sent += n;
      }
    });
    s.on("data", (d) => { data += d.toString("latin1"); if (data.includes("\r\n\r\n")) setTimeout(done, 50); });
    s.on("error", done);
    s.on("close", done);
  })));
  const by = {};
  for (const st of results) by[st] = (by[st] || 0) + 1;
  return { clients, bytes, statuses: by };
}

async function lint(file) {
  const body = fs.readFileSync(file);
  const t0 = Date.now();
  let lintDone = null;
  const lintRun = new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const s = net.connect(port, HOST, () => {
      s.write(`POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      s.write(body);
    });
    s.on("data", (d) => { data = Buffer.concat([data, d]); });
    s.on("error", () => {});
    s.on("close", () => { lintDone = Date.now(); resolve(data.toString("utf8")); });
  });
  // probes on one keep-alive connection, as a health checker does
  const probe = net.connect(port, HOST);
  probe.setNoDelay(true);
  await new Promise((r) => probe.once("connect", r));
  let buf = "";
  const one = () => new Promise((resolve) => {
    const t = process.hrtime.bigint();
    const on = (d) => {
      buf += d.toString("latin1");
      const head = buf.indexOf("\r\n\r\n");
      const len = /content-length: *(\d+)/i.exec(buf);
      if (head >= 0 && len && buf.length >= head + 4 + Number(len[1])) {
        probe.off("data", on);
        const ok = buf.startsWith("HTTP/1.1 200");
        buf = "";
        resolve({ ms: Number(process.hrtime.bigint() - t) / 1e6, ok });
      }
    };
    probe.on("data", on);
    probe.write(HEALTHZ);
  });
  const during = [];
  await sleep(100);         // the body is in, the lint is running
  while (lintDone === null && Date.now() - t0 < 120000) {
    during.push(await one());
    await sleep(20);
  }
  const answer = await lintRun;
  probe.destroy();
  const m = /"omittedFindings": (\d+)/.exec(answer);
  const head = /^HTTP\/1\.1 (\d{3})/.exec(answer);
  const ms = during.map((r) => r.ms);
  return { lint_status: head ? Number(head[1]) : 0, lint_ms: lintDone - t0, response_bytes: answer.length,
           omitted: m ? Number(m[1]) : null, probes: during.length, failed: during.filter((r) => !r.ok).length,
           p50_ms: round(pct(ms, 0.5)), p90_ms: round(pct(ms, 0.9)), max_ms: round(ms.length ? Math.max(...ms) : null) };
}

async function raw(text) {
  const r = await request(text.replace(/\\r\\n/g, "\r\n"), 3000);
  const responses = (r.data.match(/HTTP\/1\.[01] \d{3}/g) || []).length;
  return { status: r.status, responses, closed: r.ms < 2900, body: r.data.slice(r.data.indexOf("\r\n\r\n") + 4) };
}

let out;
if (mode === "slowloris") out = await slowloris(Number(rest[0]), Number(rest[1]), Number(rest[2] || rest[1]));
else if (mode === "refusal") out = await refusal();
else if (mode === "bodies") out = await bodies(Number(rest[0]), Number(rest[1]));
else if (mode === "lint") out = await lint(rest[0]);
else if (mode === "raw") out = await raw(rest[0]);
else { console.error("usage: see the top of pressure.mjs"); process.exit(2); }
console.log(JSON.stringify(out));
process.exit(0);
