/* scenario.c - reading a scenario (YAML or JSON) strictly: every unknown
 * key, missing field, wrong type or dangling name is an error with the
 * position of the offending node, and a scenario is either fully loaded or
 * rejected.  The policies, principals and claims are read here, the groups
 * of requests in groups.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "check/check_int.h"
#include "policy/policy.h"
#include "util/alloc.h"

bool chk_fail(lctx *c, size_t off, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ig_diag_set(c->diag, IG_E_INPUT, c->file, c->text, c->len, off, "%s", msg);
    return false;
}

bool chk_nomem(lctx *c, size_t off)
{
    ig_diag_set(c->diag, IG_E_NOMEM, c->file, c->text, c->len, off, "out of memory");
    return false;
}

bool chk_want_kind(lctx *c, const json_value *v, json_kind k, const char *what)
{
    if (v->kind == k)
        return true;
    return chk_fail(c, v->start, "%s must be %s %s, got %s", what,
                    k == JSON_OBJECT || k == JSON_ARRAY ? "an" : "a", json_kind_name(k),
                    json_kind_name(v->kind));
}

/* A non-empty string without NUL bytes, copied into the scenario's arena. */
bool chk_get_str(lctx *c, const json_value *v, const char *what, const char **out)
{
    if (!chk_want_kind(c, v, JSON_STRING, what))
        return false;
    if (v->len == 0 || strlen(v->u.str) != v->len)
        return chk_fail(c, v->start, "%s must not be empty or contain NUL", what);
    *out = v->u.str;       /* the parsed document lives as long as the scenario */
    return true;
}

/* Names and ids show up in reports and JUnit attributes: keep them plain. */
bool chk_get_name(lctx *c, const json_value *v, const char *what, const char **out)
{
    if (!chk_get_str(c, v, what, out))
        return false;
    for (const unsigned char *p = (const unsigned char *)*out; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return chk_fail(c, v->start, "%s \"%s\" must not contain spaces or control characters",
                            what, *out);
    if (v->len > 128)
        return chk_fail(c, v->start, "%s is longer than 128 bytes", what);
    return true;
}

bool chk_key_name(lctx *c, const json_member *m, const char *what)
{
    json_value k = { .kind = JSON_STRING, .start = m->key_start, .len = m->key_len,
                     .u.str = m->key };
    const char *dummy;
    return chk_get_name(c, &k, what, &dummy);
}

static long find_policy(const chk_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->npolicies; i++)
        if (!strcmp(s->policies[i].name, name))
            return (long)i;
    return -1;
}

bool chk_policy_ref(lctx *c, const json_value *v, const char *what, long *out)
{
    const char *name;
    if (!chk_get_str(c, v, what, &name))
        return false;
    *out = find_policy(c->s, name);
    if (*out < 0)
        return chk_fail(c, v->start, "no policy named \"%s\" in \"policies\"", name);
    return true;
}

/* ---- policies ---------------------------------------------------------- */

static bool load_policy_entry(lctx *c, const json_member *m, chk_policy *p)
{
    const json_value *v = &m->value;
    if (!chk_key_name(c, m, "a policy name"))
        return false;
    if (!chk_want_kind(c, v, JSON_OBJECT, "a policy entry"))
        return false;
    p->name = m->key;
    p->cfn_name = m->key;
    const json_value *file = NULL, *doc = NULL;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *e = &v->u.members[i];
        if (!strcmp(e->key, "file")) {
            const char *dummy;
            if (!chk_get_str(c, &e->value, "\"file\"", &dummy)) return false;
            file = &e->value;
        } else if (!strcmp(e->key, "document")) {
            if (!chk_want_kind(c, &e->value, JSON_OBJECT, "\"document\"")) return false;
            doc = &e->value;
        } else if (!strcmp(e->key, "description")) {
            if (!chk_get_str(c, &e->value, "\"description\"", &p->description)) return false;
        } else if (!strcmp(e->key, "cfnName")) {
            if (!chk_get_str(c, &e->value, "\"cfnName\"", &p->cfn_name)) return false;
        } else {
            return chk_fail(c, e->key_start,
                            "unknown key \"%s\" in policy \"%s\" (expected file, document, description or cfnName)",
                            e->key, p->name);
        }
    }
    if (!!file == !!doc)
        return chk_fail(c, v->start, "policy \"%s\" needs exactly one of \"file\" and \"document\"", p->name);
    if (doc) {
        p->doc = doc;
        p->text = c->text;
        p->len = c->len;
        p->file = c->file;
        p->shown = "inline in the scenario";
        return true;
    }
    return chk_source_file(c, p, file);
}

/* The most derived override of the base policy `name`, or NULL. */
static const json_member *override_of(const chk_level *over, size_t nover, const char *name,
                                      const chk_level **level)
{
    for (size_t i = 0; i < nover; i++) {
        const json_value *v = over[i].policies;
        for (uint32_t k = 0; v && k < v->len; k++)
            if (!strcmp(v->u.members[k].key, name)) {
                *level = &over[i];
                return &v->u.members[k];
            }
    }
    return NULL;
}

/* An extending scenario replaces the base's policies by name only: a name
 * the base does not have is an error where the extending scenario says it. */
static bool check_overrides(const json_value *base, const chk_level *over, size_t nover)
{
    for (size_t i = 0; i < nover; i++) {
        lctx *oc = (lctx *)&over[i].c;
        const json_value *v = over[i].policies;
        if (!v)
            continue;
        if (!chk_want_kind(oc, v, JSON_OBJECT, "\"policies\""))
            return false;
        for (uint32_t k = 0; k < v->len; k++)
            if (!json_get(base, v->u.members[k].key))
                return chk_fail(oc, v->u.members[k].key_start,
                                "the base scenario has no policy named \"%s\" to override "
                                "(an extending scenario replaces policies, it does not add them)",
                                v->u.members[k].key);
    }
    return true;
}

static bool load_policies(lctx *c, const json_value *v, const chk_level *over, size_t nover)
{
    if (!chk_want_kind(c, v, JSON_OBJECT, "\"policies\""))
        return false;
    if (v->len > CHK_MAX_POLICIES)
        return chk_fail(c, v->start, "more than %d policies", CHK_MAX_POLICIES);
    if (!check_overrides(v, over, nover))
        return false;
    chk_scenario *s = c->s;
    s->policies = ig_arena_alloc(&s->arena, (v->len ? v->len : 1) * sizeof *s->policies);
    if (!s->policies)
        return chk_nomem(c, v->start);
    for (uint32_t i = 0; i < v->len; i++) {
        const chk_level *level = NULL;
        const json_member *m = override_of(over, nover, v->u.members[i].key, &level);
        lctx *pc = m ? (lctx *)&level->c : c;
        if (!load_policy_entry(pc, m ? m : &v->u.members[i], &s->policies[s->npolicies]))
            return false;
        s->npolicies++;
    }
    return true;
}

/* ---- principals -------------------------------------------------------- */

static bool load_identity_list(lctx *c, const json_value *v, chk_principal *p)
{
    const json_value *items = v;
    uint32_t n = 1;
    if (v->kind == JSON_ARRAY) {
        items = v->u.items;
        n = v->len;
    } else if (v->kind != JSON_STRING) {
        return chk_fail(c, v->start, "\"identity\" must be a policy name or a list of them, got %s",
                        json_kind_name(v->kind));
    }
    if (n > 64)
        return chk_fail(c, v->start, "more than 64 identity policies");
    p->identity = ig_arena_alloc(&c->s->arena, (n ? n : 1) * sizeof *p->identity);
    if (!p->identity)
        return chk_nomem(c, v->start);
    for (uint32_t i = 0; i < n; i++) {
        long k;
        if (!chk_policy_ref(c, &items[i], "an identity policy name", &k))
            return false;
        for (size_t j = 0; j < p->nidentity; j++)
            if (p->identity[j] == (size_t)k)
                return chk_fail(c, items[i].start, "policy \"%s\" is listed twice", c->s->policies[k].name);
        p->identity[p->nidentity++] = (size_t)k;
    }
    return true;
}

static bool load_principal(lctx *c, const json_member *m, chk_principal *p)
{
    const json_value *v = &m->value;
    if (!chk_key_name(c, m, "a principal name"))
        return false;
    if (!chk_want_kind(c, v, JSON_OBJECT, "a principal"))
        return false;
    p->name = m->key;
    p->boundary = p->session = -1;
    const json_value *arn = NULL;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *e = &v->u.members[i];
        const json_value *ev = &e->value;
        if (!strcmp(e->key, "arn")) {
            if (!chk_get_str(c, ev, "\"arn\"", &p->arn)) return false;
            arn = ev;
        } else if (!strcmp(e->key, "account")) {
            if (!chk_get_str(c, ev, "\"account\"", &p->account)) return false;
        } else if (!strcmp(e->key, "description")) {
            if (!chk_get_str(c, ev, "\"description\"", &p->description)) return false;
        } else if (!strcmp(e->key, "identity")) {
            if (!load_identity_list(c, ev, p)) return false;
        } else if (!strcmp(e->key, "permissionsBoundary")) {
            if (!chk_policy_ref(c, ev, "\"permissionsBoundary\"", &p->boundary)) return false;
        } else if (!strcmp(e->key, "session")) {
            if (!chk_policy_ref(c, ev, "\"session\"", &p->session)) return false;
        } else {
            return chk_fail(c, e->key_start,
                            "unknown key \"%s\" in principal \"%s\" (expected arn, account, description, identity, permissionsBoundary or session)",
                            e->key, p->name);
        }
    }
    if (!arn)
        return chk_fail(c, v->start, "principal \"%s\" needs an \"arn\"", p->name);
    return chk_build_env(c, p, arn);
}

static bool load_principals(lctx *c, const json_value *v)
{
    if (!chk_want_kind(c, v, JSON_OBJECT, "\"principals\""))
        return false;
    if (v->len == 0)
        return chk_fail(c, v->start, "\"principals\" is empty");
    if (v->len > CHK_MAX_PRINCIPALS)
        return chk_fail(c, v->start, "more than %d principals", CHK_MAX_PRINCIPALS);
    chk_scenario *s = c->s;
    s->principals = ig_arena_alloc(&s->arena, v->len * sizeof *s->principals);
    if (!s->principals)
        return chk_nomem(c, v->start);
    /* Counted before loading so that chk_free releases a half-built env. */
    for (uint32_t i = 0; i < v->len; i++)
        if (!load_principal(c, &v->u.members[i], &s->principals[s->nprincipals++]))
            return false;
    return true;
}

/* ---- claims ------------------------------------------------------------ */

static bool claim_add(lctx *c, chk_claim *cl, size_t req, const json_value *at)
{
    for (size_t i = 0; i < cl->nreqs; i++)
        if (cl->reqs[i] == req)
            return chk_fail(c, at->start, "claim \"%s\" names request \"%s\" twice", cl->id,
                            c->s->reqs[req].id);
    cl->reqs[cl->nreqs++] = req;
    return true;
}

static bool claim_refs(lctx *c, chk_claim *cl, const json_value *v, bool groups)
{
    const char *what = groups ? "\"groups\"" : "\"requests\"";
    if (!chk_want_kind(c, v, JSON_ARRAY, what))
        return false;
    chk_scenario *s = c->s;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_value *it = &v->u.items[i];
        const char *name;
        if (!chk_get_str(c, it, groups ? "a group name" : "a request id", &name))
            return false;
        if (groups) {
            size_t g = 0;
            while (g < s->ngroups && strcmp(s->groups[g].name, name)) g++;
            if (g == s->ngroups)
                return chk_fail(c, it->start, "no group named \"%s\"", name);
            for (size_t k = 0; k < s->groups[g].count; k++)
                if (!claim_add(c, cl, s->groups[g].first + k, it))
                    return false;
        } else {
            size_t r = 0;
            while (r < s->nreqs && strcmp(s->reqs[r].id, name)) r++;
            if (r == s->nreqs)
                return chk_fail(c, it->start, "no request with id \"%s\"", name);
            if (!claim_add(c, cl, r, it))
                return false;
        }
    }
    return true;
}

static bool load_claim(lctx *c, const json_value *v, chk_claim *cl)
{
    if (!chk_want_kind(c, v, JSON_OBJECT, "a claim"))
        return false;
    cl->reqs = ig_arena_alloc(&c->s->arena, (c->s->nreqs ? c->s->nreqs : 1) * sizeof *cl->reqs);
    if (!cl->reqs)
        return chk_nomem(c, v->start);
    const json_value *reqs = NULL, *groups = NULL;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *e = &v->u.members[i];
        if (!strcmp(e->key, "id")) {
            if (!chk_get_name(c, &e->value, "a claim id", &cl->id)) return false;
        } else if (!strcmp(e->key, "claim")) {
            if (!chk_get_str(c, &e->value, "\"claim\"", &cl->text)) return false;
        } else if (!strcmp(e->key, "source")) {
            if (!chk_get_str(c, &e->value, "\"source\"", &cl->source)) return false;
        } else if (!strcmp(e->key, "requests")) {
            reqs = &e->value;
        } else if (!strcmp(e->key, "groups")) {
            groups = &e->value;
        } else {
            return chk_fail(c, e->key_start,
                            "unknown key \"%s\" in a claim (expected id, claim, source, requests or groups)",
                            e->key);
        }
    }
    if (!cl->id)
        return chk_fail(c, v->start, "a claim needs an \"id\"");
    if (!cl->text)
        return chk_fail(c, v->start, "claim \"%s\" needs a \"claim\" (the sentence it stands for)", cl->id);
    if (reqs && !claim_refs(c, cl, reqs, false))
        return false;
    if (groups && !claim_refs(c, cl, groups, true))
        return false;
    if (cl->nreqs == 0)
        return chk_fail(c, v->start, "claim \"%s\" names no requests (give \"requests\" or \"groups\")", cl->id);
    return true;
}

static bool load_claims(lctx *c, const json_value *v)
{
    if (!chk_want_kind(c, v, JSON_ARRAY, "\"claims\""))
        return false;
    if (v->len > CHK_MAX_CLAIMS)
        return chk_fail(c, v->start, "more than %d claims", CHK_MAX_CLAIMS);
    chk_scenario *s = c->s;
    s->claims = ig_arena_alloc(&s->arena, (v->len ? v->len : 1) * sizeof *s->claims);
    if (!s->claims)
        return chk_nomem(c, v->start);
    for (uint32_t i = 0; i < v->len; i++) {
        chk_claim *cl = &s->claims[s->nclaims];
        if (!load_claim(c, &v->u.items[i], cl))
            return false;
        for (size_t j = 0; j < s->nclaims; j++)
            if (!strcmp(s->claims[j].id, cl->id))
                return chk_fail(c, v->u.items[i].start, "claim id \"%s\" is used twice", cl->id);
        s->nclaims++;
    }
    return true;
}

/* ---- the Amplify CLI the calls were read from --------------------------- */

static bool hex_commit(const char *t, size_t n)
{
    if (n < 7 || n > 40)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
            return false;
    return true;
}

static bool load_amplify_cli(lctx *c, const json_value *v)
{
    if (!chk_want_kind(c, v, JSON_OBJECT, "\"amplifyCli\""))
        return false;
    chk_scenario *s = c->s;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *e = &v->u.members[i];
        const json_value *ev = &e->value;
        if (!strcmp(e->key, "version")) {
            unsigned ver[3];
            /* YAML reads 14.3 as a number; only the string form is a version. */
            if (ev->kind != JSON_STRING || !chk_version_parse(ev->u.str, ver) || strlen(ev->u.str) != ev->len)
                return chk_fail(c, ev->start, "\"version\" must be MAJOR.MINOR.PATCH, such as 14.3.0");
            s->amplify_version = ev->u.str;
        } else if (!strcmp(e->key, "commit")) {
            if (ev->kind != JSON_STRING || !hex_commit(ev->u.str, ev->len))
                return chk_fail(c, ev->start, "\"commit\" must be 7 to 40 lowercase hexadecimal digits");
            s->amplify_commit = ev->u.str;
        } else {
            return chk_fail(c, e->key_start, "unknown key \"%s\" in \"amplifyCli\" (expected version or commit)",
                            e->key);
        }
    }
    if (!s->amplify_version)
        return chk_fail(c, v->start, "\"amplifyCli\" needs a \"version\"");
    return true;
}

/* ---- the document ------------------------------------------------------ */

bool chk_root_sections(lctx *c, const json_value *root, const json_value *sec[7])
{
    static const char *const names[7] = { "name", "title", "policies", "principals", "groups", "claims",
                                          "amplifyCli" };
    for (int k = 0; k < 7; k++)
        sec[k] = NULL;
    for (uint32_t i = 0; i < root->len; i++) {
        const json_member *m = &root->u.members[i];
        int k = 0;
        while (k < 7 && strcmp(m->key, names[k])) k++;
        if (k == 7 && strcmp(m->key, "description"))
            return chk_fail(c, m->key_start,
                            "unknown key \"%s\" in a scenario (expected name, title, description, extends, amplifyCli, policies, principals, groups or claims)",
                            m->key);
        if (k < 7) {
            sec[k] = &m->value;
        } else {
            const char *dummy;
            if (!chk_get_str(c, &m->value, "\"description\"", &dummy))
                return false;
        }
    }
    return true;
}

bool chk_load_root(lctx *c, const json_value *root)
{
    if (!chk_want_kind(c, root, JSON_OBJECT, "a scenario"))
        return false;
    if (json_get(root, "extends"))
        return chk_load_extended(c, root);
    const json_value *sec[7];
    if (!chk_root_sections(c, root, sec))
        return false;
    return chk_load_sections(c, root, sec, NULL, 0);
}

bool chk_load_sections(lctx *c, const json_value *root, const json_value *const sec[7],
                       const chk_level *over, size_t nover)
{
    chk_scenario *s = c->s;
    /* name and title: the most derived scenario that sets them */
    lctx *nc = c, *tc = c;
    const json_value *name = sec[0], *title = sec[1];
    for (size_t i = nover; i-- > 0;) {
        if (over[i].name) { name = over[i].name; nc = (lctx *)&over[i].c; }
        if (over[i].title) { title = over[i].title; tc = (lctx *)&over[i].c; }
    }
    if (name && !chk_get_name(nc, name, "\"name\"", &s->name))
        return false;
    if (title && !chk_get_str(tc, title, "\"title\"", &s->title))
        return false;
    if (sec[6] && !load_amplify_cli(c, sec[6]))
        return false;
    if (!sec[2])
        return chk_fail(c, root->start, "a scenario needs \"policies\"");
    if (!sec[3])
        return chk_fail(c, root->start, "a scenario needs \"principals\"");
    if (!sec[4])
        return chk_fail(c, root->start, "a scenario needs \"groups\"");
    if (!load_policies(c, sec[2], over, nover) || !chk_use_template(c, sec[2], sec[3]))
        return false;
    if (!load_principals(c, sec[3]) || !chk_load_groups(c, sec[4]))
        return false;
    if (sec[5] && !load_claims(c, sec[5]))
        return false;
    return chk_select_amplify(c);
}

const char *chk_expect_name(chk_expect e)
{
    switch (e) {
    case CHK_EXPECT_ALLOWED: return "allowed";
    case CHK_EXPECT_DENIED: return "denied";
    case CHK_EXPECT_EXPLICIT_DENY: return "explicitDeny";
    default: return "implicitDeny";
    }
}

bool chk_expect_met(chk_expect e, ig_decision d)
{
    switch (e) {
    case CHK_EXPECT_ALLOWED: return d == IG_ALLOWED;
    case CHK_EXPECT_DENIED: return d != IG_ALLOWED;
    case CHK_EXPECT_EXPLICIT_DENY: return d == IG_EXPLICIT_DENY;
    default: return d == IG_IMPLICIT_DENY;
    }
}
