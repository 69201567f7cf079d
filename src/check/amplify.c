/* amplify.c - Amplify CLI versions in a scenario: the version its calls
 * were read from (amplifyCli), the range of versions that make each call
 * (a request's "amplify"), and leaving out the calls the selected version
 * does not make.  Also where a sequence of calls (a command such as
 * `amplify delete`) first fails. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check/check_int.h"

/* One number of a version: digits only, no leading zero, at most 99999.
 * Returns the characters read, 0 on a bad number. */
static size_t number(const char *p, unsigned *out)
{
    size_t n = 0;
    unsigned v = 0;
    while (p[n] >= '0' && p[n] <= '9' && n < 6) {
        v = v * 10 + (unsigned)(p[n] - '0');
        n++;
    }
    if (n == 0 || n > 5 || (n > 1 && p[0] == '0'))
        return 0;
    *out = v;
    return n;
}

/* A version at p; returns the characters read, 0 when it is not one. */
static size_t version_at(const char *p, unsigned out[3])
{
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        size_t n = number(p + at, &out[i]);
        if (!n)
            return 0;
        at += n;
        if (i < 2) {
            if (p[at] != '.')
                return 0;
            at++;
        }
    }
    return at;
}

bool chk_version_parse(const char *text, unsigned out[3])
{
    size_t n = version_at(text, out);
    return n && text[n] == '\0';
}

static int compare(const unsigned a[3], const unsigned b[3])
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

typedef enum { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ } range_op;

/* One comparator at p: its operator and version; returns the characters
 * read, 0 when it is not one. */
static size_t comparator(const char *p, range_op *op, unsigned v[3])
{
    size_t at = 1;
    switch (p[0]) {
    case '<': *op = OP_LT; if (p[1] == '=') { *op = OP_LE; at = 2; } break;
    case '>': *op = OP_GT; if (p[1] == '=') { *op = OP_GE; at = 2; } break;
    case '=': *op = OP_EQ; break;
    default: return 0;
    }
    size_t n = version_at(p + at, v);
    return n ? at + n : 0;
}

static bool satisfies(range_op op, const unsigned v[3], const unsigned bound[3])
{
    int c = compare(v, bound);
    switch (op) {
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    case OP_GE: return c >= 0;
    default: return c == 0;
    }
}

/* Walks a range; with v, whether v lies in it.  NULL when well formed. */
static const char *walk(const char *range, const unsigned *v, bool *in)
{
    const char *p = range;
    int count = 0;
    *in = true;
    for (;;) {
        range_op op;
        unsigned bound[3];
        size_t n = comparator(p, &op, bound);
        if (!n)
            return "each part must be <, <=, >, >= or = and a version MAJOR.MINOR.PATCH";
        if (++count > 2)
            return "at most two comparators";
        if (v && !satisfies(op, v, bound))
            *in = false;
        p += n;
        if (*p == '\0')
            return NULL;
        if (*p != ' ' || p[1] == ' ' || p[1] == '\0')
            return "comparators are separated by one space";
        p++;
    }
}

const char *chk_range_check(const char *range)
{
    bool in;
    return walk(range, NULL, &in);
}

bool chk_range_has(const char *range, const unsigned v[3])
{
    bool in;
    return walk(range, v, &in) == NULL && in;
}

/* ---- leaving out other versions' calls ---------------------------------- */

bool chk_select_amplify(lctx *c)
{
    chk_scenario *s = c->s;
    const char *sel = c->opt && c->opt->amplify_version ? c->opt->amplify_version : s->amplify_version;
    s->amplify_selected = sel;
    unsigned v[3];
    if (!sel)
        return true;
    if (!chk_version_parse(sel, v))
        return chk_fail(c, 0, "--amplify-version must be MAJOR.MINOR.PATCH, got \"%s\"", sel);
    size_t *map = ig_arena_alloc(&s->arena, (s->nreqs ? s->nreqs : 1) * sizeof *map);
    if (!map)
        return chk_nomem(c, 0);
    size_t kept = 0;
    for (size_t g = 0; g < s->ngroups; g++) {
        chk_group *gr = &s->groups[g];
        size_t first = kept;
        for (size_t i = gr->first; i < gr->first + gr->count; i++) {
            const chk_request *r = &s->reqs[i];
            if (r->amplify && !chk_range_has(r->amplify, v)) {
                map[i] = SIZE_MAX;
                continue;
            }
            map[i] = kept;
            if (kept != i)
                s->reqs[kept] = *r;
            kept++;
        }
        gr->first = first;
        gr->count = kept - first;
    }
    s->nskipped = s->nreqs - kept;
    s->nreqs = kept;
    for (size_t k = 0; k < s->nclaims; k++) {
        chk_claim *cl = &s->claims[k];
        size_t n = 0;
        for (size_t j = 0; j < cl->nreqs; j++)
            if (map[cl->reqs[j]] != SIZE_MAX)
                cl->reqs[n++] = map[cl->reqs[j]];
        cl->nreqs = n;
    }
    return true;
}

/* ---- sequences ------------------------------------------------------------ */

long chk_sequence_failure(const chk_scenario *s, const chk_run *run, const chk_group *g,
                          size_t *refused_before, size_t *later_refused)
{
    long first = -1;
    *refused_before = *later_refused = 0;
    for (size_t i = g->first; i < g->first + g->count; i++) {
        const chk_request *r = &s->reqs[i];
        /* Only calls the command needs to succeed can end it; a refusal the
         * scenario expects is the command working as designed. */
        bool refused = r->expect == CHK_EXPECT_ALLOWED && !run->outcomes[i].met;
        if (!refused)
            continue;
        if (first >= 0)
            (*later_refused)++;
        else if (r->continues)
            (*refused_before)++;
        else
            first = (long)i;
    }
    return first;
}
