// cedar.mjs - a workload translated into Cedar and decided by
// @cedar-policy/cedar-wasm.
//
//   node bench/peers/cedar.mjs WORKLOAD.json [--seconds S] [--show N]
//                              [--mode stateful|parse] [--dump]
//
// Cedar has one layer of policies (permit/forbid, forbid wins, default deny)
// where IAM has several, so the translation has two parts: each IAM
// statement becomes one Cedar policy, and the layers of docs/semantics.md §6
// become separate Cedar policy sets whose answers this script combines.
//
// ENTITIES (built per request, before timing)
//   principal  Principal::"<caller ARN>" (or "service:<name>", "anonymous"),
//              parents Account::"<account>" and, for a role session,
//              Role::"arn:aws:iam::<account>:role/<name>" — so an account
//              principal is `principal in Account::…` and a role principal
//              (which covers every session of the role) `principal in Role::…`.
//              Attributes kind (user, role-session, root, ...) and
//              authenticated serve NotPrincipal, which exempts the caller
//              only when each of its identities (itself, its role, its
//              account) is listed (docs/semantics.md §7).
//   action     Action::"<service:action>" lower-cased (IAM actions are
//              case-insensitive).  Every Action/NotAction entry of the
//              policies is an action: a literal is the action entity itself,
//              a pattern with `*`/`?` is an action group Action::"s3:get*"
//              whose members are the actions it matches.  Cedar has no
//              wildcard over entity ids, so — as a Cedar deployment would
//              materialise groups over the AWS action catalogue in its schema
//              — the group membership of each request's action is computed
//              when its entity is built.  `Action` → `action in [...]`,
//              `NotAction` → `!(action in [...])`: both expressible.
//   resource   Resource::"<ARN>" with attributes parsed from the ARN:
//              arn, isArn, partition, service, region, account, rest (the
//              resource part).  A Resource pattern becomes one test per ARN
//              segment (== for literals, `like` for `*` patterns), so IAM's
//              ARN-segment semantics (`*` does not cross a colon in the first
//              five segments, but does in the resource part) are kept.
//   context    the request context, keys lower-cased (IAM keys are
//              case-insensitive), plus the keys docs/semantics.md §5 derives
//              from the principal.  A single value is `context["k"]`; the set
//              form `context["k[]"]` exists for keys that a policy uses under
//              ForAllValues/ForAnyValue.  A multi-valued key has only the set
//              form, so a plain operator sees it as absent — which is exactly
//              IAM's rule (positive operators false, negated true).  Keys used
//              with IpAddress become ip() values, with Bool booleans, with
//              Numeric* Longs.
//
// CONDITIONS → `when`
//   String(Not)Equals  [..].contains(context["k"]) (negated: !… or absent)
//   String(Not)Like    context["k"] like "…"
//   Arn(Not)Equals/Like  `like` over the whole string: ARN segment semantics
//              of condition values cannot be expressed (a context string
//              cannot be split), so `*` there crosses colons.
//   Bool               context["k"] == true/false
//   (Not)IpAddress     context["k"].isInRange(ip("cidr"))
//   Numeric*           Long comparisons (integer policy values only)
//   Null               context has "k" / "k[]"
//   …IfExists          !(context has "k") || …
//   ForAllValues:StringEquals  [..].containsAll(context["k[]"])
//   ForAllValues:StringNotEquals  ![..].containsAny(context["k[]"])
//   ForAnyValue:StringEquals   [..].containsAny(context["k[]"])
//   ForAnyValue:StringNotEquals  ![..].containsAll(context["k[]"])
//   ${var} as a whole condition value of an equality: context["var"]
//
// NOT EXPRESSIBLE (counted as "untranslated", and translated fail-closed as
// iamguard does: in a permit the element is `false`, in a forbid `true`):
//   - `?` in any pattern (Cedar's `like` has only `*`);
//   - policy variables inside Resource patterns or inside a longer value, and
//     in `like` patterns (Cedar patterns are literals; there is no string
//     concatenation);
//   - StringEqualsIgnoreCase (no case folding), Date* (no date parsing of
//     IAM's formats), BinaryEquals, non-integer Numeric values, set
//     qualifiers over anything but StringEquals/StringNotEquals (no
//     quantifier over a set).
// A difference that no translation can remove: Cedar ignores a policy whose
// evaluation errors (e.g. a type error), for a forbid too, where IAM (and
// iamguard) fail closed; errors are counted in "cedar_policy_errors".
//
// Checked against the case files of tests/cases (298 files, 851 requests,
// `for f in tests/cases/*/*.json; do node bench/peers/cedar.mjs $f ...`):
// every disagreement with iamguard is one of the limits above — a file with
// an untranslatable element, or one of: ARN segments in an ArnLike condition,
// request values that do not parse for their operator (Bool, IP, Numeric:
// Cedar compares them as strings or ignores the erroring policy), decimal
// numbers (Cedar has 64-bit integers), and a number in a policy whose JSON
// text (`1.0`) JavaScript's JSON.parse does not keep.
//
// LAYERS → policy sets, combined in JS as docs/semantics.md §6 orders them:
//   main[rp]   every Deny of every layer (SCPs, RCPs for RCP services, the
//              request's resource policy, identity, boundary, session) as
//              forbids, plus the identity Allows as permits.  One call tells
//              explicit deny (a forbid in `reason`) and whether the identity
//              policies allow.
//   boundary, session, scp-N, rcp-N, res[rp]  the Allows of that layer;
//              resource-policy permits are split by the kind of principal they
//              name (#exact, #role, #account), since IAM grants differently
//              for each.  Each is asked only when the decision depends on it.
// So seed-developer takes one call per request, a boundary workload two.
import { isIP } from 'node:net';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { checkAll, loadWorkload, packageVersion, parseArgs, principalAccount, report,
    resourceAccount, timeLoop } from './common.mjs';

const ENGINE = 'cedar-wasm';
const argv = process.argv.slice(2);
const dump = argv.includes('--dump');
const opts = parseArgs(argv.filter((a) => a !== '--dump'), ENGINE, ['stateful', 'parse']);
const version = packageVersion(new URL('./node_modules/@cedar-policy/cedar-wasm/package.json', import.meta.url));

const RCP_SERVICES = new Set(['s3', 's3express', 'sts', 'kms', 'sqs', 'secretsmanager',
    'cognito-identity', 'dynamodb', 'ecr', 'aoss', 'logs']);
const RCP_GROUP = '__rcp_services';

// ---- Cedar text helpers ---------------------------------------------------

function str(s) {
    let out = '"';
    for (const ch of String(s)) {
        const c = ch.codePointAt(0);
        if (ch === '"' || ch === '\\') out += '\\' + ch;
        else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
        else out += ch;
    }
    return out + '"';
}
const ctx = (k) => `context[${str(k)}]`;
const has = (k) => `context has ${str(k)}`;
const or = (xs) => (xs.length === 0 ? 'false' : xs.length === 1 ? xs[0] : `(${xs.join(' || ')})`);
const and = (xs) => (xs.length === 0 ? 'true' : xs.length === 1 ? xs[0] : `(${xs.join(' && ')})`);
const not = (x) => `!(${x})`;
const list = (v) => (Array.isArray(v) ? v : [v]);

class Gap extends Error {}

// An IAM glob (with `*`, and in 2012-10-17 policies ${*} ${?} ${$}) as a
// Cedar `like` pattern literal; Gap for `?` and other policy variables.
function likePattern(glob, v2012) {
    let out = '"';
    let literal = true;
    for (let i = 0; i < glob.length; i++) {
        const ch = glob[i];
        if (v2012 && ch === '$' && glob[i + 1] === '{') {
            const end = glob.indexOf('}', i);
            const inner = end < 0 ? null : glob.slice(i + 2, end).trim();
            if (inner === '*') { out += '\\*'; literal = false; }   // an escaped star needs `like`
            else if (inner === '?') out += '?';
            else if (inner === '$') out += '$';
            else throw new Gap('policy variable inside a pattern');
            i = end;
            continue;
        }
        if (ch === '*') { out += '*'; literal = false; continue; }
        if (ch === '?') throw new Gap('`?` wildcard (Cedar `like` has only `*`)');
        out += str(ch).slice(1, -1);
    }
    return { pattern: out + '"', literal };
}
// `expr` == or like an IAM glob.
function globTest(expr, glob, v2012) {
    if (glob === '*') return 'true';
    const { pattern, literal } = likePattern(glob, v2012);
    return literal ? `${expr} == ${pattern}` : `${expr} like ${pattern}`;
}

// ---- actions ----------------------------------------------------------------

const actionPatterns = new Set();   // lower-cased patterns with wildcards

function actionRef(entry) {
    const e = entry.toLowerCase();
    if (e.includes('*') || e.includes('?')) actionPatterns.add(e);
    return `Action::${str(e)}`;
}
function globMatch(pattern, s) {
    // plain glob (`*` any run, `?` one character), both sides lower-case
    let p = 0, i = 0, star = -1, mark = 0;
    while (i < s.length) {
        if (p < pattern.length && (pattern[p] === '?' || pattern[p] === s[i])) { p++; i++; }
        else if (p < pattern.length && pattern[p] === '*') { star = p++; mark = i; }
        else if (star >= 0) { p = star + 1; i = ++mark; }
        else return false;
    }
    while (p < pattern.length && pattern[p] === '*') p++;
    return p === pattern.length;
}
function actionMatches(pattern, action) {
    if (pattern === '*') return true;
    const pc = pattern.indexOf(':'), ac = action.indexOf(':');
    if (pc < 0 || ac < 0) return false;
    // the service prefix is matched exactly (docs/semantics.md §2)
    return pattern.slice(0, pc) === action.slice(0, ac) && globMatch(pattern.slice(pc + 1), action.slice(ac + 1));
}
function actionTest(stmt) {
    const isNot = stmt.NotAction !== undefined;
    const entries = list(isNot ? stmt.NotAction : stmt.Action);
    if (!isNot && entries.includes('*')) return 'true';
    const test = entries.includes('*') ? 'true' : `action in [${entries.map(actionRef).join(', ')}]`;
    return isNot ? not(test) : test;
}

// ---- resources ---------------------------------------------------------------

const SEGS = ['partition', 'service', 'region', 'account'];

function parseArn(s) {
    if (typeof s !== 'string' || !s.startsWith('arn:')) return null;
    const parts = s.split(':');
    if (parts.length < 6) return null;
    return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4],
        rest: parts.slice(5).join(':') };
}
function resourcePatternTest(pat, v2012) {
    if (pat === '*') return 'true';
    if (v2012 && /\$\{(?![*?$]\})/.test(pat)) throw new Gap('policy variable in a Resource pattern');
    if (!pat.startsWith('arn:')) return and(['!resource.isArn', globTest('resource.arn', pat, v2012)]);
    const parts = pat.split(':');
    const tests = ['resource.isArn'];
    if (parts.length >= 6) {
        SEGS.forEach((seg, i) => tests.push(globTest(`resource.${seg}`, parts[i + 1], v2012)));
        tests.push(globTest('resource.rest', parts.slice(5).join(':'), v2012));
    } else {
        // fewer than six segments: matches from the last segment on only when
        // it ends in `*` (docs/semantics.md §2)
        const last = parts[parts.length - 1];
        if (!last.endsWith('*')) return 'false';
        for (let i = 1; i < parts.length; i++) tests.push(globTest(`resource.${SEGS[i - 1]}`, parts[i], v2012));
    }
    return and(tests.filter((t) => t !== 'true'));
}
function resourceTest(stmt, v2012, gaps, where, effect) {
    const isNot = stmt.NotResource !== undefined;
    if (!isNot && stmt.Resource === undefined) return 'true';   // resource policies may omit it
    const pats = list(isNot ? stmt.NotResource : stmt.Resource);
    const tests = pats.map((p) => {
        try {
            return resourcePatternTest(p, v2012);
        } catch (e) {
            if (!(e instanceof Gap)) throw e;
            gaps.push(`${where}: ${e.message}`);
            // fail closed: the pattern matches in a Deny, not in an Allow
            return effect === 'Deny' ? 'true' : 'false';
        }
    });
    const t = tests.includes('true') ? 'true' : or(tests);
    return isNot ? not(t) : t;
}

// ---- principals (resource policies, RCPs) ------------------------------------

// [{kind: exact|role|account|all, test}] for the entries of Principal.
function principalEntries(p) {
    const out = [];
    if (p === '*') return [{ kind: 'exact', test: 'true' }];
    for (const [type, vals] of Object.entries(p)) {
        for (const v of list(vals)) {
            if (type === 'AWS') {
                let m;
                if (v === '*') out.push({ kind: 'exact', test: 'true' });
                else if (/^\d{12}$/.test(v)) out.push({ kind: 'account', test: `principal in Account::${str(v)}` });
                else if ((m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(v))) {
                    out.push({ kind: 'account', test: `principal in Account::${str(m[1])}` });
                } else if ((m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(v))) {
                    out.push({ kind: 'role', test: `principal in Role::${str(`arn:${m[1]}:iam::${m[2]}:role/${m[3]}`)}` });
                } else out.push({ kind: 'exact', test: `principal == Principal::${str(v)}` });
            } else if (type === 'Service') {
                out.push({ kind: 'exact', test: `principal == Principal::${str(`service:${v}`)}` });
            } else {
                out.push({ kind: 'exact', test: `principal == Principal::${str(`${type}:${v}`)}` });
            }
        }
    }
    return out;
}

// NotPrincipal exempts the caller only when every identity AWS evaluates for
// it is listed (docs/semantics.md §7): the caller itself, its role (role
// sessions) and its account (every authenticated principal; the root is
// only its account).  The principal's `kind` attribute says which apply.
function notPrincipalExempt(entries) {
    const listed = (kind) => {
        const ts = entries.filter((e) => e.kind === kind).map((e) => e.test);
        return ts.includes('true') ? 'true' : or(ts);
    };
    if (entries.some((e) => e.test === 'true')) return 'true';   // "*" exempts everyone
    return and([
        or(['principal.kind == "root"', listed('exact')]),
        or(['principal.kind != "role-session"', listed('role')]),
        or(['!principal.authenticated', listed('account')]),
    ]);
}

// ---- conditions --------------------------------------------------------------

const keyUse = { ip: new Set(), bool: new Set(), num: new Set(), set: new Set() };
const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals',
    'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike']);

// A whole-value policy variable ${key} / ${key, 'default'}: [key, default].
function wholeVariable(v, v2012) {
    if (!v2012) return null;
    const m = /^\$\{\s*([^,}\s]+)\s*(?:,\s*'([^']*)'\s*)?\}$/.exec(v);
    if (!m || ['*', '?', '$'].includes(m[1])) return null;
    return [m[1].toLowerCase(), m[2]];
}
// A string expression for a condition value: a literal or a variable
// reference; returns [expr, guard].
function valueExpr(v, v2012) {
    const wv = wholeVariable(v, v2012);
    if (wv) {
        const [k, dflt] = wv;
        if (dflt !== undefined) return [`(if ${has(k)} then ${ctx(k)} else ${str(dflt)})`, 'true'];
        return [ctx(k), has(k)];
    }
    if (v2012 && /\$\{(?![*?$]\})/.test(v)) throw new Gap('policy variable inside a condition value');
    return [str(v2012 ? v.replace(/\$\{([*?$])\}/g, '$1') : v), 'true'];
}

// One operator on one key with its values; `k` lower-cased.
function conditionTest(op, k, values, v2012) {
    let qual = null;
    let m = /^(ForAllValues|ForAnyValue):(.*)$/.exec(op);
    if (m) { qual = m[1]; op = m[2]; }
    let ifExists = false;
    if (op.endsWith('IfExists')) { ifExists = true; op = op.slice(0, -'IfExists'.length); }
    const vals = values.map(String);

    if (op === 'Null') {
        const present = or([has(k), has(`${k}[]`)]);
        return vals[0].toLowerCase() === 'true' ? not(present) : present;
    }
    if (qual) {
        if (op !== 'StringEquals' && op !== 'StringNotEquals') throw new Gap(`${qual}:${op} (no quantifier over a set)`);
        keyUse.set.add(k);
        const sk = `${k}[]`;
        const exprs = vals.map((v) => valueExpr(v, v2012));
        const guard = and(exprs.map((e) => e[1]).filter((g) => g !== 'true'));
        const set = `[${exprs.map((e) => e[0]).join(', ')}]`;
        if (qual === 'ForAllValues') {
            const t = op === 'StringEquals' ? `${set}.containsAll(${ctx(sk)})` : `!${set}.containsAny(${ctx(sk)})`;
            return or([not(has(sk)), and([guard, t])]);
        }
        // ForAnyValue: some value is in the set (negated: some value is outside it)
        const t = and([guard, op === 'StringEquals' ? `${set}.containsAny(${ctx(sk)})`
            : `!${set}.containsAll(${ctx(sk)})`]);
        return ifExists ? or([not(has(sk)), t]) : and([has(sk), t]);
    }

    const negated = NEGATED.has(op);
    let one;   // the positive test of one policy value against context[k]
    const base = negated ? op.replace('Not', '') : op;
    switch (base) {
    case 'StringEquals':
        one = (v) => { const [e, g] = valueExpr(v, v2012); return and([g, `${ctx(k)} == ${e}`].filter((x) => x !== 'true')); };
        break;
    case 'StringLike':
    case 'ArnLike':
    case 'ArnEquals':
        one = (v) => globTest(ctx(k), v, v2012);
        break;
    case 'Bool':
        keyUse.bool.add(k);
        one = (v) => `${ctx(k)} == ${v.toLowerCase() === 'true'}`;
        break;
    case 'IpAddress':
        keyUse.ip.add(k);
        one = (v) => `${ctx(k)}.isInRange(ip(${str(v)}))`;
        break;
    case 'NumericEquals': case 'NumericLessThan': case 'NumericLessThanEquals':
    case 'NumericGreaterThan': case 'NumericGreaterThanEquals': {
        keyUse.num.add(k);
        const sym = { NumericEquals: '==', NumericLessThan: '<', NumericLessThanEquals: '<=',
            NumericGreaterThan: '>', NumericGreaterThanEquals: '>=' }[base];
        one = (v) => {
            if (!/^-?\d{1,18}$/.test(v)) throw new Gap('non-integer Numeric value (Cedar has Long only)');
            return `${ctx(k)} ${sym} ${v}`;
        };
        break;
    }
    default:
        throw new Gap(`${op} (no Cedar equivalent)`);
    }
    const any = or(vals.map(one));
    if (negated) return or([not(has(k)), not(any)]);
    return ifExists ? or([not(has(k)), any]) : and([has(k), any]);
}
function conditionsTest(cond, v2012, gaps, where, effect) {
    if (!cond) return 'true';
    const tests = [];
    for (const [op, block] of Object.entries(cond)) {
        for (const [key, values] of Object.entries(block)) {
            try {
                tests.push(conditionTest(op, key.toLowerCase(), list(values), v2012));
            } catch (e) {
                if (!(e instanceof Gap)) throw e;
                gaps.push(`${where}: ${e.message}`);
                tests.push(effect === 'Deny' ? 'true' : 'false');
            }
        }
    }
    return and(tests.filter((t) => t !== 'true'));
}

// ---- statements → Cedar policies --------------------------------------------

// Returns [{id, effect, kind, text}] for one IAM policy document.
function translatePolicy(pid, doc, { withPrincipal = false, rcpGuard = false }, gaps) {
    const v2012 = doc.Version === '2012-10-17';
    const out = [];
    list(doc.Statement || []).forEach((st, i) => {
        const sid = st.Sid !== undefined && st.Sid !== '' ? st.Sid : `#${i}`;
        const where = `${pid}/${sid}`;
        const effect = st.Effect;
        const tests = [actionTest(st), resourceTest(st, v2012, gaps, where, effect),
            conditionsTest(st.Condition, v2012, gaps, where, effect)];
        if (rcpGuard) tests.unshift(`action in Action::${str(RCP_GROUP)}`);
        const body = and(tests.filter((t) => t !== 'true'));
        const cedarEffect = effect === 'Deny' ? 'forbid' : 'permit';
        const emit = (kind, ptest) => {
            const all = and([ptest, body].filter((t) => t !== 'true'));
            const id = `${where}#${kind}#${out.length}`;
            out.push({ id, effect: cedarEffect, kind, text: `${cedarEffect} (principal, action, resource) when { ${all} };` });
        };
        if (!withPrincipal) {
            emit('all', 'true');
        } else if (st.NotPrincipal !== undefined) {
            emit('exact', not(notPrincipalExempt(principalEntries(st.NotPrincipal))));
        } else {
            const entries = principalEntries(st.Principal === undefined ? {} : st.Principal);
            for (const kind of ['exact', 'role', 'account']) {
                const ts = entries.filter((e) => e.kind === kind).map((e) => e.test);
                if (ts.length) emit(kind, ts.includes('true') ? 'true' : or(ts));
            }
        }
    });
    return out;
}

// ---- the workload --------------------------------------------------------------

const t0 = process.hrtime.bigint();
const w = loadWorkload(opts.file);
const gaps = [];
const P = {
    identity: w.identity.flatMap((p) => translatePolicy(p.id, p.document, {}, gaps)),
    boundary: w.boundary ? translatePolicy(w.boundary.id, w.boundary.document, {}, gaps) : null,
    session: w.session ? translatePolicy(w.session.id, w.session.document, {}, gaps) : null,
    scps: w.scps.map((lvl) => lvl.flatMap((p) => translatePolicy(p.id, p.document, {}, gaps))),
    rcps: w.rcps.map((lvl) => lvl.flatMap((p) => translatePolicy(p.id, p.document, { withPrincipal: true, rcpGuard: true }, gaps))),
    resource: {},
};
const rpDocs = { ...w.resourcePolicies };
if (w.resource) rpDocs[`\u0000default:${w.resource.id}`] = w.resource.document;
for (const [name, doc] of Object.entries(rpDocs)) {
    P.resource[name] = translatePolicy(name.replace(/^\u0000default:/, ''), doc, { withPrincipal: true }, gaps);
}
const rpName = (r) => (r.resourcePolicy !== undefined ? r.resourcePolicy
    : w.resource ? `\u0000default:${w.resource.id}` : null);

const permits = (ps) => ps.filter((p) => p.effect === 'permit');
const forbids = (ps) => ps.filter((p) => p.effect === 'forbid');
const sets = new Map();   // id → { policies: {id: text}, kinds: {id: kind} }
function addSet(id, ps) {
    const policies = {}, kinds = {};
    for (const p of ps) { policies[p.id] = p.text; kinds[p.id] = p.kind; }
    // Cedar allows an empty policy set (it denies everything)
    sets.set(id, { policies, kinds });
}
const allForbids = (rp) => [
    ...w.scps.flatMap((_, i) => forbids(P.scps[i])),
    ...w.rcps.flatMap((_, i) => forbids(P.rcps[i])),
    ...(rp ? forbids(P.resource[rp]) : []),
    ...forbids(P.identity),
    ...(P.boundary ? forbids(P.boundary) : []),
    ...(P.session ? forbids(P.session) : []),
];
const anonymousOrService = !!(w.principal.anonymous || w.principal.service);
for (const rp of [null, ...Object.keys(P.resource)]) {
    addSet(`main:${rp ?? ''}`, [...allForbids(rp), ...(anonymousOrService ? [] : permits(P.identity))]);
}
if (P.boundary) addSet('boundary', permits(P.boundary));
if (P.session) addSet('session', permits(P.session));
P.scps.forEach((ps, i) => addSet(`scp:${i}`, permits(ps)));
P.rcps.forEach((ps, i) => addSet(`rcp:${i}`, permits(ps)));
for (const [rp, ps] of Object.entries(P.resource)) addSet(`res:${rp}`, permits(ps));

if (dump) {
    for (const [id, s] of sets) {
        process.stdout.write(`// ---- policy set ${id}\n`);
        for (const [pid, text] of Object.entries(s.policies)) process.stdout.write(`// ${pid}\n${text}\n`);
    }
    process.exit(0);
}
const mode = opts.mode;
for (const [id, s] of sets) {
    const res = cedar.preparsePolicySet(id, { staticPolicies: s.policies });
    if (res.type !== 'success') {
        process.stderr.write(`${ENGINE}: policy set ${id} does not parse: ${JSON.stringify(res.errors)}\n`);
        process.exit(2);
    }
}

// ---- principal, requests ----------------------------------------------------------

const pAccount = principalAccount(w);
let principalUid, principalParents = [], principalKind = 'other';
const derived = {};
{
    const p = w.principal;
    let m;
    if (p.anonymous) { principalUid = 'anonymous'; principalKind = 'anonymous'; }
    else if (p.service) { principalUid = `service:${p.service}`; principalKind = 'service'; }
    else {
        const arn = p.arn;
        principalUid = arn;
        principalParents.push({ type: 'Account', id: pAccount });
        derived['aws:principalaccount'] = pAccount;
        if ((m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn))) {
            const role = `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
            principalParents.push({ type: 'Role', id: role });
            principalKind = 'role-session';
            derived['aws:principalarn'] = role;
            derived['aws:principaltype'] = 'AssumedRole';
        } else if ((m = /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn))) {
            principalKind = 'user';
            derived['aws:principalarn'] = arn;
            derived['aws:principaltype'] = 'User';
            derived['aws:username'] = m[1];
        } else if (/^arn:[^:]+:sts::\d{12}:federated-user\//.test(arn)) {
            principalKind = 'federated';
            derived['aws:principalarn'] = arn;
            derived['aws:principaltype'] = 'FederatedUser';
        } else if (/^arn:[^:]+:iam::\d{12}:root$/.test(arn)) {
            principalKind = 'root';
            derived['aws:principalarn'] = arn;
            derived['aws:principaltype'] = 'Account';
        }
    }
}
const principalEntity = {
    uid: { type: 'Principal', id: principalUid },
    attrs: { kind: principalKind, authenticated: !anonymousOrService },
    parents: principalParents,
};

function typed(k, v) {
    if (keyUse.ip.has(k)) {
        const addr = v.includes('/') ? v.split('/')[0] : v;
        return isIP(addr) ? { __extn: { fn: 'ip', arg: v } } : v;
    }
    if (keyUse.bool.has(k)) {
        const l = v.toLowerCase();
        return l === 'true' ? true : l === 'false' ? false : v;
    }
    if (keyUse.num.has(k) && /^-?\d{1,18}$/.test(v)) return Number(v);
    return v;
}
function buildContext(c) {
    const out = {};
    const entries = new Map(Object.entries(derived));
    for (const [k, v] of Object.entries(c || {})) entries.set(k.toLowerCase(), v);   // supplied values win
    for (const [k, v] of entries) {
        const vals = (Array.isArray(v) ? v : [v]).map(String);
        if (vals.length === 0) continue;   // an empty list counts as absent
        if (vals.length === 1) out[k] = typed(k, vals[0]);
        if (vals.length > 1 || keyUse.set.has(k)) out[`${k}[]`] = vals.map((x) => typed(k, x));
    }
    return out;
}
const actionEntities = new Map();
function actionEntity(action) {
    const a = action.toLowerCase();
    if (!actionEntities.has(a)) {
        const parents = [...actionPatterns].filter((p) => actionMatches(p, a)).map((p) => ({ type: 'Action', id: p }));
        if (RCP_SERVICES.has(a.split(':')[0])) parents.push({ type: 'Action', id: RCP_GROUP });
        actionEntities.set(a, { uid: { type: 'Action', id: a }, attrs: {}, parents });
    }
    return actionEntities.get(a);
}
function resourceEntity(arn) {
    const p = parseArn(arn);
    const attrs = p ? { arn, isArn: true, ...p }
        : { arn, isArn: false, partition: '', service: '', region: '', account: '', rest: '' };
    return { uid: { type: 'Resource', id: arn }, attrs, parents: [] };
}

const requests = w.requests.map((r) => {
    const ae = actionEntity(r.action);
    const call = {
        principal: principalEntity.uid,
        action: ae.uid,
        resource: { type: 'Resource', id: r.resource },
        context: buildContext(r.context),
        entities: [principalEntity, ae, resourceEntity(r.resource)],
    };
    const action = r.action.toLowerCase();
    return {
        call,
        rp: rpName(r),
        service: action.split(':')[0],
        strictResource: action.startsWith('kms:') || action.startsWith('sts:assumerole'),
        cross: resourceAccount(w, r) !== pAccount,
    };
});
const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;

// ---- deciding -------------------------------------------------------------------------

let policyErrors = 0, failures = 0;
function ask(req, setId) {
    let ans;
    if (mode === 'stateful') {
        req.call.preparsedPolicySetId = setId;
        ans = cedar.statefulIsAuthorized(req.call);
    } else {
        ans = cedar.isAuthorized({ ...req.call, policies: { staticPolicies: sets.get(setId).policies } });
    }
    if (ans.type !== 'success') {
        // Cedar refused the request (e.g. an IP value its ip() rejects): it
        // cannot be authorised, so it is denied.
        failures++;
        return { allow: false, reason: [] };
    }
    const { decision, diagnostics } = ans.response;
    if (diagnostics.errors.length) policyErrors++;
    return { allow: decision === 'allow', reason: diagnostics.reason };
}
function layerAllows(req, setId) { return ask(req, setId).allow; }

function decide(i) {
    const req = requests[i];
    const m = ask(req, `main:${req.rp ?? ''}`);
    if (!m.allow && m.reason.length) return 'explicitDeny';
    const identity = principalKind === 'root' || m.allow;
    if (w.rcps.length && RCP_SERVICES.has(req.service)) {
        for (let l = 0; l < w.rcps.length; l++) if (!layerAllows(req, `rcp:${l}`)) return 'implicitDeny';
    }
    for (let l = 0; l < w.scps.length; l++) if (!layerAllows(req, `scp:${l}`)) return 'implicitDeny';
    const boundaryOk = () => !P.boundary || layerAllows(req, 'boundary');
    const sessionOk = () => (P.session ? layerAllows(req, 'session') : principalKind !== 'federated');
    const principalSide = () => identity && boundaryOk() && sessionOk();
    if (anonymousOrService) {
        // no identity policies: only a resource-policy grant naming them (or *)
        if (req.rp === null) return 'implicitDeny';
        const r = ask(req, `res:${req.rp}`);
        return r.allow && r.reason.some((id) => sets.get(`res:${req.rp}`).kinds[id] === 'exact') ? 'allowed' : 'implicitDeny';
    }
    if (req.cross) {
        if (req.rp === null || !layerAllows(req, `res:${req.rp}`)) return 'implicitDeny';
        return principalSide() ? 'allowed' : 'implicitDeny';
    }
    if (req.rp !== null) {
        const r = ask(req, `res:${req.rp}`);
        const kinds = new Set(r.allow ? r.reason.map((id) => sets.get(`res:${req.rp}`).kinds[id]) : []);
        if (kinds.has('exact')) return 'allowed';
        if (kinds.has('role') && boundaryOk() && sessionOk()) return 'allowed';
        if (req.strictResource && kinds.size === 0) return 'implicitDeny';
    } else if (req.strictResource) {
        return 'implicitDeny';
    }
    return principalSide() ? 'allowed' : 'implicitDeny';
}

const check = await checkAll(w, decide, opts.show, ENGINE);
const errorsInCheck = policyErrors;
const timing = await timeLoop(requests.length, decide, opts.seconds, false);
const uniqueGaps = [...new Set(gaps)];
for (const g of uniqueGaps) process.stderr.write(`${ENGINE}: not expressible in Cedar: ${g}\n`);
report({
    engine: ENGINE,
    version,
    mode: mode === 'stateful' ? 'statefulIsAuthorized' : 'isAuthorized',
    workload: w.name,
    requests: w.requests.length,
    mismatches: check.mismatches,
    decisions_per_second: Math.round(timing.dps),
    ns_per_decision: Number((1e9 / timing.dps).toFixed(1)),
    threads: 1,
    setup_ms: Number(setupMs.toFixed(3)),
    cedar_policies: [...sets.values()].reduce((n, s) => n + Object.keys(s.policies).length, 0),
    untranslated: uniqueGaps.length,
    cedar_policy_errors: errorsInCheck,
    cedar_failures: failures,
    node: process.version,
    mismatch_categories: check.categories.slice(0, 20),
});
