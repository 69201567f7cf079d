/* import.c - state in: the JSON of `aws iam get-account-authorization-
 * details` (policy documents as JSON, as the AWS CLI prints them, or
 * URL-encoded, as the API sends them), and AWS managed policies as JSON
 * lines.  One transaction per file: a file with one bad entry changes
 * nothing.  Entities that exist already are an error, never overwritten. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu/emu_int.h"
#include "policy/policy.h"

typedef struct {
    emu_call *c;
    const char *text;
    size_t len;
    const char *file;
    char where[160];            /* the entry being imported, for messages */
} importer;

static bool fail(importer *im, const char *fmt, const char *arg)
{
    char msg[600];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return emu_invalid(im->c, "%s: %s", im->where, msg);
}

static const char *str(const json_value *o, const char *key)
{
    const json_value *v = json_get(o, key);
    return v && v->kind == JSON_STRING ? v->u.str : NULL;
}

static const json_value *list(const json_value *o, const char *key)
{
    const json_value *v = json_get(o, key);
    return v && v->kind == JSON_ARRAY ? v : NULL;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A document: a JSON object as written in the file, or a URL-encoded string. */
static const char *document(importer *im, const json_value *v, ig_policy_type type)
{
    const char *doc = NULL;
    if (v && v->kind == JSON_OBJECT) {
        doc = ig_arena_strndup(&im->c->arena, im->text + v->start, v->end - v->start);
    } else if (v && v->kind == JSON_STRING) {
        char *out = ig_arena_alloc(&im->c->arena, v->len + 1);
        size_t o = 0;
        for (size_t i = 0; out && i < v->len; i++) {
            int hi, lo;
            if (v->u.str[i] == '%' && i + 2 < v->len && (hi = hexval(v->u.str[i + 1])) >= 0 &&
                (lo = hexval(v->u.str[i + 2])) >= 0) {
                out[o++] = (char)(hi * 16 + lo);
                i += 2;
            } else {
                out[o++] = v->u.str[i];
            }
        }
        doc = out;
    } else {
        fail(im, "a policy document must be a JSON object or a URL-encoded string%s", NULL);
        return NULL;
    }
    if (!doc) {
        emu_db_error(im->c);
        return NULL;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_policy *p = ig_policy_compile(doc, strlen(doc), type, "document", NULL, &d);
    if (!p) {
        fail(im, "the policy document does not compile: %s", d.msg);
        return NULL;
    }
    ig_policy_free(p);
    return doc;
}

static long long date(const char *s, long long fallback)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%S", &tm))
        return fallback;
    return (long long)timegm(&tm);
}

/* The account of an ARN must be the database's (or "aws"). */
static bool our_arn(importer *im, const char *arn, bool aws_ok)
{
    char want[64];
    snprintf(want, sizeof want, "arn:aws:iam::%s:", im->c->e->account);
    if (arn && (!strncmp(arn, want, strlen(want)) || (aws_ok && !strncmp(arn, "arn:aws:iam::aws:", 17))))
        return true;
    return fail(im, "%s is not an ARN of the emulated account", arn ? arn : "(none)");
}

static const char *entity_id(importer *im, const char *given, const char *prefix)
{
    char buf[32];
    if (given && strlen(given) >= 16 && strlen(given) <= 128 && !strncmp(given, prefix, 4))
        return given;
    if (!emu_random_id(prefix, 17, buf, sizeof buf)) {
        emu_db_error(im->c);
        return NULL;
    }
    return emu_strdup(im->c, buf);
}

static bool new_entity(importer *im, const char *kind, const char *name, const char *path)
{
    long long n = emu_count(im->c, "SELECT COUNT(*) FROM entities WHERE kind = ? AND name = ?", "ss", kind, name);
    if (n < 0)
        return false;
    if (n)
        return fail(im, "%s already exists in the database", name);
    if (!path || path[0] != '/' || path[strlen(path) - 1] != '/')
        return fail(im, "Path \"%s\" is not /, nor /.../", path);
    return true;
}

static bool inline_policies(importer *im, const json_value *o, const char *key, const char *kind, const char *owner)
{
    const json_value *l = list(o, key);
    for (uint32_t i = 0; l && i < l->len; i++) {
        const char *name = str(&l->u.items[i], "PolicyName");
        const char *doc = document(im, json_get(&l->u.items[i], "PolicyDocument"), IG_POLICY_IDENTITY);
        if (!name || !doc)
            return name ? false : fail(im, "an inline policy without PolicyName%s", NULL);
        if (!emu_exec(im->c, "INSERT INTO inline_policies(kind, owner, name, doc) VALUES(?, ?, ?, ?)", "ssss",
                      kind, owner, name, doc))
            return false;
    }
    return true;
}

static bool attachments(importer *im, const json_value *o, const char *kind, const char *owner)
{
    const json_value *l = list(o, "AttachedManagedPolicies");
    for (uint32_t i = 0; l && i < l->len; i++) {
        const char *arn = str(&l->u.items[i], "PolicyArn");
        long long n = arn ? emu_count(im->c, "SELECT COUNT(*) FROM policies WHERE arn = ?", "s", arn) : 0;
        if (n < 0)
            return false;
        if (!n)
            return fail(im, "attaches %s, which is neither in the file nor in the database", arn);
        long long seq = emu_count(im->c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM attachments", NULL);
        if (seq < 0 || !emu_exec(im->c, "INSERT OR IGNORE INTO attachments(kind, owner, arn, seq) VALUES(?, ?, ?, ?)",
                                 "sssi", kind, owner, arn, seq))
            return false;
    }
    return true;
}

static bool tags_and_boundary(importer *im, const json_value *o, const char *kind, const char *name)
{
    const json_value *l = list(o, "Tags");
    for (uint32_t i = 0; l && i < l->len; i++) {
        const char *k = str(&l->u.items[i], "Key"), *v = str(&l->u.items[i], "Value");
        if (!k || !v)
            return fail(im, "a tag needs Key and Value%s", NULL);
        if (!emu_exec(im->c, "INSERT INTO tags(kind, owner, k, v, seq) VALUES(?, ?, ?, ?, ?)", "ssssi", kind, name,
                      k, v, (long long)i + 1))
            return false;
    }
    const json_value *pb = json_get(o, "PermissionsBoundary");
    const char *arn = pb ? str(pb, "PermissionsBoundaryArn") : NULL;
    if (!arn)
        return true;
    long long n = emu_count(im->c, "SELECT COUNT(*) FROM policies WHERE arn = ?", "s", arn);
    if (n <= 0)
        return n < 0 ? false : fail(im, "its boundary %s is neither in the file nor in the database", arn);
    return emu_exec(im->c, "UPDATE entities SET boundary = ? WHERE kind = ? AND name = ?", "sss", arn, kind, name);
}

static bool import_policy(importer *im, const json_value *p)
{
    const char *name = str(p, "PolicyName"), *arn = str(p, "Arn"), *path = str(p, "Path");
    const char *dv = str(p, "DefaultVersionId");
    snprintf(im->where, sizeof im->where, "%s: policy %.100s", im->file, name ? name : "?");
    if (!name || !arn || !dv || !our_arn(im, arn, true))
        return name && arn && !dv ? fail(im, "no DefaultVersionId%s", NULL) : !name || !arn ? fail(im, "a policy needs PolicyName and Arn%s", NULL) : false;
    bool aws = !strncmp(arn, "arn:aws:iam::aws:", 17);
    long long n = emu_count(im->c, "SELECT COUNT(*) FROM policies WHERE arn = ? OR (aws = 0 AND ? = 0 AND name = ?)",
                            "sis", arn, (long long)aws, name);
    if (n < 0)
        return false;
    if (n)
        return aws ? true : fail(im, "a policy called %s already exists in the database", name);
    const json_value *versions = list(p, "PolicyVersionList");
    if (!versions || !versions->len)
        return fail(im, "no PolicyVersionList%s", NULL);
    long long now = (long long)im->c->now, next = 1;
    bool has_default = false;
    for (uint32_t i = 0; i < versions->len; i++) {
        const json_value *v = &versions->u.items[i];
        const char *vid = str(v, "VersionId");
        const char *doc = document(im, json_get(v, "Document"), IG_POLICY_IDENTITY);
        if (!doc)
            return false;
        if (!vid || vid[0] != 'v' || atoll(vid + 1) < 1)
            return fail(im, "a version needs a VersionId like v1%s", NULL);
        if (atoll(vid + 1) >= next)
            next = atoll(vid + 1) + 1;
        has_default |= !strcmp(vid, dv);
        if (!emu_exec(im->c, "INSERT INTO policy_versions(arn, vid, doc, created) VALUES(?, ?, ?, ?)", "sssi", arn,
                      vid, doc, date(str(v, "CreateDate"), now)))
            return false;
    }
    if (!has_default || versions->len > 5)
        return fail(im, has_default ? "more than 5 versions%s" : "the default version is not in PolicyVersionList%s", NULL);
    const char *id = entity_id(im, str(p, "PolicyId"), "ANPA");
    return id && emu_exec(im->c, "INSERT INTO policies(arn, name, id, path, description, default_version, next_version,"
                                 " created, updated, aws) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssssiiii", arn, name, id, path ? path : "/", str(p, "Description"), dv, next,
                          date(str(p, "CreateDate"), now), date(str(p, "UpdateDate"), now), (long long)aws);
}

static bool import_entity(importer *im, const json_value *o, const char *kind, const char *name_key,
                          const char *id_key, const char *prefix)
{
    const char *name = str(o, name_key), *path = str(o, "Path"), *arn = str(o, "Arn");
    snprintf(im->where, sizeof im->where, "%s: %s %.100s", im->file, kind, name ? name : "?");
    if (!name || !arn)
        return fail(im, "needs a name and an Arn%s", NULL);
    const char *trust = NULL;
    if (!strcmp(kind, "role") && !(trust = document(im, json_get(o, "AssumeRolePolicyDocument"), IG_POLICY_RESOURCE)))
        return false;
    const char *id = entity_id(im, str(o, id_key), prefix);
    if (!our_arn(im, arn, false) || !new_entity(im, kind, name, path) || !id ||
        !emu_exec(im->c, "INSERT INTO entities(kind, name, id, path, created, trust, max_session) VALUES(?, ?, ?, ?, ?, ?, ?)",
                  "ssssisi", kind, name, id, path, date(str(o, "CreateDate"), (long long)im->c->now), trust,
                  (long long)(trust ? 3600 : 0)))
        return false;
    const char *list_key = !strcmp(kind, "user") ? "UserPolicyList" : !strcmp(kind, "group") ? "GroupPolicyList" : "RolePolicyList";
    return inline_policies(im, o, list_key, kind, name) && attachments(im, o, kind, name) &&
           (!strcmp(kind, "group") || tags_and_boundary(im, o, kind, name));
}

static bool memberships(importer *im, const json_value *users)
{
    for (uint32_t i = 0; users && i < users->len; i++) {
        const json_value *u = &users->u.items[i];
        const json_value *groups = list(u, "GroupList");
        const char *user = str(u, "UserName");
        snprintf(im->where, sizeof im->where, "%s: user %.100s", im->file, user ? user : "?");
        for (uint32_t k = 0; groups && k < groups->len; k++) {
            const char *g = groups->u.items[k].kind == JSON_STRING ? groups->u.items[k].u.str : NULL;
            long long n = g ? emu_count(im->c, "SELECT COUNT(*) FROM entities WHERE kind = 'group' AND name = ?", "s", g) : 0;
            if (n < 0)
                return false;
            if (!n)
                return fail(im, "is in group %s, which is neither in the file nor in the database", g);
            if (!user || !emu_exec(im->c, "INSERT OR IGNORE INTO members(grp, usr) VALUES(?, ?)", "ss", g, user))
                return false;
        }
    }
    return true;
}

static bool profiles(importer *im, const json_value *roles)
{
    for (uint32_t i = 0; roles && i < roles->len; i++) {
        const json_value *profs = list(&roles->u.items[i], "InstanceProfileList");
        const char *role = str(&roles->u.items[i], "RoleName");
        for (uint32_t k = 0; profs && k < profs->len; k++) {
            const json_value *p = &profs->u.items[k];
            const char *name = str(p, "InstanceProfileName"), *path = str(p, "Path");
            snprintf(im->where, sizeof im->where, "%s: instance profile %.100s", im->file, name ? name : "?");
            if (!name)
                return fail(im, "needs InstanceProfileName%s", NULL);
            long long n = emu_count(im->c, "SELECT COUNT(*) FROM entities WHERE kind = 'instance-profile' AND name = ?", "s", name);
            const char *id = n == 0 ? entity_id(im, str(p, "InstanceProfileId"), "AIPA") : NULL;
            if (n < 0 || (n == 0 && (!id || !emu_exec(im->c, "INSERT INTO entities(kind, name, id, path, created)"
                                                              " VALUES('instance-profile', ?, ?, ?, ?)", "sssi", name, id,
                                                       path ? path : "/", date(str(p, "CreateDate"), (long long)im->c->now)))) ||
                !emu_exec(im->c, "INSERT OR IGNORE INTO profile_roles(profile, role) VALUES(?, ?)", "ss", name, role))
                return false;
        }
    }
    return true;
}

static bool import_all(importer *im, const json_value *root)
{
    if (root->kind != JSON_OBJECT)
        return fail(im, "not a get-account-authorization-details document%s", NULL);
    const json_value *pols = list(root, "Policies"), *groups = list(root, "GroupDetailList");
    const json_value *users = list(root, "UserDetailList"), *roles = list(root, "RoleDetailList");
    if (!pols && !groups && !users && !roles)
        return fail(im, "none of Policies, UserDetailList, GroupDetailList, RoleDetailList%s", NULL);
    for (uint32_t i = 0; pols && i < pols->len; i++)
        if (!import_policy(im, &pols->u.items[i])) return false;
    for (uint32_t i = 0; groups && i < groups->len; i++)
        if (!import_entity(im, &groups->u.items[i], "group", "GroupName", "GroupId", "AGPA")) return false;
    for (uint32_t i = 0; users && i < users->len; i++)
        if (!import_entity(im, &users->u.items[i], "user", "UserName", "UserId", "AIDA")) return false;
    for (uint32_t i = 0; roles && i < roles->len; i++)
        if (!import_entity(im, &roles->u.items[i], "role", "RoleName", "RoleId", "AROA")) return false;
    return memberships(im, users) && profiles(im, roles);
}

int emu_import_authz(emu *e, const char *json, size_t len, const char *file, ig_diag *diag)
{
    emu_call c;
    serve_reply r;
    emu_offline_begin(e, &c, &r);
    importer im = { .c = &c, .text = json, .len = len, .file = file };
    snprintf(im.where, sizeof im.where, "%s", file);
    json_error err;
    json_doc *doc = json_parse(json, len, NULL, &err);
    bool ok = false;
    if (!doc) {
        emu_invalid(&c, "%s:%u:%u: %s", file, err.line, err.column, err.msg);
    } else if (emu_db_begin(e, true) != IG_OK) {
        emu_db_error(&c);
    } else {
        ok = import_all(&im, json_root(doc)) && !c.failed && emu_db_commit(e) == IG_OK;
        if (!ok) {
            emu_db_rollback(e);
            if (!c.failed)
                emu_db_error(&c);
        }
    }
    json_doc_free(doc);
    return emu_offline_end(&c, &r, ok, diag);
}

int emu_import_managed(emu *e, const char *jsonl, size_t len, const char *file, ig_diag *diag)
{
    emu_call c;
    serve_reply r;
    emu_offline_begin(e, &c, &r);
    importer im = { .c = &c, .file = file };
    bool ok = emu_db_begin(e, true) == IG_OK;
    if (!ok)
        emu_db_error(&c);
    unsigned line = 0;
    for (size_t at = 0; ok && at < len;) {
        const char *nl = memchr(jsonl + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (jsonl + at)) : len - at;
        const char *text = jsonl + at;
        at += n + 1;
        line++;
        if (n == 0)
            continue;
        json_error err;
        json_doc *doc = json_parse(text, n, NULL, &err);
        snprintf(im.where, sizeof im.where, "%s:%u", file, line);
        im.text = text;
        im.len = n;
        if (!doc) {
            ok = emu_invalid(&c, "%s:%u:%u: %s", file, line, err.column, err.msg);
            break;
        }
        const json_value *o = json_root(doc);
        const char *name = str(o, "name"), *arn = str(o, "arn"), *vid = str(o, "version");
        if (!arn && name)           /* some lists leave the ARN out: it follows from the name */
            arn = emu_printf(&c, "arn:aws:iam::aws:policy/%s", name);
        const char *pdoc = name && arn && vid ? document(&im, json_get(o, "document"), IG_POLICY_IDENTITY) : NULL;
        if (!pdoc) {
            ok = c.failed ? false : fail(&im, "a line needs name, arn, version and document%s", NULL);
        } else if (strncmp(arn, "arn:aws:iam::aws:policy/", 24)) {
            ok = fail(&im, "%s is not an AWS managed policy ARN", arn);
        } else {
            long long have = emu_count(&c, "SELECT COUNT(*) FROM policies WHERE arn = ?", "s", arn);
            const char *id = have == 0 ? entity_id(&im, NULL, "ANPA") : NULL;
            const char *slash = strrchr(arn, '/');
            const char *path = slash ? ig_arena_strndup(&c.arena, arn + 23, (size_t)(slash - arn - 23) + 1) : "/";
            long long now = (long long)c.now;
            ok = have >= 0 && (have > 0 ||
                 (id && path && emu_exec(&c, "INSERT INTO policies(arn, name, id, path, default_version, next_version,"
                                              " created, updated, aws) VALUES(?, ?, ?, ?, ?, ?, ?, ?, 1)", "sssssiii",
                                         arn, name, id, path, vid, atoll(vid + 1) + 1, now, now) &&
                  emu_exec(&c, "INSERT INTO policy_versions(arn, vid, doc, created) VALUES(?, ?, ?, ?)", "sssi", arn,
                           vid, pdoc, now)));
        }
        json_doc_free(doc);
    }
    if (ok && emu_db_commit(e) != IG_OK)
        ok = emu_db_error(&c);
    if (!ok)
        emu_db_rollback(e);
    return emu_offline_end(&c, &r, ok && !c.failed, diag);
}
