/* sets.c - policy sets from a directory, published as immutable,
 * reference-counted generations so a reload never frees what a request is
 * still reading. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/env.h"
#include "policy/policy.h"
#include "serve/serve.h"
#include "util/file.h"

static bool valid_set_name(const char *s, size_t n)
{
    if (n == 0 || n >= SERVE_MAX_SET_NAME) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

/* A policy set file is a simulation document without requests: give it an
 * empty "requests" just before its closing brace, so every position in the
 * file stays where it was. */
static int load_set(const char *dir, const char *fname, serve_set *out, ig_diag *diag)
{
    char path[1024];
    ig_path_join(dir, fname, path, sizeof path);
    size_t len;
    const char *err;
    char *text = ig_read_file(path, IG_MAX_FILE, &len, &err);
    if (!text) {
        ig_diag_set(diag, IG_E_IO, path, NULL, 0, 0, "%s", err);
        return IG_E_IO;
    }
    json_error je;
    json_doc *jd = json_parse(text, len, NULL, &je);
    if (!jd) {
        ig_diag_set(diag, IG_E_JSON, path, text, len, je.offset, "%s", je.msg);
        free(text);
        return IG_E_JSON;
    }
    const json_value *root = json_root(jd);
    int rc = IG_OK;
    char *doc_text = text;
    size_t doc_len = len;
    if (root->kind != JSON_OBJECT) {
        ig_diag_set(diag, IG_E_INPUT, path, text, len, root->start,
                    "a policy set must be an object with \"principal\" and \"policies\"");
        rc = IG_E_INPUT;
    } else if (!json_get(root, "requests") && !json_get(root, "requestsFile")) {
        static const char EMPTY[] = "\"requests\":[]";
        size_t close = root->end - 1, extra = sizeof EMPTY - 1 + (root->len ? 1 : 0);
        doc_text = malloc(len + extra + 1);
        if (!doc_text) {
            ig_diag_set(diag, IG_E_NOMEM, path, NULL, 0, 0, "out of memory");
            rc = IG_E_NOMEM;
        } else {
            memcpy(doc_text, text, close);
            size_t o = close;
            if (root->len) doc_text[o++] = ',';
            memcpy(doc_text + o, EMPTY, sizeof EMPTY - 1);
            o += sizeof EMPTY - 1;
            memcpy(doc_text + o, text + close, len - close);
            doc_len = len + extra;
            doc_text[doc_len] = '\0';
        }
    }
    json_doc_free(jd);
    if (rc == IG_OK) {
        size_t stem = strlen(fname) - 5;
        out->name = strndup(fname, stem);
        rc = out->name ? sim_load_text(doc_text, doc_len, path, dir, &out->doc, diag) : IG_E_NOMEM;
    }
    if (doc_text != text) free(doc_text);
    free(text);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const serve_set *)a)->name, ((const serve_set *)b)->name);
}

static void free_sets(serve_sets *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->sets[i].name);
        sim_free(s->sets[i].doc);
    }
    free(s->sets);
    free(s);
}

int serve_sets_load(const char *dir, unsigned long generation, serve_sets **out, ig_diag *diag)
{
    *out = NULL;
    serve_sets *s = calloc(1, sizeof *s);
    if (!s) {
        ig_diag_set(diag, IG_E_NOMEM, dir, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    atomic_init(&s->refs, 1);
    s->generation = generation;
    if (!dir) {
        *out = s;
        return IG_OK;
    }
    DIR *d = opendir(dir);
    if (!d) {
        ig_diag_set(diag, IG_E_IO, dir, NULL, 0, 0, "cannot open the policy set directory");
        free(s);
        return IG_E_IO;
    }
    s->sets = calloc(SERVE_MAX_SETS, sizeof *s->sets);
    int rc = s->sets ? IG_OK : IG_E_NOMEM;
    struct dirent *e;
    while (rc == IG_OK && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n <= 5 || strcmp(e->d_name + n - 5, ".json"))
            continue;
        if (!valid_set_name(e->d_name, n - 5)) {
            ig_diag_set(diag, IG_E_INPUT, e->d_name, NULL, 0, 0,
                        "policy set names use letters, digits, '-', '_' and '.' only");
            rc = IG_E_INPUT;
        } else if (s->n >= SERVE_MAX_SETS) {
            ig_diag_set(diag, IG_E_LIMIT, dir, NULL, 0, 0, "more than %d policy sets", SERVE_MAX_SETS);
            rc = IG_E_LIMIT;
        } else {
            rc = load_set(dir, e->d_name, &s->sets[s->n], diag);
            s->n += s->sets[s->n].name != NULL || s->sets[s->n].doc != NULL;
        }
    }
    closedir(d);
    if (rc != IG_OK) {
        if (rc == IG_E_NOMEM && diag && !diag->msg[0])
            ig_diag_set(diag, rc, dir, NULL, 0, 0, "out of memory");
        free_sets(s);
        return rc;
    }
    qsort(s->sets, s->n, sizeof *s->sets, by_name);
    *out = s;
    return IG_OK;
}

const serve_set *serve_sets_find(const serve_sets *s, const char *name)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->sets[mid].name, name);
        if (c == 0) return &s->sets[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* arn:PART:iam::ACCOUNT:role/[path/]NAME -> account and name */
static bool split_role_arn(const char *arn, char *acct, size_t acap, const char **name)
{
    if (strncmp(arn, "arn:", 4)) return false;
    const char *p = arn;
    for (int k = 0; k < 4 && p; k++) p = strchr(p + (k > 0), ':');
    if (!p || strncmp(p - 5, ":iam:", 5)) return false;
    const char *q = strchr(p + 1, ':');
    if (!q || (size_t)(q - p - 1) >= acap || strncmp(q + 1, "role/", 5)) return false;
    snprintf(acct, acap, "%.*s", (int)(q - p - 1), p + 1);
    const char *slash = strrchr(q, '/');
    *name = slash + 1;
    return **name != '\0';
}

const serve_set *serve_sets_find_principal(const serve_sets *s, const char *arn)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->sets[i].doc->env->arn, arn))
            return &s->sets[i];
    char acct[64];
    const char *role;
    if (!split_role_arn(arn, acct, sizeof acct, &role))
        return NULL;
    for (size_t i = 0; i < s->n; i++) {
        const ig_env *e = s->sets[i].doc->env;
        if (e->kind == IG_PRINCIPAL_ROLE_SESSION && !strcmp(e->role_name, role) &&
            !strcmp(e->account, acct))
            return &s->sets[i];
    }
    return NULL;
}

void serve_sets_release(serve_sets *s)
{
    if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
        free_sets(s);
}

int serve_store_init(serve_store *st, const char *dir, ig_diag *diag)
{
    memset(st, 0, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    pthread_mutex_init(&st->reload_mu, NULL);
    st->dir = dir;
    st->generation = 1;
    int rc = serve_sets_load(dir, st->generation, &st->current, diag);
    if (rc != IG_OK) {
        pthread_mutex_destroy(&st->mu);
        pthread_mutex_destroy(&st->reload_mu);
    }
    return rc;
}

void serve_store_destroy(serve_store *st)
{
    serve_sets_release(st->current);
    st->current = NULL;
    pthread_mutex_destroy(&st->mu);
    pthread_mutex_destroy(&st->reload_mu);
}

/* Taking the reference under the lock closes the window in which a reload
 * could free the generation between reading the pointer and counting it. */
serve_sets *serve_store_acquire(serve_store *st)
{
    pthread_mutex_lock(&st->mu);
    serve_sets *s = st->current;
    atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&st->mu);
    return s;
}

int serve_store_reload(serve_store *st, ig_diag *diag)
{
    pthread_mutex_lock(&st->reload_mu);
    serve_sets *fresh;
    int rc = serve_sets_load(st->dir, st->generation + 1, &fresh, diag);
    if (rc == IG_OK) {
        pthread_mutex_lock(&st->mu);
        serve_sets *old = st->current;
        st->current = fresh;
        st->generation++;
        pthread_mutex_unlock(&st->mu);
        serve_sets_release(old);
        atomic_fetch_add(&st->reloads_ok, 1);
    } else {
        atomic_fetch_add(&st->reloads_failed, 1);
    }
    pthread_mutex_unlock(&st->reload_mu);
    return rc;
}
