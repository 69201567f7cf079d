/* ops_profile.c - instance profiles (at most one role each).  Adding a
 * role also needs iam:PassRole on it with iam:PassedToService =
 * ec2.amazonaws.com: the profile exists to hand the role to EC2. */
#include <string.h>

#include "emu/entity.h"

static void xml_profile(emu_call *c, xml_writer *w, const char *elem, const emu_entity *p)
{
    xw_open(w, elem);
    xw_text(w, "Path", p->path);
    xw_text(w, "InstanceProfileName", p->name);
    xw_text(w, "InstanceProfileId", p->id);
    xw_text(w, "Arn", p->arn);
    emu_xml_time(w, "CreateDate", p->created);
    xw_open(w, "Roles");
    sqlite3_stmt *st = emu_sql(c, "SELECT role FROM profile_roles WHERE profile = ? ORDER BY role", "s", p->name);
    const char *role = st && emu_step(c, st) == SQLITE_ROW ? emu_col(c, st, 0) : NULL;
    sqlite3_finalize(st);
    emu_entity r;
    if (role && emu_entity_get(c, "role", role, &r) == 1)
        emu_xml_role(c, w, "member", &r, false);
    xw_close(w);
    emu_xml_tags(c, w, "instance-profile", p->name, false);
    xw_close(w);
}


static bool reply_profile(emu_call *c, const char *name)
{
    return emu_reply_entity(c, "instance-profile", name, "InstanceProfile", xml_profile);
}

bool op_create_instance_profile(emu_call *c)
{
    const char *name, *path;
    emu_tag *tags;
    size_t ntags;
    if (!emu_param(c, "InstanceProfileName", true, 1, 128, P_NAME, &name) ||
        !emu_param(c, "Path", false, 1, 512, P_PATH, &path) || !emu_param_tags(c, "Tags", &tags, &ntags) ||
        !emu_params_done(c))
        return false;
    path = path ? path : "/";
    emu_ctx x = { .n = 0 };
    emu_ctx_request_tags(c, &x, tags, ntags);
    if (!emu_authorize(c, "iam:CreateInstanceProfile", emu_arn(c, "instance-profile", path, name), &x, NULL))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM entities WHERE kind = 'instance-profile' AND name = ?", "s", name);
    if (n < 0)
        return false;
    if (n)
        return emu_exists(c, "Instance Profile %s already exists.", name);
    char id[32];
    if (!emu_random_id("AIPA", 17, id, sizeof id))
        return emu_db_error(c);
    return emu_exec(c, "INSERT INTO entities(kind, name, id, path, created) VALUES('instance-profile', ?, ?, ?, ?)",
                    "sssi", name, id, path, (long long)c->now) &&
           emu_tags_replace(c, "instance-profile", name, tags, ntags) && reply_profile(c, name);
}

/* InstanceProfileName, authorized for iam:<Action> with its tags; must exist. */
static bool profile_call(emu_call *c, emu_entity *p)
{
    const char *name;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "InstanceProfileName", true, 1, 128, P_NAME, &name) || !emu_params_done(c) ||
        emu_entity_get(c, "instance-profile", name, p) < 0 || !emu_entity_context(c, p, false, &x))
        return false;
    const char *action = emu_printf(c, "iam:%s", c->action);
    if (!action || !emu_authorize(c, action, p->arn, &x, NULL))
        return false;
    return p->found || emu_no_such(c, "Instance Profile %s cannot be found.", name);
}

bool op_get_instance_profile(emu_call *c)
{
    emu_entity p;
    return profile_call(c, &p) && reply_profile(c, p.name);
}

bool op_delete_instance_profile(emu_call *c)
{
    emu_entity p;
    if (!profile_call(c, &p))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM profile_roles WHERE profile = ?", "s", p.name);
    if (n < 0)
        return false;
    if (n)
        return emu_conflict(c, "Cannot delete entity, must remove roles from instance profile first.");
    return emu_delete_owned(c, "instance-profile", p.name) && emu_ok_empty(c);
}

static bool list_profiles(emu_call *c, sqlite3_stmt *st, long max, long start)
{
    if (!st)
        return false;
    const char **names = ig_arena_alloc(&c->arena, (size_t)(max + 1) * sizeof *names);
    long n = 0;
    while (names && n <= max && emu_step(c, st) == SQLITE_ROW)
        names[n++] = emu_col(c, st, 0);
    sqlite3_finalize(st);
    if (!names || c->failed)
        return emu_db_error(c);
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "InstanceProfiles");
    for (long i = 0; i < n && i < max; i++) {
        emu_entity p;
        if (names[i] && emu_entity_get(c, "instance-profile", names[i], &p) == 1)
            xml_profile(c, &w, "member", &p);
    }
    return emu_end_list(c, &w, n, max, start);
}

bool op_list_instance_profiles(emu_call *c)
{
    const char *prefix;
    long max, start;
    if (!emu_param(c, "PathPrefix", false, 1, 512, P_PATH_PREFIX, &prefix) || !emu_param_paging(c, &max, &start) ||
        !emu_params_done(c) || !emu_authorize(c, "iam:ListInstanceProfiles", "*", NULL, NULL))
        return false;
    return list_profiles(c, emu_sql(c, "SELECT name FROM entities WHERE kind = 'instance-profile'"
                                       " AND substr(path, 1, length(?1)) = ?1 ORDER BY name LIMIT ?2 OFFSET ?3",
                                    "sii", prefix ? prefix : "/", (long long)max + 1, (long long)start), max, start);
}

bool op_list_instance_profiles_for_role(emu_call *c)
{
    const char *name;
    long max, start;
    emu_entity r;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "RoleName", true, 1, 64, P_NAME, &name) || !emu_param_paging(c, &max, &start) ||
        !emu_params_done(c) || emu_entity_get(c, "role", name, &r) < 0 || !emu_entity_context(c, &r, false, &x) ||
        !emu_authorize(c, "iam:ListInstanceProfilesForRole", r.arn, &x, NULL))
        return false;
    if (!r.found)
        return emu_no_such(c, "The role with name %s cannot be found.", name);
    return list_profiles(c, emu_sql(c, "SELECT profile FROM profile_roles WHERE role = ? ORDER BY profile"
                                       " LIMIT ? OFFSET ?", "sii", r.name, (long long)max + 1, (long long)start),
                         max, start);
}

/* InstanceProfileName and RoleName: authorized on the profile; both exist. */
static bool pair_call(emu_call *c, emu_entity *p, emu_entity *r)
{
    const char *role;
    if (!emu_param(c, "RoleName", true, 1, 64, P_NAME, &role) || !profile_call(c, p) ||
        emu_entity_get(c, "role", role, r) < 0)
        return false;
    return r->found || emu_no_such(c, "The role with name %s cannot be found.", role);
}

bool op_add_role_to_instance_profile(emu_call *c)
{
    emu_entity p, r;
    if (!pair_call(c, &p, &r))
        return false;
    emu_ctx x = { .n = 0 };
    emu_ctx_add(c, &x, "iam:PassedToService", "ec2.amazonaws.com");
    emu_ctx_add(c, &x, "iam:AssociatedResourceArn", p.arn);
    if (!emu_ctx_resource_tags(c, &x, "role", r.name) || !emu_authorize(c, "iam:PassRole", r.arn, &x, NULL))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM profile_roles WHERE profile = ?", "s", p.name);
    if (n < 0)
        return false;
    if (n)
        return emu_limit(c, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
    return emu_exec(c, "INSERT INTO profile_roles(profile, role) VALUES(?, ?)", "ss", p.name, r.name) && emu_ok_empty(c);
}

bool op_remove_role_from_instance_profile(emu_call *c)
{
    emu_entity p, r;
    if (!pair_call(c, &p, &r))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM profile_roles WHERE profile = ? AND role = ?", "ss", p.name, r.name);
    if (n < 0)
        return false;
    if (!n)
        return emu_no_such(c, "The role %s is not in instance profile %s.", r.name, p.name);
    return emu_exec(c, "DELETE FROM profile_roles WHERE profile = ? AND role = ?", "ss", p.name, r.name) &&
           emu_ok_empty(c);
}
