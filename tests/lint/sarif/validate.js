// validate.js - check a SARIF log written by `iamguard lint --format sarif`:
// valid against the SARIF 2.1.0 schema, and carrying what GitHub code
// scanning reads (security tags and scores, help, fingerprints, relative
// URIs with a base).  Usage: node validate.js LOG.sarif ; exit 0 when valid.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
const log = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const problems = [];
if (!ajv.validate(schema, log))
    for (const e of ajv.errors) problems.push(`schema: ${e.instancePath} ${e.message}`);

for (const run of log.runs || []) {
    const rules = run.tool.driver.rules || [];
    for (const r of rules) {
        const p = r.properties || {};
        const security = (p.tags || []).includes('security');
        if (!r.fullDescription || !r.help || !r.help.markdown || !r.helpUri)
            problems.push(`rule ${r.id}: no fullDescription, help.markdown or helpUri`);
        if (r.helpUri && !r.helpUri.includes('#' + r.id))
            problems.push(`rule ${r.id}: helpUri does not point at its anchor`);
        if (security !== ('security-severity' in p))
            problems.push(`rule ${r.id}: security-severity must go with the security tag and only with it`);
        if (security && !(Number(p['security-severity']) > 0 && Number(p['security-severity']) <= 10))
            problems.push(`rule ${r.id}: security-severity is not a score in (0, 10]`);
    }
    const bases = run.originalUriBaseIds || {};
    for (const res of run.results || []) {
        if (!res.partialFingerprints || !Object.keys(res.partialFingerprints).length)
            problems.push(`result ${res.ruleId}: no partialFingerprints`);
        for (const loc of res.locations || []) {
            const a = loc.physicalLocation.artifactLocation;
            if (a.uriBaseId && !(a.uriBaseId in bases))
                problems.push(`result ${res.ruleId}: uriBaseId ${a.uriBaseId} not in originalUriBaseIds`);
            if (a.uriBaseId && (a.uri.startsWith('/') || /^[a-z]+:/i.test(a.uri)))
                problems.push(`result ${res.ruleId}: uri ${a.uri} is not relative to its base`);
        }
    }
}
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
