/* extends.c - a scenario that extends another: it names a base scenario
 * (a path relative to its own directory, or "builtin:NAME") and may set
 * only its name, title, description and replacements for some of the
 * base's policies.  Everything else -- principals, groups, requests,
 * claims, amplifyCli -- comes from the base, read in the base's own file so
 * that the positions of its requests point there.  A base may extend
 * another, up to CHK_MAX_EXTENDS deep; a cycle is an error. */
#include <string.h>

#include "check/check_int.h"

#define CHK_MAX_EXTENDS 4

/* The keys an extending scenario may have; fills the level. */
static bool read_level(chk_level *lv, const json_value *root, const json_value **extends)
{
    lctx *c = &lv->c;
    lv->name = lv->title = lv->policies = NULL;
    *extends = NULL;
    for (uint32_t i = 0; i < root->len; i++) {
        const json_member *m = &root->u.members[i];
        const char *dummy;
        if (!strcmp(m->key, "extends")) {
            if (!chk_get_str(c, &m->value, "\"extends\"", &dummy))
                return false;
            *extends = &m->value;
        } else if (!strcmp(m->key, "name")) {
            lv->name = &m->value;
        } else if (!strcmp(m->key, "title")) {
            lv->title = &m->value;
        } else if (!strcmp(m->key, "policies")) {
            lv->policies = &m->value;
        } else if (!strcmp(m->key, "description")) {
            if (!chk_get_str(c, &m->value, "\"description\"", &dummy))
                return false;
        } else {
            return chk_fail(c, m->key_start,
                            "key \"%s\" in a scenario that extends another (expected extends, name, title, "
                            "description or policies; the rest comes from the base)", m->key);
        }
    }
    return true;
}

bool chk_load_extended(lctx *c, const json_value *root)
{
    chk_level over[CHK_MAX_EXTENDS];
    size_t n = 0;
    lctx cur = *c;
    const json_value *cur_root = root;
    const json_value *extends;
    for (;;) {
        chk_level lv = { .c = cur };
        if (!json_get(cur_root, "extends"))
            break;
        if (!read_level(&lv, cur_root, &extends))
            return false;
        if (n == CHK_MAX_EXTENDS)
            return chk_fail(&lv.c, extends->start,
                            "a chain of more than %d scenarios extending one another", CHK_MAX_EXTENDS);
        over[n++] = lv;
        lctx base;
        const json_value *base_root;
        if (!chk_read_base(&over[n - 1].c, extends, &base, &base_root))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(over[i].c.self, base.self))
                return chk_fail(&over[n - 1].c, extends->start,
                                "\"extends\" makes a cycle: \"%s\" is already in the chain (%s)",
                                extends->u.str, over[i].c.file);
        cur = base;
        cur_root = base_root;
        if (!chk_want_kind(&cur, cur_root, JSON_OBJECT, "a scenario"))
            return false;
    }
    const json_value *sec[7];
    if (!chk_root_sections(&cur, cur_root, sec))
        return false;
    return chk_load_sections(&cur, cur_root, sec, over, n);
}
