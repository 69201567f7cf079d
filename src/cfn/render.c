/* render.c - the seed's deployment-security-cft.yml from the example policies.
 *
 * Two AWS::IAM::ManagedPolicy resources: the permissions boundary, and the
 * developer policy with every occurrence of the boundary's ARN replaced by
 * `!Ref` to the boundary resource.  That ties the developer's conditions
 * and denies to the policy the stack really created (and makes
 * CloudFormation create the boundary first).  The seed writes the ARN as
 * arn:aws:iam::*:policy/ImagingViewerPermissionsBoundary; the Ref gives
 * arn:aws:iam::ACCOUNT:policy/ImagingViewerPermissionsBoundary.  Both allow
 * and deny the same calls: a boundary must be a managed policy of the
 * role's own account, and the developer's IAM calls only reach the
 * developer's account (docs/cfn.md). */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn.h"
#include "cfn/render.h"
#include "examples/examples.h"
#include "policy/policy.h"
#include "yaml/yaml.h"

static const char BOUNDARY_EXAMPLE[] = "imaging-viewer/permissions-boundary.json";
static const char DEVELOPER_EXAMPLE[] = "imaging-viewer/developer-policy.json";
static const char HARDENED_BOUNDARY[] = "imaging-viewer-hardened/permissions-boundary.json";
static const char HARDENED_DEVELOPER[] = "imaging-viewer-hardened/developer-policy.json";
/* The account the hardened example's ARNs name; rendered as the deploying
 * account (${AWS::AccountId}). */
static const char EXAMPLE_ACCOUNT[] = ":123456789012:";

/* arn:PARTITION:iam::ACCOUNT:policy/ImagingViewerPermissionsBoundary, any
 * partition and account (the seed uses "*" and, in its init command, ""). */
static bool is_boundary_arn(const char *s)
{
    static const char tail[] = ":policy/" CFN_BOUNDARY_ID;
    if (strncmp(s, "arn:", 4))
        return false;
    const char *p = strchr(s + 4, ':');
    if (!p || strncmp(p, ":iam::", 6))
        return false;
    const char *acct = p + 6, *colon = strchr(acct, ':');
    return colon && !strcmp(colon, tail);
}

/* {"Fn::Sub": s} with every ":123456789012:" as ":${AWS::AccountId}:". */
static bool sub_account(json_doc *doc, const char *s, json_value *out)
{
    size_t n = 0, len = strlen(s);
    for (const char *p = s; (p = strstr(p, EXAMPLE_ACCOUNT)); p++)
        n++;
    char *text = json_doc_alloc(doc, len + n * 16 + 1);
    json_member *m = json_doc_alloc(doc, sizeof *m);
    if (!text || !m)
        return false;
    char *w = text;
    for (const char *p = s; *p;) {
        if (!strncmp(p, EXAMPLE_ACCOUNT, sizeof EXAMPLE_ACCOUNT - 1)) {
            w += sprintf(w, ":${AWS::AccountId}:");
            p += sizeof EXAMPLE_ACCOUNT - 1;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    m->key = "Fn::Sub";
    m->key_len = 7;
    m->value = (json_value){ .kind = JSON_STRING, .len = (uint32_t)(w - text), .u.str = text };
    *out = (json_value){ .kind = JSON_OBJECT, .len = 1, .u.members = m };
    return true;
}

/* A copy of `v` (into `doc`) with boundary ARNs replaced by a Ref and, when
 * `account`, the example's account by the deploying one. */
static bool replace_arns(json_doc *doc, const json_value *v, json_value *out, unsigned *count,
                         bool account)
{
    *out = *v;
    if (account && v->kind == JSON_STRING && !is_boundary_arn(v->u.str) && strstr(v->u.str, EXAMPLE_ACCOUNT))
        return sub_account(doc, v->u.str, out);
    if (v->kind == JSON_STRING && is_boundary_arn(v->u.str)) {
        json_member *m = json_doc_alloc(doc, sizeof *m);
        if (!m)
            return false;
        m->key = "Ref";
        m->key_len = 3;
        m->value = (json_value){ .kind = JSON_STRING, .len = sizeof CFN_BOUNDARY_ID - 1,
                                 .u.str = CFN_BOUNDARY_ID };
        *out = (json_value){ .kind = JSON_OBJECT, .len = 1, .u.members = m };
        (*count)++;
        return true;
    }
    if (v->kind == JSON_ARRAY && v->len) {
        json_value *items = json_doc_alloc(doc, v->len * sizeof *items);
        if (!items)
            return false;
        for (uint32_t i = 0; i < v->len; i++)
            if (!replace_arns(doc, &v->u.items[i], &items[i], count, account))
                return false;
        out->u.items = items;
    } else if (v->kind == JSON_OBJECT && v->len) {
        json_member *mems = json_doc_alloc(doc, v->len * sizeof *mems);
        if (!mems)
            return false;
        for (uint32_t i = 0; i < v->len; i++) {
            mems[i] = v->u.members[i];
            if (!replace_arns(doc, &v->u.members[i].value, &mems[i].value, count, account))
                return false;
        }
        out->u.members = mems;
    }
    return true;
}

static json_doc *parse_policy(const char *text, size_t len, const char *file, ig_diag *diag)
{
    json_error je;
    json_doc *d = json_parse(text, len, NULL, &je);
    if (!d) {
        ig_diag_set(diag, strcmp(je.msg, "out of memory") ? IG_E_JSON : IG_E_NOMEM, file, text,
                    len, je.offset, "%s", je.msg);
        return NULL;
    }
    ig_policy *p = ig_policy_compile_value(json_root(d), text, len, IG_POLICY_IDENTITY, NULL,
                                           file, diag);
    if (!p) {
        json_doc_free(d);
        return NULL;
    }
    ig_policy_free(p);
    return d;
}

static const char HEADER[] =
"# deployment-security-cft.yml - the IAM side of deploying the imaging viewer\n"
"# with Amplify under a permissions boundary (the seed's \"Deployment Security\n"
"# Considerations\").  Written by `iamguard cfn render` from\n"
"# examples/%s/permissions-boundary.json and developer-policy.json;\n"
"# check it with `iamguard check --cfn deployment-security-cft.yml`.\n"
"#\n"
"# ImagingViewerPermissionsBoundary caps every role Amplify creates.\n"
"# ImagingViewerDeveloperPolicy lets the developer deploy, but only create\n"
"# roles that carry that boundary, and never remove or change it; it is\n"
"# attached to the role, user or group named by the parameters (if any).\n"
"#\n"
"# Deploy (the policies have fixed names, hence CAPABILITY_NAMED_IAM):\n"
"#   aws cloudformation deploy --region %s \\\n"
"#     --stack-name imaging-viewer-iam --template-file deployment-security-cft.yml \\\n"
"#     --capabilities CAPABILITY_NAMED_IAM \\\n"
"#     --parameter-overrides DeveloperRoleName=YOUR-DEVELOPER-ROLE\n"
"# then initialise Amplify with the boundary (output PermissionsBoundaryArn):\n"
"#   amplify init --permissions-boundary arn:aws:iam::%s:policy/ImagingViewerPermissionsBoundary\n"
"AWSTemplateFormatVersion: \"2010-09-09\"\n"
"Description: \"Permissions boundary for Amplify-created roles and the developer policy that "
"enforces it (imaging viewer)\"\n"
"Parameters:\n";

/* The names as parameters (the seed's template); the hardened policies name
 * both policies in their conditions, so there the names are fixed. */
static const char NAME_PARAMETERS[] =
"  PermissionsBoundaryPolicyName:\n"
"    Type: String\n"
"    Default: " CFN_BOUNDARY_ID "\n"
"    AllowedPattern: \"[\\\\w+=,.@-]{1,128}\"\n"
"    Description: \"Name of the permissions boundary policy (Amplify is initialised with its ARN)\"\n"
"  DeveloperPolicyName:\n"
"    Type: String\n"
"    Default: " CFN_DEVELOPER_ID "\n"
"    AllowedPattern: \"[\\\\w+=,.@-]{1,128}\"\n"
"    Description: \"Name of the developer's managed policy\"\n";

static const char ATTACH[] =
"  DeveloperRoleName:\n"
"    Type: String\n"
"    Default: \"\"\n"
"    Description: \"Existing IAM role to attach the developer policy to (empty: none)\"\n"
"  DeveloperUserName:\n"
"    Type: String\n"
"    Default: \"\"\n"
"    Description: \"Existing IAM user to attach the developer policy to (empty: none)\"\n"
"  DeveloperGroupName:\n"
"    Type: String\n"
"    Default: \"\"\n"
"    Description: \"Existing IAM group to attach the developer policy to (empty: none)\"\n"
"Conditions:\n"
"  AttachToRole: !Not [!Equals [!Ref DeveloperRoleName, \"\"]]\n"
"  AttachToUser: !Not [!Equals [!Ref DeveloperUserName, \"\"]]\n"
"  AttachToGroup: !Not [!Equals [!Ref DeveloperGroupName, \"\"]]\n"
"Resources:\n"
"  " CFN_BOUNDARY_ID ":\n"
"    Type: AWS::IAM::ManagedPolicy\n"
"    Properties:\n"
"      ManagedPolicyName: %s\n"
"      Description: \"Permissions boundary of every role Amplify creates for the imaging viewer\"\n"
"      PolicyDocument:\n";

static const char DEVELOPER[] =
"  " CFN_DEVELOPER_ID ":\n"
"    Type: AWS::IAM::ManagedPolicy\n"
"    Properties:\n"
"      ManagedPolicyName: %s\n"
"      Description: \"Deploy the imaging viewer with Amplify; roles only with the permissions "
"boundary\"\n"
"      Roles: !If [AttachToRole, [!Ref DeveloperRoleName], !Ref \"AWS::NoValue\"]\n"
"      Users: !If [AttachToUser, [!Ref DeveloperUserName], !Ref \"AWS::NoValue\"]\n"
"      Groups: !If [AttachToGroup, [!Ref DeveloperGroupName], !Ref \"AWS::NoValue\"]\n"
"      PolicyDocument:\n";

static const char OUTPUTS[] =
"Outputs:\n"
"  PermissionsBoundaryArn:\n"
"    Description: \"ARN of the permissions boundary (amplify init --permissions-boundary)\"\n"
"    Value: !Ref " CFN_BOUNDARY_ID "\n"
"  DeveloperPolicyArn:\n"
"    Description: \"ARN of the developer policy\"\n"
"    Value: !Ref " CFN_DEVELOPER_ID "\n"
"  AmplifyInitCommand:\n"
"    Description: \"Initialise Amplify with the boundary\"\n"
"    Value: !Sub \"amplify init --permissions-boundary ${" CFN_BOUNDARY_ID "}\"\n";

/* Read the output back as a template and compile its two policies. */
static int verify(const json_buf *out, ig_diag *diag)
{
    cfn_template *t;
    int rc = cfn_load_text(out->data, out->len, "<rendered template>", NULL, &t, diag);
    if (rc != IG_OK)
        return rc;
    const char *ids[2] = { CFN_BOUNDARY_ID, CFN_DEVELOPER_ID };
    for (int i = 0; i < 2 && rc == IG_OK; i++) {
        const cfn_policy *p = cfn_find_policy(t, ids[i]);
        ig_policy *c = p ? cfn_compile_policy(t, p, IG_POLICY_IDENTITY, diag) : NULL;
        if (!c)
            rc = p ? diag->code : IG_E_INPUT;
        ig_policy_free(c);
    }
    cfn_free(t);
    return rc;
}

int cfn_render_deployment(const cfn_render_opts *o, json_buf *out, ig_diag *diag)
{
    static const cfn_render_opts none;
    ig_diag scratch;
    if (!o)
        o = &none;
    if (!diag)
        diag = &scratch;
    const char *btext = o->boundary, *dtext = o->developer;
    size_t blen = o->boundary_len, dlen = o->developer_len;
    const char *bname = o->hardened ? HARDENED_BOUNDARY : BOUNDARY_EXAMPLE;
    const char *dname = o->hardened ? HARDENED_DEVELOPER : DEVELOPER_EXAMPLE;
    char bshown[128], dshown[128];
    snprintf(bshown, sizeof bshown, "examples/%s", bname);
    snprintf(dshown, sizeof dshown, "examples/%s", dname);
    const char *bfile = o->boundary_file ? o->boundary_file : bshown;
    const char *dfile = o->developer_file ? o->developer_file : dshown;
    if (!btext || !dtext) {
        const ig_embedded_file *b = ig_example_file(bname);
        const ig_embedded_file *d = ig_example_file(dname);
        if (!b || !d) {
            ig_diag_set(diag, IG_E_IO, NULL, NULL, 0, 0, "the built-in example policies are missing");
            return IG_E_IO;
        }
        if (!btext) {
            btext = b->data;
            blen = b->len;
        }
        if (!dtext) {
            dtext = d->data;
            dlen = d->len;
        }
    }
    json_doc *bdoc = parse_policy(btext, blen, bfile, diag);
    json_doc *ddoc = bdoc ? parse_policy(dtext, dlen, dfile, diag) : NULL;
    json_doc *work = ddoc ? json_doc_new() : NULL;
    int rc = work ? IG_OK : IG_E_NOMEM;
    if (!work && ddoc)
        ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "out of memory");
    else if (!work)
        rc = diag->code;
    json_value dev, bound;
    unsigned count = 0, bcount = 0;
    if (rc == IG_OK && (!replace_arns(work, json_root(ddoc), &dev, &count, o->hardened) ||
                        !replace_arns(work, json_root(bdoc), &bound, &bcount, o->hardened))) {
        ig_diag_set(diag, IG_E_NOMEM, dfile, NULL, 0, 0, "out of memory");
        rc = IG_E_NOMEM;
    }
    if (rc == IG_OK && count == 0) {
        ig_diag_set(diag, IG_E_POLICY, dfile, dtext, dlen, 0, "the developer policy never names "
                    "the boundary (arn:aws:iam::*:policy/" CFN_BOUNDARY_ID ")");
        rc = IG_E_POLICY;
    }
    if (rc == IG_OK) {
        size_t mark = out->len;
        json_buf_printf(out, HEADER, o->hardened ? "imaging-viewer-hardened" : "imaging-viewer",
                        o->region ? o->region : "REGION", o->account ? o->account : "ACCOUNT-ID");
        if (!o->hardened)
            json_buf_puts(out, NAME_PARAMETERS);
        json_buf_printf(out, ATTACH, o->hardened ? CFN_BOUNDARY_ID : "!Ref PermissionsBoundaryPolicyName");
        /* A boundary never names itself, so bound has no Ref to itself. */
        yaml_write(out, bcount ? json_root(bdoc) : &bound, 8, true);
        json_buf_printf(out, DEVELOPER, o->hardened ? CFN_DEVELOPER_ID : "!Ref DeveloperPolicyName");
        yaml_write(out, &dev, 8, true);
        json_buf_puts(out, OUTPUTS);
        if (out->failed) {
            ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "out of memory");
            rc = IG_E_NOMEM;
        } else {
            json_buf view = { out->data + mark, out->len - mark, out->len - mark, false };
            rc = verify(&view, diag);
        }
    }
    json_doc_free(work);
    json_doc_free(ddoc);
    json_doc_free(bdoc);
    return rc;
}
