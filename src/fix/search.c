/* search.c - the fix search.  Start from the scenario's policies; while an
 * obligation is unmet (a request without its expected outcome, a request
 * the analysis found against a claim, an escalation path), try the
 * candidate edits for it, each decided on every request again, and keep
 * the one that meets the most obligations and breaks none, cheapest
 * first.  When every request is as expected, run the analysis on the
 * patched policies: its counterexamples become new obligations, until it
 * proves every claim or no edit helps.  Finally drop every edit the result
 * does not need (replayed without it, everything still holds). */
#include <stdlib.h>
#include <string.h>

#include "analyze/seed.h"
#include "fix/fix_int.h"
#include "policy/policy.h"
#include "util/alloc.h"

#define NT IG_POLICY_TYPE_COUNT

static const char ALLOW_ALL[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

/* ---- setup ------------------------------------------------------------------ */

static bool is_editable(const chk_scenario *s, const chk_policy *p)
{
    return !p->from_template && p->file && p->text && (!s->file || strcmp(p->file, s->file));
}

static int setup(fx_search *x, ig_diag *diag)
{
    chk_scenario *s = x->s;
    size_t n = s->npolicies ? s->npolicies : 1;
    x->editable = ig_calloc(n, sizeof *x->editable);
    x->orig = ig_calloc(n * NT, sizeof *x->orig);
    x->orig_size = ig_calloc(n, sizeof *x->orig_size);
    x->orig_docs = ig_calloc(n, sizeof *x->orig_docs);
    for (int t = 0; t < NT; t++)
        x->used[t] = ig_calloc(n, sizeof *x->used[t]);
    x->allow_all = ig_policy_compile(ALLOW_ALL, strlen(ALLOW_ALL), IG_POLICY_IDENTITY, "allow everything",
                                     NULL, NULL);
    if (!x->editable || !x->orig || !x->orig_size || !x->orig_docs || !x->allow_all)
        return IG_E_NOMEM;
    for (int t = 0; t < NT; t++)
        if (!x->used[t])
            return IG_E_NOMEM;
    for (size_t i = 0; i < s->npolicies; i++) {
        const chk_policy *p = &s->policies[i];
        for (int t = 0; t < NT; t++) {
            x->orig[i * NT + t] = p->compiled[t];
            x->used[t][i] = p->compiled[t] != NULL;
        }
        if (!is_editable(s, p))
            continue;
        x->orig_size[i] = fx_policy_size(p->text, p->len);
        ig_diag d;
        if (fx_doc_parse(p->text, p->len, p->file, &x->orig_docs[i], &d) != IG_OK) {
            /* A policy this module cannot lay out again stays as it is. */
            if (d.code == IG_E_NOMEM) {
                *diag = d;
                return IG_E_NOMEM;
            }
            continue;
        }
        x->editable[i] = true;
    }
    return IG_OK;
}

static int initial_state(fx_search *x, fx_state *st)
{
    fx_state base;
    memset(&base, 0, sizeof base);
    base.docs = x->orig_docs;
    base.compiled = x->orig;
    return fx_state_clone(x, &base, st);
}

/* ---- analysis --------------------------------------------------------------- */

static long policy_named(const chk_scenario *s, const char *name)
{
    for (size_t i = 0; name && i < s->npolicies; i++)
        if (!strcmp(s->policies[i].name, name))
            return (long)i;
    return -1;
}

/* Run the analysis on state st; its counterexamples become probes.
 * *added counts new ones; t gets the verdicts. */
static int analyse(fx_search *x, fx_state *st, size_t *added, fx_tally *t)
{
    *added = 0;
    if (!x->o->ctx || !an_seed_applies(x->s))
        return IG_OK;
    int rc = fx_state_compile(x, st);
    if (rc == IG_OK)
        rc = fx_install(x, st);
    an_seed_outcome oc;
    memset(&oc, 0, sizeof oc);
    if (rc == IG_OK)
        rc = an_seed_evaluate(x->o->ctx, x->s, &oc);
    int rc2 = fx_install(x, NULL);
    if (rc == IG_OK)
        rc = rc2;
    if (rc != IG_OK) {
        an_seed_outcome_free(&oc);
        return rc;
    }
    t->analysed = true;
    t->aclaims = oc.nclaims;
    t->aheld = 0;
    for (size_t i = 0; i < oc.nclaims; i++)
        t->aheld += oc.claims[i].verdict == IG_VERDICT_PROVED;
    t->paths = oc.paths;
    /* alt numbers of this run, mapped to the search's */
    uint32_t map_from[256], map_to[256];
    size_t nmap = 0;
    for (size_t i = 0; i < oc.ncx; i++) {
        const an_seed_cx *cx = &oc.cx[i];
        fx_caller who = { .arn = cx->principal_arn, .allow_all = cx->allow_all, .boundary = -1, .session = -1 };
        bool ok = true;
        for (size_t k = 0; k < cx->nidentity && k < 9; k++) {
            long pi = policy_named(x->s, cx->identity[k]);
            ok &= pi >= 0;
            if (pi >= 0)
                who.ident[who.nident++] = (size_t)pi;
        }
        if (cx->boundary) {
            who.boundary = policy_named(x->s, cx->boundary);
            ok &= who.boundary >= 0;
        }
        if (!ok)
            continue;
        uint32_t alt = 0;
        size_t members = 0;
        for (size_t k = 0; k < oc.ncx; k++)
            members += oc.cx[k].alt == cx->alt;
        if (members > 1) {
            size_t m = 0;
            while (m < nmap && map_from[m] != cx->alt)
                m++;
            if (m == nmap && nmap < 256) {
                map_from[nmap] = cx->alt;
                map_to[nmap++] = ++x->next_alt;
            }
            alt = m < nmap ? map_to[m] : 0;
        }
        char label[1200], desc[900];
        an_request_describe(&cx->req, desc, sizeof desc);
        if (alt) {
            size_t nth = 1;
            for (size_t k = 0; k < i; k++)
                nth += oc.cx[k].alt == cx->alt;
            snprintf(label, sizeof label, "claim %s: escalation path, refused at any one of its %zu steps; "
                     "step %zu: %s", cx->claim, members, nth, desc);
        } else if (cx->must_allow) {
            snprintf(label, sizeof label, "claim %s: must be allowed: %s", cx->claim, desc);
        } else {
            snprintf(label, sizeof label, "claim %s: %s %s", cx->claim,
                     cx->explicit_deny ? "an explicit Deny must refuse" : "must be refused:", desc);
        }
        size_t before = x->nprobes;
        chk_expect e = cx->must_allow ? CHK_EXPECT_ALLOWED
                     : cx->explicit_deny ? CHK_EXPECT_EXPLICIT_DENY : CHK_EXPECT_DENIED;
        long at = fx_probe_add(x, &who, &cx->req.req, e, cx->must_allow ? 0 : alt, label);
        if (at < 0 && x->nprobes < FX_MAX_PROBES) {
            an_seed_outcome_free(&oc);
            return IG_E_NOMEM;
        }
        *added += x->nprobes > before;
    }
    an_seed_outcome_free(&oc);
    return IG_OK;
}

/* ---- tallies ----------------------------------------------------------------- */

static int tally(fx_search *x, fx_state *st, fx_tally *t)
{
    int rc = fx_state_compile(x, st);
    if (rc == IG_OK)
        rc = fx_install(x, st);
    chk_run run;
    if (rc == IG_OK && (rc = chk_run_scenario(x->s, &run)) == IG_OK) {
        t->requests = x->s->nreqs;
        t->met = run.passed;
        t->claims = x->s->nclaims;
        t->held = run.claims_held;
        chk_run_free(&run);
    }
    int rc2 = fx_install(x, NULL);
    return rc ? rc : rc2;
}

/* ---- one step ------------------------------------------------------------------ */

static size_t priority(const fx_probe *p)
{
    if (p->req >= 0 && p->expect == CHK_EXPECT_ALLOWED)
        return 0;
    /* Escalation paths last: fixing the analysis' single requests often
     * cuts them too (a narrower boundary leaves a role nothing to gain). */
    return p->req >= 0 ? 1 : p->alt ? 3 : 2;
}

static long next_unmet(fx_search *x, const bool *unmet)
{
    long best = -1;
    for (size_t i = 0; i < x->nprobes; i++) {
        if (!unmet[i] || x->probes[i].given_up)
            continue;
        if (best < 0 || priority(&x->probes[i]) < priority(&x->probes[best]))
            best = (long)i;
    }
    return best;
}

static void give_up(fx_search *x, size_t i, const char *why)
{
    fx_probe *f = &x->probes[i];
    for (size_t k = 0; k < x->nprobes; k++)
        if (k == i || (f->alt && x->probes[k].alt == f->alt))
            x->probes[k].given_up = true;
    fx_result *r = x->out;
    for (size_t k = 0; k < r->nunfixed; k++)
        if (r->unfixed[k].what && !strcmp(r->unfixed[k].what, f->label))
            return;
    fx_unfixed *n = ig_realloc(r->unfixed, (r->nunfixed + 1) * sizeof *n);
    if (!n)
        return;
    r->unfixed = n;
    n[r->nunfixed].what = ig_strdup(f->label);
    n[r->nunfixed].why = ig_strdup(why);
    r->nunfixed++;
}

static void why_not(fx_search *x, fx_state *st, size_t i, char *buf, size_t cap)
{
    const fx_probe *f = &x->probes[i];
    if (f->expect == CHK_EXPECT_ALLOWED && f->res.decision == IG_EXPLICIT_DENY) {
        const char *sid = NULL;
        for (uint32_t m = 0; m < f->res.nmatched && !sid; m++) {
            size_t pol;
            long si = fx_matched_stmt(x, st, &f->res.matched[m], &pol);
            if (si >= 0 && st->docs[pol].stmts[si].deny)
                sid = st->docs[pol].stmts[si].sid;
        }
        snprintf(buf, cap, "an explicit Deny (%s) refuses it, and fix never weakens a Deny",
                 sid ? sid : ig_layer_name(f->res.blocked_by) ? ig_layer_name(f->res.blocked_by) : "?");
    } else if (f->expect == CHK_EXPECT_ALLOWED && f->res.error) {
        snprintf(buf, cap, "the request cannot be evaluated: %s", f->res.error_msg);
    } else if (f->expect == CHK_EXPECT_ALLOWED) {
        const char *l = ig_layer_name(f->res.blocked_by);
        snprintf(buf, cap, "no policy fix may edit allows it: the %s layer refuses it and none of its "
                 "policies is a file the scenario names", l ? l : "deciding");
    } else {
        snprintf(buf, cap, "it is allowed only by policies fix may not edit (inline in the scenario, or "
                 "from a template)");
    }
}

/* Try the candidates for the obligation of probe i; true when one was kept. */
static int step(fx_search *x, fx_state *cur, size_t i, bool *kept)
{
    *kept = false;
    fx_cand *cv = NULL;
    size_t nc = 0;
    int rc = fx_candidates(x, cur, i, &cv, &nc);
    if (rc != IG_OK)
        goto out;
    size_t np = x->nprobes;
    bool *before = ig_calloc(np ? np : 1, sizeof *before);
    bool *after = ig_calloc(np ? np : 1, sizeof *after);
    if (!before || !after) {
        ig_free(before);
        ig_free(after);
        rc = IG_E_NOMEM;
        goto out;
    }
    size_t unmet0 = fx_unmet(x, before);
    long best = -1;
    size_t best_gain = 0;
    fx_state best_st;
    memset(&best_st, 0, sizeof best_st);
    char broke[1500] = "";
    for (size_t k = 0; k < nc; k++) {
        fx_state cand;
        x->candidates++;
        if ((rc = fx_state_clone(x, cur, &cand)) != IG_OK)
            break;
        if (!fx_edit_apply(x, &cand, &cv[k].e) || fx_eval_all(x, &cand) != IG_OK) {
            fx_state_free(x, &cand);
            continue;
        }
        /* Past a managed policy's size: only when nothing else will do. */
        if (cand.over_quota && !cur->over_quota) {
            cv[k].cost += 100;
            x->quota_hit = true;
        }
        size_t unmet1 = fx_unmet(x, after);
        bool ok = !after[i];
        for (size_t j = 0; ok && j < np; j++)
            if (!before[j] && after[j]) {
                ok = false;
                if (!broke[0])
                    snprintf(broke, sizeof broke, "the edits that would do it break other expectations: \"%s\" "
                             "makes %s fail", cv[k].e.what ? cv[k].e.what : "?", x->probes[j].label);
            }
        size_t gain = unmet0 > unmet1 ? unmet0 - unmet1 : 0;
        if (ok && (best < 0 || cv[k].cost < cv[best].cost || (cv[k].cost == cv[best].cost && gain > best_gain))) {
            fx_state_free(x, &best_st);
            best_st = cand;
            best = (long)k;
            best_gain = gain;
        } else {
            fx_state_free(x, &cand);
        }
    }
    /* The probes' last decisions must be the current state's again. */
    int rce = fx_eval_all(x, cur);
    if (rc == IG_OK)
        rc = rce;
    if (rc == IG_OK && best >= 0) {
        fx_state_free(x, cur);
        *cur = best_st;
        memset(&best_st, 0, sizeof best_st);
        bool *now = after;
        fx_eval_all(x, cur);
        fx_unmet(x, now);
        fx_edit *e = &cv[best].e;
        e->serves = ig_calloc(np, sizeof *e->serves);
        for (size_t j = 0; e->serves && j < np; j++)
            if (before[j] && !now[j] && (e->serves[e->nserves] = ig_strdup(x->probes[j].label)))
                e->nserves++;
        fx_result *r = x->out;
        fx_edit *ne = ig_realloc(r->edits, (r->nedits + 1) * sizeof *ne);
        if (!ne) {
            rc = IG_E_NOMEM;
        } else {
            r->edits = ne;
            ne[r->nedits++] = *e;
            memset(e, 0, sizeof *e);
            *kept = true;
        }
    } else if (rc == IG_OK) {
        char why[1600];
        if (nc && broke[0])
            snprintf(why, sizeof why, "%s", broke);
        else
            why_not(x, cur, i, why, sizeof why);
        give_up(x, i, why);
    }
    fx_state_free(x, &best_st);
    ig_free(before);
    ig_free(after);
out:
    for (size_t k = 0; k < nc; k++)
        fx_edit_free(&cv[k].e);
    ig_free(cv);
    return rc;
}

/* ---- dropping edits the result does not need --------------------------------- */

static int replay(fx_search *x, size_t skip, fx_state *st)
{
    int rc = initial_state(x, st);
    if (rc != IG_OK)
        return rc;
    for (size_t k = 0; k < x->out->nedits; k++)
        if (k != skip)
            fx_edit_apply(x, st, &x->out->edits[k]);
    return IG_OK;
}

static int minimise(fx_search *x, fx_state *cur, const fx_tally *goal)
{
    fx_result *r = x->out;
    for (size_t k = r->nedits; k-- > 0;) {
        fx_state st;
        int rc = replay(x, k, &st);
        if (rc != IG_OK)
            return rc;
        bool ok = fx_eval_all(x, &st) == IG_OK;
        for (size_t i = 0; ok && i < x->nprobes; i++)
            ok = x->probes[i].given_up || fx_obligation_met(x, i);
        if (ok && goal->analysed) {
            fx_tally t = *goal;
            size_t added;
            ok = analyse(x, &st, &added, &t) == IG_OK && t.aheld >= goal->aheld && t.paths <= goal->paths &&
                 !added;
        }
        if (!ok) {
            fx_state_free(x, &st);
            continue;
        }
        fx_state_free(x, cur);
        *cur = st;
        fx_edit_free(&r->edits[k]);
        memmove(&r->edits[k], &r->edits[k + 1], (r->nedits - k - 1) * sizeof *r->edits);
        r->nedits--;
    }
    return fx_eval_all(x, cur);
}

/* ---- what each kept edit is for -------------------------------------------------------- */

static bool first_of_alt(const fx_search *x, size_t i)
{
    for (size_t k = 0; x->probes[i].alt && k < i; k++)
        if (x->probes[k].alt == x->probes[i].alt)
            return false;
    return true;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ig_free(v[i]);
    ig_free(v);
}

static long doc_index(const fx_state *st, long ref)
{
    if (ref >= 0)
        return ref;
    size_t k = (size_t)(-ref - 1);
    return k < st->ninserted ? st->ins_doc[k] : -1;
}

/* The edits kept are described by the final policies: each serves the
 * obligations that fail when it alone is left out, and a narrowed
 * statement keeps the expected-allowed requests it allows in the end. */
static int describe(fx_search *x, fx_state *cur)
{
    fx_result *r = x->out;
    size_t np = x->nprobes;
    bool *fin = ig_calloc(np ? np : 1, sizeof *fin), *without = ig_calloc(np ? np : 1, sizeof *without);
    int rc = fin && without ? fx_eval_all(x, cur) : IG_E_NOMEM;
    if (rc == IG_OK)
        fx_unmet(x, fin);
    for (size_t k = 0; rc == IG_OK && k < r->nedits; k++) {
        fx_edit *e = &r->edits[k];
        fx_state st;
        if ((rc = replay(x, k, &st)) != IG_OK)
            break;
        rc = fx_eval_all(x, &st);
        fx_state_free(x, &st);
        if (rc == IG_E_LIMIT) {
            /* Without it a policy is past its size quota: it stays for
             * that, and for what it served when it was made. */
            rc = IG_OK;
            continue;
        }
        if (rc != IG_OK)
            break;
        fx_unmet(x, without);
        free_strs(e->serves, e->nserves);
        e->serves = ig_calloc(np + 1, sizeof *e->serves);
        e->nserves = 0;
        for (size_t i = 0; e->serves && i < np; i++) {
            if (fin[i] || !without[i] || !first_of_alt(x, i))
                continue;
            bool seen = false;          /* paths alike to their first step read as one */
            for (size_t q = 0; q < e->nserves; q++)
                seen |= !strcmp(e->serves[q], x->probes[i].label);
            if (!seen && (e->serves[e->nserves] = ig_strdup(x->probes[i].label)))
                e->nserves++;
        }
        if (e->serves && !e->nserves &&
            (e->serves[0] = ig_strdup("the analysis: without it, a claim of the analysis is refuted again")))
            e->nserves = 1;
    }
    if (rc == IG_OK)
        rc = fx_eval_all(x, cur);
    for (size_t k = 0; rc == IG_OK && k < r->nedits; k++) {
        fx_edit *e = &r->edits[k];
        if (e->kind != FX_NARROW_RESOURCE && e->kind != FX_ADD_CONDITION && e->kind != FX_TIGHTEN_CONDITION)
            continue;
        long d = doc_index(cur, e->stmt);
        if (d < 0)
            continue;
        size_t need[1024];
        size_t n = fx_needed_by(x, cur, e->pol, d, need, 1024);
        free_strs(e->keeps, e->nkeeps);
        e->keeps = ig_calloc(n + 1, sizeof *e->keeps);
        e->nkeeps = 0;
        for (size_t i = 0; e->keeps && i < n; i++) {
            const char *l = x->probes[need[i]].label;
            if (!strncmp(l, "request ", 8))
                l += 8;
            if ((e->keeps[e->nkeeps] = ig_strdup(l)))
                e->nkeeps++;
        }
        if (e->kind == FX_NARROW_RESOURCE && e->stmt >= 0 && (size_t)e->stmt < x->orig_docs[e->pol].nstmts) {
            const fx_stmt *o = &x->orig_docs[e->pol].stmts[e->stmt];
            char was[2048] = "", now[4096] = "";
            size_t at = 0;
            for (size_t i = 0; i < o->nresources && at < sizeof was; i++)
                at += (size_t)snprintf(was + at, sizeof was - at, "%s%s", i ? ", " : "", o->resources[i]);
            at = 0;
            for (size_t i = 0; i < e->nres && at < sizeof now; i++)
                at += (size_t)snprintf(now + at, sizeof now - at, "%s%s", i ? ", " : "", e->res[i]);
            const char *f = x->s->policies[e->pol].file;
            const char *slash = f ? strrchr(f, '/') : NULL;
            char what[6400];
            snprintf(what, sizeof what, "%s: narrow the Resource of %s to %s (was %s)", slash ? slash + 1 : f,
                     e->sid ? e->sid : "?", now, was);
            ig_free(e->what);
            e->what = ig_strdup(what);
        }
    }
    ig_free(fin);
    ig_free(without);
    return rc;
}

/* ---- the result's files ------------------------------------------------------------ */

static int files(fx_search *x, fx_state *st)
{
    fx_result *r = x->out;
    size_t n = 0;
    for (size_t i = 0; i < x->s->npolicies; i++)
        n += x->editable[i];
    r->files = ig_calloc(n ? n : 1, sizeof *r->files);
    if (!r->files)
        return IG_E_NOMEM;
    for (size_t i = 0; i < x->s->npolicies; i++) {
        if (!x->editable[i])
            continue;
        const chk_policy *p = &x->s->policies[i];
        fx_file *f = &r->files[r->nfiles++];
        f->pol = i;
        f->name = p->name;
        f->file = p->file;
        f->before = ig_malloc(p->len + 1);
        f->after = fx_doc_render(&st->docs[i], &f->alen);
        if (!f->before || !f->after)
            return IG_E_NOMEM;
        memcpy(f->before, p->text, p->len);
        f->before[p->len] = '\0';
        f->blen = p->len;
        f->changed = f->alen != f->blen || memcmp(f->before, f->after, f->blen);
        size_t size = fx_policy_size(f->after, f->alen);
        if (f->changed && x->orig_size[i] <= FX_MANAGED_MAX && size > FX_MANAGED_MAX) {
            char w[600];
            snprintf(w, sizeof w, "%s is %zu characters (white space not counted), past the 6,144 of a "
                     "managed policy: deploy it as two managed policies, or as an inline policy (10,240 for "
                     "a role)", p->file, size);
            char **nw = ig_realloc(r->warnings, (r->nwarnings + 1) * sizeof *nw);
            if (!nw)
                return IG_E_NOMEM;
            r->warnings = nw;
            if ((nw[r->nwarnings] = ig_strdup(w)))
                r->nwarnings++;
        }
    }
    return IG_OK;
}

/* ---- the search ---------------------------------------------------------------------- */

static void search_free(fx_search *x)
{
    for (size_t i = 0; i < x->nprobes; i++)
        fx_probe_free(&x->probes[i]);
    ig_free(x->probes);
    for (size_t i = 0; i < x->ncallers; i++) {
        ig_env_free(x->callers[i].env);
        ig_free((char *)x->callers[i].arn);
        ig_free((char *)x->callers[i].account);
    }
    ig_free(x->callers);
    if (x->orig_docs && x->editable)
        for (size_t i = 0; i < x->s->npolicies; i++)
            if (x->editable[i])
                fx_doc_free(&x->orig_docs[i]);
    ig_free(x->orig_docs);
    ig_free(x->orig);
    ig_free(x->orig_size);
    ig_free(x->editable);
    for (int t = 0; t < NT; t++)
        ig_free(x->used[t]);
    ig_policy_free(x->allow_all);
}

/* Meet obligations one by one, then ask the analysis, until it proves
 * every claim, finds nothing new, or the rounds run out. */
static int search_loop(fx_search *x, fx_state *cur, fx_tally *last)
{
    int rc = IG_OK;
    size_t added = 0;
    for (size_t round = 0; rc == IG_OK && round < FX_MAX_ROUNDS; round++) {
        if ((rc = fx_eval_all(x, cur)) != IG_OK)
            break;
        bool *unmet = ig_calloc(x->nprobes ? x->nprobes : 1, sizeof *unmet);
        if (!unmet)
            return IG_E_NOMEM;
        fx_unmet(x, unmet);
        long i = next_unmet(x, unmet);
        ig_free(unmet);
        if (i >= 0) {
            bool kept;
            rc = step(x, cur, (size_t)i, &kept);
            continue;
        }
        /* Every request as expected: does the analysis agree? */
        if ((rc = analyse(x, cur, &added, last)) != IG_OK || !last->analysed)
            break;
        x->out->rounds++;
        if ((last->aheld == last->aclaims && !last->paths) || !added)
            break;
    }
    return rc;
}

int fx_run(chk_scenario *s, const fx_options *o, fx_result *out, ig_diag *diag)
{
    memset(out, 0, sizeof *out);
    fx_search x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.o = o;
    x.out = out;
    fx_state cur;
    memset(&cur, 0, sizeof cur);
    int rc = setup(&x, diag);
    if (rc == IG_OK)
        rc = fx_probes_from_scenario(&x);
    if (rc == IG_OK)
        rc = initial_state(&x, &cur);
    if (rc == IG_OK)
        rc = tally(&x, &cur, &out->before);
    size_t added = 0;
    if (rc == IG_OK)
        rc = analyse(&x, &cur, &added, &out->before);
    fx_tally last = out->before;
    x.quota_hit = false;
    rc = rc == IG_OK ? search_loop(&x, &cur, &last) : rc;
    if (rc == IG_OK && out->nedits)
        rc = minimise(&x, &cur, &last);
    /* Given up because a policy had no room left: the edits minimise
     * dropped may have made room, so try what was given up once more. */
    if (rc == IG_OK && x.quota_hit && out->nunfixed) {
        for (size_t i = 0; i < x.nprobes; i++)
            x.probes[i].given_up = false;
        for (size_t i = 0; i < out->nunfixed; i++) {
            ig_free(out->unfixed[i].what);
            ig_free(out->unfixed[i].why);
        }
        out->nunfixed = 0;
        x.quota_hit = false;
        rc = search_loop(&x, &cur, &last);
        if (rc == IG_OK && out->nedits)
            rc = minimise(&x, &cur, &last);
    }
    if (rc == IG_OK && out->nedits)
        rc = describe(&x, &cur);
    if (rc == IG_OK)
        rc = tally(&x, &cur, &out->after);
    if (rc == IG_OK)
        rc = analyse(&x, &cur, &added, &out->after);
    if (rc == IG_OK && out->after.analysed && (out->after.aheld < out->after.aclaims || out->after.paths)) {
        char why[300];
        snprintf(why, sizeof why, "%zu of %zu claims of the analysis still refuted, %zu escalation path%s: the "
                 "requests they rest on are listed above", out->after.aclaims - out->after.aheld,
                 out->after.aclaims, out->after.paths, out->after.paths == 1 ? "" : "s");
        fx_unfixed *n = ig_realloc(out->unfixed, (out->nunfixed + 1) * sizeof *n);
        if (n) {
            out->unfixed = n;
            n[out->nunfixed].what = ig_strdup("the analysis");
            n[out->nunfixed].why = ig_strdup(why);
            out->nunfixed++;
        }
    }
    if (rc == IG_OK)
        rc = files(&x, &cur);
    out->evaluations = x.evaluations;
    out->candidates = x.candidates;
    out->complete = rc == IG_OK && out->after.met == out->after.requests && out->after.held == out->after.claims &&
                    (!out->after.analysed || (out->after.aheld == out->after.aclaims && !out->after.paths));
    fx_install(&x, NULL);
    fx_state_free(&x, &cur);
    search_free(&x);
    if (rc != IG_OK && diag && rc != IG_E_INPUT)
        ig_diag_set(diag, rc, NULL, NULL, 0, 0, "fix: out of memory or a bound reached");
    else if (rc == IG_E_INPUT && diag)
        ig_diag_set(diag, rc, NULL, NULL, 0, 0, "fix: an edit produced a policy that does not compile");
    return rc;
}

void fx_result_free(fx_result *r)
{
    for (size_t i = 0; i < r->nedits; i++)
        fx_edit_free(&r->edits[i]);
    ig_free(r->edits);
    for (size_t i = 0; i < r->nunfixed; i++) {
        ig_free(r->unfixed[i].what);
        ig_free(r->unfixed[i].why);
    }
    ig_free(r->unfixed);
    for (size_t i = 0; i < r->nwarnings; i++)
        ig_free(r->warnings[i]);
    ig_free(r->warnings);
    for (size_t i = 0; i < r->nfiles; i++) {
        ig_free(r->files[i].before);
        free(r->files[i].after);
        ig_free(r->files[i].written);
    }
    ig_free(r->files);
    memset(r, 0, sizeof *r);
}
