/* import_scenario.c - state in from a scenario of `iamguard check`
 * (docs/check.md): its named policies become customer managed policies of
 * the same name, its principals users and roles (a role session -> its
 * role) with their identity policies attached and their permissions
 * boundary set.  The scenario is turned into the JSON of `aws iam
 * get-account-authorization-details` and imported by emu_import_authz, so
 * the rules of that import hold: one transaction, existing entities are an
 * error.  What cannot be represented is skipped with a note. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "emu/emu.h"
#include "iamguard.h"
#include "policy/policy.h"

typedef struct {
    const char *kind;           /* "user" or "role" */
    char name[129];
    char path[513];
    const char *from;           /* the scenario principal it came from */
    bool *attach;               /* per scenario policy */
    long boundary;              /* policy index, or -1 */
} sc_entity;

typedef struct {
    const chk_scenario *s;
    const char *account;
    FILE *notes;
    const char *file;
    bool *usable;               /* per policy: imported as a managed policy */
    sc_entity *ents;
    size_t nents;
} sc_import;

static void note(const sc_import *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const sc_import *im, const char *fmt, ...)
{
    if (!im->notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(im->notes, "iamguard emulate: %s: ", im->file);
    vfprintf(im->notes, fmt, ap);
    fputc('\n', im->notes);
    va_end(ap);
}

/* IAM names: [\w+=,.@-], 1..max characters. */
static bool iam_name(const char *s, size_t n, size_t max)
{
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_+=,.@-", c)))
            return false;
    }
    return true;
}

/* The document of a policy as JSON into out; false (and why in *why) if none. */
static bool policy_json(const chk_policy *p, json_buf *out, const char **why)
{
    if (p->doc) {
        json_writer w;
        jw_init(&w, out, false);
        jw_value(&w, p->doc);
        return !out->failed;
    }
    for (int t = 0; t < IG_POLICY_TYPE_COUNT; t++) {
        if (p->compiled[t]) {
            char *j = ig_policy_to_json(p->compiled[t], false);
            if (!j)
                break;
            json_buf_puts(out, j);
            ig_free(j);
            return !out->failed;
        }
    }
    *why = "it has no document";
    return false;
}

static void policies(sc_import *im, json_writer *w)
{
    jw_key(w, "Policies");
    jw_array_begin(w);
    for (size_t i = 0; i < im->s->npolicies; i++) {
        const chk_policy *p = &im->s->policies[i];
        const char *why = NULL;
        json_buf doc;
        json_buf_init(&doc);
        if (!iam_name(p->name, strlen(p->name), 128)) {
            note(im, "policy %s: skipped: not a valid IAM policy name", p->name);
        } else if (!policy_json(p, &doc, &why)) {
            note(im, "policy %s: skipped: %s", p->name, why ? why : "out of memory");
        } else {
            ig_diag d;
            memset(&d, 0, sizeof d);
            ig_policy *c = ig_policy_compile(doc.data, doc.len, IG_POLICY_IDENTITY, p->name, NULL, &d);
            if (!c) {
                note(im, "policy %s: skipped: not an identity policy (%s)", p->name, d.msg);
            } else {
                ig_policy_free(c);
                im->usable[i] = true;
                char arn[300];
                snprintf(arn, sizeof arn, "arn:aws:iam::%s:policy/%s", im->account, p->name);
                if (p->shown && !strcmp(p->shown, "inline in the scenario"))
                    note(im, "policy %s: a document written in the scenario, imported as customer managed policy %s",
                         p->name, arn);
                jw_object_begin(w);
                jw_key(w, "PolicyName"); jw_string(w, p->name);
                jw_key(w, "Arn"); jw_string(w, arn);
                jw_key(w, "Path"); jw_string(w, "/");
                jw_key(w, "DefaultVersionId"); jw_string(w, "v1");
                if (p->description && strlen(p->description) <= 1000) {
                    jw_key(w, "Description"); jw_string(w, p->description);
                }
                jw_key(w, "PolicyVersionList");
                jw_array_begin(w);
                jw_object_begin(w);
                jw_key(w, "VersionId"); jw_string(w, "v1");
                jw_key(w, "IsDefaultVersion"); jw_bool(w, true);
                jw_key(w, "Document");
                json_buf_append(w->out, doc.data, doc.len);   /* the value of the key, as is */
                w->after_key = false;
                jw_object_end(w);
                jw_array_end(w);
                jw_object_end(w);
            }
        }
        json_buf_free(&doc);
    }
    jw_array_end(w);
}

/* A principal's user or role: kind, name, path and account from its ARN. */
static const char *entity_of(const char *arn, char *name, size_t ncap, char *path, size_t pcap, char *acct, size_t acap)
{
    const char *f[6];
    size_t fl[6];
    const char *p = arn;
    for (int i = 0; i < 6; i++) {
        f[i] = p;
        fl[i] = i < 5 ? strcspn(p, ":") : strlen(p);
        if (i < 5 && !p[fl[i]])
            return NULL;
        p += fl[i] + 1;
    }
    if (fl[0] != 3 || strncmp(f[0], "arn", 3) || fl[4] != 12)
        return NULL;
    snprintf(acct, acap, "%.12s", f[4]);
    const char *res = f[5], *kind;
    if (fl[2] == 3 && !strncmp(f[2], "sts", 3) && !strncmp(res, "assumed-role/", 13)) {
        const char *rn = res + 13;
        size_t rl = strcspn(rn, "/");
        if (!rn[rl] || !iam_name(rn, rl, 64))
            return NULL;
        snprintf(name, ncap, "%.*s", (int)rl, rn);
        snprintf(path, pcap, "/");
        return "role";
    }
    if (fl[2] != 3 || strncmp(f[2], "iam", 3))
        return NULL;
    if (!strncmp(res, "user/", 5))
        kind = "user";
    else if (!strncmp(res, "role/", 5))
        kind = "role";
    else
        return NULL;
    const char *slash = strrchr(res, '/');
    size_t plen = (size_t)(slash - (res + 4)) + 1;       /* "/" or "/a/b/" */
    if (!iam_name(slash + 1, strlen(slash + 1), 64) || plen >= pcap || plen > 512)
        return NULL;
    snprintf(name, ncap, "%s", slash + 1);
    snprintf(path, pcap, "%.*s", (int)plen, res + 4);
    return kind;
}

static bool entities(sc_import *im)
{
    const chk_scenario *s = im->s;
    bool other_account = false;
    for (size_t i = 0; i < s->nprincipals; i++) {
        const chk_principal *cp = &s->principals[i];
        char name[129], path[513], acct[16];
        const char *kind = cp->arn ? entity_of(cp->arn, name, sizeof name, path, sizeof path, acct, sizeof acct) : NULL;
        if (!kind) {
            note(im, "principal %s: skipped: %s is neither an IAM user, a role nor a role session", cp->name,
                 cp->arn ? cp->arn : "(no ARN)");
            continue;
        }
        if (strcmp(cp->account ? cp->account : acct, im->account))
            other_account = true;
        sc_entity *e = NULL;
        for (size_t k = 0; k < im->nents && !e; k++)
            if (!strcmp(im->ents[k].kind, kind) && !strcmp(im->ents[k].name, name))
                e = &im->ents[k];
        if (!e) {
            e = &im->ents[im->nents++];
            e->kind = kind;
            snprintf(e->name, sizeof e->name, "%s", name);
            snprintf(e->path, sizeof e->path, "%s", path);
            e->from = cp->name;
            e->boundary = -1;
            e->attach = calloc(s->npolicies + 1, sizeof *e->attach);
            if (!e->attach)
                return false;
        } else {
            note(im, "principal %s: the same user or role as principal %s: their policies are merged", cp->name,
                 e->from);
        }
        for (size_t k = 0; k < cp->nidentity; k++) {
            size_t pi = cp->identity[k];
            if (im->usable[pi])
                e->attach[pi] = true;
            else
                note(im, "principal %s: identity policy %s is not imported, so not attached", cp->name,
                     s->policies[pi].name);
        }
        if (cp->boundary >= 0) {
            if (!im->usable[cp->boundary])
                note(im, "principal %s: boundary %s is not imported, so not set", cp->name,
                     s->policies[cp->boundary].name);
            else if (e->boundary >= 0 && e->boundary != cp->boundary)
                note(im, "principal %s: a second boundary %s for the same entity, ignored", cp->name,
                     s->policies[cp->boundary].name);
            else
                e->boundary = cp->boundary;
        }
    }
    if (other_account)
        note(im, "principals of other accounts are created in the emulated account %s", im->account);
    return true;
}

static void emit_entities(sc_import *im, json_writer *w, const char *kind)
{
    bool role = !strcmp(kind, "role");
    jw_key(w, role ? "RoleDetailList" : "UserDetailList");
    jw_array_begin(w);
    for (size_t i = 0; i < im->nents; i++) {
        const sc_entity *e = &im->ents[i];
        if (strcmp(e->kind, kind))
            continue;
        char arn[700];
        snprintf(arn, sizeof arn, "arn:aws:iam::%s:%s%s%s", im->account, kind, e->path, e->name);
        jw_object_begin(w);
        jw_key(w, role ? "RoleName" : "UserName"); jw_string(w, e->name);
        jw_key(w, "Path"); jw_string(w, e->path);
        jw_key(w, "Arn"); jw_string(w, arn);
        if (role) {
            char root[64];
            snprintf(root, sizeof root, "arn:aws:iam::%s:root", im->account);
            jw_key(w, "AssumeRolePolicyDocument");
            jw_object_begin(w);
            jw_key(w, "Version"); jw_string(w, "2012-10-17");
            jw_key(w, "Statement");
            jw_array_begin(w);
            jw_object_begin(w);
            jw_key(w, "Effect"); jw_string(w, "Allow");
            jw_key(w, "Principal");
            jw_object_begin(w);
            jw_key(w, "AWS"); jw_string(w, root);
            jw_object_end(w);
            jw_key(w, "Action"); jw_string(w, "sts:AssumeRole");
            jw_object_end(w);
            jw_array_end(w);
            jw_object_end(w);
        }
        jw_key(w, "AttachedManagedPolicies");
        jw_array_begin(w);
        for (size_t k = 0; k < im->s->npolicies; k++) {
            if (!e->attach[k])
                continue;
            char parn[300];
            snprintf(parn, sizeof parn, "arn:aws:iam::%s:policy/%s", im->account, im->s->policies[k].name);
            jw_object_begin(w);
            jw_key(w, "PolicyName"); jw_string(w, im->s->policies[k].name);
            jw_key(w, "PolicyArn"); jw_string(w, parn);
            jw_object_end(w);
        }
        jw_array_end(w);
        if (e->boundary >= 0) {
            char barn[300];
            snprintf(barn, sizeof barn, "arn:aws:iam::%s:policy/%s", im->account, im->s->policies[e->boundary].name);
            jw_key(w, "PermissionsBoundary");
            jw_object_begin(w);
            jw_key(w, "PermissionsBoundaryType"); jw_string(w, "Policy");
            jw_key(w, "PermissionsBoundaryArn"); jw_string(w, barn);
            jw_object_end(w);
        }
        jw_object_end(w);
    }
    jw_array_end(w);
}

int emu_import_scenario(emu *e, const char *path, FILE *notes, ig_diag *diag)
{
    chk_scenario *s;
    chk_options opt;
    memset(&opt, 0, sizeof opt);
    int rc = chk_load_file(path, &opt, &s, diag);
    if (rc != IG_OK)
        return rc;
    sc_import im = { .s = s, .account = emu_account(e), .notes = notes, .file = path };
    im.usable = calloc(s->npolicies + 1, sizeof *im.usable);
    im.ents = calloc(s->nprincipals + 1, sizeof *im.ents);
    json_buf out;
    json_buf_init(&out);
    bool ok = im.usable && im.ents;
    if (ok) {
        json_writer w;
        jw_init(&w, &out, false);
        jw_object_begin(&w);
        policies(&im, &w);
        ok = entities(&im);
        if (ok) {
            emit_entities(&im, &w, "user");
            emit_entities(&im, &w, "role");
        }
        jw_object_end(&w);
        ok = ok && !out.failed;
    }
    size_t nroles = 0;
    for (size_t i = 0; ok && i < im.nents; i++)
        nroles += !strcmp(im.ents[i].kind, "role");
    if (nroles) {
        char root[64];
        snprintf(root, sizeof root, "arn:aws:iam::%s:root", im.account);
        note(&im, "a scenario has no trust policies: the roles it names trust the account (%s)", root);
    }
    if (!ok) {
        ig_diag_set(diag, IG_E_NOMEM, path, NULL, 0, 0, "out of memory");
        rc = IG_E_NOMEM;
    } else {
        rc = emu_import_authz(e, out.data, out.len, path, diag);
    }
    json_buf_free(&out);
    for (size_t i = 0; im.ents && i < im.nents; i++)
        free(im.ents[i].attach);
    free(im.ents);
    free(im.usable);
    chk_free(s);
    return rc;
}
