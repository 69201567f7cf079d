/* gen_random.c - random scenarios from small vocabularies.
 *
 * The vocabularies are shared between policies and requests on purpose:
 * with a few actions, resources, principals and context keys, random
 * statements match random requests often enough that allows, explicit
 * denies and every implicit-deny layer all occur. */
#include <string.h>
#include <stdio.h>

#include "ref/gen.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

void gen_seed(gen_rng *r, uint64_t seed)
{
    r->s = seed ^ 0x9e3779b97f4a7c15ull;
    gen_next(r);
}

uint64_t gen_next(gen_rng *r)
{
    /* splitmix64: tiny and good enough for test data */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

unsigned gen_below(gen_rng *r, unsigned n)
{
    return n ? (unsigned)(gen_next(r) % n) : 0;
}

bool gen_chance(gen_rng *r, unsigned percent)
{
    return gen_below(r, 100) < percent;
}

#define PICK(r, a) ((a)[gen_below((r), N(a))])

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* ---- vocabularies ---- */

static const char *const ACTIONS[] = {
    "s3:GetObject", "s3:PutObject", "s3:ListBucket", "iam:CreateUser", "iam:PassRole",
    "ec2:RunInstances", "kms:Decrypt", "sts:AssumeRole", "sqs:SendMessage",
    "lambda:InvokeFunction", "dynamodb:GetItem", "sts:TagSession", "sts:GetCallerIdentity",
    "kms:CreateAlias", "sts:SetContext", "sts:GetSessionToken",
};

static const char *const ACTION_PATTERNS[] = {
    "*", "s3:*", "s3:Get*", "s3:*Object", "s3:?etObject", "s3:*t*", "iam:*", "iam:*User",
    "ec2:Run*", "kms:*", "sts:AssumeRole*", "sqs:*", "lambda:Invoke?unction", "dynamodb:*",
    "s3:get*", "IAM:passrole", "sts:*Session", "kms:*Alias", "sts:Get*", "sts:Set*",
};

static const char *const BROAD_ACTIONS[] = {"*", "s3:*", "iam:*", "kms:*", "sts:*", "sqs:*", "*"};

static const char *const RESOURCES[] = {
    "arn:aws:s3:::bucket-a/docs/report.txt", "arn:aws:s3:::bucket-a/home/alice/notes",
    "arn:aws:s3:::bucket-a", "arn:aws:s3:::bucket-b/x:y/z", "arn:aws:s3:::bucket-a/a*b?c$d",
    "arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/admin",
    "arn:aws:ec2:us-east-1:111111111111:instance/i-123", "arn:aws:kms:us-east-1:222222222222:key/k1",
    "arn:aws:kms:us-east-1:111111111111:key/k2", "arn:aws:sqs:eu-west-1:111111111111:queue1",
    "arn:aws:lambda:us-east-1:222222222222:function:fn", "*", "bucket-a/docs",
    "arn:aws:iam::111111111111:role/admin", "arn:aws:s3:::bucket-a/home/bob/x",
    "notarn:a:b:c:111111111111:thing", "arn:aws:kms:us-east-1:111111111111:alias/a1",
    "arn:aws:sts::111111111111:self", "arn:aws:iam::222222222222:role/reader",
};

static const char *const RESOURCE_PATTERNS[] = {
    "*", "arn:aws:s3:::bucket-a/*", "arn:aws:s3:::bucket-?/*", "arn:aws:s3:::bucket-a",
    "arn:aws:s3:::*", "arn:aws:s3:*", "arn:aws:*", "arn:aws:iam::*",
    "arn:aws:iam::111111111111:user/*", "arn:aws:iam::*:role/admin", "arn:*:ec2:*:*:instance/*",
    "arn:aws:kms:*:222222222222:key/*", "arn:aws:kms:us-east-1:*:*",
    "arn:aws:s3:::bucket-a/home/${aws:username}/*", "arn:aws:iam::111111111111:user/${aws:username}",
    "arn:aws:s3:::bucket-b/x:*", "arn:aws:s3:::bucket-a/${aws:PrincipalTag/team, 'docs'}/*",
    "arn:aws:s3:::bucket-a/a${*}b${?}c${$}d", "arn:aws:s3:::bucket-a/a*b?c$d", "bucket-a/*",
    "arn:aws:sqs:*:111111111111:queue?", "arn:aws:lambda:*:*:function:*",
    "arn:aws:s3:::bucket-a/${s3:prefix}*", "arn:aws:*:*:111111111111:*", "arn:aws:s3::*",
    "arn:aws:iam::111111111111:*", "arn:aws:s3:::bucket-a/docs/*", "arn:aws:s3:::bucket-a/home/*/notes",
    "arn:aws:s3:::bucket-a/${aws:userid}/*", "arn:aws:sqs:eu-west-1:*", "arn*",
    "arn*:s3:*", "a*:bucket-a", "arn:*:s3:*", "*:aws:s3:::bucket-a/*",
    "arn:aws:kms:*:111111111111:alias/*", "arn:aws:iam::*:role/*",
};

typedef enum { K_STR, K_NUM, K_DATE, K_BOOL, K_IP, K_BIN, K_ARN, K_MULTI } keykind;

typedef struct {
    const char *key;
    keykind kind;
    const char *vals[8];
} keydef;

static const keydef KEYS[] = {
    {"aws:PrincipalTag/team", K_STR, {"eng", "Eng", "ops", "docs", "e*g", NULL}},
    {"aws:RequestTag/env", K_STR, {"prod", "dev", "Prod", "", NULL}},
    {"s3:prefix", K_STR, {"docs/", "docs/a", "home/alice/", "home/", NULL}},
    {"aws:TagKeys", K_MULTI, {"env", "team", "Owner", "owner", NULL}},
    {"aws:CalledVia", K_MULTI, {"athena.amazonaws.com", "cloudformation.amazonaws.com", NULL}},
    {"s3:max-keys", K_NUM, {"10", "10.0", "1e1", "5", "-3", "abc", "100", NULL}},
    {"aws:MultiFactorAuthAge", K_NUM, {"3600", "100", "0.5", NULL}},
    {"aws:CurrentTime", K_DATE, {"2024-01-01T00:00:00Z", "2024-06-01", "1704067200",
                                 "2023-12-31T23:00:00-02:00", "bad-date", NULL}},
    {"aws:EpochTime", K_DATE, {"1704067200", "1704067199.5", "x", NULL}},
    {"aws:SecureTransport", K_BOOL, {"true", "false", "TRUE", "yes", NULL}},
    {"aws:SourceIp", K_IP, {"10.0.0.5", "10.1.2.3", "192.168.1.1", "2001:db8::1",
                            "::ffff:10.0.0.5", "10.0.0.0/24", "bad", NULL}},
    {"custom:blob", K_BIN, {"aGVsbG8=", "d29ybGQ=", "@@@", NULL}},
    {"aws:SourceArn", K_ARN, {"arn:aws:s3:::bucket-a", "arn:aws:sns:us-east-1:111111111111:topic",
                              "arn:aws:s3:::bucket-a/x:y", "notarn", NULL}},
    {"aws:username", K_STR, {"alice", "bob", "*", NULL}},
    {"aws:PrincipalArn", K_ARN, {"arn:aws:iam::111111111111:user/alice",
                                 "arn:aws:iam::111111111111:role/admin", NULL}},
    {"aws:PrincipalAccount", K_STR, {"111111111111", "222222222222", NULL}},
    {"aws:PrincipalType", K_STR, {"User", "AssumedRole", NULL}},
    {"aws:userid", K_STR, {"AIDAEXAMPLE", "docs", NULL}},
};

static const char *const STRING_VALUES[] = {
    "eng", "ops", "prod", "Prod", "docs/", "home/alice/", "alice", "env", "team", "owner",
    "athena.amazonaws.com", "111111111111", "User", "AssumedRole", "e*g",
    "${aws:username}", "${aws:PrincipalTag/team}", "${aws:principaltag/Team, 'eng'}",
    "${no:such}", "home/${aws:username}/", "${aws:PrincipalAccount}", "a${*}b",
    "arn:aws:iam::111111111111:user/alice", "${s3:prefix, 'home/'}",
};

static const char *const LIKE_VALUES[] = {
    "doc*", "home/*/", "e?g", "*", "${aws:username}*", "arn:aws:s3:::bucket-?", "*amazonaws.com",
    "Own*", "e${*}g", "home/${aws:username}/*", "${no:such}*", "pro?",
};

static const char *const NUM_VALUES[] = {"10", "5.0", "1e1", "-3", "100", "0.5", "3600"};
static const char *const DATE_VALUES[] = {"2024-01-01T00:00:00Z", "2024-01-01", "1704067200",
                                          "2024-06-01T12:00:00+02:00", "2023"};
static const char *const BOOL_VALUES[] = {"true", "false", "True"};
static const char *const BIN_VALUES[] = {"aGVsbG8=", "d29ybGQ="};
static const char *const IP_VALUES[] = {"10.0.0.0/8", "10.0.0.5", "192.168.0.0/16", "2001:db8::/32",
                                        "0.0.0.0/0", "::/0"};
static const char *const ARN_VALUES[] = {
    "arn:aws:s3:::bucket-a", "arn:aws:s3:::bucket-*", "arn:aws:sns:*:111111111111:*",
    "arn:aws:s3:::bucket-a/*", "arn:aws:*:*:*:*", "arn:aws:iam::${aws:PrincipalAccount}:*",
    "arn:aws:iam::111111111111:user/${aws:username}", "arn:aws:iam::111111111111:role/admin",
};

typedef struct {
    const char *name;
    keykind kind;
} opinfo;

static const opinfo OPS[] = {
    {"StringEquals", K_STR}, {"StringNotEquals", K_STR}, {"StringEqualsIgnoreCase", K_STR},
    {"StringNotEqualsIgnoreCase", K_STR}, {"StringLike", K_STR}, {"StringNotLike", K_STR},
    {"NumericEquals", K_NUM}, {"NumericNotEquals", K_NUM}, {"NumericLessThan", K_NUM},
    {"NumericLessThanEquals", K_NUM}, {"NumericGreaterThan", K_NUM},
    {"NumericGreaterThanEquals", K_NUM}, {"DateEquals", K_DATE}, {"DateNotEquals", K_DATE},
    {"DateLessThan", K_DATE}, {"DateLessThanEquals", K_DATE}, {"DateGreaterThan", K_DATE},
    {"DateGreaterThanEquals", K_DATE}, {"Bool", K_BOOL}, {"BinaryEquals", K_BIN},
    {"IpAddress", K_IP}, {"NotIpAddress", K_IP}, {"ArnEquals", K_ARN}, {"ArnLike", K_ARN},
    {"ArnNotEquals", K_ARN}, {"ArnNotLike", K_ARN}, {"Null", K_STR},
};

static const char *const USERS[] = {
    "arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:user/dev/bob",
    "arn:aws:iam::222222222222:user/carol",
};
static const char *const SESSIONS[] = {
    "arn:aws:sts::111111111111:assumed-role/admin/s1", "arn:aws:sts::222222222222:assumed-role/reader/s2",
};
static const char *const AWS_PRINCIPALS[] = {
    "*", "111111111111", "222222222222", "arn:aws:iam::111111111111:root",
    "arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::111111111111:user/dev/bob", "arn:aws:iam::222222222222:user/carol",
    "arn:aws:iam::111111111111:role/admin", "arn:aws:iam::111111111111:role/path/admin",
    "arn:aws:iam::222222222222:role/reader", "arn:aws:sts::111111111111:assumed-role/admin/s1",
    "arn:aws:sts::222222222222:assumed-role/reader/s2",
    "arn:aws:sts::111111111111:federated-user/fed",
};
static const char *const SERVICES[] = {"lambda.amazonaws.com", "s3.amazonaws.com"};

/* ---- pieces ---- */

/* Flip the case of some letters (case-insensitive names must still match). */
static void vary_case(gen_rng *r, char *s, unsigned percent)
{
    if (!gen_chance(r, percent))
        return;
    for (; *s; s++)
        if (gen_chance(r, 30)) {
            if (*s >= 'a' && *s <= 'z') *s = (char)(*s - 'a' + 'A');
            else if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
        }
}

static int count_vals(const keydef *k)
{
    int n = 0;
    while (n < 8 && k->vals[n])
        n++;
    return n;
}

static const char *value_for(gen_rng *r, keykind kind, const char *op, gen_value *out)
{
    bool like = strstr(op, "Like") != NULL;
    const char *v;
    out->raw = false;
    switch (kind) {
    case K_NUM:
        v = PICK(r, NUM_VALUES);
        out->raw = gen_chance(r, 20) && !strcmp(v, "10");
        break;
    case K_DATE: v = PICK(r, DATE_VALUES); break;
    case K_BOOL:
        v = PICK(r, BOOL_VALUES);
        out->raw = gen_chance(r, 20) && (!strcmp(v, "true") || !strcmp(v, "false"));
        break;
    case K_IP: v = PICK(r, IP_VALUES); break;
    case K_BIN: v = PICK(r, BIN_VALUES); break;
    case K_ARN: v = PICK(r, ARN_VALUES); break;
    default: v = like && gen_chance(r, 60) ? PICK(r, LIKE_VALUES) : PICK(r, STRING_VALUES); break;
    }
    copy(out->text, sizeof out->text, v);
    return v;
}

static void random_condition(gen_rng *r, gen_cond *c)
{
    const opinfo *op = &PICK(r, OPS);
    bool is_null = !strcmp(op->name, "Null");
    const char *qual = "";
    if (!is_null && gen_chance(r, 25))
        qual = gen_chance(r, 50) ? "ForAllValues:" : "ForAnyValue:";
    const char *suffix = !is_null && gen_chance(r, 20) ? "IfExists" : "";
    snprintf(c->op, sizeof c->op, "%s%s%s", qual, op->name, suffix);

    const keydef *k = &KEYS[gen_below(r, N(KEYS))];
    if (gen_chance(r, 60) && !is_null) {
        /* prefer a key of the operator's own type */
        for (int tries = 0; tries < 20; tries++) {
            const keydef *cand = &KEYS[gen_below(r, N(KEYS))];
            keykind ck = cand->kind == K_MULTI ? K_STR : cand->kind;
            if (ck == op->kind || (op->kind == K_STR && cand->kind == K_ARN)) {
                k = cand;
                break;
            }
        }
    }
    copy(c->key, sizeof c->key, k->key);
    vary_case(r, c->key, 20);

    c->nvals = 1 + (int)(gen_chance(r, 35) ? gen_below(r, 3) : 0);
    for (int i = 0; i < c->nvals; i++) {
        if (is_null) {
            bool t = gen_chance(r, 50);
            copy(c->vals[i].text, sizeof c->vals[i].text, t ? "true" : "false");
            c->vals[i].raw = gen_chance(r, 30);
        } else if (op->kind == K_STR && gen_chance(r, 30)) {
            /* a value the request may well carry */
            copy(c->vals[i].text, sizeof c->vals[i].text, k->vals[gen_below(r, (unsigned)count_vals(k))]);
            c->vals[i].raw = false;
        } else {
            value_for(r, op->kind, c->op, &c->vals[i]);
        }
    }
    c->array = c->nvals == 1 && gen_chance(r, 20);
}

/* Every identity of one caller (user or session, role, account), so that
 * NotPrincipal can exempt it. */
static const char *const FULL_LISTS[][3] = {
    {"arn:aws:iam::111111111111:user/alice", "111111111111", NULL},
    {"arn:aws:iam::111111111111:user/dev/bob", "arn:aws:iam::111111111111:root", NULL},
    {"arn:aws:sts::111111111111:assumed-role/admin/s1", "arn:aws:iam::111111111111:role/admin",
     "111111111111"},
    {"arn:aws:sts::111111111111:federated-user/fed", "111111111111", NULL},
    {"arn:aws:iam::111111111111:root", NULL, NULL},
    {"arn:aws:sts::111111111111:assumed-role/admin/s1", "111111111111", NULL},
};

static void random_principals(gen_rng *r, gen_stmt *st)
{
    if (st->pr_kind == GEN_EL_NOT && gen_chance(r, 50)) {
        const char *const *l = FULL_LISTS[gen_below(r, N(FULL_LISTS))];
        for (st->npr = 0; st->npr < 3 && l[st->npr]; st->npr++) {
            copy(st->pr[st->npr].type, sizeof st->pr[0].type, "AWS");
            copy(st->pr[st->npr].value, sizeof st->pr[0].value, l[st->npr]);
        }
        return;
    }
    if (gen_chance(r, 30)) {
        st->npr = 1;
        st->pr[0].type[0] = '\0';
        copy(st->pr[0].value, sizeof st->pr[0].value, "*");
        return;
    }
    st->npr = 1 + (int)gen_below(r, 3);
    for (int i = 0; i < st->npr; i++) {
        unsigned t = gen_below(r, 10);
        if (t < 7) {
            copy(st->pr[i].type, sizeof st->pr[i].type, "AWS");
            copy(st->pr[i].value, sizeof st->pr[i].value, PICK(r, AWS_PRINCIPALS));
        } else if (t < 9) {
            copy(st->pr[i].type, sizeof st->pr[i].type, "Service");
            copy(st->pr[i].value, sizeof st->pr[i].value, PICK(r, SERVICES));
        } else if (gen_chance(r, 50)) {
            copy(st->pr[i].type, sizeof st->pr[i].type, "Federated");
            copy(st->pr[i].value, sizeof st->pr[i].value, "cognito-identity.amazonaws.com");
        } else {
            copy(st->pr[i].type, sizeof st->pr[i].type, "CanonicalUser");
            copy(st->pr[i].value, sizeof st->pr[i].value, "79a59df900b949e55d96a1e698fbaced");
        }
    }
}

static bool needs_principal(ig_policy_type t)
{
    return t == IG_POLICY_RESOURCE || t == IG_POLICY_RCP;
}

void gen_statement_random(gen_rng *r, ig_policy_type type, bool deny, gen_stmt *st)
{
    memset(st, 0, sizeof *st);
    st->deny = deny;
    if (gen_chance(r, 50))
        snprintf(st->sid, sizeof st->sid, "S%u", gen_below(r, 1000));
    st->arrays = gen_chance(r, 30);
    st->action_kind = gen_chance(r, 15) ? GEN_EL_NOT : GEN_EL_POSITIVE;
    st->nact = 1 + (int)(gen_chance(r, 40) ? gen_below(r, 3) : 0);
    for (int i = 0; i < st->nact; i++) {
        if (gen_chance(r, 40)) {
            copy(st->act[i], sizeof st->act[i], PICK(r, ACTIONS));
            vary_case(r, st->act[i], 15);
        } else {
            copy(st->act[i], sizeof st->act[i], PICK(r, ACTION_PATTERNS));
        }
    }
    st->res_kind = gen_chance(r, 15) ? GEN_EL_NOT : GEN_EL_POSITIVE;
    if (type == IG_POLICY_RESOURCE && gen_chance(r, 25))
        st->res_kind = GEN_EL_ABSENT;
    st->nres = 1 + (int)(gen_chance(r, 35) ? gen_below(r, 2) : 0);
    for (int i = 0; i < st->nres; i++)
        copy(st->res[i], sizeof st->res[i],
             gen_chance(r, 20) ? PICK(r, RESOURCES) : PICK(r, RESOURCE_PATTERNS));
    if (needs_principal(type)) {
        st->pr_kind = gen_chance(r, 15) ? GEN_EL_NOT : GEN_EL_POSITIVE;
        random_principals(r, st);
    } else {
        st->pr_kind = GEN_EL_ABSENT;
    }
    st->ncond = gen_chance(r, 50) ? 0 : 1 + (int)(gen_chance(r, 30) ? gen_below(r, 2) : 0);
    for (int i = 0; i < st->ncond; i++) {
        random_condition(r, &st->cond[i]);
        for (int j = 0; j < i; j++)     /* one key per operator block */
            if (!strcmp(st->cond[j].op, st->cond[i].op) && !strcmp(st->cond[j].key, st->cond[i].key)) {
                st->ncond = i;
                break;
            }
    }
}

/* A statement that lets everything through (FullAWSAccess-like). */
static void allow_all(gen_stmt *st, ig_policy_type type)
{
    memset(st, 0, sizeof *st);
    st->nact = 1;
    copy(st->act[0], sizeof st->act[0], "*");
    st->nres = 1;
    copy(st->res[0], sizeof st->res[0], "*");
    if (needs_principal(type)) {
        st->pr_kind = GEN_EL_POSITIVE;
        st->npr = 1;
        copy(st->pr[0].value, sizeof st->pr[0].value, "*");
    } else {
        st->pr_kind = GEN_EL_ABSENT;
    }
}

static void random_policy(gen_rng *r, gen_policy *p, ig_policy_type type, int level)
{
    memset(p, 0, sizeof *p);
    p->type = type;
    p->level = level;
    p->version = gen_chance(r, 90) ? 2012 : gen_chance(r, 50) ? 2008 : 0;
    p->nst = 1 + (int)gen_below(r, GEN_MAX_STMTS - 1);
    p->stmt_object = p->nst == 1 && gen_chance(r, 20);
    bool org = type == IG_POLICY_SCP || type == IG_POLICY_RCP;
    for (int i = 0; i < p->nst; i++) {
        if (org && i == 0 && gen_chance(r, 75)) {
            allow_all(&p->st[i], type);
        } else if (!org && i == 0 && gen_chance(r, 35)) {
            /* a broad grant, so that allows are common enough */
            allow_all(&p->st[i], type);
            copy(p->st[i].act[0], sizeof p->st[i].act[0], PICK(r, BROAD_ACTIONS));
        }
        else
            gen_statement_random(r, type, gen_chance(r, org ? 50 : 25), &p->st[i]);
    }
}

static void add_policy(gen_rng *r, gen_scenario *sc, ig_policy_type type, int level)
{
    if (sc->npol < GEN_MAX_POLICIES)
        random_policy(r, &sc->pol[sc->npol++], type, level);
}

void gen_scenario_random(gen_rng *r, gen_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    unsigned k = gen_below(r, 100);
    if (k < 35) {
        sc->kind = IG_PRINCIPAL_USER;
        /* mostly the resources' own account: cross-account is rarer */
        copy(sc->arn, sizeof sc->arn, USERS[gen_chance(r, 15) ? 2 : gen_below(r, 2)]);
    } else if (k < 65) {
        sc->kind = IG_PRINCIPAL_ROLE_SESSION;
        copy(sc->arn, sizeof sc->arn, SESSIONS[gen_chance(r, 20)]);
    } else if (k < 75) {
        sc->kind = IG_PRINCIPAL_FEDERATED_USER;
        copy(sc->arn, sizeof sc->arn, "arn:aws:sts::111111111111:federated-user/fed");
    } else if (k < 83) {
        sc->kind = IG_PRINCIPAL_ROOT;
        copy(sc->arn, sizeof sc->arn, "arn:aws:iam::111111111111:root");
    } else if (k < 91) {
        sc->kind = IG_PRINCIPAL_ANONYMOUS;
    } else {
        sc->kind = IG_PRINCIPAL_SERVICE;
        copy(sc->service, sizeof sc->service, PICK(r, SERVICES));
    }
    bool ids = sc->kind != IG_PRINCIPAL_ANONYMOUS && sc->kind != IG_PRINCIPAL_SERVICE;
    if (ids) {
        int n = 1 + (int)gen_below(r, 3);
        for (int i = 0; i < n; i++)
            add_policy(r, sc, IG_POLICY_IDENTITY, 0);
        if ((sc->kind == IG_PRINCIPAL_USER || sc->kind == IG_PRINCIPAL_ROLE_SESSION) && gen_chance(r, 25))
            add_policy(r, sc, IG_POLICY_BOUNDARY, 0);
        if ((sc->kind == IG_PRINCIPAL_ROLE_SESSION && gen_chance(r, 30)) ||
            (sc->kind == IG_PRINCIPAL_FEDERATED_USER && gen_chance(r, 60)))
            add_policy(r, sc, IG_POLICY_SESSION, 0);
    }
    if (gen_chance(r, ids ? 50 : 80))
        add_policy(r, sc, IG_POLICY_RESOURCE, 0);
    if (gen_chance(r, 30)) {
        int levels = 1 + (int)gen_below(r, 2);
        for (int l = 0; l < levels; l++)
            for (int i = 0, n = 1 + (int)gen_below(r, 2); i < n; i++)
                add_policy(r, sc, IG_POLICY_SCP, l);
    }
    if (gen_chance(r, 25)) {
        int levels = 1 + (int)gen_below(r, 2);
        for (int l = 0; l < levels; l++)
            for (int i = 0, n = 1 + (int)gen_below(r, 2); i < n; i++)
                add_policy(r, sc, IG_POLICY_RCP, l);
    }
}

void gen_request_random(gen_rng *r, const gen_scenario *sc, gen_request *rq)
{
    (void)sc;
    memset(rq, 0, sizeof *rq);
    copy(rq->action, sizeof rq->action, PICK(r, ACTIONS));
    vary_case(r, rq->action, 5);
    copy(rq->resource, sizeof rq->resource, PICK(r, RESOURCES));
    if (gen_chance(r, 10))
        copy(rq->resource_account, sizeof rq->resource_account,
             gen_chance(r, 50) ? "111111111111" : "222222222222");
    for (size_t i = 0; i < N(KEYS) && rq->nctx < GEN_MAX_CTX; i++) {
        const keydef *k = &KEYS[i];
        bool derived = !strncmp(k->key, "aws:Principal", 13) || !strcmp(k->key, "aws:username");
        if (!gen_chance(r, derived ? 8 : 35))
            continue;
        gen_ctx *c = &rq->ctx[rq->nctx++];
        copy(c->key, sizeof c->key, k->key);
        vary_case(r, c->key, 15);
        int nv = count_vals(k);
        if (k->kind == K_MULTI)
            c->nvals = (int)gen_below(r, 4);
        else
            c->nvals = gen_chance(r, 5) ? 0 : gen_chance(r, 10) ? 2 : 1;
        for (int j = 0; j < c->nvals; j++)
            copy(c->vals[j], sizeof c->vals[j], k->vals[gen_below(r, (unsigned)nv)]);
        c->list = c->nvals != 1 || gen_chance(r, 20);
    }
}
