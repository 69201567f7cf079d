/* print.c - a compiled policy back to canonical JSON.
 *
 * Every element is printed as an array and keys come in grammar order, so
 * two policies that mean the same print the same.  Values are the texts the
 * policy was written with; re-compiling the output gives the same
 * decisions (tested over the managed-policy corpus). */
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "policy/policy_int.h"

static void print_principal(json_writer *w, const ig_stmt *st)
{
    jw_key(w, st->principal_mode == ELEM_NOT ? "NotPrincipal" : "Principal");
    if (st->principal_bare_star) {
        jw_string(w, "*");
        return;
    }
    static const char *const kinds[] = { "AWS", "Service", "Federated", "CanonicalUser" };
    jw_object_begin(w);
    for (size_t k = 0; k < 4; k++) {
        bool any = false;
        for (uint32_t i = 0; i < st->nprincipals; i++) {
            const ig_princ *pe = &st->principals[i];
            if (!pe->map_key || strcmp(pe->map_key, kinds[k]))
                continue;
            if (!any) {
                jw_key(w, kinds[k]);
                jw_array_begin(w);
                any = true;
            }
            jw_string(w, pe->raw);
        }
        if (any)
            jw_array_end(w);
    }
    jw_object_end(w);
}

/* Group conditions by operator (as written), preserving first appearance. */
static void print_conditions(json_writer *w, const ig_stmt *st)
{
    jw_key(w, "Condition");
    jw_object_begin(w);
    for (uint32_t i = 0; i < st->nconds; i++) {
        const ig_cond *cd = &st->conds[i];
        bool seen = false;
        for (uint32_t j = 0; j < i && !seen; j++)
            seen = strcmp(st->conds[j].op_raw, cd->op_raw) == 0;
        if (seen)
            continue;
        jw_key(w, cd->op_raw);
        jw_object_begin(w);
        for (uint32_t j = i; j < st->nconds; j++) {
            const ig_cond *ck = &st->conds[j];
            if (strcmp(ck->op_raw, cd->op_raw))
                continue;
            jw_key(w, ck->key_orig);
            jw_array_begin(w);
            for (uint32_t v = 0; v < ck->nvals; v++)
                jw_string_n(w, ck->vals[v].raw, ck->vals[v].raw_len);
            jw_array_end(w);
        }
        jw_object_end(w);
    }
    jw_object_end(w);
}

char *ig_policy_to_json(const ig_policy *p, bool pretty)
{
    json_buf b;
    json_writer w;
    json_buf_init(&b);
    jw_init(&w, &b, pretty);
    jw_object_begin(&w);
    if (p->has_version) {
        jw_kstring(&w, "Version", p->version_2012 ? "2012-10-17" : "2008-10-17");
    }
    if (p->policy_id_elem) {
        jw_kstring(&w, "Id", p->policy_id_elem);
    }
    jw_key(&w, "Statement");
    jw_array_begin(&w);
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        jw_object_begin(&w);
        if (st->sid) {
            jw_kstring(&w, "Sid", st->sid);
        }
        jw_kstring(&w, "Effect", st->deny ? "Deny" : "Allow");
        if (st->principal_mode != ELEM_NONE)
            print_principal(&w, st);
        jw_key(&w, st->action_mode == ELEM_NOT ? "NotAction" : "Action");
        jw_array_begin(&w);
        for (uint32_t i = 0; i < st->nactions; i++)
            jw_string_n(&w, st->actions[i].raw, st->actions[i].raw_len);
        jw_array_end(&w);
        if (st->resource_mode != ELEM_NONE) {
            jw_key(&w, st->resource_mode == ELEM_NOT ? "NotResource" : "Resource");
            jw_array_begin(&w);
            for (uint32_t i = 0; i < st->nresources; i++)
                jw_string_n(&w, st->resources[i].raw, st->resources[i].raw_len);
            jw_array_end(&w);
        }
        if (st->nconds)
            print_conditions(&w, st);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    if (b.failed) {
        json_buf_free(&b);
        return NULL;
    }
    json_buf_append(&b, "", 1);     /* NUL terminator */
    if (b.failed) {
        json_buf_free(&b);
        return NULL;
    }
    return b.data;
}
