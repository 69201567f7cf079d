/* lookup.c - the ig_catalog_* queries: binary search over the sorted
 * records of the mapped file, so every name lookup is O(log n). */
#include <string.h>

#include "catalog/catalog_int.h"
#include "util/str.h"

/* strcasecmp order between n bytes of a and the NUL-terminated b. */
static int cmp_icase(const char *a, size_t n, const char *b)
{
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)ig_lower(a[i]), y = (unsigned char)ig_lower(b[i]);
        if (x != y || !y)
            return x - y;
    }
    return b[n] ? -1 : 0;
}

uint32_t ig_catalog_service_find(const ig_catalog *cat, const char *prefix, size_t len)
{
    uint32_t lo = 0, hi = cat->nsvc;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = cmp_icase(prefix, len, igcat_str(cat, cat->svc[mid].name));
        if (c == 0)
            return mid;
        if (c > 0) lo = mid + 1; else hi = mid;
    }
    return IG_CATALOG_NONE;
}

static uint32_t find_in_service(const ig_catalog *cat, const igcat_service *s,
                                const char *name, size_t len)
{
    uint32_t lo = s->action_first, hi = s->action_first + s->action_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = cmp_icase(name, len, igcat_str(cat, cat->act[mid].name));
        if (c == 0)
            return mid;
        if (c > 0) lo = mid + 1; else hi = mid;
    }
    return IG_CATALOG_NONE;
}

uint32_t ig_catalog_action_find(const ig_catalog *cat, const char *name, size_t len)
{
    const char *colon = memchr(name, ':', len);
    if (!colon)
        return IG_CATALOG_NONE;
    uint32_t s = ig_catalog_service_find(cat, name, (size_t)(colon - name));
    if (s == IG_CATALOG_NONE)
        return IG_CATALOG_NONE;
    return find_in_service(cat, &cat->svc[s], colon + 1, len - (size_t)(colon - name) - 1);
}

bool ig_catalog_action_get(const ig_catalog *cat, uint32_t id, ig_catalog_action *out)
{
    if (id >= cat->nact)
        return false;
    const igcat_action *a = &cat->act[id];
    out->service = igcat_str(cat, cat->svc[a->service].name);
    out->name = igcat_str(cat, a->name);
    out->access = a->access;
    out->nresource_types = a->rt_count;
    out->ncondition_keys = a->key_count;
    return true;
}

/* Like cmp_icase, over the first n bytes of b only ("a is a prefix"). */
static int cmp_icase_prefix(const char *a, size_t n, const char *b)
{
    for (size_t i = 0; i < n; i++) {
        int x = (unsigned char)ig_lower(a[i]), y = (unsigned char)ig_lower(b[i]);
        if (!y)
            return 1;
        if (x != y)
            return x - y;
    }
    return 0;
}

/* Actions of one service whose names match `pat`; the literal prefix of the
 * pattern narrows the range by binary search first. */
static size_t expand_service(const ig_catalog *cat, const igcat_service *s, const char *pat,
                             size_t plen, uint32_t *ids, size_t cap, size_t total)
{
    size_t lit = 0;
    while (lit < plen && pat[lit] != '*' && pat[lit] != '?')
        lit++;
    uint32_t lo = s->action_first, hi = s->action_first + s->action_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cmp_icase_prefix(pat, lit, igcat_str(cat, cat->act[mid].name)) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t a = lo; a < s->action_first + s->action_count; a++) {
        const char *name = igcat_str(cat, cat->act[a].name);
        size_t n = strlen(name);
        if (n < lit || !ig_eq_icase(pat, name, lit))
            break;
        if (igcat_wild_match(pat, plen, name, n)) {
            if (total < cap)
                ids[total] = a;
            total++;
        }
    }
    return total;
}

size_t ig_catalog_expand(const ig_catalog *cat, const char *pattern, size_t len,
                         uint32_t *ids, size_t cap)
{
    size_t total = 0;
    if (len == 1 && pattern[0] == '*') {
        for (uint32_t a = 0; a < cat->nact; a++) {
            if (total < cap)
                ids[total] = a;
            total++;
        }
        return total;
    }
    const char *colon = memchr(pattern, ':', len);
    if (!colon)
        return 0;
    size_t sl = (size_t)(colon - pattern);
    const char *ap = colon + 1;
    size_t al = len - sl - 1;
    if (!memchr(pattern, '*', sl) && !memchr(pattern, '?', sl)) {
        uint32_t s = ig_catalog_service_find(cat, pattern, sl);
        return s == IG_CATALOG_NONE ? 0 : expand_service(cat, &cat->svc[s], ap, al, ids, cap, 0);
    }
    for (uint32_t s = 0; s < cat->nsvc; s++) {
        const char *name = igcat_str(cat, cat->svc[s].name);
        if (igcat_wild_match(pattern, sl, name, strlen(name)))
            total = expand_service(cat, &cat->svc[s], ap, al, ids, cap, total);
    }
    return total;
}

static void rtype_fill(const ig_catalog *cat, uint32_t id, ig_catalog_resource_type *out)
{
    const igcat_rtype *r = &cat->rt[id];
    out->service = igcat_str(cat, cat->svc[r->service].name);
    out->name = igcat_str(cat, r->name);
    out->arn = igcat_str(cat, r->arn);
    out->required = false;
    out->ncondition_keys = r->key_count;
}

uint32_t ig_catalog_action_resource_type(const ig_catalog *cat, uint32_t action, uint32_t i,
                                         ig_catalog_resource_type *out)
{
    if (action >= cat->nact || i >= cat->act[action].rt_count)
        return IG_CATALOG_NONE;
    const igcat_action_rtype *ar = &cat->art[cat->act[action].rt_first + i];
    if (out) {
        rtype_fill(cat, ar->rtype, out);
        out->required = ar->required != 0;
    }
    return ar->rtype;
}

bool ig_catalog_resource_type_get(const ig_catalog *cat, uint32_t id, ig_catalog_resource_type *out)
{
    if (id >= cat->nrt)
        return false;
    rtype_fill(cat, id, out);
    return true;
}

void igcat_key_fill(const ig_catalog *c, uint32_t id, ig_catalog_key *out)
{
    const igcat_key *k = &c->key[id];
    out->name = igcat_str(c, k->name);
    out->type = (k->type & 0xffu) <= IG_KEY_OTHER ? (ig_key_type)(k->type & 0xffu) : IG_KEY_OTHER;
    out->multivalued = (k->type & IGCAT_KEY_MULTI) != 0;
    out->global = (k->type & IGCAT_KEY_GLOBAL) != 0;
}

bool ig_catalog_action_condition_key(const ig_catalog *cat, uint32_t action, uint32_t i,
                                     ig_catalog_key *out)
{
    if (action >= cat->nact || i >= cat->act[action].key_count)
        return false;
    igcat_key_fill(cat, cat->kref[cat->act[action].key_first + i], out);
    return true;
}

bool ig_catalog_resource_type_condition_key(const ig_catalog *cat, uint32_t id, uint32_t i,
                                            ig_catalog_key *out)
{
    if (id >= cat->nrt || i >= cat->rt[id].key_count)
        return false;
    igcat_key_fill(cat, cat->kref[cat->rt[id].key_first + i], out);
    return true;
}

size_t ig_catalog_match_arn(const ig_catalog *cat, const char *arn, size_t len,
                            uint32_t *ids, size_t cap)
{
    size_t total = 0;
    for (uint32_t r = 0; r < cat->nrt; r++)
        if (igcat_arn_intersects(arn, len, igcat_str(cat, cat->rt[r].arn))) {
            if (total < cap)
                ids[total] = r;
            total++;
        }
    return total;
}

/* ---- condition keys ---------------------------------------------------------- */

static bool any_keyref_matches(const ig_catalog *cat, uint32_t first, uint32_t count,
                               const char *key, size_t len)
{
    for (uint32_t i = 0; i < count; i++)
        if (igcat_key_name_matches(igcat_str(cat, cat->key[cat->kref[first + i]].name), key, len))
            return true;
    return false;
}

/* A key among [first, first+count): exact name by binary search, else the
 * first template that matches. */
static uint32_t find_key_in(const ig_catalog *cat, uint32_t first, uint32_t count,
                            const char *key, size_t len)
{
    uint32_t lo = first, hi = first + count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = cmp_icase(key, len, igcat_str(cat, cat->key[mid].name));
        if (c == 0)
            return mid;
        if (c > 0) lo = mid + 1; else hi = mid;
    }
    for (uint32_t k = first; k < first + count; k++)
        if ((cat->key[k].type & IGCAT_KEY_TEMPLATE) &&
            igcat_key_name_matches(igcat_str(cat, cat->key[k].name), key, len))
            return k;
    return IG_CATALOG_NONE;
}

static uint32_t find_global(const ig_catalog *cat, const char *key, size_t len)
{
    return find_key_in(cat, cat->h->global_first, cat->h->global_count, key, len);
}

bool ig_catalog_action_supports_key(const ig_catalog *cat, uint32_t action, const char *key,
                                    size_t len)
{
    if (action >= cat->nact)
        return false;
    if (!igcat_is_tag_key(key, len) && find_global(cat, key, len) != IG_CATALOG_NONE)
        return true;
    const igcat_action *a = &cat->act[action];
    if (any_keyref_matches(cat, a->key_first, a->key_count, key, len))
        return true;
    for (uint32_t i = 0; i < a->rt_count; i++) {
        const igcat_action_rtype *ar = &cat->art[a->rt_first + i];
        const igcat_rtype *r = &cat->rt[ar->rtype];
        if (any_keyref_matches(cat, ar->key_first, ar->key_count, key, len) ||
            any_keyref_matches(cat, r->key_first, r->key_count, key, len))
            return true;
    }
    return false;
}

bool ig_catalog_key_find(const ig_catalog *cat, const char *key, size_t len, ig_catalog_key *out)
{
    uint32_t k = find_global(cat, key, len);
    const char *colon = memchr(key, ':', len);
    if (k == IG_CATALOG_NONE && colon) {
        size_t pl = (size_t)(colon - key);
        uint32_t s = ig_catalog_service_find(cat, key, pl);
        if (s != IG_CATALOG_NONE) {
            k = find_key_in(cat, cat->svc[s].key_first, cat->svc[s].key_count, key, len);
        } else {
            /* Prefixes that name no service: accounts.google.com:aud is sts's. */
            for (uint32_t p = 0; p < cat->npfx && k == IG_CATALOG_NONE; p++)
                if (igcat_key_name_matches(igcat_str(cat, cat->pfx[p].prefix), key, pl)) {
                    const igcat_service *sv = &cat->svc[cat->pfx[p].service];
                    k = find_key_in(cat, sv->key_first, sv->key_count, key, len);
                }
        }
    }
    if (k == IG_CATALOG_NONE)
        return false;
    if (out)
        igcat_key_fill(cat, k, out);
    return true;
}

uint32_t ig_catalog_global_key_count(const ig_catalog *cat) { return cat->h->global_count; }

bool ig_catalog_global_key(const ig_catalog *cat, uint32_t i, ig_catalog_key *out)
{
    if (i >= cat->h->global_count)
        return false;
    igcat_key_fill(cat, cat->h->global_first + i, out);
    return true;
}
