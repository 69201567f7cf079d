// common.mjs - what the peer benchmarks share: loading a workload (a
// simulation document, docs/simulate.md, as ../shared/bench/*/workload.json
// has them), the command line, the check of every decision against
// `expect`, the timing loop and the one JSON line of results.
//
// The peers are measured the way `iamguard bench` measures itself: policies
// are prepared once, every request is turned into the peer's input up front,
// every decision is checked once, then the requests are decided round-robin
// for S seconds on one thread.  Only the decision calls are inside the timed
// loop.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function usage(engine, modes) {
    return `usage: node ${engine}.mjs WORKLOAD.json [--seconds S] [--show N] [--mode ${modes.join('|')}]\n` +
        'Check every request of the workload against its `expect` with the peer engine,\n' +
        'then time its decisions for S seconds (default 2) on one thread and print one\n' +
        'JSON line.  --show N prints the first N mismatches on stderr (default 5);\n' +
        `--mode picks how the engine is called (default ${modes[0]}).\n`;
}

export function parseArgs(argv, engine, modes) {
    const opts = { file: null, seconds: 2, show: 5, mode: modes[0] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--help' || a === '-h') {
            process.stdout.write(usage(engine, modes));
            process.exit(0);
        } else if (a === '--seconds' && i + 1 < argv.length) {
            opts.seconds = Number(argv[++i]);
        } else if (a === '--show' && i + 1 < argv.length) {
            opts.show = Number(argv[++i]);
        } else if (a === '--mode' && i + 1 < argv.length) {
            opts.mode = argv[++i];
        } else if (a.startsWith('-')) {
            process.stderr.write(`${engine}: unknown option ${a}\n` + usage(engine, modes));
            process.exit(2);
        } else {
            opts.file = a;
        }
    }
    if (!opts.file || !(opts.seconds > 0 && opts.seconds <= 3600) || !(opts.show >= 0) ||
        !modes.includes(opts.mode)) {
        process.stderr.write(usage(engine, modes));
        process.exit(2);
    }
    return opts;
}

function readPolicy(p, dir, what) {
    if (p === null || p === undefined) return null;
    if (typeof p !== 'object') throw new Error(`${what}: expected a policy object`);
    if ('document' in p) return { id: p.id, document: p.document };
    if ('file' in p) {
        return { id: p.id, document: JSON.parse(readFileSync(path.resolve(dir, p.file), 'utf8')) };
    }
    throw new Error(`${what}: a policy needs "document" or "file"`);
}

// Loads a workload: { name, principal, identity[], boundary, session,
// resource, resourcePolicies{}, scps[[]], rcps[[]], requests[] }, each
// policy { id, document }.
export function loadWorkload(file) {
    const dir = path.dirname(path.resolve(file));
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const pol = doc.policies || {};
    const w = {
        name: doc.name || path.basename(dir),
        principal: doc.principal || {},
        identity: (pol.identity || []).map((p, i) => readPolicy(p, dir, `identity[${i}]`)),
        boundary: readPolicy(pol.permissionsBoundary, dir, 'permissionsBoundary'),
        session: readPolicy(pol.session, dir, 'session'),
        resource: readPolicy(pol.resource, dir, 'resource'),
        resourcePolicies: pol.resourcePolicies || {},
        scps: (pol.scps || []).map((lvl, i) => lvl.map((p, j) => readPolicy(p, dir, `scps[${i}][${j}]`))),
        rcps: (pol.rcps || []).map((lvl, i) => lvl.map((p, j) => readPolicy(p, dir, `rcps[${i}][${j}]`))),
        requests: [...(doc.requests || [])],
    };
    if (doc.requestsFile) {
        const text = readFileSync(path.resolve(dir, doc.requestsFile), 'utf8');
        for (const line of text.split('\n')) {
            if (line.trim()) w.requests.push(JSON.parse(line));
        }
    }
    if (w.requests.length === 0) throw new Error(`${file} has no requests`);
    for (const r of w.requests) {
        if (r.resourcePolicy !== undefined && !(r.resourcePolicy in w.resourcePolicies)) {
            throw new Error(`request names unknown resource policy "${r.resourcePolicy}"`);
        }
    }
    return w;
}

// The resource policy that applies to a request (docs/simulate.md): the
// named one, else the document's default `resource`, else none.
export function resourcePolicyFor(w, r) {
    if (r.resourcePolicy !== undefined) {
        return { id: r.resourcePolicy, document: w.resourcePolicies[r.resourcePolicy] };
    }
    return w.resource;
}

export function expectedDecision(r) {
    const e = r.expect;
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object' && typeof e.decision === 'string') return e.decision;
    return null;
}

// The account of an ARN ("" when it has none, as S3's), else null.
export function arnAccount(arn) {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) return null;
    const parts = arn.split(':');
    return parts.length >= 6 ? parts[4] : null;
}

export function principalAccount(w) {
    const p = w.principal;
    if (p.account) return String(p.account);
    return arnAccount(p.arn) || '';
}

// The resource account of a request, as docs/semantics.md §6 takes it.
export function resourceAccount(w, r) {
    if (r.resourceAccount) return String(r.resourceAccount);
    const a = arnAccount(r.resource);
    return a ? a : principalAccount(w);
}

// Context values as strings / arrays of strings (numbers and booleans as
// their JSON text, as docs/simulate.md says).
export function contextStrings(ctx) {
    const out = {};
    for (const [k, v] of Object.entries(ctx || {})) {
        out[k] = Array.isArray(v) ? v.map(String) : String(v);
    }
    return out;
}

// Checks every request; `decide(i)` returns (or resolves to) the peer's
// decision as one of allowed / explicitDeny / implicitDeny / error:MSG.
// Mismatches are grouped by (action, expected, got).
export async function checkAll(w, decide, show, engine) {
    let mismatches = 0;
    const kinds = new Map();
    for (let i = 0; i < w.requests.length; i++) {
        const r = w.requests[i];
        const want = expectedDecision(r);
        let got;
        try {
            got = await decide(i);
        } catch (e) {
            got = `error:${e && e.message ? e.message : e}`;
        }
        if (want !== null && got !== want) {
            mismatches++;
            const key = `${r.action} expected ${want} got ${got}`;
            const k = kinds.get(key) || { action: r.action, expected: want, got, count: 0, example: r.resource };
            k.count++;
            kinds.set(key, k);
            if (mismatches <= show) {
                process.stderr.write(`${engine}: ${w.name}: request ${i + 1} (${r.action} on ${r.resource}): ` +
                    `expected ${want}, got ${got}\n`);
            }
        }
    }
    const categories = [...kinds.values()].sort((a, b) => b.count - a.count);
    // one line per kind of mismatch (bench/compare.sh puts them in the report)
    for (const c of categories.slice(0, 20)) {
        process.stderr.write(`${engine}: ${w.name}: mismatches: ${c.count} x ${c.action}: ` +
            `expected ${c.expected}, got ${c.got} (e.g. ${c.example})\n`);
    }
    return { mismatches, categories };
}

// Decides the requests round-robin for `seconds`; the clock is read every
// `chunk` decisions.  `decide` is synchronous unless `isAsync`.
export async function timeLoop(n, decide, seconds, isAsync) {
    const chunk = Math.max(1, Math.min(n, 256));
    const t0 = process.hrtime.bigint();
    const end = t0 + BigInt(Math.round(seconds * 1e9));
    let count = 0, i = 0, t = t0, sink = 0;
    while (t < end) {
        for (let j = 0; j < chunk; j++) {
            const d = isAsync ? await decide(i) : decide(i);
            if (d === 'allowed') sink++;
            if (++i === n) i = 0;
        }
        count += chunk;
        t = process.hrtime.bigint();
    }
    const elapsed = Number(t - t0) / 1e9;
    return { decisions: count, elapsed, dps: count / elapsed, sink };
}

export function report(fields) {
    process.stdout.write(JSON.stringify(fields) + '\n');
}

export function packageVersion(url) {
    return JSON.parse(readFileSync(new URL(url), 'utf8')).version;
}
