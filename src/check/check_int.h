/* check_int.h - what the parts of the scenario loader share. */
#ifndef IG_CHECK_INT_H
#define IG_CHECK_INT_H

#include "check/check.h"

typedef struct {
    char *text;
    size_t len;
    json_doc *doc;
} chk_source;

/* chk_scenario.internal */
typedef struct {
    chk_source *sources;        /* the scenario and every policy file */
    size_t nsources, cap;
    cfn_template *tmpl;         /* --cfn */
    char dir[1024];             /* policy files are relative to this */
    char shown_dir[1024];       /* the same, as the report names it */
} chk_internal;

/* The loader's state while reading one scenario. */
typedef struct {
    chk_scenario *s;
    const char *text;           /* the scenario text */
    size_t len;
    const char *file;
    ig_diag *diag;
    const chk_options *opt;
    const char *dir;            /* its policy files (and base) are relative to this */
    const char *shown_dir;      /* the same, as the report names it */
    bool builtin;               /* dir names embedded files (src/examples) */
    const char *self;           /* who it is, to find a cycle of `extends` */
} lctx;

bool chk_fail(lctx *c, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool chk_nomem(lctx *c, size_t off);
bool chk_get_str(lctx *c, const json_value *v, const char *what, const char **out);
bool chk_want_kind(lctx *c, const json_value *v, json_kind k, const char *what);
/* A name or id: a string without spaces or control characters. */
bool chk_get_name(lctx *c, const json_value *v, const char *what, const char **out);
/* The same for an object key. */
bool chk_key_name(lctx *c, const json_member *m, const char *what);
/* A policy name that must be defined under "policies". */
bool chk_policy_ref(lctx *c, const json_value *v, const char *what, long *out);
bool chk_load_groups(lctx *c, const json_value *v);
/* Leave out the requests the selected Amplify CLI version does not make
 * (after the claims are read, so that they may name any request). */
bool chk_select_amplify(lctx *c);

bool chk_load_root(lctx *c, const json_value *root);
/* The sections of a scenario that extends nothing, each checked for
 * unknown keys (NULL when absent). */
bool chk_root_sections(lctx *c, const json_value *root, const json_value *sec[7]);
/* The part of chk_load_root after the root's keys are read: `sec` holds
 * name, title, policies, principals, groups, claims, amplifyCli (NULL when
 * absent).  `over` are the extending scenarios, most derived first, whose
 * policies replace the base's of the same name (extends.c). */
typedef struct {
    lctx c;
    const json_value *name, *title, *policies;
} chk_level;
bool chk_load_sections(lctx *c, const json_value *root, const json_value *const sec[7],
                       const chk_level *over, size_t nover);
/* A scenario with an "extends" key (extends.c): read its chain of bases
 * and load the last one with the overrides of those before it. */
bool chk_load_extended(lctx *c, const json_value *root);
/* Read and parse the base scenario `extends` names, relative to c (or
 * "builtin:NAME"); fill *base with its context and *root with its
 * document (sources.c). */
bool chk_read_base(lctx *c, const json_value *extends, lctx *base, const json_value **root);
/* Read and parse a policy file named by `file` (relative to the scenario). */
bool chk_source_file(lctx *c, chk_policy *p, const json_value *file);
/* With --cfn: take the policies the template declares from it, matched
 * by name, else by content, else by the part they play (cfn_match.c);
 * `principals` is the scenario's section, read for their boundaries. */
bool chk_use_template(lctx *c, const json_value *policies, const json_value *principals);
/* Compile the principal's policies and build its environment. */
bool chk_build_env(lctx *c, chk_principal *p, const json_value *arn);
/* Compile the request's resource policy, if it names one. */
bool chk_attach_resource_policy(lctx *c, chk_request *r, const json_value *at);

/* The statement `index` of a policy document (the object itself when
 * "Statement" is a single object), or NULL. */
const json_value *chk_statement(const json_value *doc, uint32_t index);

/* A policy element (a string or a list of them) as quoted text, at most
 * four entries. */
void chk_element_text(const json_value *v, char *buf, size_t cap);

#endif
