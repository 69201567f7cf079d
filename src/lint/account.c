/* account.c - linting what an account runs: every policy of an `aws iam
 * get-account-authorization-details` export, each with the quota that
 * governs it and a label saying where it is attached (one file holds
 * hundreds of policies, so a position alone does not tell whose it is).
 *
 * Quotas (IAM and AWS STS quotas, docs/lint.md): customer managed 6,144;
 * inline policies as an aggregate per principal, role 10,240, user 2,048,
 * group 5,120; role trust policy 2,048 (the default quota); AWS managed
 * policies none.  Only a managed policy's default version is in force, so
 * only it is linted.  Structure errors are `export-error` findings: the
 * rest of the export is still linted. */
#include <stdio.h>
#include <string.h>

#include "lint/lint.h"
#include "util/alloc.h"

#define LABEL_MAX 240

typedef struct {
    const lint_options *o;
    const json_value *root;
    const char *text;
    size_t len;
    const char *file;
    lint_report *r;
    lint_lines lines;           /* of the export, shared by all its policies */
    int rc;
} xctx;

typedef struct {
    const char *list;           /* UserPolicyList, ... */
    const char *name_key;       /* UserName, ... */
    const char *kind;           /* "user", ... */
    size_t inline_quota;
} pkind;

static const pkind KINDS[] = {
    { "UserDetailList", "UserName", "user", 2048 },
    { "GroupDetailList", "GroupName", "group", 5120 },
    { "RoleDetailList", "RoleName", "role", 10240 },
};
static const char *const INLINE_LISTS[] = { "UserPolicyList", "GroupPolicyList", "RolePolicyList" };

static void where(const xctx *x, size_t offset, unsigned *line, unsigned *col)
{
    size_t lo = 0, hi = x->lines.n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (x->lines.starts[mid] <= offset) lo = mid; else hi = mid;
    }
    *line = (unsigned)lo + 1;
    *col = (unsigned)(offset - x->lines.starts[lo]) + 1;
}

static void add(xctx *x, const char *code, size_t offset, const char *fmt, const char *a,
                const char *b)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a, b ? b : "");
    unsigned line, col;
    where(x, offset, &line, &col);
    lint_report_add(x->r, code, x->file, line, col, msg);
}

static const char *str_of(const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    return v && v->kind == JSON_STRING ? v->u.str : NULL;
}

/* An array member, or NULL (an export-error when it is something else). */
static const json_value *array_of(xctx *x, const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    if (v && v->kind != JSON_ARRAY) {
        add(x, "export-error", v->start, "\"%s\" must be an array%s", key, NULL);
        return NULL;
    }
    return v;
}

static int hexval(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
         : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* The IAM API returns documents percent-encoded; the CLI decodes them. */
static char *url_decode(const char *s, size_t n, size_t *out)
{
    char *d = ig_malloc(n + 1);
    if (!d)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            d[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            d[k++] = s[i];
        }
    }
    d[k] = '\0';
    *out = k;
    return d;
}

/* Lint one document; returns its size (0 when it could not be read). */
static size_t lint_doc(xctx *x, const json_value *doc, ig_policy_type type, size_t max,
                       const char *quota_name, const char *label)
{
    lint_options lo = *x->o;
    lo.quota_name = x->o->max_size ? NULL : quota_name;
    lo.type = type;
    lo.max_size = x->o->max_size ? x->o->max_size : max;
    lo.label = label;
    lo.what = label;
    lo.lines = &x->lines;
    if (doc->kind == JSON_OBJECT) {
        if (x->rc == IG_OK)
            x->rc = lint_policy_value(&lo, doc, x->text, x->len, x->file, x->r);
        return lint_policy_size(doc);
    }
    if (doc->kind != JSON_STRING) {
        add(x, "export-error", doc->start, "%s: the document must be an object or a URL-encoded string%s",
            label, NULL);
        return 0;
    }
    size_t dlen;
    char *dtext = url_decode(doc->u.str, doc->len, &dlen);
    if (!dtext) {
        x->rc = IG_E_NOMEM;
        return 0;
    }
    size_t size = 0;
    json_error je;
    json_doc *pd = json_parse(dtext, dlen, NULL, &je);
    if (!pd) {
        add(x, "syntax-error", doc->start, "%s: the URL-encoded document is not JSON: %s", label, je.msg);
    } else {
        size_t from = x->r->n;
        if (x->rc == IG_OK)
            x->rc = lint_policy_value(&lo, json_root(pd), dtext, dlen, x->file, x->r);
        size = lint_policy_size(json_root(pd));
        /* Positions inside the decoded text mean nothing in the file. */
        unsigned line, col;
        where(x, doc->start, &line, &col);
        for (size_t i = from; i < x->r->n; i++) {
            x->r->items[i].line = line;
            x->r->items[i].column = col;
        }
        json_doc_free(pd);
    }
    ig_free(dtext);
    return size;
}

/* ---- managed policies and where they are attached -------------------------- */

static void append(char *buf, size_t *n, const char *s)
{
    if (*n >= LABEL_MAX - 5)
        return;
    int w = snprintf(buf + *n, LABEL_MAX - *n, "%s", s);
    if (w < 0 || (size_t)w >= LABEL_MAX - *n) {
        snprintf(buf + LABEL_MAX - 5, 5, "...");
        *n = LABEL_MAX - 1;
        return;
    }
    *n += (size_t)w;
}

/* "attached to role/a, user/b; boundary of role/c" into buf; whether it
 * is used as a permissions boundary only. */
static bool attachments(const xctx *x, const char *arn, char *buf, size_t *n)
{
    size_t attached = 0, boundary = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t shown = 0;
        for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
            const json_value *list = json_get(x->root, KINDS[k].list);
            for (uint32_t i = 0; list && list->kind == JSON_ARRAY && i < list->len; i++) {
                const json_value *p = &list->u.items[i];
                const char *name = str_of(p, KINDS[k].name_key);
                bool hit = false;
                if (pass == 0) {
                    const json_value *att = json_get(p, "AttachedManagedPolicies");
                    for (uint32_t j = 0; att && att->kind == JSON_ARRAY && j < att->len && !hit; j++) {
                        const char *a = str_of(&att->u.items[j], "PolicyArn");
                        hit = a && !strcmp(a, arn);
                    }
                } else {
                    const json_value *pb = json_get(p, "PermissionsBoundary");
                    const char *a = pb ? str_of(pb, "PermissionsBoundaryArn") : NULL;
                    hit = a && !strcmp(a, arn);
                }
                if (!hit || !name)
                    continue;
                append(buf, n, shown ? ", " : pass == 0 ? " (attached to " : attached ? "; boundary of " : " (boundary of ");
                append(buf, n, KINDS[k].kind);
                append(buf, n, "/");
                append(buf, n, name);
                shown++;
            }
        }
        if (pass == 0)
            attached = shown;
        else
            boundary = shown;
    }
    append(buf, n, attached || boundary ? ")" : " (not attached)");
    return boundary && !attached;
}

static const json_value *default_version(const json_value *pol)
{
    const json_value *versions = json_get(pol, "PolicyVersionList");
    const char *def = str_of(pol, "DefaultVersionId");
    for (uint32_t i = 0; versions && versions->kind == JSON_ARRAY && i < versions->len; i++) {
        const json_value *v = &versions->u.items[i];
        const json_value *is_def = json_get(v, "IsDefaultVersion");
        const char *id = str_of(v, "VersionId");
        if ((is_def && is_def->kind == JSON_TRUE) || (def && id && !strcmp(def, id)))
            return json_get(v, "Document");
    }
    return NULL;
}

static void managed_policies(xctx *x)
{
    const json_value *list = array_of(x, x->root, "Policies");
    for (uint32_t i = 0; list && i < list->len && x->rc == IG_OK; i++) {
        const json_value *pol = &list->u.items[i];
        const char *arn = str_of(pol, "Arn");
        const char *name = str_of(pol, "PolicyName");
        if (!arn || !name) {
            add(x, "export-error", pol->start, "a managed policy needs \"Arn\" and \"PolicyName\" strings%s%s",
                "", NULL);
            continue;
        }
        const json_value *doc = default_version(pol);
        if (!doc) {
            add(x, "export-error", pol->start, "managed policy %s has no default version in \"PolicyVersionList\"%s",
                name, NULL);
            continue;
        }
        /* AWS managed policies are not held to the managed-policy quota. */
        bool aws = strstr(arn, ":iam::aws:policy/") != NULL;
        char label[LABEL_MAX];
        size_t n = 0;
        label[0] = '\0';
        append(label, &n, aws ? "AWS managed policy " : "managed policy ");
        append(label, &n, name);
        bool boundary_only = attachments(x, arn, label, &n);
        lint_doc(x, doc, boundary_only ? IG_POLICY_BOUNDARY : IG_POLICY_IDENTITY,
                 aws ? LINT_NO_SIZE_LIMIT : 6144, "customer managed", label);
    }
}

/* ---- users, groups and roles ---------------------------------------------- */

static void principal(xctx *x, const pkind *k, const json_value *p, const char *list_key)
{
    const char *name = str_of(p, k->name_key);
    if (!name) {
        add(x, "export-error", p->start, "missing \"%s\" string%s", k->name_key, NULL);
        return;
    }
    const json_value *list = array_of(x, p, list_key);
    size_t total = 0;
    for (uint32_t i = 0; list && i < list->len && x->rc == IG_OK; i++) {
        const json_value *e = &list->u.items[i];
        const char *pname = str_of(e, "PolicyName");
        const json_value *doc = json_get(e, "PolicyDocument");
        if (!pname || !doc) {
            add(x, "export-error", e->start, "an entry of \"%s\" needs \"PolicyName\" and \"PolicyDocument\"%s",
                list_key, NULL);
            continue;
        }
        char label[LABEL_MAX];
        snprintf(label, sizeof label, "%s/%.100s inline policy %.100s", k->kind, name, pname);
        /* The quota binds the principal's inline policies together. */
        total += lint_doc(x, doc, IG_POLICY_IDENTITY, LINT_NO_SIZE_LIMIT, NULL, label);
    }
    if (list && !x->o->max_size && total > k->inline_quota) {
        const json_member *m = json_get_member(p, list_key);
        char what[160], msg[400];
        snprintf(what, sizeof what, "%s/%.100s", k->kind, name);
        snprintf(msg, sizeof msg,
                 "%s: its inline policies have %zu characters without whitespace together; a %s's may have at most %zu",
                 what, total, k->kind, k->inline_quota);
        unsigned line, col;
        where(x, m ? m->key_start : p->start, &line, &col);
        lint_report_add(x->r, "policy-size", x->file, line, col, msg);
    }
    const json_value *trust = json_get(p, "AssumeRolePolicyDocument");
    if (trust && x->rc == IG_OK && !strcmp(k->kind, "role")) {
        char label[LABEL_MAX];
        snprintf(label, sizeof label, "role/%.100s trust policy", name);
        lint_doc(x, trust, IG_POLICY_RESOURCE, 2048, "role trust", label);
    }
}

bool lint_is_account_export(const json_value *root)
{
    if (root->kind != JSON_OBJECT || json_get(root, "Statement"))
        return false;
    return json_get(root, "UserDetailList") || json_get(root, "GroupDetailList") ||
           json_get(root, "RoleDetailList") ||
           (json_get(root, "Policies") && !json_get(root, "Resources"));
}

int lint_account_export(const lint_options *o, const json_value *root, const char *text,
                        size_t len, const char *file, lint_report *r)
{
    xctx x = { .o = o, .root = root, .text = text, .len = len, .file = file, .r = r, .rc = IG_OK };
    if (!lint_lines_index(&x.lines, text, len))
        return IG_E_NOMEM;
    for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        const json_value *list = array_of(&x, root, KINDS[k].list);
        for (uint32_t i = 0; list && i < list->len && x.rc == IG_OK; i++) {
            if (list->u.items[i].kind != JSON_OBJECT) {
                add(&x, "export-error", list->u.items[i].start, "the entries of \"%s\" must be objects%s",
                    KINDS[k].list, NULL);
                continue;
            }
            principal(&x, &KINDS[k], &list->u.items[i], INLINE_LISTS[k]);
        }
    }
    if (x.rc == IG_OK)
        managed_policies(&x);
    lint_lines_free(&x.lines);
    if (r->failed && x.rc == IG_OK)
        x.rc = IG_E_NOMEM;
    return x.rc;
}
