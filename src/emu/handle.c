/* handle.c - one Query API call, start to end: authenticate, decode the
 * form, find the operation, run it in one transaction (write calls take the
 * write lock first), commit before answering.  A call that fails for any
 * reason is rolled back whole: nothing is ever half-applied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu/emu_int.h"

static const emu_op OPS[] = {
    /* roles */
    { "CreateRole", false, true, op_create_role },
    { "GetRole", false, false, op_get_role },
    { "DeleteRole", false, true, op_delete_role },
    { "ListRoles", false, false, op_list_roles },
    { "UpdateRole", false, true, op_update_role },
    { "UpdateRoleDescription", false, true, op_update_role_description },
    { "UpdateAssumeRolePolicy", false, true, op_update_assume_role_policy },
    { "PutRolePermissionsBoundary", false, true, op_put_role_permissions_boundary },
    { "DeleteRolePermissionsBoundary", false, true, op_delete_role_permissions_boundary },
    { "TagRole", false, true, op_tag_entity },
    { "UntagRole", false, true, op_untag_entity },
    { "ListRoleTags", false, false, op_list_entity_tags },
    { "PutRolePolicy", false, true, op_put_inline_policy },
    { "GetRolePolicy", false, false, op_get_inline_policy },
    { "DeleteRolePolicy", false, true, op_delete_inline_policy },
    { "ListRolePolicies", false, false, op_list_inline_policies },
    { "AttachRolePolicy", false, true, op_attach_policy },
    { "DetachRolePolicy", false, true, op_detach_policy },
    { "ListAttachedRolePolicies", false, false, op_list_attached_policies },
    /* managed policies */
    { "CreatePolicy", false, true, op_create_policy },
    { "GetPolicy", false, false, op_get_policy },
    { "DeletePolicy", false, true, op_delete_policy },
    { "ListPolicies", false, false, op_list_policies },
    { "CreatePolicyVersion", false, true, op_create_policy_version },
    { "GetPolicyVersion", false, false, op_get_policy_version },
    { "DeletePolicyVersion", false, true, op_delete_policy_version },
    { "ListPolicyVersions", false, false, op_list_policy_versions },
    { "SetDefaultPolicyVersion", false, true, op_set_default_policy_version },
    { "TagPolicy", false, true, op_tag_entity },
    { "UntagPolicy", false, true, op_untag_entity },
    { "ListPolicyTags", false, false, op_list_entity_tags },
    /* users */
    { "CreateUser", false, true, op_create_user },
    { "GetUser", false, false, op_get_user },
    { "DeleteUser", false, true, op_delete_user },
    { "ListUsers", false, false, op_list_users },
    { "UpdateUser", false, true, op_update_user },
    { "PutUserPermissionsBoundary", false, true, op_put_user_permissions_boundary },
    { "DeleteUserPermissionsBoundary", false, true, op_delete_user_permissions_boundary },
    { "TagUser", false, true, op_tag_entity },
    { "UntagUser", false, true, op_untag_entity },
    { "ListUserTags", false, false, op_list_entity_tags },
    { "PutUserPolicy", false, true, op_put_inline_policy },
    { "GetUserPolicy", false, false, op_get_inline_policy },
    { "DeleteUserPolicy", false, true, op_delete_inline_policy },
    { "ListUserPolicies", false, false, op_list_inline_policies },
    { "AttachUserPolicy", false, true, op_attach_policy },
    { "DetachUserPolicy", false, true, op_detach_policy },
    { "ListAttachedUserPolicies", false, false, op_list_attached_policies },
    { "CreateAccessKey", false, true, op_create_access_key },
    { "DeleteAccessKey", false, true, op_delete_access_key },
    { "UpdateAccessKey", false, true, op_update_access_key },
    { "ListAccessKeys", false, false, op_list_access_keys },
    { "CreateLoginProfile", false, true, op_create_login_profile },
    { "UpdateLoginProfile", false, true, op_update_login_profile },
    { "GetLoginProfile", false, false, op_get_login_profile },
    { "DeleteLoginProfile", false, true, op_delete_login_profile },
    /* groups */
    { "CreateGroup", false, true, op_create_group },
    { "GetGroup", false, false, op_get_group },
    { "DeleteGroup", false, true, op_delete_group },
    { "ListGroups", false, false, op_list_groups },
    { "AddUserToGroup", false, true, op_add_user_to_group },
    { "RemoveUserFromGroup", false, true, op_remove_user_from_group },
    { "ListGroupsForUser", false, false, op_list_groups_for_user },
    { "PutGroupPolicy", false, true, op_put_inline_policy },
    { "GetGroupPolicy", false, false, op_get_inline_policy },
    { "DeleteGroupPolicy", false, true, op_delete_inline_policy },
    { "ListGroupPolicies", false, false, op_list_inline_policies },
    { "AttachGroupPolicy", false, true, op_attach_policy },
    { "DetachGroupPolicy", false, true, op_detach_policy },
    { "ListAttachedGroupPolicies", false, false, op_list_attached_policies },
    /* instance profiles */
    { "CreateInstanceProfile", false, true, op_create_instance_profile },
    { "GetInstanceProfile", false, false, op_get_instance_profile },
    { "DeleteInstanceProfile", false, true, op_delete_instance_profile },
    { "ListInstanceProfiles", false, false, op_list_instance_profiles },
    { "AddRoleToInstanceProfile", false, true, op_add_role_to_instance_profile },
    { "RemoveRoleFromInstanceProfile", false, true, op_remove_role_from_instance_profile },
    { "ListInstanceProfilesForRole", false, false, op_list_instance_profiles_for_role },
    { "TagInstanceProfile", false, true, op_tag_entity },
    { "UntagInstanceProfile", false, true, op_untag_entity },
    { "ListInstanceProfileTags", false, false, op_list_entity_tags },
    /* the account */
    { "GetAccountAuthorizationDetails", false, false, op_get_account_authorization_details },
    { "SimulatePrincipalPolicy", false, false, op_simulate_principal_policy },
    /* STS */
    { "AssumeRole", true, true, op_assume_role },
    { "GetCallerIdentity", true, false, op_get_caller_identity },
};

const emu_op *emu_find_op(const char *action)
{
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (!strcmp(OPS[i].name, action))
            return &OPS[i];
    return NULL;
}

static bool form_content_type(const char *ct)
{
    static const char FORM[] = "application/x-www-form-urlencoded";
    if (!ct) return true;
    if (strncasecmp(ct, FORM, sizeof FORM - 1)) return false;
    char next = ct[sizeof FORM - 1];
    return next == '\0' || next == ';' || next == ' ';
}

/* Decode the form and find the operation; false after an error reply. */
static const emu_op *route(emu_call *c, const char *body, size_t len)
{
    char why[200];
    if (!form_content_type(c->http->header(c->http->conn, "Content-Type"))) {
        emu_invalid(c, "the body must be application/x-www-form-urlencoded");
        return NULL;
    }
    if (form_parse(&c->f, body, len, why, sizeof why) != 0) {
        emu_error(c, 404, "MalformedQueryString", "%s", why);
        return NULL;
    }
    const char *action = form_get(&c->f, "Action");
    const char *version = form_get(&c->f, "Version");
    if (!action) {
        emu_error(c, 400, "MissingAction", "The request must contain the parameter Action");
        return NULL;
    }
    if (!version) {
        emu_error(c, 400, "MissingParameter", "The request must contain the parameter Version");
        return NULL;
    }
    const emu_op *op = emu_find_op(action);
    if (op)
        c->sts = op->sts;
    if (!op || strcmp(version, op->sts ? "2011-06-15" : "2010-05-08")) {
        emu_error(c, 400, "InvalidAction", "Could not find operation %.128s for version %.32s", action, version);
        return NULL;
    }
    /* one endpoint serves both services; the signature names which */
    const char *service = op->sts ? "sts" : "iam";
    if (strcmp(c->caller.service, service)) {
        emu_error(c, 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: '%s'. ", service);
        return NULL;
    }
    /* IAM is global: AWS refuses any scope but the partition's global
     * region before it evaluates anything */
    if (!emu_region_valid(service, c->caller.region)) {
        emu_error(c, 403, "SignatureDoesNotMatch", "Credential should be scoped to a valid region, not '%.32s'. ",
                  c->caller.region);
        return NULL;
    }
    c->action = op->name;
    c->r->detail = op->name;
    return op;
}

static void run(emu_call *c, const emu_op *op)
{
    if (emu_db_begin(c->e, op->write) != IG_OK) {
        emu_db_error(c);
        return;
    }
    bool ok = op->run(c) && !c->failed;
    if (ok && op->write && emu_db_commit(c->e) != IG_OK) {
        /* the answer must never claim a change that is not durable */
        emu_db_rollback(c->e);
        emu_db_error(c);
        return;
    }
    emu_db_rollback(c->e);      /* failed calls, and read transactions */
}

void emu_handle(void *ud, const serve_http_request *req, const char *body, size_t len, serve_reply *r)
{
    emu *e = ud;
    emu_call *c = calloc(1, sizeof *c);
    if (!c) {
        r->status = 500;
        return;
    }
    c->e = e;
    c->http = req;
    c->body = body;
    c->body_len = len;
    c->r = r;
    c->action = "";
    ig_arena_init(&c->arena);
    r->detail = NULL;
    pthread_mutex_lock(&e->mu);
    c->now = time(NULL);
    if (emu_authenticate(c, body, len)) {
        const emu_op *op = route(c, body, len);
        if (op)
            run(c, op);
    }
    pthread_mutex_unlock(&e->mu);
    emu_authz_free(c->authz);
    form_free(&c->f);
    ig_arena_free(&c->arena);
    free(c);
}
