/* explain.c - why a request got its decision, in words a reader who never
 * saw IAM JSON can follow: which statements decided it (with file:line:col),
 * or, when nothing applied, which statement came closest and what would
 * have to change for the outcome the scenario expects. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check/check_int.h"
#include "check/probe.h"

typedef struct {
    const chk_scenario *s;
    const chk_request *r;
    const chk_principal *pr;
    probe_who who;
    chk_outcome *o;
} ectx;

static void appendf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

static const chk_policy *policy_of(const chk_scenario *s, const ig_policy *p)
{
    for (size_t i = 0; i < s->npolicies; i++)
        for (int t = 0; t < IG_POLICY_TYPE_COUNT; t++)
            if (s->policies[i].compiled[t] == p)
                return &s->policies[i];
    return NULL;
}

static void statement_pos(const chk_policy *p, const json_value *st, unsigned *line, unsigned *col)
{
    *line = *col = 0;
    if (st && p->text)
        json_line_col(p->text, p->len, st->start, line, col);
}

static chk_note *add_note(ectx *x, const chk_policy *p, uint32_t index, bool applies,
                          const probe_info *pi)
{
    chk_outcome *o = x->o;
    if (o->nnotes >= CHK_MAX_NOTES)
        return NULL;
    chk_note *n = &o->notes[o->nnotes++];
    memset(n, 0, sizeof *n);
    const json_value *st = chk_statement(p->doc, index);
    const json_value *sid = st ? json_get(st, "Sid") : NULL;
    const json_value *eff = st ? json_get(st, "Effect") : NULL;
    n->policy = p;
    n->index = index;
    n->sid = sid && sid->kind == JSON_STRING ? sid->u.str : NULL;
    n->deny = eff && eff->kind == JSON_STRING && !strcmp(eff->u.str, "Deny");
    n->applies = applies;
    statement_pos(p, st, &n->line, &n->column);
    if (pi && st)
        chk_describe(&x->r->req, st, pi, n->detail, sizeof n->detail);
    return n;
}

/* "Sid (file:line:col)" */
static void label(const chk_note *n, char *buf, size_t cap)
{
    char sid[200];
    if (n->sid)
        snprintf(sid, sizeof sid, "%s", n->sid);
    else
        snprintf(sid, sizeof sid, "statement %u of %s", n->index + 1, n->policy->name);
    snprintf(buf, cap, "%s (%s:%u:%u)", sid, n->policy->file ? n->policy->file : "?", n->line, n->column);
}

/* The decision's own statements: every applicable Allow, or every Deny. */
static void note_matched(ectx *x, bool analyze)
{
    const ig_result *res = &x->o->res;
    for (uint32_t i = 0; i < res->nmatched; i++) {
        const chk_policy *p = policy_of(x->s, res->matched[i].policy);
        if (!p)
            continue;
        probe_info pi;
        if (analyze)
            probe_analyze(&x->who, p->doc, chk_statement(p->doc, res->matched[i].index), &x->r->req, &pi);
        add_note(x, p, res->matched[i].index, true, analyze ? &pi : NULL);
    }
}

/* The policies of a layer, as indexes into s->policies. */
static size_t layer_policies(const ectx *x, ig_layer l, size_t *out, size_t cap)
{
    size_t n = 0;
    switch (l) {
    case IG_LAYER_IDENTITY:
        for (size_t i = 0; i < x->pr->nidentity && n < cap; i++)
            out[n++] = x->pr->identity[i];
        break;
    case IG_LAYER_BOUNDARY:
        if (x->pr->boundary >= 0) out[n++] = (size_t)x->pr->boundary;
        break;
    case IG_LAYER_SESSION:
        if (x->pr->session >= 0) out[n++] = (size_t)x->pr->session;
        break;
    case IG_LAYER_RESOURCE:
        if (x->r->resource_policy >= 0) out[n++] = (size_t)x->r->resource_policy;
        break;
    default:
        break;
    }
    return n;
}

static void names_of(const ectx *x, const size_t *idx, size_t n, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        appendf(buf, cap, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", x->s->policies[idx[i]].name);
}

typedef struct {
    size_t policy;
    uint32_t index;
    probe_info pi;
} candidate;

/* How close a candidate is: kinds first; among statements that only lack
 * the action, those naming the most similar action of the same service
 * (ones sharing nothing of the name do not count as close). */
static int closeness(const probe_info *pi)
{
    if (pi->kind == NEAR_APPLIES || pi->kind == NEAR_ACTION)
        return 0;
    if (pi->kind == NEAR_OTHER_ACTION)
        return pi->similarity >= 3 ? 100 + (pi->similarity > 99 ? 99 : pi->similarity) : 0;
    return (int)pi->kind * 1000;
}

/* Statements of the given effect in the given policies, closest first
 * (a failing condition before a resource that does not match before a
 * missing action); up to `max` of the closest are added as notes.  Returns
 * their kind (NEAR_ACTION when none is close). */
static near_kind closest(ectx *x, const size_t *pols, size_t npols, bool deny, int max,
                         candidate *top)
{
    candidate best[4];
    int nbest = 0, best_score = 0;
    for (size_t k = 0; k < npols; k++) {
        const chk_policy *p = &x->s->policies[pols[k]];
        for (uint32_t i = 0;; i++) {
            const json_value *st = chk_statement(p->doc, i);
            if (!st)
                break;
            const json_value *eff = json_get(st, "Effect");
            bool is_deny = eff && eff->kind == JSON_STRING && !strcmp(eff->u.str, "Deny");
            if (is_deny != deny)
                continue;
            candidate c = { pols[k], i, { 0 } };
            probe_analyze(&x->who, p->doc, st, &x->r->req, &c.pi);
            int score = closeness(&c.pi);
            if (score == 0 || score < best_score)
                continue;
            if (score > best_score) {
                best_score = score;
                nbest = 0;
            }
            if (nbest < max && nbest < 4)
                best[nbest++] = c;
        }
    }
    for (int i = 0; i < nbest; i++)
        add_note(x, &x->s->policies[best[i].policy], best[i].index, false, &best[i].pi);
    if (nbest)
        *top = best[0];
    return nbest ? best[0].pi.kind : NEAR_ACTION;
}

static const char *sid_or_statement(const chk_note *n, char *buf, size_t cap)
{
    if (n->sid)
        snprintf(buf, cap, "%s", n->sid);
    else
        snprintf(buf, cap, "statement %u of %s", n->index + 1, n->policy->name);
    return buf;
}

/* "; the closest is X (pos): detail" for the notes from `first` on. */
static void closest_words(ectx *x, unsigned first, const char *what)
{
    chk_outcome *o = x->o;
    for (unsigned i = first; i < o->nnotes; i++) {
        char lab[600];
        label(&o->notes[i], lab, sizeof lab);
        appendf(o->why, sizeof o->why, "%s %s: %s", i == first ? what : "; also", lab, o->notes[i].detail);
    }
}

static void fix_from_closest(ectx *x, unsigned first, near_kind kind, const candidate *top, bool deny,
                             const char *fallback)
{
    chk_outcome *o = x->o;
    const ig_request *rq = &x->r->req;
    if (first >= o->nnotes || kind == NEAR_ACTION) {
        appendf(o->fix, sizeof o->fix, "%s", fallback);
        return;
    }
    char sid[200];
    sid_or_statement(&o->notes[first], sid, sizeof sid);
    if (kind == NEAR_CONDITION) {
        const json_value *st = chk_statement(x->s->policies[top->policy].doc, top->index);
        const json_value *cond = st ? json_get(st, "Condition") : NULL;
        if (cond && top->pi.cond_op >= 0) {
            const json_member *op = &cond->u.members[top->pi.cond_op];
            const json_member *k = &op->value.u.members[top->pi.cond_key];
            char list[300];
            chk_element_text(&k->value, list, sizeof list);
            appendf(o->fix, sizeof o->fix, "%s would %s it if the request's %s satisfied %s %s (or if that condition changed)",
                    sid, deny ? "deny" : "allow", k->key, op->key, list);
        } else {
            appendf(o->fix, sizeof o->fix, "%s would %s it if its Condition held for this request",
                    sid, deny ? "deny" : "allow");
        }
    }
    else if (kind == NEAR_OTHER_ACTION)
        appendf(o->fix, sizeof o->fix, "%s would %s it if its Action also listed %s",
                sid, deny ? "deny" : "allow", rq->action);
    else
        appendf(o->fix, sizeof o->fix, "%s would %s it if its Resource also covered %s",
                sid, deny ? "deny" : "allow", rq->resource);
}

static void explain_allowed(ectx *x)
{
    chk_outcome *o = x->o;
    note_matched(x, !o->met);
    char ids[400] = "", bnd[400] = "";
    for (unsigned i = 0; i < o->nnotes; i++) {
        char sid[200];
        sid_or_statement(&o->notes[i], sid, sizeof sid);
        bool in_boundary = x->pr->boundary >= 0 && o->notes[i].policy == &x->s->policies[x->pr->boundary];
        char *dst = in_boundary ? bnd : ids;
        appendf(dst, 400, "%s%s", dst[0] ? ", " : "", sid);
    }
    appendf(o->why, sizeof o->why, "allowed by %s", ids[0] ? ids : "a resource policy");
    if (x->pr->boundary >= 0)
        appendf(o->why, sizeof o->why, ", and the permissions boundary %s allows it too (%s)",
                x->s->policies[x->pr->boundary].name, bnd[0] ? bnd : "?");
    if (o->met)
        return;
    if (x->r->expect == CHK_EXPECT_EXPLICIT_DENY) {
        appendf(o->fix, sizeof o->fix, "a Deny statement covering %s on %s would have to be added",
                x->r->req.action, x->r->req.resource);
        return;
    }
    appendf(o->fix, sizeof o->fix, "to refuse it, %s would have to stop covering it (a narrower Action or Resource, or a Condition)",
            ids[0] ? ids : "the resource policy");
    if (bnd[0])
        appendf(o->fix, sizeof o->fix, ", or the boundary's %s would", bnd);
    appendf(o->fix, sizeof o->fix, "; or a Deny statement would have to cover it");
}

static void explain_explicit(ectx *x)
{
    chk_outcome *o = x->o;
    note_matched(x, !o->met);
    char ids[400] = "";
    for (unsigned i = 0; i < o->nnotes; i++) {
        char sid[200];
        appendf(ids, sizeof ids, "%s%s", i ? ", " : "", sid_or_statement(&o->notes[i], sid, sizeof sid));
    }
    appendf(o->why, sizeof o->why, "denied explicitly by %s of %s", ids,
            o->nnotes ? o->notes[0].policy->name : "?");
    if (!o->met)
        appendf(o->fix, sizeof o->fix, "%s would have to stop matching this request (a narrower Action, Resource or Condition)",
                ids);
}

static void explain_implicit(ectx *x)
{
    chk_outcome *o = x->o;
    const chk_request *r = x->r;
    const ig_request *rq = &r->req;
    size_t pols[72];
    size_t n = layer_policies(x, o->res.blocked_by, pols, 72);
    char names[600];
    names_of(x, pols, n, names, sizeof names);
    if (o->res.error) {
        appendf(o->why, sizeof o->why, "the request could not be evaluated (%s), so it counts as denied",
                o->res.error_msg);
        return;
    }
    switch (o->res.blocked_by) {
    case IG_LAYER_IDENTITY:
        if (n)
            appendf(o->why, sizeof o->why, "no statement of %s allows it", names);
        else
            appendf(o->why, sizeof o->why, "principal %s has no policies that could allow it", x->pr->name);
        break;
    case IG_LAYER_BOUNDARY:
    case IG_LAYER_SESSION: {
        char idn[600];
        names_of(x, x->pr->identity, x->pr->nidentity, idn, sizeof idn);
        appendf(o->why, sizeof o->why, "%s allow%s it, but the %s %s does not", idn,
                x->pr->nidentity == 1 ? "s" : "",
                o->res.blocked_by == IG_LAYER_BOUNDARY ? "permissions boundary" : "session policy", names);
        break;
    }
    case IG_LAYER_RESOURCE:
        appendf(o->why, sizeof o->why,
                "it needs a resource policy that allows the caller (for %s: %s), and none does",
                rq->action, n ? names : "a role's trust policy, a key policy, or the policy of a resource in another account");
        break;
    default:
        appendf(o->why, sizeof o->why, "the %s level does not allow it", ig_layer_name(o->res.blocked_by));
        break;
    }
    if (o->met) {
        /* The evidence for a refusal: the statement that came closest to
         * allowing it, and what kept it from applying. */
        candidate top = { 0, 0, { 0 } };
        unsigned first = o->nnotes;
        if (n)
            closest(x, pols, n, false, 1, &top);
        closest_words(x, first, "; the closest is");
        return;
    }
    if (r->expect == CHK_EXPECT_EXPLICIT_DENY) {
        size_t all[72];
        size_t na = 0;
        for (size_t i = 0; i < x->pr->nidentity && na < 70; i++)
            all[na++] = x->pr->identity[i];
        if (x->pr->boundary >= 0) all[na++] = (size_t)x->pr->boundary;
        if (x->pr->session >= 0) all[na++] = (size_t)x->pr->session;
        appendf(o->why, sizeof o->why, "; no Deny statement applies: it is refused only because nothing allows it, so a later Allow would open it");
        unsigned first = o->nnotes;
        candidate top = { 0, 0, { 0 } };
        near_kind k = closest(x, all, na, true, 2, &top);
        closest_words(x, first, "; the closest Deny is");
        char fb[600];
        snprintf(fb, sizeof fb, "a Deny statement covering %s on %s would have to be added", rq->action, rq->resource);
        fix_from_closest(x, first, k, &top, true, fb);
        return;
    }
    /* Expected allowed. */
    unsigned first = o->nnotes;
    if (o->res.blocked_by == IG_LAYER_BOUNDARY || o->res.blocked_by == IG_LAYER_SESSION) {
        /* Show that the role's own policy does allow it. */
        for (size_t i = 0; i < x->pr->nidentity; i++) {
            const chk_policy *p = &x->s->policies[x->pr->identity[i]];
            for (uint32_t k = 0; o->nnotes < 3; k++) {
                const json_value *st = chk_statement(p->doc, k);
                if (!st)
                    break;
                probe_info pi;
                probe_analyze(&x->who, p->doc, st, rq, &pi);
                if (pi.kind == NEAR_APPLIES)
                    add_note(x, p, k, true, &pi);
            }
        }
        first = o->nnotes;
    }
    candidate top = { 0, 0, { 0 } };
    near_kind k = n ? closest(x, pols, n, false, 3, &top) : NEAR_ACTION;
    closest_words(x, first, "; the closest is");
    char fb[700];
    if (o->res.blocked_by == IG_LAYER_RESOURCE)
        snprintf(fb, sizeof fb, "a resource policy allowing %s for %s would be needed", rq->action, x->pr->arn);
    else
        snprintf(fb, sizeof fb, "no statement of %s mentions %s; one allowing it on %s would have to be added",
                 n ? names : "the principal's policies", rq->action, rq->resource);
    fix_from_closest(x, first, k, &top, false, fb);
}

void chk_explain(const chk_scenario *s, const chk_request *r, chk_outcome *o)
{
    ectx x = { s, r, &s->principals[r->principal], { NULL, NULL }, o };
    x.who.arn = x.pr->arn;
    x.who.account = x.pr->account;
    o->nnotes = 0;
    o->why[0] = o->fix[0] = '\0';
    switch (o->res.decision) {
    case IG_ALLOWED: explain_allowed(&x); break;
    case IG_EXPLICIT_DENY: explain_explicit(&x); break;
    default: explain_implicit(&x); break;
    }
}
