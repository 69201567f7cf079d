/* doc_tool.c - drives the editable policy document of `iamguard fix`
 * (src/fix/fix_doc.h) over real policies for tests/fix/doc.sh.
 *
 *   doc_tool roundtrip FILE...
 *       every policy (a *.json file, or each "document" of a *.jsonl
 *       corpus line) that ig_policy_compile accepts is read and rendered
 *       back byte for byte, and so is its clone; files that are not
 *       policies are skipped (and must not crash the reader).
 *   doc_tool edits OUTDIR SEED EVERY FILE...
 *       random edits (narrow resources, add a condition or an action, add
 *       a Deny statement, remove an action or a statement, change an
 *       operator or values, set a Sid) on every policy; the result must
 *       compile as the original did, read back to exactly the edited
 *       fields, and keep every unedited statement's bytes.  Each pair is
 *       written as OUTDIR/N/{policy.json,want.json,fix.diff} for patch(1);
 *       of a *.jsonl corpus, every EVERY-th policy (patch takes a process
 *       each).
 * Prints a summary line; exit 1 on the first failure, 2 on bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fix/fix_doc.h"
#include "util/file.h"

static unsigned long long rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return n ? (unsigned)((rng_state >> 33) % n) : 0;
}

static int failures;
static void failf(const char *name, const char *what)
{
    fprintf(stderr, "FAIL: %s: %s\n", name, what);
    failures++;
}

/* The type the policy compiles as: identity, else resource. -1: none. */
static int policy_type(const char *t, size_t n)
{
    static const ig_policy_type types[] = { IG_POLICY_IDENTITY, IG_POLICY_RESOURCE };
    for (size_t i = 0; i < 2; i++) {
        ig_policy *p = ig_policy_compile(t, n, types[i], "p", "p", NULL);
        if (p) {
            ig_policy_free(p);
            return (int)types[i];
        }
    }
    return -1;
}

typedef void (*policy_fn)(const char *name, const char *text, size_t len, void *arg);

/* Each policy of a file: the file itself, or each line's "document". */
static unsigned long every = 1;         /* of the lines of a corpus */

static void each_policy(const char *path, policy_fn fn, void *arg)
{
    size_t len;
    const char *err;
    char *text = ig_read_file(path, IG_MAX_FILE, &len, &err);
    if (!text) {
        failf(path, err);
        return;
    }
    size_t pl = strlen(path);
    if (pl < 6 || strcmp(path + pl - 6, ".jsonl")) {
        fn(path, text, len, arg);
        free(text);
        return;
    }
    size_t lineno = 0;
    for (char *line = text; line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        size_t ll = nl ? (size_t)(nl - line) : (size_t)(text + len - line);
        lineno++;
        json_doc *jd = json_parse(line, ll, NULL, NULL);
        const json_value *doc = jd ? json_get(json_root(jd), "document") : NULL;
        const json_value *nm = jd ? json_get(json_root(jd), "name") : NULL;
        if (doc && (lineno - 1) % every == 0) {
            char name[512];
            snprintf(name, sizeof name, "%s:%zu:%s", path, lineno,
                     nm && nm->kind == JSON_STRING ? nm->u.str : "");
            fn(name, line + doc->start, doc->end - doc->start, arg);
        }
        json_doc_free(jd);
        line += ll + 1;
    }
    free(text);
}

/* ---- roundtrip ---- */

typedef struct {
    size_t policies, skipped;
} rt_stats;

static void roundtrip_one(const char *name, const char *text, size_t len, void *arg)
{
    rt_stats *st = arg;
    fx_doc d, c;
    ig_diag diag;
    int compiles = policy_type(text, len);
    if (fx_doc_parse(text, len, name, &d, &diag) != IG_OK) {
        if (compiles >= 0) {
            char buf[700];
            failf(name, ig_diag_format(&diag, buf, sizeof buf));
        }
        st->skipped++;
        return;
    }
    if (compiles < 0) {
        /* Read, yet not a policy (a scenario with a "Statement"?): its
         * text must still come back as it was. */
        st->skipped++;
    } else {
        st->policies++;
    }
    size_t n1 = 0, n2 = 0;
    char *r1 = fx_doc_render(&d, &n1);
    if (fx_doc_clone(&d, &c) != IG_OK) {
        failf(name, "clone failed");
    } else {
        fx_doc_free(&d);                /* the clone owns all it needs */
        char *r2 = fx_doc_render(&c, &n2);
        if (!r2 || n2 != len || memcmp(r2, text, len))
            failf(name, "the clone does not render as the original");
        free(r2);
        fx_doc_free(&c);
    }
    if (!r1 || n1 != len || memcmp(r1, text, len))
        failf(name, "rendered text differs from the original");
    free(r1);
}

/* ---- edits ---- */

typedef struct {
    const char *outdir;
    size_t pairs, edits, skipped;
} ed_stats;

static const char *const RES[] = { "arn:aws:s3:::amplify-*-deployment/*",
                                   "arn:aws:iam::*:role/amplify-*-authRole",
                                   "arn:aws:lambda:*:*:function:amplify-*" };
static const char *const SVC[] = { "lambda.amazonaws.com", "ec2.amazonaws.com" };
static const char *const ENV[] = { "dev" };

static void edit_once(fx_doc *d, const char *name)
{
    size_t kept = 0;
    for (size_t i = 0; i < d->nstmts; i++)
        kept += !d->stmts[i].removed;
    fx_stmt *s = d->nstmts ? &d->stmts[rnd((unsigned)d->nstmts)] : NULL;
    int rc = IG_OK;
    switch (s && !s->removed ? rnd(9) : 3) {
    case 0:
        rc = fx_stmt_set_resources(s, RES, 1 + rnd(3));
        break;
    case 1:
        rc = rnd(2) ? fx_stmt_add_cond(s, "StringEquals", "iam:PassedToService", SVC, 1 + rnd(2))
                    : fx_stmt_add_cond(s, "StringEquals", "aws:ResourceTag/env", ENV, 1);
        break;
    case 2:
        rc = fx_stmt_add_action(s, rnd(2) ? "iam:GetRole" : "s3:GetObject");
        break;
    case 3: {
        fx_stmt *n;
        rc = fx_doc_insert_stmt(d, rnd((unsigned)d->nstmts + 1), &n);
        if (rc == IG_OK) {
            n->deny = true;
            rc = fx_stmt_add_action(n, "iam:DetachRolePolicy");
            if (rc == IG_OK && rnd(2))
                rc = fx_stmt_add_action(n, "iam:DeleteRolePermissionsBoundary");
            if (rc == IG_OK)
                rc = fx_stmt_set_resources(n, RES + 1, 1);
            if (rc == IG_OK && rnd(2))
                rc = fx_stmt_add_cond(n, "ArnEquals", "iam:PolicyARN", RES, 1);
            if (rc == IG_OK && rnd(2))
                rc = fx_stmt_set_sid(n, "DenyBoundaryRemoval");
            /* A resource policy's statements need a principal. */
            for (size_t i = 0; i < d->nstmts; i++)
                if (d->stmts[i].principal && &d->stmts[i] != n)
                    n->principal = d->stmts[i].principal;
        }
        break;
    }
    case 4:
        if (s->nactions > 1)
            rc = fx_stmt_remove_action(s, rnd((unsigned)s->nactions));
        break;
    case 5:
        if (kept > 1) {
            s->removed = true;
            s->changed = true;
        }
        break;
    case 6:
        for (size_t i = 0; i < s->nconds && rc == IG_OK; i++) {
            if (!strcmp(s->conds[i].op, "ArnLike"))
                rc = fx_stmt_set_cond_op(s, i, "ArnEquals");
            else if (!strcmp(s->conds[i].op, "StringLike"))
                rc = fx_stmt_set_cond_op(s, i, "StringEquals");
            /* The same key under the new operator already: refused. */
            if (rc == IG_E_INPUT)
                rc = IG_OK;
        }
        break;
    case 7:
        if (s->nconds) {
            size_t i = rnd((unsigned)s->nconds);
            rc = fx_stmt_set_cond_values(s, i, (const char *const *)s->conds[i].values, 1);
        }
        break;
    default:
        rc = fx_stmt_set_sid(s, rnd(2) ? "Edited" : NULL);
        break;
    }
    if (rc != IG_OK)
        failf(name, "an edit failed");
}

static bool same_strv(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]))
            return false;
    return true;
}

/* The edited fields, as read back from the rendered text. */
static const char *compare(const fx_doc *want, const fx_doc *got, const char *text)
{
    size_t g = 0;
    for (size_t i = 0; i < want->nstmts; i++) {
        const fx_stmt *w = &want->stmts[i];
        if (w->removed)
            continue;
        if (g >= got->nstmts)
            return "fewer statements than edited";
        const fx_stmt *s = &got->stmts[g++];
        if ((w->sid == NULL) != (s->sid == NULL) || (w->sid && strcmp(w->sid, s->sid)))
            return "Sid";
        if (w->deny != s->deny || w->not_action != s->not_action ||
            w->has_resource != s->has_resource || w->not_resource != s->not_resource ||
            w->not_principal != s->not_principal)
            return "Effect or element names";
        if (!same_strv(w->actions, w->nactions, s->actions, s->nactions))
            return "Action";
        if (!same_strv(w->resources, w->nresources, s->resources, s->nresources))
            return "Resource";
        if ((w->principal == NULL) != (s->principal == NULL) ||
            (w->principal && strcmp(w->principal, s->principal)))
            return "Principal";
        if ((w->nactions == 1 && w->action_scalar) != (s->nactions == 1 && s->action_scalar))
            return "Action written as a string / an array";
        if (w->nconds != s->nconds) {
            /* Entries of one operator are written together. */
            return "number of condition entries";
        }
        for (size_t k = 0; k < w->nconds; k++) {
            /* Grouping by operator may reorder entries: find it. */
            const fx_cond *wc = &w->conds[k], *sc = NULL;
            for (size_t j = 0; j < s->nconds && !sc; j++)
                if (!strcmp(s->conds[j].op, wc->op) && !strcmp(s->conds[j].key, wc->key))
                    sc = &s->conds[j];
            if (!sc || !same_strv(wc->values, wc->nvalues, sc->values, sc->nvalues))
                return "Condition";
            for (size_t j = 0; j < wc->nvalues; j++)
                if ((wc->literal && wc->literal[j]) != (sc->literal && sc->literal[j]))
                    return "a condition value's quoting";
        }
        /* An unedited statement: its bytes exactly (but a lone statement
         * that became one of an array is written again, a level deeper). */
        if (w->end && !w->changed && !want->statement_scalar &&
            (w->end - w->start != s->end - s->start ||
             memcmp(want->text + w->start, text + s->start, w->end - w->start)))
            return "an unedited statement's text changed";
    }
    return g == got->nstmts ? NULL : "more statements than edited";
}

static bool write_file(const char *dir, const char *name, const char *t, size_t n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(t, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

static void edits_one(const char *name, const char *text, size_t len, void *arg)
{
    ed_stats *st = arg;
    int type = policy_type(text, len);
    fx_doc d, back;
    if (type < 0 || fx_doc_parse(text, len, name, &d, NULL) != IG_OK) {
        st->skipped++;
        return;
    }
    /* The search edits clones; so does this. */
    fx_doc c;
    if (fx_doc_clone(&d, &c) != IG_OK) {
        failf(name, "clone failed");
        fx_doc_free(&d);
        return;
    }
    fx_doc_free(&d);
    unsigned n = 1 + rnd(3);
    for (unsigned i = 0; i < n; i++)
        edit_once(&c, name);
    st->edits += n;
    size_t rl;
    char *out = fx_doc_render(&c, &rl);
    ig_diag diag;
    char buf[700];
    ig_policy *p = fx_doc_compile(&c, (ig_policy_type)type, "p", &diag);
    if (!p) {
        failf(name, ig_diag_format(&diag, buf, sizeof buf));
        fprintf(stderr, "%.*s\n", (int)rl, out);
    }
    ig_policy_free(p);
    if (fx_doc_parse(out, rl, name, &back, &diag) != IG_OK) {
        failf(name, ig_diag_format(&diag, buf, sizeof buf));
    } else {
        const char *why = compare(&c, &back, out);
        if (why) {
            failf(name, why);
            fprintf(stderr, "%.*s\n", (int)rl, out);
        }
        fx_doc_free(&back);
    }
    /* The pair and its diff, for patch(1). */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%zu", st->outdir, st->pairs++);
    json_buf diff;
    json_buf_init(&diff);
    size_t changed = fx_unified_diff("policy.json", text, len, out, rl, &diff);
    if (diff.failed || (changed == 0) != (rl == len && !memcmp(out, text, len)))
        failf(name, "diff");
    char count[32];
    int cl = snprintf(count, sizeof count, "%zu\n", changed);
    if (mkdir(dir, 0755) || !write_file(dir, "policy.json", text, len) ||
        !write_file(dir, "want.json", out, rl) ||
        !write_file(dir, "fix.diff", diff.data ? diff.data : "", diff.len) ||
        !write_file(dir, "changed", count, (size_t)cl))
        failf(dir, "cannot write");
    json_buf_free(&diff);
    free(out);
    fx_doc_free(&c);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "roundtrip")) {
        rt_stats st = { 0, 0 };
        for (int i = 2; i < argc; i++)
            each_policy(argv[i], roundtrip_one, &st);
        printf("roundtrip: %zu policies byte for byte, %zu other files, %d failures\n",
               st.policies, st.skipped, failures);
        return failures ? 1 : 0;
    }
    if (argc >= 6 && !strcmp(argv[1], "edits")) {
        ed_stats st = { .outdir = argv[2] };
        rng_state = strtoull(argv[3], NULL, 10);
        every = strtoul(argv[4], NULL, 10);
        if (every == 0)
            every = 1;
        for (int i = 5; i < argc; i++)
            each_policy(argv[i], edits_one, &st);
        printf("edits: %zu policies, %zu edits, %zu other files, %d failures\n", st.pairs,
               st.edits, st.skipped, failures);
        return failures ? 1 : 0;
    }
    fprintf(stderr, "usage: doc_tool roundtrip FILE... | doc_tool edits OUTDIR SEED EVERY FILE...\n");
    return 2;
}
