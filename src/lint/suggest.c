/* suggest.c - "did you mean ...?": the catalog name nearest to a
 * misspelled one, by case-insensitive edit distance, within a distance
 * that grows with the name's length (one typo per four characters, at
 * most three). */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"
#include "util/str.h"

#define MAX_NAME 128

static unsigned distance(const char *a, size_t an, const char *b, size_t bn, unsigned limit)
{
    if (an > MAX_NAME || bn > MAX_NAME)
        return limit + 1;
    if ((an > bn ? an - bn : bn - an) > limit)
        return limit + 1;
    unsigned row[MAX_NAME + 1], prev[MAX_NAME + 1];
    for (size_t j = 0; j <= bn; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= an; i++) {
        row[0] = (unsigned)i;
        unsigned best = row[0];
        for (size_t j = 1; j <= bn; j++) {
            unsigned sub = prev[j - 1] + (ig_lower(a[i - 1]) != ig_lower(b[j - 1]));
            unsigned del = prev[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit)
            return limit + 1;
        memcpy(prev, row, (bn + 1) * sizeof *row);
    }
    return prev[bn];
}

static unsigned limit_for(size_t n)
{
    unsigned l = (unsigned)(n / 4);
    return l < 1 ? 1 : l > 3 ? 3 : l;
}

typedef struct {
    const char *best;
    unsigned dist;
} nearest;

static void consider(nearest *nr, const char *want, size_t n, const char *name)
{
    unsigned d = distance(want, n, name, strlen(name), nr->dist - 1);
    if (d < nr->dist) {
        nr->dist = d;
        nr->best = name;
    }
}

bool lint_suggest_service(const lint_ctx *c, const char *s, size_t n, char *fix, size_t cap)
{
    nearest nr = { NULL, limit_for(n) + 1 };
    for (uint32_t i = 0; i < c->cat->nsvc; i++)
        consider(&nr, s, n, igcat_str(c->cat, c->cat->svc[i].name));
    if (!nr.best)
        return false;
    snprintf(fix, cap, "did you mean \"%s\"?", nr.best);
    return true;
}

bool lint_suggest_action(const lint_ctx *c, const char *s, size_t n, char *fix, size_t cap)
{
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return false;
    uint32_t svc = ig_catalog_service_find(c->cat, s, (size_t)(colon - s));
    if (svc == IG_CATALOG_NONE)
        return false;
    const char *name = colon + 1;
    size_t nn = n - (size_t)(colon - s) - 1;
    nearest nr = { NULL, limit_for(nn) + 1 };
    const igcat_service *sv = &c->cat->svc[svc];
    for (uint32_t a = sv->action_first; a < sv->action_first + sv->action_count; a++)
        consider(&nr, name, nn, igcat_str(c->cat, c->cat->act[a].name));
    if (!nr.best)
        return false;
    snprintf(fix, cap, "did you mean \"%s:%s\"?", igcat_str(c->cat, sv->name), nr.best);
    return true;
}

bool lint_suggest_key(const lint_ctx *c, const char *key, char *fix, size_t cap)
{
    size_t n = strlen(key);
    const char *colon = strchr(key, ':');
    if (!colon)
        return false;
    nearest nr = { NULL, limit_for(n) + 1 };
    const igcat_header *h = c->cat->h;
    for (uint32_t k = h->global_first; k < h->global_first + h->global_count; k++)
        consider(&nr, key, n, igcat_str(c->cat, c->cat->key[k].name));
    uint32_t svc = ig_catalog_service_find(c->cat, key, (size_t)(colon - key));
    if (svc != IG_CATALOG_NONE) {
        const igcat_service *sv = &c->cat->svc[svc];
        for (uint32_t k = sv->key_first; k < sv->key_first + sv->key_count; k++)
            consider(&nr, key, n, igcat_str(c->cat, c->cat->key[k].name));
    }
    if (!nr.best)
        return false;
    snprintf(fix, cap, "did you mean \"%s\"?", nr.best);
    return true;
}
