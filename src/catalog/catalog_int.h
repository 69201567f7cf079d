/* catalog_int.h - the open catalog and the helpers the lint module uses
 * to read it without going through the public accessors. */
#ifndef IG_CATALOG_INT_H
#define IG_CATALOG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog_format.h"
#include "iamguard.h"

struct ig_catalog {
    void *map;
    size_t size;
    const igcat_header *h;
    const char *str;
    uint32_t nstr;
    const igcat_service *svc;
    uint32_t nsvc;
    const igcat_action *act;
    uint32_t nact;
    const igcat_action_rtype *art;
    uint32_t nart;
    const igcat_rtype *rt;
    uint32_t nrt;
    const igcat_key *key;
    uint32_t nkey;
    const uint32_t *kref;
    uint32_t nkref;
    const igcat_prefix *pfx;
    uint32_t npfx;
};

static inline const char *igcat_str(const ig_catalog *c, uint32_t off)
{
    return c->str + off;
}

/* ASCII case-insensitive wildcard match: '*' any run, '?' one byte. */
bool igcat_wild_match(const char *pat, size_t plen, const char *s, size_t slen);

/* A condition key name from the data (with ${...} parts that match one or
 * more bytes) against a key as written in a policy, case-insensitively. */
bool igcat_key_name_matches(const char *tmpl, const char *key, size_t len);

/* True for aws:RequestTag/..., aws:ResourceTag/... and aws:TagKeys. */
bool igcat_is_tag_key(const char *key, size_t len);

/* Whether some ARN can match both a policy resource pattern (with '*', '?'
 * and policy variables, which are taken as '*') and a resource type's ARN
 * template (with ${...} placeholders).  When unsure it answers true. */
bool igcat_arn_intersects(const char *pat, size_t plen, const char *tmpl);

/* An ARN or ARN pattern split at its first five colons outside ${...};
 * n < 6 when it has fewer. */
typedef struct {
    int n;
    const char *seg[6];
    size_t len[6];
} igcat_arn_parts;

void igcat_split_arn(const char *s, size_t n, igcat_arn_parts *out);

void igcat_key_fill(const ig_catalog *c, uint32_t id, ig_catalog_key *out);

#endif
