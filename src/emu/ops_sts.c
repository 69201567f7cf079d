/* ops_sts.c - STS on the same endpoint: AssumeRole (the role's trust
 * policy decides, as a resource policy, together with the caller's own
 * policies) hands out temporary credentials the emulator then accepts;
 * GetCallerIdentity says who the credentials belong to. */
#include <stdio.h>
#include <string.h>

#include "emu/entity.h"
#include "emu/sts.h"

#define TOKEN_CHARS 356         /* about the length of real session tokens */
#define SESSION_POLICY_MAX 2048

bool op_get_caller_identity(emu_call *c)
{
    /* AWS answers it whatever the caller's policies say */
    if (!emu_params_done(c))
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_text(&w, "UserId", c->caller.unique_id);
    xw_text(&w, "Account", c->e->account);
    xw_text(&w, "Arn", c->caller.arn);
    emu_end(c, &w);
    return !c->failed;
}

/* arn:aws:iam::ACCOUNT:role/PATH/NAME -> NAME, when ACCOUNT is ours. */
static const char *role_name_of(emu_call *c, const char *arn)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "arn:aws:iam::%s:role/", c->e->account);
    if (strncmp(arn, prefix, strlen(prefix)))
        return NULL;
    const char *name = strrchr(arn, '/') + 1;
    return *name ? name : NULL;
}

bool emu_issue_session(emu_call *c, const emu_entity *role, const char *session, long duration,
                       const char *policy, emu_session *out)
{
    if (!emu_random_id("ASIA", 16, out->key_id, sizeof out->key_id) ||
        !emu_random_secret(40, out->secret, sizeof out->secret) ||
        !emu_random_secret(TOKEN_CHARS, out->token, sizeof out->token))
        return emu_db_error(c);
    out->expires = (long long)c->now + duration;
    snprintf(out->arn, sizeof out->arn, "arn:aws:sts::%s:assumed-role/%s/%s", c->e->account, role->name, session);
    snprintf(out->assumed_id, sizeof out->assumed_id, "%s:%s", role->id, session);
    return emu_exec(c, "INSERT INTO access_keys(id, secret, kind, owner, session_name, token, issued, expires, status,"
                       " session_policy) VALUES(?, ?, 'session', ?, ?, ?, ?, ?, 'Active', ?)",
                    "sssssiis", out->key_id, out->secret, role->name, session, out->token, (long long)c->now,
                    out->expires, policy);
}

static bool denied(emu_call *c, const char *arn)
{
    return emu_error(c, 403, "AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s",
                     c->caller.arn, arn);
}

/* Parameters AWS has and the emulator does not model: refused rather than
 * ignored, so no session is ever wider than the caller asked for. */
static bool unsupported(emu_call *c)
{
    static const char *const PREFIXES[] = { "PolicyArns.", "Tags.", "TransitiveTagKeys.", "SerialNumber",
                                            "TokenCode", "ProvidedContexts." };
    for (size_t i = 0; i < c->f.n; i++)
        for (size_t k = 0; k < sizeof PREFIXES / sizeof *PREFIXES; k++)
            if (!strncmp(c->f.pairs[i].name, PREFIXES[k], strlen(PREFIXES[k])))
                return emu_invalid(c, "%s is not emulated by iamguard (docs/emulator.md)", c->f.pairs[i].name);
    return true;
}

bool op_assume_role(emu_call *c)
{
    const char *arn, *session, *policy, *external, *source;
    long duration = 3600;
    if (!unsupported(c) ||
        !emu_param(c, "RoleArn", true, 20, 2048, P_ARN, &arn) ||
        !emu_param(c, "RoleSessionName", true, 2, 64, P_NAME, &session) ||
        !emu_param_int(c, "DurationSeconds", 900, 43200, &duration) ||
        !emu_param(c, "Policy", false, 1, SESSION_POLICY_MAX * 4, P_DOCUMENT, &policy) ||
        !emu_param(c, "ExternalId", false, 2, 1224, P_ANY, &external) ||
        !emu_param(c, "SourceIdentity", false, 2, 64, P_NAME, &source) || !emu_params_done(c))
        return false;
    if (c->caller.kind == CALLER_ROOT)
        return emu_error(c, 403, "AccessDenied", "Roles may not be assumed by root accounts.");
    const char *name = role_name_of(c, arn);
    emu_entity role;
    int found = name ? emu_entity_get(c, "role", name, &role) : 0;
    if (found < 0)
        return false;
    /* a role that is not there (or not at this path) is refused like one
     * that does not trust the caller: AWS does not reveal which */
    if (!found || strcmp(role.arn, arn) || !role.trust)
        return denied(c, arn);
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_policy *trust = ig_policy_compile(role.trust, strlen(role.trust), IG_POLICY_RESOURCE, "TrustPolicy", NULL, &d);
    if (!trust)
        return denied(c, arn);
    emu_ctx x = { .n = 0 };
    emu_ctx_add(c, &x, "sts:RoleSessionName", session);
    if (external)
        emu_ctx_add(c, &x, "sts:ExternalId", external);
    if (source)
        emu_ctx_add(c, &x, "sts:SourceIdentity", source);
    bool ok = emu_ctx_resource_tags(c, &x, "role", role.name) && emu_authorize(c, "sts:AssumeRole", arn, &x, trust);
    /* a source identity is a permission of its own, which the trust policy
     * must grant as well (docs/semantics.md §6 step 4) */
    if (ok && source)
        ok = emu_authorize(c, "sts:SetSourceIdentity", arn, &x, trust);
    ig_policy_free(trust);
    if (!ok)
        return false;
    if (c->caller.kind == CALLER_ROLE_SESSION && duration > 3600)
        return emu_error(c, 400, "ValidationError",
                         "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    if (duration > (role.max_session ? role.max_session : 3600))
        return emu_error(c, 400, "ValidationError",
                         "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    if (policy) {
        if (!emu_check_document(c, policy, IG_POLICY_SESSION))
            return false;
        if (emu_policy_size(policy) > SESSION_POLICY_MAX)
            return emu_error(c, 400, "PackedPolicyTooLarge",
                             "Packed size of the session policy exceeds the limit of %d characters.", SESSION_POLICY_MAX);
    }
    emu_session s;
    if (!emu_issue_session(c, &role, session, duration, policy, &s))
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    emu_xml_credentials(&w, &s);
    xw_open(&w, "AssumedRoleUser");
    xw_text(&w, "AssumedRoleId", s.assumed_id);
    xw_text(&w, "Arn", s.arn);
    xw_close(&w);
    if (policy)
        xw_uint(&w, "PackedPolicySize", (unsigned long long)((emu_policy_size(policy) * 100 + SESSION_POLICY_MAX - 1) / SESSION_POLICY_MAX));
    if (source)
        xw_text(&w, "SourceIdentity", source);
    emu_end(c, &w);
    return !c->failed;
}

void emu_xml_credentials(xml_writer *w, const emu_session *s)
{
    xw_open(w, "Credentials");
    xw_text(w, "AccessKeyId", s->key_id);
    xw_text(w, "SecretAccessKey", s->secret);
    xw_text(w, "SessionToken", s->token);
    emu_xml_time(w, "Expiration", s->expires);
    xw_close(w);
}
