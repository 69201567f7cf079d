/* session.c - credentials of a role as an AWS service gets them: Lambda
 * running a function, CloudFormation running a stack.  No IAM call does
 * this, but rehearsing what a deployed function may do needs it: the
 * role's trust policy must let the service principal sts:AssumeRole, as
 * iamguard's evaluator decides, or no credentials are issued. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/sts.h"

static bool trusted(emu_call *c, const emu_entity *role, const char *service)
{
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_policy *trust = role->trust ? ig_policy_compile(role->trust, strlen(role->trust), IG_POLICY_RESOURCE,
                                                        "TrustPolicy", NULL, &d) : NULL;
    ig_env *env = ig_env_new();
    bool ok = false;
    if (trust && env && ig_env_set_service_principal(env, service) == IG_OK) {
        ig_request rq = { .action = "sts:AssumeRole", .resource = role->arn, .resource_policy = trust };
        ig_result res;
        ok = ig_evaluate(env, &rq, 0, &res) == IG_OK && res.decision == IG_ALLOWED && !res.error;
    }
    ig_env_free(env);
    ig_policy_free(trust);
    if (!ok)
        emu_error(c, 403, "AccessDenied", "%s is not authorized to perform: sts:AssumeRole on resource: %s",
                  service, role->arn);
    return ok;
}

static void write_json(json_buf *out, const emu_session *s)
{
    char iso[32];
    emu_iso_time((time_t)s->expires, iso);
    json_writer w;
    jw_init(&w, out, true);
    jw_object_begin(&w);
    jw_key(&w, "Credentials");
    jw_object_begin(&w);
    jw_key(&w, "AccessKeyId"); jw_string(&w, s->key_id);
    jw_key(&w, "SecretAccessKey"); jw_string(&w, s->secret);
    jw_key(&w, "SessionToken"); jw_string(&w, s->token);
    jw_key(&w, "Expiration"); jw_string(&w, iso);
    jw_object_end(&w);
    jw_key(&w, "AssumedRoleUser");
    jw_object_begin(&w);
    jw_key(&w, "AssumedRoleId"); jw_string(&w, s->assumed_id);
    jw_key(&w, "Arn"); jw_string(&w, s->arn);
    jw_object_end(&w);
    jw_object_end(&w);
    json_buf_puts(out, "\n");
}

int emu_service_session(emu *e, const char *role_name, const char *service, const char *session_name,
                        unsigned duration_s, json_buf *out, ig_diag *diag)
{
    emu_call c;
    serve_reply r;
    emu_offline_begin(e, &c, &r);
    emu_session s;
    emu_entity role;
    bool ok = false;
    if (!session_name || strlen(session_name) < 2 || strlen(session_name) > 64 ||
        strspn(session_name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+=,.@-") != strlen(session_name)) {
        emu_invalid(&c, "the session name must be 2-64 characters of [\\w+=,.@-]");
    } else if (duration_s < 900 || duration_s > 43200) {
        emu_invalid(&c, "the duration must be 900-43200 seconds");
    } else if (emu_db_begin(e, true) != IG_OK) {
        emu_db_error(&c);
    } else {
        int found = emu_entity_get(&c, "role", role_name, &role);
        if (found == 0)
            emu_no_such(&c, "The role with name %s cannot be found.", role_name);
        else if (found == 1 && duration_s > (role.max_session ? role.max_session : 3600))
            emu_invalid(&c, "the duration exceeds the MaxSessionDuration of role %s", role.name);
        ok = found == 1 && !c.failed && trusted(&c, &role, service) &&
             emu_issue_session(&c, &role, session_name, (long)duration_s, NULL, &s) && emu_db_commit(e) == IG_OK;
        if (!ok)
            emu_db_rollback(e);
    }
    if (ok)
        write_json(out, &s);
    return emu_offline_end(&c, &r, ok, diag);
}
