/* ops_tags.c - Tag/Untag/List...Tags for roles, users, managed policies
 * and instance profiles: aws:RequestTag/K and aws:TagKeys describe the
 * change, aws:ResourceTag/K the tags the entity has now. */
#include <string.h>

#include "emu/entity.h"

typedef struct {
    const char *word;           /* in the Action: TagRole, UntagUser, ... */
    const char *kind;
    const char *param;
    size_t max;
} tag_kind;

static const tag_kind KINDS[] = {
    { "Role", "role", "RoleName", 64 },
    { "User", "user", "UserName", 64 },
    { "Policy", "policy", "PolicyArn", 2048 },
    { "InstanceProfile", "instance-profile", "InstanceProfileName", 128 },
};

static const tag_kind *kind_of(const emu_call *c)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strstr(c->action, KINDS[i].word))
            return &KINDS[i];
    return &KINDS[0];
}

/* The owner (name, or ARN for policies) authorized with `x` and its tags;
 * then it must exist.  *owner is what tags are stored under. */
static bool target(emu_call *c, const tag_kind *k, emu_ctx *x, const char **owner)
{
    const char *id;
    bool policy = !strcmp(k->kind, "policy");
    if (!emu_param(c, k->param, true, policy ? 20 : 1, k->max, policy ? P_ARN : P_NAME, &id) || !emu_params_done(c))
        return false;
    const char *arn, *name = id;
    bool found;
    if (policy) {
        long long n = emu_count(c, "SELECT COUNT(*) FROM policies WHERE arn = ? AND aws = 0", "s", id);
        if (n < 0)
            return false;
        found = n > 0;
        arn = id;
    } else {
        emu_entity en;
        int rc = emu_entity_get(c, k->kind, id, &en);
        if (rc < 0)
            return false;
        found = rc == 1;
        arn = en.arn;
        name = en.name;
    }
    const char *action = emu_printf(c, "iam:%s", c->action);
    if (!action || (found && !emu_ctx_resource_tags(c, x, k->kind, name)) || !emu_authorize(c, action, arn, x, NULL))
        return false;
    if (!found) {
        if (policy)
            return emu_no_such(c, "Policy %s was not found.", id);
        return emu_no_such(c, "The %s with name %s cannot be found.", !strcmp(k->kind, "instance-profile") ? "instance profile" : k->kind, id);
    }
    *owner = name;
    return true;
}

bool op_tag_entity(emu_call *c)
{
    const tag_kind *k = kind_of(c);
    emu_tag *tags;
    size_t n;
    const char *owner;
    emu_ctx x = { .n = 0 };
    if (!emu_param_tags(c, "Tags", &tags, &n))
        return false;
    if (!n)
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
    emu_ctx_request_tags(c, &x, tags, n);
    return target(c, k, &x, &owner) && emu_tags_replace(c, k->kind, owner, tags, n) && emu_ok_empty(c);
}

bool op_untag_entity(emu_call *c)
{
    const tag_kind *k = kind_of(c);
    const char **keys;
    size_t n;
    const char *owner;
    emu_ctx x = { .n = 0 };
    if (!emu_param_list(c, "TagKeys", 50, 1, 128, P_TAG_KEY, &keys, &n))
        return false;
    if (!n)
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
    emu_ctx_add_list(c, &x, "aws:TagKeys", keys, n);
    if (!target(c, k, &x, &owner))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!emu_exec(c, "DELETE FROM tags WHERE kind = ? AND owner = ? AND k = ?", "sss", k->kind, owner, keys[i]))
            return false;
    return emu_ok_empty(c);
}

bool op_list_entity_tags(emu_call *c)
{
    const tag_kind *k = kind_of(c);
    const char *owner;
    long max, start;
    emu_ctx x = { .n = 0 };
    if (!emu_param_paging(c, &max, &start) || !target(c, k, &x, &owner))
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    emu_xml_tags(c, &w, k->kind, owner, true);
    xw_bool(&w, "IsTruncated", false);
    emu_end(c, &w);
    return !c->failed;
}
