/* sam.c - the SAM transform (AWS::Serverless-2016-10-31), expanded to the
 * CloudFormation resources that carry IAM: what the rest of the reader then
 * reads like any template.
 *
 *   AWS::Serverless::Function      an AWS::Lambda::Function and, without a
 *                                  Role, the role SAM creates: <Id>Role,
 *                                  trusting lambda.amazonaws.com, with
 *                                  AWSLambdaBasicExecutionRole (and the
 *                                  managed policies Tracing, VpcConfig and
 *                                  SQS/Kinesis/DynamoDB/MSK events add),
 *                                  Policies, PermissionsBoundary, RolePath
 *   AWS::Serverless::StateMachine  likewise, trusting states.amazonaws.com
 *   AWS::Serverless::SimpleTable   an AWS::DynamoDB::Table
 *   AWS::Serverless::Connector,    an AWS::IAM::ManagedPolicy <Id>Policy on
 *   a resource's Connectors        the source's role (sam_connectors.c)
 *
 * Policies holds AWS managed policy names, ARNs or intrinsics (managed),
 * policy documents (inline <Id>RolePolicy<N>) and policy templates
 * (sam_templates.c, inline <Id>RolePolicy<N>).  Other Serverless types
 * (Api, HttpApi, LayerVersion, Application, ...) stay as they are: their
 * Ref and attributes are placeholders.  Globals.Function and
 * Globals.StateMachine give defaults for the properties read here. */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn_int.h"
#include "cfn/sam.h"

typedef struct {
    cfn_ctx *c;
    const json_value *res;          /* the Resources section as written */
    const json_value *globals;
    json_member *out;               /* the expanded section */
    uint32_t n, cap;
    uint32_t at;                    /* position of what is being built */
} sam;

/* ---- building values ------------------------------------------------------ */

static bool nomem(sam *s)
{
    return cfn_fail_code(s->c, IG_E_NOMEM, s->at, "out of memory");
}

static bool str(sam *s, const char *text, json_value *out)
{
    return cfn_string_value(s->c, text, strlen(text), s->at, s->at, out);
}

static bool obj(sam *s, uint32_t cap, json_value *out)
{
    *out = (json_value){ .kind = JSON_OBJECT, .start = s->at, .end = s->at };
    out->u.members = cfn_alloc(s->c, (cap ? cap : 1) * sizeof(json_member));
    return out->u.members ? true : nomem(s);
}

static bool arr(sam *s, uint32_t cap, json_value *out)
{
    *out = (json_value){ .kind = JSON_ARRAY, .start = s->at, .end = s->at };
    out->u.items = cfn_alloc(s->c, (cap ? cap : 1) * sizeof(json_value));
    return out->u.items ? true : nomem(s);
}

/* Callers size objects for what they put in them. */
static void put(json_value *o, const char *key, const json_value *v)
{
    json_member *m = &o->u.members[o->len++];
    *m = (json_member){ .key = key, .key_len = (uint32_t)strlen(key), .key_start = o->start,
                        .value = *v };
}

static void push(json_value *a, const json_value *v)
{
    a->u.items[a->len++] = *v;
}

/* {key: arg} */
static bool fn1(sam *s, const char *key, const json_value *arg, json_value *out)
{
    if (!obj(s, 1, out))
        return false;
    put(out, key, arg);
    return true;
}

static bool sub(sam *s, const char *pattern, json_value *out)
{
    json_value p;
    return str(s, pattern, &p) && fn1(s, "Fn::Sub", &p, out);
}

static bool getatt(sam *s, const char *id, const char *attr, json_value *out)
{
    json_value a, x, y;
    if (!arr(s, 2, &a) || !str(s, id, &x) || !str(s, attr, &y))
        return false;
    push(&a, &x);
    push(&a, &y);
    return fn1(s, "Fn::GetAtt", &a, out);
}

static bool ref(sam *s, const char *id, json_value *out)
{
    json_value x;
    return str(s, id, &x) && fn1(s, "Ref", &x, out);
}

static const char *concat(sam *s, const char *a, const char *b, const char *c3)
{
    char buf[600];
    snprintf(buf, sizeof buf, "%s%s%s", a, b, c3 ? c3 : "");
    return cfn_strdup(s->c, buf, strlen(buf));
}

/* Add a resource to the expanded section. */
static bool emit(sam *s, const char *id, uint32_t key_start, const json_value *decl)
{
    cfn_ctx *c = s->c;
    for (uint32_t i = 0; i < s->n; i++)
        if (!strcmp(s->out[i].key, id))
            return cfn_fail(c, key_start, "SAM would create %s, which the template already "
                            "declares", id);
    if (s->n == s->cap) {
        uint32_t nc = s->cap * 2 + 16;
        json_member *a = cfn_alloc(c, nc * sizeof *a);
        if (!a)
            return nomem(s);
        if (s->n)
            memcpy(a, s->out, s->n * sizeof *a);
        s->out = a;
        s->cap = nc;
    }
    s->out[s->n++] = (json_member){ .key = id, .key_len = (uint32_t)strlen(id),
                                    .key_start = key_start, .value = *decl };
    return true;
}

/* ---- reading the SAM resource ------------------------------------------- */

/* A property of the resource, else of Globals.<section>. */
static const json_value *prop(sam *s, const json_value *props, const char *section,
                              const char *name)
{
    const json_value *v = props ? json_get(props, name) : NULL;
    if (!v && s->globals && s->globals->kind == JSON_OBJECT) {
        const json_value *g = json_get(s->globals, section);
        v = g && g->kind == JSON_OBJECT ? json_get(g, name) : NULL;
    }
    return v;
}

static bool managed_arn(sam *s, json_value *arns, const char *name)
{
    char buf[300];
    snprintf(buf, sizeof buf, "arn:${AWS::Partition}:iam::aws:policy/%s", name);
    json_value v;
    if (!sub(s, buf, &v))
        return false;
    push(arns, &v);
    return true;
}

/* One statement in sam_templates.c's form, with ${Param} from `vars`. */
static bool statement(sam *s, const char *form, const json_value *vars, json_value *out)
{
    char buf[4096];
    if (strlen(form) >= sizeof buf)
        return cfn_fail(s->c, s->at, "internal: statement too long");
    strcpy(buf, form);
    char *parts[3] = { buf, NULL, NULL };
    for (int i = 1; i < 3; i++) {
        char *bar = parts[i - 1] ? strchr(parts[i - 1], '|') : NULL;
        if (bar) {
            *bar = '\0';
            parts[i] = bar + 1;
        }
    }
    json_value st, effect, actions, resources;
    if (!obj(s, 4, &st) || !str(s, "Allow", &effect))
        return false;
    put(&st, "Effect", &effect);
    for (int k = 0; k < 2; k++) {
        uint32_t n = 1;
        for (const char *q = parts[k]; q && *q; q++)
            n += *q == ' ';
        json_value *list = k == 0 ? &actions : &resources;
        if (!arr(s, n, list))
            return false;
        char empty[1] = "", *save = NULL;
        for (char *tok = strtok_r(parts[k] ? parts[k] : empty, " ", &save); tok;
             tok = strtok_r(NULL, " ", &save)) {
            json_value v;
            if (k == 1 && strstr(tok, "${")) {
                json_value pat, a;
                if (!str(s, tok, &pat) || !arr(s, 2, &a))
                    return false;
                push(&a, &pat);
                push(&a, vars);
                if (!fn1(s, "Fn::Sub", &a, &v))
                    return false;
            } else if (!str(s, tok, &v)) {
                return false;
            }
            push(list, &v);
        }
    }
    put(&st, "Action", &actions);
    put(&st, "Resource", &resources);
    if (parts[2]) {
        char *eq = strchr(parts[2], '=');
        if (!eq)
            return cfn_fail(s->c, s->at, "internal: bad condition in a SAM table");
        *eq = '\0';
        json_value pat, a, v, key, op;
        const char *k = cfn_strdup(s->c, parts[2], strlen(parts[2]));
        if (!k || !str(s, eq + 1, &pat) || !arr(s, 2, &a))
            return false;
        push(&a, &pat);
        push(&a, vars);
        if (!fn1(s, "Fn::Sub", &a, &v) || !obj(s, 1, &key))
            return false;
        put(&key, k, &v);
        if (!fn1(s, "StringEquals", &key, &op))
            return false;
        put(&st, "Condition", &op);
    }
    *out = st;
    return true;
}

/* {Version, Statement: [...]} from statements in the table form. */
static bool document(sam *s, const char *const *forms, const json_value *vars, json_value *out)
{
    uint32_t n = 0;
    while (forms[n])
        n++;
    json_value doc, version, list;
    if (!obj(s, 2, &doc) || !str(s, "2012-10-17", &version) || !arr(s, n, &list))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        json_value st;
        if (!statement(s, forms[i], vars, &st))
            return false;
        push(&list, &st);
    }
    put(&doc, "Version", &version);
    put(&doc, "Statement", &list);
    *out = doc;
    return true;
}

static bool is_intrinsic_value(const json_value *v)
{
    return cfn_is_intrinsic(v, NULL);
}

/* A policy template {Name: {Param: value}} as a document. */
static bool policy_template(sam *s, const json_member *m, json_value *doc)
{
    cfn_ctx *c = s->c;
    const sam_policy_template *pt = sam_find_policy_template(m->key);
    if (!pt)
        return cfn_fail(c, m->key_start, "%.100s is not a SAM policy template (nor a policy "
                        "document: it has no Statement)", m->key);
    const json_value *given = &m->value;
    if (given->kind != JSON_OBJECT)
        return cfn_fail(c, given->start, "the parameters of policy template %s must be a mapping "
                        "(write {} when it has none)", pt->name);
    char names[512];
    snprintf(names, sizeof names, "%s", pt->params);
    char *save = NULL;
    for (char *p = strtok_r(names, " ", &save); p; p = strtok_r(NULL, " ", &save))
        if (!json_get(given, p))
            return cfn_fail(c, given->start, "policy template %s needs the parameter %s",
                            pt->name, p);
    for (uint32_t i = 0; i < given->len; i++) {
        const char *k = given->u.members[i].key;
        const char *hit = strstr(pt->params, k);
        size_t kl = strlen(k);
        if (!hit || (hit != pt->params && hit[-1] != ' ') || (hit[kl] && hit[kl] != ' '))
            return cfn_fail(c, given->u.members[i].key_start, "policy template %s has no "
                            "parameter %.80s", pt->name, k);
    }
    uint32_t at = s->at;
    s->at = m->key_start;
    bool ok = document(s, pt->statements, given, doc);
    s->at = at;
    return ok;
}

/* Policies: a name, a document, a template, or a list of them. */
static bool policies(sam *s, const char *id, const json_value *v, json_value *arns,
                     json_value *inl)
{
    cfn_ctx *c = s->c;
    uint32_t n = v->kind == JSON_ARRAY ? v->len : 1;
    for (uint32_t i = 0; i < n; i++) {
        const json_value *it = v->kind == JSON_ARRAY ? &v->u.items[i] : v;
        char pname[300];
        snprintf(pname, sizeof pname, "%sRolePolicy%u", id, i);
        if (it->kind == JSON_STRING) {
            if (!strncmp(it->u.str, "arn:", 4))
                push(arns, it);
            else if (!managed_arn(s, arns, it->u.str))
                return false;
            continue;
        }
        if (it->kind != JSON_OBJECT)
            return cfn_fail(c, it->start, "Policies holds policy names, documents and policy "
                            "templates, got %s", json_kind_name(it->kind));
        if (is_intrinsic_value(it) && !json_get(it, "Fn::If")) {
            push(arns, it);
            continue;
        }
        json_value doc, entry, name;
        if (json_get(it, "Statement") || json_get(it, "Fn::If")) {
            doc = *it;
        } else if (it->len == 1) {
            if (!policy_template(s, &it->u.members[0], &doc))
                return false;
        } else {
            return cfn_fail(c, it->start, "a Policies entry is a policy document (with "
                            "Statement) or one policy template");
        }
        const char *pn = cfn_strdup(c, pname, strlen(pname));
        if (!pn || !obj(s, 2, &entry) || !str(s, pn, &name))
            return pn ? false : nomem(s);
        put(&entry, "PolicyName", &name);
        put(&entry, "PolicyDocument", &doc);
        push(inl, &entry);
    }
    return true;
}

/* The role SAM creates for a function or state machine. */
static bool make_role(sam *s, const json_member *m, const json_value *props, const char *section,
                      const char *service, bool lambda)
{
    const char *id = m->key;
    const json_value *pol = prop(s, props, section, "Policies");
    const json_value *events = props ? json_get(props, "Events") : NULL;
    uint32_t npol = pol ? (pol->kind == JSON_ARRAY ? pol->len : 1) : 0;
    uint32_t nev = events && events->kind == JSON_OBJECT ? events->len : 0;
    json_value role, rprops, trust, arns, inl, type;
    if (!obj(s, 4, &role) || !obj(s, 8, &rprops) || !arr(s, npol + nev + 4, &arns) ||
        !arr(s, npol, &inl) || !str(s, "AWS::IAM::Role", &type))
        return false;
    const json_value *given_trust = props ? json_get(props, "AssumeRolePolicyDocument") : NULL;
    if (given_trust) {
        trust = *given_trust;
    } else {
        json_value st, effect, svc, services, principal, action, actions, version, stmts;
        if (!obj(s, 3, &st) || !str(s, "Allow", &effect) || !str(s, service, &svc) ||
            !arr(s, 1, &services) || !obj(s, 1, &principal) ||
            !str(s, "sts:AssumeRole", &action) || !arr(s, 1, &actions) ||
            !arr(s, 1, &stmts) || !str(s, "2012-10-17", &version) || !obj(s, 2, &trust))
            return false;
        push(&services, &svc);
        put(&principal, "Service", &services);
        push(&actions, &action);
        put(&st, "Effect", &effect);
        put(&st, "Principal", &principal);
        put(&st, "Action", &actions);
        push(&stmts, &st);
        put(&trust, "Version", &version);
        put(&trust, "Statement", &stmts);
    }
    put(&rprops, "AssumeRolePolicyDocument", &trust);
    if (lambda && !managed_arn(s, &arns, "service-role/AWSLambdaBasicExecutionRole"))
        return false;
    const json_value *tracing = prop(s, props, section, "Tracing");
    if (tracing && tracing->kind == JSON_STRING && !strcmp(tracing->u.str, "Active") &&
        !managed_arn(s, &arns, "AWSXrayWriteOnlyAccess"))
        return false;
    if (lambda && prop(s, props, section, "VpcConfig") &&
        !managed_arn(s, &arns, "service-role/AWSLambdaVPCAccessExecutionRole"))
        return false;
    static const char *const EVENT_POLICY[][2] = {
        { "SQS", "service-role/AWSLambdaSQSQueueExecutionRole" },
        { "Kinesis", "service-role/AWSLambdaKinesisExecutionRole" },
        { "DynamoDB", "service-role/AWSLambdaDynamoDBExecutionRole" },
        { "MSK", "service-role/AWSLambdaMSKExecutionRole" },
    };
    for (uint32_t i = 0; lambda && i < nev; i++) {
        const json_value *t = events->u.members[i].value.kind == JSON_OBJECT
                                  ? json_get(&events->u.members[i].value, "Type") : NULL;
        for (size_t k = 0; t && t->kind == JSON_STRING && k < 4; k++)
            if (!strcmp(t->u.str, EVENT_POLICY[k][0]) && !managed_arn(s, &arns, EVENT_POLICY[k][1]))
                return false;
    }
    if (pol && !policies(s, id, pol, &arns, &inl))
        return false;
    if (arns.len)
        put(&rprops, "ManagedPolicyArns", &arns);
    if (inl.len)
        put(&rprops, "Policies", &inl);
    const json_value *pb = prop(s, props, section, "PermissionsBoundary");
    if (pb)
        put(&rprops, "PermissionsBoundary", pb);
    const json_value *path = prop(s, props, section, "RolePath");
    if (path)
        put(&rprops, "Path", path);
    put(&role, "Type", &type);
    put(&role, "Properties", &rprops);
    const json_value *cond = json_get(&m->value, "Condition");
    if (cond)
        put(&role, "Condition", cond);
    const char *rid = concat(s, id, "Role", NULL);
    return rid ? emit(s, rid, m->key_start, &role) : nomem(s);
}

/* The function or state machine itself, with its name and role. */
static bool make_main(sam *s, const json_member *m, const json_value *props, const char *type,
                      const char *name_prop, const char *role_prop, const char *section)
{
    json_value r, rp, t, role;
    if (!obj(s, 5, &r) || !obj(s, 2, &rp) || !str(s, type, &t))
        return false;
    const json_value *name = props ? json_get(props, name_prop) : NULL;
    if (name)
        put(&rp, name_prop, name);
    const json_value *given = prop(s, props, section, "Role");
    if (given) {
        role = *given;
    } else {
        const char *rid = concat(s, m->key, "Role", NULL);
        if (!rid || !getatt(s, rid, "Arn", &role))
            return rid ? false : nomem(s);
    }
    put(&rp, role_prop, &role);
    put(&r, "Type", &t);
    put(&r, "Properties", &rp);
    static const char *const KEEP[] = { "Condition", "DependsOn", "Metadata" };
    for (int i = 0; i < 3; i++) {
        const json_value *v = json_get(&m->value, KEEP[i]);
        if (v)
            put(&r, KEEP[i], v);
    }
    return emit(s, m->key, m->key_start, &r);
}

/* ---- connectors ----------------------------------------------------------- */

/* The CloudFormation type a source or destination Id stands for. */
static const char *cfn_type_of(sam *s, const char *id, const json_value **decl)
{
    const json_value *r = json_get(s->res, id);
    *decl = r;
    const json_value *t = r && r->kind == JSON_OBJECT ? json_get(r, "Type") : NULL;
    if (!t || t->kind != JSON_STRING)
        return NULL;
    if (!strcmp(t->u.str, "AWS::Serverless::Function")) return "AWS::Lambda::Function";
    if (!strcmp(t->u.str, "AWS::Serverless::StateMachine")) return "AWS::StepFunctions::StateMachine";
    if (!strcmp(t->u.str, "AWS::Serverless::SimpleTable")) return "AWS::DynamoDB::Table";
    return t->u.str;
}

/* The role of a function or state machine of the template: the one SAM
 * creates, or the resource its Role names by Fn::GetAtt. */
static const char *source_role(sam *s, const char *id, const json_value *decl)
{
    const json_value *props = json_get(decl, "Properties");
    const json_value *t = json_get(decl, "Type");
    bool serverless = t && t->kind == JSON_STRING && !strncmp(t->u.str, "AWS::Serverless::", 17);
    const json_value *role = props && props->kind == JSON_OBJECT
        ? json_get(props, serverless ? "Role" : !strcmp(t->u.str, "AWS::Lambda::Function")
                                                    ? "Role" : "RoleArn")
        : NULL;
    if (!role && serverless)
        return concat(s, id, "Role", NULL);
    const json_value *ga = role && role->kind == JSON_OBJECT ? json_get(role, "Fn::GetAtt") : NULL;
    if (ga && ga->kind == JSON_ARRAY && ga->len == 2 && ga->u.items[0].kind == JSON_STRING)
        return ga->u.items[0].u.str;
    if (ga && ga->kind == JSON_STRING) {
        const char *dot = strchr(ga->u.str, '.');
        return dot ? cfn_strdup(s->c, ga->u.str, (size_t)(dot - ga->u.str)) : NULL;
    }
    return NULL;
}

static bool destination_values(sam *s, const json_value *d, const char *type, json_value *vars)
{
    const json_value *id = json_get(d, "Id"), *arn = json_get(d, "Arn"), *name = json_get(d, "Name");
    json_value a, n;
    if (id && id->kind == JSON_STRING) {
        bool ref_is_arn = !strcmp(type, "AWS::SNS::Topic") ||
                          !strcmp(type, "AWS::StepFunctions::StateMachine");
        if (!(ref_is_arn ? ref(s, id->u.str, &a) : getatt(s, id->u.str, "Arn", &a)))
            return false;
        if (!strcmp(type, "AWS::StepFunctions::StateMachine") ? !getatt(s, id->u.str, "Name", &n)
                                                               : !ref(s, id->u.str, &n))
            return false;
    } else if (arn) {
        a = *arn;
        if (name)
            n = *name;
        else if (!str(s, "{{Destination.Name}}", &n))
            return false;
    } else {
        return cfn_fail(s->c, d->start, "a connector's Destination needs Id, or Arn and Type");
    }
    if (!obj(s, 2, vars))
        return false;
    put(vars, "DestinationArn", &a);
    put(vars, "DestinationName", &n);
    return true;
}

static bool connector(sam *s, const char *id, uint32_t key_start, const char *source_id,
                      const json_value *props, const json_value *cond)
{
    cfn_ctx *c = s->c;
    if (!props || props->kind != JSON_OBJECT)
        return cfn_fail(c, key_start, "a connector needs Properties");
    const json_value *decl = NULL, *src = json_get(props, "Source");
    if (!source_id) {
        const json_value *sid = src && src->kind == JSON_OBJECT ? json_get(src, "Id") : NULL;
        source_id = sid && sid->kind == JSON_STRING ? sid->u.str : NULL;
    }
    const char *stype = source_id ? cfn_type_of(s, source_id, &decl) : NULL;
    const char *role = stype ? source_role(s, source_id, decl) : NULL;
    const json_value *dest = json_get(props, "Destination");
    const json_value *perms = json_get(props, "Permissions");
    if (!dest || !perms || perms->kind != JSON_ARRAY)
        return cfn_fail(c, key_start, "a connector needs Destination and Permissions");
    if (!role) {
        json_value site = { .start = key_start, .end = key_start }, v;
        return cfn_placeholder(c, &site, "Connector", "a connector whose source is not a "
                               "function or state machine of the template (it writes a "
                               "resource policy, which iamguard does not model)", &v) == 1;
    }
    uint32_t nd = dest->kind == JSON_ARRAY ? dest->len : 1;
    json_value stmts;
    if (!arr(s, nd * 8, &stmts))
        return false;
    for (uint32_t i = 0; i < nd; i++) {
        const json_value *d = dest->kind == JSON_ARRAY ? &dest->u.items[i] : dest;
        if (d->kind != JSON_OBJECT)
            return cfn_fail(c, d->start, "a connector's Destination must be a mapping");
        const json_value *dt = json_get(d, "Type"), *did = json_get(d, "Id");
        const json_value *ddecl;
        const char *dtype = dt && dt->kind == JSON_STRING ? dt->u.str
                            : did && did->kind == JSON_STRING ? cfn_type_of(s, did->u.str, &ddecl)
                                                              : NULL;
        const sam_connector_profile *p = dtype ? sam_find_connector_profile(stype, dtype) : NULL;
        if (!p)
            return cfn_fail(c, d->start, "SAM has no connector from %s to %s", stype,
                            dtype ? dtype : "this destination");
        json_value vars;
        if (!destination_values(s, d, dtype, &vars))
            return false;
        for (uint32_t k = 0; k < perms->len; k++) {
            const json_value *pk = &perms->u.items[k];
            const char *const *forms = pk->kind != JSON_STRING ? NULL
                                       : !strcmp(pk->u.str, "Read") ? p->read
                                       : !strcmp(pk->u.str, "Write") ? p->write : NULL;
            if (!forms)
                return cfn_fail(c, pk->start, "a connector from %s to %s has no permission "
                                "%.40s (Read or Write)", stype, dtype,
                                pk->kind == JSON_STRING ? pk->u.str : "");
            for (; *forms && stmts.len < nd * 8; forms++) {
                json_value st;
                if (!statement(s, *forms, &vars, &st))
                    return false;
                push(&stmts, &st);
            }
        }
    }
    json_value pol, pprops, doc, version, roles, r, type;
    if (!obj(s, 3, &pol) || !obj(s, 2, &pprops) || !obj(s, 2, &doc) ||
        !str(s, "2012-10-17", &version) || !arr(s, 1, &roles) || !ref(s, role, &r) ||
        !str(s, "AWS::IAM::ManagedPolicy", &type))
        return false;
    put(&doc, "Version", &version);
    put(&doc, "Statement", &stmts);
    push(&roles, &r);
    put(&pprops, "PolicyDocument", &doc);
    put(&pprops, "Roles", &roles);
    put(&pol, "Type", &type);
    put(&pol, "Properties", &pprops);
    if (cond)
        put(&pol, "Condition", cond);
    const char *pid = concat(s, id, "Policy", NULL);
    return pid ? emit(s, pid, key_start, &pol) : nomem(s);
}

/* ---- the section ---------------------------------------------------------- */

static bool expand_one(sam *s, const json_member *m)
{
    cfn_ctx *c = s->c;
    const json_value *decl = &m->value;
    const json_value *t = decl->kind == JSON_OBJECT ? json_get(decl, "Type") : NULL;
    const json_value *props = decl->kind == JSON_OBJECT ? json_get(decl, "Properties") : NULL;
    if (props && props->kind != JSON_OBJECT)
        props = NULL;
    const char *type = t && t->kind == JSON_STRING ? t->u.str : "";
    s->at = m->key_start;
    const json_value *conns = decl->kind == JSON_OBJECT ? json_get(decl, "Connectors") : NULL;
    json_value copy = *decl;
    if (conns) {
        /* Embedded connectors: the resource is their source. */
        if (conns->kind != JSON_OBJECT)
            return cfn_fail(c, conns->start, "Connectors must be a mapping");
        for (uint32_t i = 0; i < conns->len; i++) {
            const json_member *cm = &conns->u.members[i];
            const char *cid = concat(s, m->key, cm->key, NULL);
            const json_value *cp = cm->value.kind == JSON_OBJECT
                                       ? json_get(&cm->value, "Properties") : NULL;
            if (!cid || !connector(s, cid, cm->key_start, m->key, cp,
                                   json_get(decl, "Condition")))
                return cid ? false : nomem(s);
        }
        /* The resource without its Connectors attribute. */
        json_member *mems = cfn_alloc(c, decl->len * sizeof *mems);
        if (!mems)
            return nomem(s);
        copy.len = 0;
        for (uint32_t i = 0; i < decl->len; i++)
            if (strcmp(decl->u.members[i].key, "Connectors"))
                mems[copy.len++] = decl->u.members[i];
        copy.u.members = mems;
    }
    if (!strcmp(type, "AWS::Serverless::Function")) {
        s->at = t->start;
        return (prop(s, props, "Function", "Role") ||
                make_role(s, m, props, "Function", "lambda.amazonaws.com", true)) &&
               make_main(s, m, props, "AWS::Lambda::Function", "FunctionName", "Role", "Function");
    }
    if (!strcmp(type, "AWS::Serverless::StateMachine")) {
        s->at = t->start;
        return (prop(s, props, "StateMachine", "Role") ||
                make_role(s, m, props, "StateMachine", "states.amazonaws.com", false)) &&
               make_main(s, m, props, "AWS::StepFunctions::StateMachine", "Name", "RoleArn",
                         "StateMachine");
    }
    if (!strcmp(type, "AWS::Serverless::Connector"))
        return connector(s, m->key, m->key_start, NULL, props, json_get(decl, "Condition"));
    if (!strcmp(type, "AWS::Serverless::SimpleTable")) {
        json_value r, rp, nt;
        s->at = t->start;
        if (!obj(s, 3, &r) || !obj(s, 1, &rp) || !str(s, "AWS::DynamoDB::Table", &nt))
            return false;
        const json_value *name = props ? json_get(props, "TableName") : NULL;
        if (name)
            put(&rp, "TableName", name);
        put(&r, "Type", &nt);
        put(&r, "Properties", &rp);
        const json_value *cond = json_get(decl, "Condition");
        if (cond)
            put(&r, "Condition", cond);
        return emit(s, m->key, m->key_start, &r);
    }
    json_member keep = *m;
    keep.value = copy;
    return emit(s, m->key, m->key_start, &keep.value);
}

bool cfn_sam_expand(cfn_ctx *c, const json_value *res, const json_value *globals,
                    json_value *out)
{
    sam s = { .c = c, .res = res, .globals = globals };
    if (globals && globals->kind != JSON_OBJECT)
        return cfn_fail(c, globals->start, "Globals must be a mapping");
    for (uint32_t i = 0; i < res->len; i++) {
        size_t old = cfn_path_key(c, res->u.members[i].key);
        if (!expand_one(&s, &res->u.members[i]))
            return false;
        cfn_path_set(c, old);
    }
    *out = *res;
    out->u.members = s.out;
    out->len = s.n;
    return true;
}
