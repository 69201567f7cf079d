// iam-simulate.mjs - a workload through @cloud-copilot/iam-simulate.
//
//   node bench/peers/iam-simulate.mjs WORKLOAD.json [--seconds S] [--show N] [--mode safe|unsafe]
//
// Uses the library's public entry point, runSimulation(), in its default
// Strict mode: identity policies, the permissions boundary
// (permissionBoundaryPolicies), the session policy, the request's resource
// policy, SCP and RCP levels (one SimulationOrgPolicies each; the library
// adds RCPFullAWSAccess to every RCP level itself).  Policies are validated
// once up front (createValidatedPolicy, the library's way of skipping
// re-validation), so the timed loop measures request normalisation and
// evaluation, not policy validation.  The request context is passed as the
// workload gives it (strings and arrays of strings); the library drops keys
// it does not consider valid for the action ("ignoredContextKeys") and does
// not derive principal keys (aws:PrincipalArn, ...) itself: both are its
// semantics, and any decision that differs from `expect` is counted, not
// hidden.
//
// --mode unsafe calls runUnsafeSimulation() instead: the library's own fast
// path that skips input validation and context normalisation (keys are not
// filtered or case-normalised, values not coerced to the key's type).  It is
// measured too, so that each ratio can be taken against the faster way of
// calling the peer.
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy,
    validateServiceControlPolicy, validateResourceControlPolicy } from '@cloud-copilot/iam-policy';
import { anonymousPrincipal, runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { checkAll, contextStrings, loadWorkload, packageVersion, parseArgs, report,
    resourceAccount, resourcePolicyFor, timeLoop } from './common.mjs';

const ENGINE = 'iam-simulate';
const opts = parseArgs(process.argv.slice(2), ENGINE, ['safe', 'unsafe']);
const version = packageVersion(new URL('./node_modules/@cloud-copilot/iam-simulate/package.json', import.meta.url));

const t0 = process.hrtime.bigint();
const w = loadWorkload(opts.file);

const validated = (doc, fn, name) => createValidatedPolicy(doc, fn, { name });
const identityPolicies = w.identity.map((p) => ({
    name: p.id,
    policy: validated(p.document, validateIdentityPolicy, p.id),
}));
const permissionBoundaryPolicies = w.boundary
    ? [{ name: w.boundary.id, policy: validated(w.boundary.document, validateIdentityPolicy, w.boundary.id) }]
    : undefined;
const sessionPolicy = w.session ? validated(w.session.document, validateIdentityPolicy, w.session.id) : undefined;
const orgLevels = (levels, fn, prefix) => levels.map((lvl, i) => ({
    orgIdentifier: `${prefix}-level-${i}`,
    policies: lvl.map((p) => ({ name: p.id, policy: validated(p.document, fn, p.id) })),
}));
const serviceControlPolicies = orgLevels(w.scps, validateServiceControlPolicy, 'scp');
const resourceControlPolicies = orgLevels(w.rcps, validateResourceControlPolicy, 'rcp');
const resourcePolicyCache = new Map();
function resourcePolicy(r) {
    const rp = resourcePolicyFor(w, r);
    if (!rp) return undefined;
    if (!resourcePolicyCache.has(rp.id)) {
        resourcePolicyCache.set(rp.id, validated(rp.document, validateResourcePolicy, rp.id));
    }
    return resourcePolicyCache.get(rp.id);
}

let principal;
if (w.principal.anonymous) principal = anonymousPrincipal;
else if (w.principal.service) principal = w.principal.service;
else principal = w.principal.arn;

// Every request as the library's Simulation, built up front.
const sims = w.requests.map((r) => {
    const sim = {
        request: {
            principal,
            action: r.action,
            resource: { resource: r.resource, accountId: resourceAccount(w, r) },
            contextVariables: contextStrings(r.context),
        },
        identityPolicies: principal === anonymousPrincipal ? [] : identityPolicies,
        serviceControlPolicies,
        resourceControlPolicies,
    };
    if (permissionBoundaryPolicies) sim.permissionBoundaryPolicies = permissionBoundaryPolicies;
    if (sessionPolicy) sim.sessionPolicy = sessionPolicy;
    const rp = resourcePolicy(r);
    if (rp) sim.resourcePolicy = rp;
    return sim;
});
const setupMs = Number(process.hrtime.bigint() - t0) / 1e6;

const DECISION = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' };
async function decideSafe(i) {
    const res = await runSimulation(sims[i], {});
    if (res.resultType === 'error') return `error:${res.errors.message}`;
    return DECISION[res.overallResult] || `unknown:${res.overallResult}`;
}
function decideUnsafe(i) {
    const res = runUnsafeSimulation(sims[i], {});
    return DECISION[res] || `unknown:${res}`;
}
const unsafe = opts.mode === 'unsafe';
const decide = unsafe ? decideUnsafe : decideSafe;

const check = await checkAll(w, decide, opts.show, ENGINE);
const timing = await timeLoop(sims.length, decide, opts.seconds, !unsafe);
report({
    engine: ENGINE,
    version,
    mode: unsafe ? 'runUnsafeSimulation' : 'runSimulation',
    workload: w.name,
    requests: w.requests.length,
    mismatches: check.mismatches,
    decisions_per_second: Math.round(timing.dps),
    ns_per_decision: Number((1e9 / timing.dps).toFixed(1)),
    threads: 1,
    setup_ms: Number(setupMs.toFixed(3)),
    node: process.version,
    mismatch_categories: check.categories.slice(0, 20),
});
