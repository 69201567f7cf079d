/* sources.c - where a scenario's text and policies come from: files on
 * disk, the embedded example, or a CloudFormation template (--cfn); and
 * turning principals into evaluation environments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"
#include "examples/examples.h"
#include "policy/policy.h"
#include "util/alloc.h"
#include "util/file.h"
#include "yaml/yaml.h"

static chk_internal *internal(const chk_scenario *s) { return s->internal; }

/* Keep a text and its parsed document for the scenario's lifetime. */
static chk_source *add_source(chk_scenario *s, char *text, size_t len)
{
    chk_internal *in = internal(s);
    if (in->nsources == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 8;
        chk_source *n = ig_realloc(in->sources, cap * sizeof *n);
        if (!n)
            return NULL;
        in->sources = n;
        in->cap = cap;
    }
    chk_source *src = &in->sources[in->nsources++];
    src->text = text;
    src->len = len;
    src->doc = NULL;
    return src;
}

/* Parse YAML or JSON; on failure fill diag with the parser's position. */
static json_doc *parse_text(const char *text, size_t len, const char *file, ig_diag *diag)
{
    json_error je;
    memset(&je, 0, sizeof je);
    json_doc *d = ig_parse_structured(text, len, NULL, &je);
    if (!d) {
        ig_diag_set(diag, IG_E_JSON, file, text, len, je.offset, "%s", je.msg[0] ? je.msg : "cannot parse");
        if (diag && je.line) {
            diag->line = je.line;
            diag->column = je.column;
        }
    }
    return d;
}

/* The file's canonical path (to recognise it again), or the path itself. */
static void real_path(const char *path, char *out, size_t cap)
{
    char *r = strcmp(path, "<stdin>") ? realpath(path, NULL) : NULL;
    snprintf(out, cap, "%s", r ? r : path);
    free(r);   /* realpath's own malloc */
}

static char *copy_text(const char *data, size_t len)
{
    char *t = ig_malloc(len + 1);
    if (t) {
        memcpy(t, data, len);
        t[len] = '\0';
    }
    return t;
}

/* An embedded file's name with "." and "dir/.." parts taken out, so that
 * "imaging-viewer-hardened/../imaging-viewer/x" finds "imaging-viewer/x".
 * A ".." above the top stays and so names no embedded file. */
static void embedded_name(const char *path, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = path; *p;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.' && n > 0 &&
                   strcmp(out + (strrchr(out, '/') ? strrchr(out, '/') - out + 1 : 0), "..")) {
            char *slash = strrchr(out, '/');
            n = slash ? (size_t)(slash - out) : 0;
            out[n] = '\0';
        } else if (n + len + 2 < cap) {
            if (n)
                out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
            out[n] = '\0';
        }
        p += len;
        if (*p == '/')
            p++;
    }
}

bool chk_source_file(lctx *c, chk_policy *p, const json_value *file)
{
    chk_scenario *s = c->s;
    char path[1200], shown[1200];
    ig_path_join(c->dir, file->u.str, path, sizeof path);
    ig_path_join(c->shown_dir, file->u.str, shown, sizeof shown);
    char *text;
    size_t len;
    if (c->builtin) {
        char name[1200];
        embedded_name(path, name, sizeof name);
        const ig_embedded_file *ef = ig_example_file(name);
        if (!ef)
            return chk_fail(c, file->start, "the built-in example has no file \"%s\"", file->u.str);
        text = copy_text(ef->data, ef->len);
        len = ef->len;
        if (!text)
            return chk_nomem(c, file->start);
    } else {
        const char *err;
        text = ig_read_file(path, CHK_MAX_SCENARIO_BYTES, &len, &err);
        if (!text)
            return chk_fail(c, file->start, "cannot read policy file \"%s\": %s", path, err);
    }
    chk_source *src = add_source(s, text, len);
    if (!src) {
        ig_free(text);
        return chk_nomem(c, file->start);
    }
    p->file = ig_arena_strndup(&s->arena, shown, strlen(shown));
    if (!p->file)
        return chk_nomem(c, file->start);
    src->doc = parse_text(text, len, p->file, c->diag);
    if (!src->doc)
        return false;
    p->doc = json_root(src->doc);
    p->text = text;
    p->len = len;
    p->shown = p->file;
    return true;
}

static ig_policy *compiled(lctx *c, chk_policy *p, ig_policy_type t)
{
    if (p->compiled[t])
        return p->compiled[t];
    if (p->cfn)
        p->compiled[t] = cfn_compile_policy(internal(c->s)->tmpl, p->cfn, t, c->diag);
    else
        p->compiled[t] = ig_policy_compile_value(p->doc, p->text, p->len, t, p->name, p->file, c->diag);
    return p->compiled[t];
}

bool chk_build_env(lctx *c, chk_principal *p, const json_value *arn)
{
    p->env = ig_env_new();
    if (!p->env)
        return chk_nomem(c, arn->start);
    ig_diag d;
    if (ig_env_set_principal_arn(p->env, p->arn, p->account, &d) != IG_OK)
        return chk_fail(c, arn->start, "%s", d.msg);
    for (size_t i = 0; i < p->nidentity; i++) {
        ig_policy *cp = compiled(c, &c->s->policies[p->identity[i]], IG_POLICY_IDENTITY);
        if (!cp)
            return false;
        if (ig_env_add_identity(p->env, cp) != IG_OK)
            return chk_nomem(c, arn->start);
    }
    if (p->boundary >= 0) {
        ig_policy *cp = compiled(c, &c->s->policies[p->boundary], IG_POLICY_BOUNDARY);
        if (!cp || ig_env_set_boundary(p->env, cp) != IG_OK)
            return false;
    }
    if (p->session >= 0) {
        ig_policy *cp = compiled(c, &c->s->policies[p->session], IG_POLICY_SESSION);
        if (!cp || ig_env_set_session(p->env, cp) != IG_OK)
            return false;
    }
    return true;
}

bool chk_attach_resource_policy(lctx *c, chk_request *r, const json_value *at)
{
    if (r->resource_policy < 0)
        return true;
    ig_policy *cp = compiled(c, &c->s->policies[r->resource_policy], IG_POLICY_RESOURCE);
    r->req.resource_policy = cp;
    return cp != NULL;
}

const json_value *chk_statement(const json_value *doc, uint32_t index)
{
    const json_value *st = json_get(doc, "Statement");
    if (!st)
        return NULL;
    if (st->kind == JSON_OBJECT)
        return index == 0 ? st : NULL;
    if (st->kind == JSON_ARRAY && index < st->len)
        return &st->u.items[index];
    return NULL;
}

/* ---- loading ----------------------------------------------------------- */

static chk_scenario *new_scenario(void)
{
    chk_scenario *s = ig_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    ig_arena_init(&s->arena);
    s->internal = ig_calloc(1, sizeof(chk_internal));
    if (!s->internal) {
        ig_free(s);
        return NULL;
    }
    return s;
}

/* Takes ownership of text. */
static int load_text(char *text, size_t len, const char *file, bool builtin,
                     const char *dir, const char *shown_dir, const chk_options *opt,
                     chk_scenario **out, ig_diag *diag)
{
    *out = NULL;
    chk_scenario *s = new_scenario();
    if (!s) {
        ig_free(text);
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    chk_internal *in = internal(s);
    s->builtin = builtin;
    snprintf(in->dir, sizeof in->dir, "%s", dir);
    snprintf(in->shown_dir, sizeof in->shown_dir, "%s", shown_dir);
    s->file = ig_arena_strndup(&s->arena, file, strlen(file));
    chk_source *src = s->file ? add_source(s, text, len) : NULL;
    if (!src) {
        ig_free(text);
        chk_free(s);
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    src->doc = parse_text(text, len, s->file, diag);
    if (!src->doc) {
        chk_free(s);
        return IG_E_JSON;
    }
    char self[1300];
    if (builtin)
        snprintf(self, sizeof self, "builtin:%s", file + (strncmp(file, "examples/", 9) ? 0 : 9));
    else
        real_path(file, self, sizeof self);
    lctx c = { .s = s, .text = text, .len = len, .file = s->file, .diag = diag, .opt = opt,
               .dir = in->dir, .shown_dir = in->shown_dir, .builtin = builtin,
               .self = ig_arena_strndup(&s->arena, self, strlen(self)) };
    if (!c.self) {
        chk_free(s);
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    if (!chk_load_root(&c, json_root(src->doc))) {
        int code = diag && diag->code ? diag->code : IG_E_INPUT;
        chk_free(s);
        return code;
    }
    *out = s;
    return IG_OK;
}

int chk_load_file(const char *path, const chk_options *opt, chk_scenario **out, ig_diag *diag)
{
    size_t len;
    const char *err;
    *out = NULL;
    char *text = ig_read_file(path, CHK_MAX_SCENARIO_BYTES, &len, &err);
    if (!text) {
        ig_diag_set(diag, IG_E_IO, path, NULL, 0, 0, "%s", err);
        return IG_E_IO;
    }
    char dir[1024];
    bool stdin_ = strcmp(path, "-") == 0;
    if (stdin_)
        snprintf(dir, sizeof dir, ".");
    else
        ig_path_dir(path, dir, sizeof dir);
    return load_text(text, len, stdin_ ? "<stdin>" : path, false, dir, dir, opt, out, diag);
}

int chk_load_builtin(const char *name, const chk_options *opt, chk_scenario **out, ig_diag *diag)
{
    *out = NULL;
    const ig_embedded_file *ef = ig_example_file(name);
    if (!ef) {
        ig_diag_set(diag, IG_E_IO, name, NULL, 0, 0, "no built-in example of that name");
        return IG_E_IO;
    }
    char *text = copy_text(ef->data, ef->len);
    if (!text) {
        ig_diag_set(diag, IG_E_NOMEM, name, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    char dir[1024], shown_dir[1100], shown[1200];
    ig_path_dir(name, dir, sizeof dir);
    snprintf(shown_dir, sizeof shown_dir, "examples/%s", dir);
    snprintf(shown, sizeof shown, "examples/%s", name);
    return load_text(text, ef->len, shown, true, dir, shown_dir, opt, out, diag);
}

/* ---- extends: a base scenario ------------------------------------------ */

static const char *arena_str(chk_scenario *s, const char *t)
{
    return ig_arena_strndup(&s->arena, t, strlen(t));
}

bool chk_read_base(lctx *c, const json_value *extends, lctx *base, const json_value **root)
{
    chk_scenario *s = c->s;
    const char *rel = extends->u.str;
    bool builtin = c->builtin;
    char path[1024], dir[1024], shown[1300], shown_dir[1300], self[1300];
    if (!strncmp(rel, "builtin:", 8)) {
        builtin = true;
        embedded_name(rel + 8, path, sizeof path);
    } else if (builtin) {
        char joined[1024];
        ig_path_join(c->dir, rel, joined, sizeof joined);
        embedded_name(joined, path, sizeof path);
    } else {
        ig_path_join(c->dir, rel, path, sizeof path);
    }
    char *text;
    size_t len;
    if (builtin) {
        const ig_embedded_file *ef = ig_example_file(path);
        if (!ef)
            return chk_fail(c, extends->start, "the base scenario \"%s\" is not a built-in example", rel);
        text = copy_text(ef->data, ef->len);
        len = ef->len;
        if (!text)
            return chk_nomem(c, extends->start);
        snprintf(shown, sizeof shown, "examples/%s", path);
        ig_path_dir(path, dir, sizeof dir);
        snprintf(shown_dir, sizeof shown_dir, "examples/%s", dir);
        snprintf(self, sizeof self, "builtin:%s", path);
    } else {
        const char *err;
        if (ig_is_directory(path))
            return chk_fail(c, extends->start, "the base scenario \"%s\" is a directory", path);
        text = ig_read_file(path, CHK_MAX_SCENARIO_BYTES, &len, &err);
        if (!text)
            return chk_fail(c, extends->start, "cannot read the base scenario \"%s\": %s", path, err);
        char joined[1300];
        ig_path_join(c->shown_dir, rel, joined, sizeof joined);
        /* as shown only: "examples/x/../y/s.yml" is "examples/y/s.yml" */
        shown[0] = '/';
        embedded_name(joined, shown + (joined[0] == '/'), sizeof shown - 1);
        ig_path_dir(path, dir, sizeof dir);
        ig_path_dir(shown, shown_dir, sizeof shown_dir);
        real_path(path, self, sizeof self);
    }
    chk_source *src = add_source(s, text, len);
    if (!src) {
        ig_free(text);
        return chk_nomem(c, extends->start);
    }
    *base = *c;
    base->text = text;
    base->len = len;
    base->builtin = builtin;
    base->file = arena_str(s, shown);
    base->dir = arena_str(s, dir);
    base->shown_dir = arena_str(s, shown_dir);
    base->self = arena_str(s, self);
    if (!base->file || !base->dir || !base->shown_dir || !base->self)
        return chk_nomem(c, extends->start);
    src->doc = parse_text(text, len, base->file, c->diag);
    if (!src->doc)
        return false;
    *root = json_root(src->doc);
    return true;
}

void chk_free(chk_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nprincipals; i++)
        ig_env_free(s->principals[i].env);
    for (size_t i = 0; i < s->npolicies; i++)
        for (int t = 0; t < IG_POLICY_TYPE_COUNT; t++)
            ig_policy_free(s->policies[i].compiled[t]);
    chk_internal *in = internal(s);
    if (in) {
        for (size_t i = 0; i < in->nsources; i++) {
            json_doc_free(in->sources[i].doc);
            ig_free(in->sources[i].text);
        }
        ig_free(in->sources);
        cfn_free(in->tmpl);
        ig_free(in);
    }
    ig_arena_free(&s->arena);
    ig_free(s);
}

chk_doc_kind chk_document_kind(const char *path)
{
    size_t len;
    const char *err;
    char *text = ig_read_file(path, CHK_MAX_SCENARIO_BYTES, &len, &err);
    if (!text)
        return CHK_DOC_SCENARIO;
    json_error je;
    json_doc *d = ig_parse_structured(text, len, NULL, &je);
    const json_value *root = d ? json_root(d) : NULL;
    chk_doc_kind k = CHK_DOC_SCENARIO;
    if (root && json_get(root, "Statement"))
        k = CHK_DOC_POLICY;
    else if (root && (json_get(root, "Resources") || json_get(root, "AWSTemplateFormatVersion")))
        k = CHK_DOC_TEMPLATE;
    json_doc_free(d);
    ig_free(text);
    return k;
}
