/* seed_report.c - the analysis section of `iamguard check` for a scenario
 * of the seed's shape: the effective permissions of the developer and of
 * every role Amplify creates, every escalation path from the developer, and
 * a verdict per claim of the seed document with its evidence.  Every
 * summary and note is computed from the facts of the policies at hand
 * (seed.c), so that a repaired policy set gets no sentence about a flaw it
 * no longer has. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyze/report.h"
#include "analyze/seed_int.h"
#include "util/alloc.h"

typedef struct {
    an_ctx *c;
    seed_facts *F;
    FILE *f;                    /* text, or NULL */
    json_writer *w;             /* JSON, or NULL */
} out;

typedef struct {
    const char *id;
    const char *claim;          /* the seed's words (refined where stated) */
    const char *source;         /* where it says so */
} claim;

static void claim_head(out *o, const claim *cl, ig_verdict v, const char *summary)
{
    if (o->f) {
        fprintf(o->f, "\n  %s  %s: %s\n", v == IG_VERDICT_PROVED ? "holds  " : v == IG_VERDICT_REFUTED
                                        ? "refuted" : "unknown", cl->id, cl->claim);
        fprintf(o->f, "      seed: %s\n      %s\n", cl->source, summary);
    } else {
        jw_object_begin(o->w);
        jw_kstring(o->w, "id", cl->id);
        jw_kstring(o->w, "claim", cl->claim);
        jw_kstring(o->w, "source", cl->source);
        jw_kstring(o->w, "verdict", v == IG_VERDICT_PROVED ? "holds" : ig_verdict_name(v));
        jw_kstring(o->w, "summary", summary);
        jw_key(o->w, "evidence");
        jw_array_begin(o->w);
    }
}

static void claim_end(out *o)
{
    if (o->w) {
        jw_array_end(o->w);
        jw_object_end(o->w);
    }
}

static void evidence(out *o, const an_check *r, const char *question)
{
    if (o->f) {
        char *buf = NULL;
        size_t n = 0;
        FILE *m = open_memstream(&buf, &n);
        if (!m)
            return;
        an_check_text(m, o->c, r, question);
        fclose(m);
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(o->f, "      %s\n", line);
        free(buf);
    } else {
        an_check_json(o->w, r, question);
    }
}

static void note(out *o, const char *fmt, ...)
{
    char text[2400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (o->f) {
        fprintf(o->f, "      note: %s\n", text);
    } else {
        jw_object_begin(o->w);
        jw_kstring(o->w, "note", text);
        jw_object_end(o->w);
    }
}

/* Append to a list in words ("a, b, c"). */
static void add_item(char *buf, size_t cap, const char *item)
{
    size_t l = strlen(buf);
    if (l < cap)
        snprintf(buf + l, cap - l, "%s%s", l ? ", " : "", item);
}

static uint32_t action_id(const an_ctx *c, const char *name)
{
    uint32_t id = ig_catalog_action_find(c->cat, name, strlen(name));
    return id == IG_CATALOG_NONE ? UINT32_MAX : id;
}

/* "iam:UpdateAssumeRolePolicy", as the catalog spells it. */
static void action_name(const an_ctx *c, uint32_t id, char *buf, size_t cap)
{
    ig_catalog_action a;
    if (ig_catalog_action_get(c->cat, id, &a))
        snprintf(buf, cap, "%s:%s", a.service, a.name);
    else
        snprintf(buf, cap, "%s", c->names[id]);
}

/* Items in words: "a", "a and b", "a, b and c". */
static void join_words(const char *const *items, size_t n, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < cap; i++) {
        int w = snprintf(buf + o, cap - o, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", items[i]);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* ---- boundary-caps-to-healthimaging --------------------------------------------- */

/* The actions `wide` allows beyond `narrow`: none of it, or on more
 * resources (decided per group, as escalation gains are). */
static void beyond_list(an_ctx *c, const an_effective *wide, const an_effective *narrow, char *buf,
                        size_t cap, unsigned *count)
{
    ig_arena A;
    ig_arena_init(&A);
    *count = 0;
    buf[0] = '\0';
    for (uint32_t gi = 0; gi < wide->ngroups; gi++) {
        const an_group *grp = &wide->groups[gi];
        for (uint32_t i = 0; i < grp->nactions; i++) {
            uint32_t act = grp->actions[i];
            const an_group *sg = an_effective_find(narrow, act);
            bool more = !sg;
            if (sg) {
                const lang_expr *k2[2] = { grp->any_expr, lang_e_not(&A, sg->any_expr) };
                more = an_search(c, lang_e_nary(&A, LE_AND, k2, 2), grp->star_only, NULL, 0) != LANG_EMPTY;
            }
            if (!more)
                continue;
            if (++*count <= 12) {
                char item[300], nm[200];
                action_name(c, act, nm, sizeof nm);
                snprintf(item, sizeof item, "%s%s", nm, sg ? " (on more resources)" : "");
                add_item(buf, cap, item);
            }
        }
    }
    if (*count > 12) {
        char more[64];
        snprintf(more, sizeof more, "and %u more", *count - 12);
        add_item(buf, cap, more);
    }
    ig_arena_free(&A);
}

static int claim_cap(out *o)
{
    static const claim cl = {
        "boundary-caps-to-healthimaging",
        "A role whose own policy allows everything, under the boundary, can do medical-imaging:* and, "
        "beyond it, only what the deployment's own Amplify roles are given.",
        "IAM Strategy: \"if the permissions boundary allows medical-imaging:*, and the role policy allows *.*, "
        "the effective permissions of the role becomes medical-imaging:*\" (refined: Amplify's own custom "
        "resources run under the boundary, so no boundary with which Amplify deploys allows exactly "
        "medical-imaging:*)" };
    seed_facts *F = o->F;
    an_check literal;
    int rc = an_check_no_new_access(o->c, F->hi, F->capped, NULL, &literal);
    if (rc != IG_OK)
        return rc;
    an_effective capped, needed;
    if ((rc = an_effective_compute(o->c, F->capped, NULL, &capped)) != IG_OK)
        return rc;
    if ((rc = an_effective_compute(o->c, F->needed, NULL, &needed)) != IG_OK) {
        an_effective_free(&capped);
        return rc;
    }
    uint32_t hi_n = 0;
    char services[400] = "";
    for (uint32_t g = 0; g < capped.ngroups; g++)
        for (uint32_t i = 0; i < capped.groups[g].nactions; i++) {
            const char *name = o->c->names[capped.groups[g].actions[i]];
            if (!strncmp(name, "medical-imaging:", 16)) {
                hi_n++;
                continue;
            }
            char svc[64];
            snprintf(svc, sizeof svc, "%.*s", (int)(strchr(name, ':') - name), name);
            char pat[80];
            snprintf(pat, sizeof pat, ", %s,", svc);
            char padded[420];
            snprintf(padded, sizeof padded, ", %s,", services);
            if (!strstr(padded, pat))
                add_item(services, sizeof services, svc);
        }
    char summary[800];
    if (capped.nallowed == hi_n)
        snprintf(summary, sizeof summary, "the boundary lets through %u actions, all of medical-imaging", hi_n);
    else
        snprintf(summary, sizeof summary, "the boundary lets through %u actions: the %u of medical-imaging and "
                 "%u more (%s)", capped.nallowed, hi_n, capped.nallowed - hi_n, services);
    ig_verdict v = F->v[SC_CAP];
    claim_head(o, &cl, v, summary);
    evidence(o, &F->cap_more, "a role with a policy allowing everything, under the boundary, can do nothing "
                              "beyond medical-imaging:* and what the deployment's Amplify roles are given");
    evidence(o, &F->cap_less, "... and everything medical-imaging:* allows");
    evidence(o, &literal, "(the seed's words, literally) ... and nothing beyond medical-imaging:*");
    if (F->cap_more.verdict == IG_VERDICT_REFUTED) {
        char list[1600];
        unsigned n;
        beyond_list(o->c, &capped, &needed, list, sizeof list, &n);
        if (n)
            note(o, "beyond medical-imaging:* and what the Amplify roles are given, the boundary lets a role do "
                    "%u action%s: %s", n, n == 1 ? "" : "s", list);
    }
    if (literal.verdict == IG_VERDICT_REFUTED && capped.nallowed > hi_n)
        note(o, "literally, the boundary lets %u actions beyond medical-imaging:* through%s", capped.nallowed - hi_n,
             F->cap_more.verdict == IG_VERDICT_PROVED
                 ? ", each only as far as the deployment's own Amplify roles are given it" : "");
    claim_end(o);
    an_effective_free(&capped);
    an_effective_free(&needed);
    return IG_OK;
}

/* ---- boundary-required-on-create ------------------------------------------------- */

static const char *cx_value(const an_request *r, const char *key)
{
    for (size_t i = 0; i < r->nctx; i++)
        if (!strcasecmp(r->keys[i], key) && !r->absent[i])
            return r->vals[i];
    return NULL;
}

static int claim_attach(out *o)
{
    static const claim cl = {
        "boundary-required-on-create",
        "The developer can create a role, or give one permissions, only with the boundary attached.",
        "IAM Strategy: \"we grant iam:CreateRole, iam:AttachRolePolicy, etc. with the condition that the "
        "iam:PermissionsBoundary has to match our permissions boundary ARN\"" };
    seed_facts *F = o->F;
    ig_verdict v = F->v[SC_ATTACH];
    char summary[600];
    if (v == IG_VERDICT_PROVED)
        snprintf(summary, sizeof summary, "no request of these calls is allowed without a boundary, and every "
                 "boundary allowed is a policy named " SEED_BOUNDARY " -- in this account only the boundary itself");
    else {
        char which[300] = "";
        if (F->at_absent.verdict == IG_VERDICT_REFUTED)
            add_item(which, sizeof which, "without a boundary");
        if (F->at_named.verdict == IG_VERDICT_REFUTED)
            add_item(which, sizeof which, "with a boundary of another name");
        if (F->at_same.verdict == IG_VERDICT_REFUTED)
            add_item(which, sizeof which, "with another policy of this account as boundary");
        if (which[0])
            snprintf(summary, sizeof summary, "some of these calls are allowed %s: see the counterexamples", which);
        else
            snprintf(summary, sizeof summary, "not decided: see the evidence");
    }
    claim_head(o, &cl, v, summary);
    const char *q = "the developer can call iam:CreateRole, PutRolePolicy, AttachRolePolicy, CreateUser, "
                    "PutUserPolicy, AttachUserPolicy, Put{Role,User}PermissionsBoundary";
    char buf[600];
    snprintf(buf, sizeof buf, "%s only with iam:PermissionsBoundary present", q);
    evidence(o, &F->at_absent, buf);
    snprintf(buf, sizeof buf, "%s only with a boundary named " SEED_BOUNDARY, q);
    evidence(o, &F->at_named, buf);
    snprintf(buf, sizeof buf, "%s with no other policy of account " SEED_ACCT " as boundary", q);
    evidence(o, &F->at_same, buf);
    snprintf(buf, sizeof buf, "%s with no boundary other than " SEED_BOUNDARY_ARN, q);
    evidence(o, &F->at_any, buf);
    if (F->at_any.verdict == IG_VERDICT_REFUTED && F->at_named.verdict == IG_VERDICT_PROVED &&
        F->at_same.verdict == IG_VERDICT_PROVED) {
        const char *val = cx_value(&F->at_any.cx, "iam:PermissionsBoundary");
        note(o, "a boundary other than the one ARN is accepted (the counterexample above: %s), but only a policy "
                "named " SEED_BOUNDARY " outside this account (proved above). IAM takes as boundary only a policy "
                "that exists in this account or an AWS managed one, and AWS manages no policy of that name, so "
                "this is no way around the boundary; a condition with the one ARN (ArnEquals) would say exactly "
                "what is meant", val ? val : "another ARN");
    }
    /* Which of these calls the developer's policies grant at all. */
    char granted[400] = "", not_granted[600] = "";
    an_effective e;
    uint64_t *filter = ig_calloc(o->c->words, sizeof *filter);
    const char *bad;
    if (!filter)
        return IG_E_NOMEM;
    an_action_filter(o->c, SEED_ATTACH_ACTS, 8, filter, &bad);
    int rc = an_effective_compute(o->c, F->dev_env, filter, &e);
    ig_free(filter);
    if (rc != IG_OK)
        return rc;
    for (size_t i = 0; i < 8; i++) {
        uint32_t id = action_id(o->c, SEED_ATTACH_ACTS[i]);
        add_item(id != UINT32_MAX && an_effective_find(&e, id) ? granted : not_granted,
                 id != UINT32_MAX && an_effective_find(&e, id) ? sizeof granted : sizeof not_granted,
                 SEED_ATTACH_ACTS[i]);
    }
    an_effective_free(&e);
    if (not_granted[0])
        note(o, "of these calls the developer's policies grant %s%s; %s %s not granted at all (no statement "
                "allows %s)", granted[0] ? "only " : "none", granted, not_granted,
             strchr(not_granted, ',') ? "are" : "is", strchr(not_granted, ',') ? "them" : "it");
    claim_end(o);
    return IG_OK;
}

/* ---- boundary-cannot-be-removed ------------------------------------------------------ */

static int claim_remove(out *o)
{
    static const claim cl = {
        "boundary-cannot-be-removed",
        "The developer cannot remove or replace a role's boundary, nor change the boundary policy.",
        "IAM Strategy: \"To prevent users from updating, detaching, or removing the permissions boundary\"; "
        "Deny Permissions Boundary Deletion; Deny Policy Change" };
    seed_facts *F = o->F;
    ig_verdict v = F->v[SC_REMOVE];
    claim_head(o, &cl, v, v == IG_VERDICT_PROVED
        ? "no request of the calls that remove, replace or rewrite a boundary is allowed, on any resource"
        : v == IG_VERDICT_REFUTED ? "some request of the calls that remove, replace or rewrite a boundary is "
                                    "allowed: see the counterexample"
        : "not decided: see the evidence");
    evidence(o, &F->rm_role, "the developer can delete or put no permissions boundary of any role or user");
    evidence(o, &F->rm_pol, "the developer can create, select or delete no policy version, delete no policy "
                            "and detach no policy");
    claim_end(o);
    return IG_OK;
}

/* ---- removal-explicitly-denied ------------------------------------------------------ */

/* Why no Deny of the developer's policies refuses a counterexample of
 * `action`, from the statements themselves. */
static void deny_note(out *o, const char *action, const an_request *cx)
{
    seed_facts *F = o->F;
    const chk_principal *d = &F->s->principals[F->sdev];
    uint32_t id = action_id(o->c, action);
    char said[1600] = "";
    unsigned named = 0;
    for (size_t i = 0; id != UINT32_MAX && i < d->nidentity; i++) {
        const ig_policy *p = seed_policy(F->a, F->s, F->s->policies[d->identity[i]].name, IG_POLICY_IDENTITY);
        const an_pol *ap = p ? an_policy(o->c, p) : NULL;
        for (uint32_t k = 0; ap && k < ap->nstmts; k++) {
            const an_stmt *st = &ap->stmts[k];
            if (!st->deny || !an_bit(st->acts, id))
                continue;
            named++;
            char ref[512], item[900];
            an_stmt_ref(st, ref, sizeof ref);
            bool on_policy = !st->res_expr ||
                lang_expr_matches(st->res_expr, SEED_BOUNDARY_ARN, strlen(SEED_BOUNDARY_ARN), false);
            bool on_cx = !st->res_expr ||
                lang_expr_matches(st->res_expr, cx->resource, strlen(cx->resource), !strcmp(cx->resource, "*"));
            if (on_policy && !on_cx)
                snprintf(item, sizeof item, "%.300s denies %s on the boundary policy's ARN, but %s is authorized on "
                         "the role's ARN (the policy comes as iam:PolicyARN), so it never applies", ref, action, action);
            else if (!on_cx)
                snprintf(item, sizeof item, "%.300s denies %s, but not on %.400s (its Resource)", ref, action,
                         cx->resource);
            else
                snprintf(item, sizeof item, "%.300s denies %s, but its Condition does not hold for the counterexample",
                         ref, action);
            add_item(said, sizeof said, item);
        }
    }
    if (!named)
        note(o, "no Deny of the developer's policies names %s", action);
    else
        note(o, "%s", said);
}

static int claim_denies(out *o)
{
    static const claim cl = {
        "removal-explicitly-denied",
        "Explicit denies refuse removing, detaching or replacing the boundary, whatever else is granted.",
        "IAM Strategy: \"we set explicit denys for iam:DeleteRolePermissionsBoundary, iam:DetachRolePolicy, "
        "etc.\"" };
    seed_facts *F = o->F;
    ig_verdict v = F->v[SC_DENIES];
    const an_check *r[3] = { &F->dn_detach, &F->dn_replace, &F->dn_del };
    static const char *const what[3] = { "detaching", "replacing", "deleting" };
    const char *denied[3], *open_[3], *unknown[3];
    size_t nd = 0, no = 0, nu = 0;
    for (int i = 0; i < 3; i++) {
        if (r[i]->verdict == IG_VERDICT_PROVED)
            denied[nd++] = what[i];
        else if (r[i]->verdict == IG_VERDICT_REFUTED)
            open_[no++] = what[i];
        else
            unknown[nu++] = what[i];
    }
    char summary[800], dw[200], ow[200], uw[200];
    join_words(denied, nd, dw, sizeof dw);
    join_words(open_, no, ow, sizeof ow);
    join_words(unknown, nu, uw, sizeof uw);
    if (v == IG_VERDICT_PROVED)
        snprintf(summary, sizeof summary, "the denies refuse every such request on their own");
    else
        snprintf(summary, sizeof summary, "%s%s%s%s%s%s%s%s%s%s%s", dw, nd ? " the boundary" : "",
                 nd ? (nd == 1 ? " is" : " are") : "",
                 nd ? " denied explicitly" : "", nd && (no || nu) ? "; " : "", ow,
                 no ? (nd ? " it" : " the boundary") : "",
                 no ? (no == 1 ? " is refused only because nothing allows it, so a later broader grant would let "
                                 "it through"
                               : " are refused only because nothing allows them, so a later broader grant would "
                                 "let them through") : "",
                 no && nu ? "; " : "", nu ? "not decided: " : "", uw);
    claim_head(o, &cl, v, summary);
    evidence(o, &F->dn_detach, "with the developer policy plus a grant of everything, iam:DetachRolePolicy of "
                               "the boundary policy from a role is still refused");
    evidence(o, &F->dn_replace, "... iam:PutRolePermissionsBoundary with another policy of the account as "
                                "boundary is still refused");
    evidence(o, &F->dn_del, "... iam:DeleteRolePermissionsBoundary on a role that carries the boundary is still "
                            "refused");
    if (F->dn_detach.verdict == IG_VERDICT_REFUTED)
        deny_note(o, "iam:DetachRolePolicy", &F->dn_detach.cx);
    if (F->dn_replace.verdict == IG_VERDICT_REFUTED)
        deny_note(o, "iam:PutRolePermissionsBoundary", &F->dn_replace.cx);
    if (F->dn_del.verdict == IG_VERDICT_REFUTED)
        deny_note(o, "iam:DeleteRolePermissionsBoundary", &F->dn_del.cx);
    claim_end(o);
    return IG_OK;
}

/* ---- no-way-around-the-boundary ---------------------------------------------------- */

static int claim_escalation(out *o)
{
    static const claim cl = {
        "no-way-around-the-boundary",
        "Code the developer deploys runs only with roles that carry the boundary: the developer cannot "
        "get past it.",
        "IAM Strategy (the purpose of enforcing the boundary on Amplify-created roles)" };
    seed_facts *F = o->F;
    es_graph *g = &F->g;
    const es_result *r = &F->r;
    char summary[1600];
    if (F->beyond) {
        char first[1200] = "";
        es_node_text(g, (uint32_t)F->first_beyond, first, sizeof first);
        snprintf(summary, sizeof summary,
                 "%u state%s reachable from the developer %s not capped by the boundary, e.g. %s -- see the "
                 "escalation paths above (each step a request the evaluator allows; the \"assumes\" lines say "
                 "what must exist in the account)", F->beyond, F->beyond == 1 ? "" : "s",
                 F->beyond == 1 ? "is" : "are", first);
    } else if (F->v[SC_ESCALATION] == IG_VERDICT_UNKNOWN) {
        snprintf(summary, sizeof summary, "no state reachable from the developer was found beyond the boundary, "
                 "but the analysis reached a bound (see the escalation section)");
    } else {
        snprintf(summary, sizeof summary, "every principal state the developer can reach (%u) is capped by "
                 "the boundary", F->capped_states);
    }
    claim_head(o, &cl, F->v[SC_ESCALATION], summary);
    if (F->beyond) {
        /* The requests the paths rest on, once each. */
        char list[2000] = "";
        const char *seen[16];
        unsigned nseen = 0, more = 0;
        long path[256];
        for (size_t i = 0; i < r->nn; i++) {
            if (r->held[i] < 0 || i == r->start || !seed_state_beyond(F, (uint32_t)i))
                continue;
            size_t n = es_path(r, r->held[i], path, 256);
            for (size_t j = 0; j < n; j++) {
                const es_rec *x = &r->recs[path[j]];
                if (x->kind != ES_R_BECOME && x->kind != ES_R_MODIFY)
                    continue;
                uint32_t actor = r->recs[x->actor].node;
                const es_edge *e = &g->nodes[actor].edges[x->edge];
                for (uint32_t s = 0; s < e->nsteps; s++) {
                    bool dup = false;
                    for (unsigned k = 0; k < nseen; k++)
                        dup |= seen[k] == e->steps[s].call;
                    if (dup)
                        continue;
                    if (nseen == 16) {
                        more++;
                        continue;
                    }
                    seen[nseen++] = e->steps[s].call;
                    char item[1600];
                    snprintf(item, sizeof item, "%.*s (as %s)", (int)e->steps[s].desc_len, e->steps[s].call,
                             g->a->p[g->nodes[actor].key.p].name);
                    add_item(list, sizeof list, item);
                }
            }
        }
        if (more) {
            char m[64];
            snprintf(m, sizeof m, "and %u more", more);
            add_item(list, sizeof list, m);
        }
        if (list[0])
            note(o, "the paths rest on these requests, each allowed by the policies at hand: %s", list);
    }
    claim_end(o);
    return IG_OK;
}

/* ---- the report ---------------------------------------------------------------------- */

static int effective_of(out *o, long i, const char *title)
{
    ig_env *env = i < 0 ? NULL : ig_account_env(o->F->a, (size_t)i, NULL);
    if (!env)
        return IG_E_NOMEM;
    an_effective e;
    int rc = an_effective_compute(o->c, env, NULL, &e);
    if (rc == IG_OK) {
        if (o->f) {
            fprintf(o->f, "\n");
            an_effective_text(o->f, o->c, &e, title);
        } else {
            an_effective_json(o->w, o->c, &e);
        }
        an_effective_free(&e);
    }
    ig_env_free(env);
    return rc;
}

int an_seed_report_counted(an_ctx *c, const chk_scenario *s, FILE *f, json_writer *w, size_t *not_held)
{
    seed_facts *F = ig_calloc(1, sizeof *F);
    if (!F)
        return IG_E_NOMEM;
    out o = { c, F, f, w };
    int rc = seed_facts_compute(c, s, F);
    if (rc != IG_OK)
        goto done;
    if (f) {
        if (s->builtin)
            fprintf(f, "analysis (iamguard effective, escalate and the access checks on the seed's policies)\n");
        else
            fprintf(f, "analysis (iamguard effective, escalate and the access checks on the policies of scenario %s)\n",
                    s->name ? s->name : s->file);
        fprintf(f, "  model: the developer role and the roles Amplify creates for environment dev, with the "
                   "boundary; one deployment, not a whole account\n");
    } else {
        jw_key(w, "analysis");
        jw_object_begin(w);
        jw_key(w, "effective");
        jw_array_begin(w);
    }
    if ((rc = effective_of(&o, o.F->dev, "effective permissions of the developer:")))
        goto done;
    for (size_t i = 0; i < SEED_NROLES; i++)
        if ((rc = effective_of(&o, seed_role(F->a, i), "effective permissions of the Amplify role")))
            goto done;
    if (f) {
        fprintf(f, "\n");
        es_report_text(f, &F->g, &F->r, false);
        fprintf(f, "\nclaims of the seed document (deployment-security.md)\n");
    } else {
        jw_array_end(w);
        jw_key(w, "escalation");
        es_report_json(w, &F->g, &F->r, false);
        jw_key(w, "claims");
        jw_array_begin(w);
    }
    if ((rc = claim_cap(&o)) || (rc = claim_attach(&o)) || (rc = claim_remove(&o)) ||
        (rc = claim_denies(&o)) || (rc = claim_escalation(&o)))
        goto done;
    if (w) {
        jw_array_end(w);
        jw_object_end(w);
    }
    if (not_held) {
        *not_held = 0;
        for (size_t i = 0; i < AN_SEED_CLAIMS; i++)
            *not_held += F->v[i] != IG_VERDICT_PROVED;
    }
done:
    seed_facts_free(F);
    ig_free(F);
    return rc;
}

int an_seed_report_of(an_ctx *c, const chk_scenario *s, FILE *f, json_writer *w)
{
    return an_seed_report_counted(c, s, f, w, NULL);
}

int an_seed_report(an_ctx *c, FILE *f, json_writer *w)
{
    chk_scenario *s;
    chk_options opt;
    memset(&opt, 0, sizeof opt);
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = chk_load_builtin("imaging-viewer/scenario.yml", &opt, &s, &d);
    if (rc != IG_OK)
        return rc;
    rc = an_seed_report_of(c, s, f, w);
    chk_free(s);
    return rc;
}
