/* cfn_int.h - state shared by the files of the CloudFormation reader.
 *
 * load.c reads the template's sections, params.c gives parameters their
 * values, intrinsics.c evaluates intrinsic functions and conditions.c the
 * conditions, resources.c knows what each resource type is called and what
 * its Ref/GetAtt return, deps.c finds dependency cycles, model.c turns the
 * IAM resources into cfn_policy/cfn_principal, render.c writes the seed's
 * template; notes.c keeps placeholders and "not deployable" notes,
 * transform.c the Transform and Rules sections and Rain directives,
 * foreach.c expands Fn::ForEach, sam*.c the SAM transform.  All of
 * it happens once, while loading; the loaded template is immutable. */
#ifndef IG_CFN_INT_H
#define IG_CFN_INT_H

#include <stdarg.h>

#include "cfn/cfn.h"

/* CloudFormation's own limits (a template they exceed cannot be deployed)
 * with room to spare; they also bound the loader's work. */
#define CFN_MAX_TEMPLATE_BYTES (1u << 20)
#define CFN_MAX_RESOURCES 2000u
#define CFN_MAX_PARAMETERS 500u
#define CFN_MAX_CONDITIONS 1000u
/* A resource's name can depend on another's, and so on: this bounds the
 * chain (and the stack it uses). */
#define CFN_MAX_REF_CHAIN 64u
/* One string built by Fn::Sub/Fn::Join, and all of them together. */
#define CFN_MAX_STRING (256u * 1024u)
#define CFN_MAX_RESOLVED_BYTES (64u * 1024u * 1024u)
#define CFN_PATH_MAX 384u
/* Notes kept per template (placeholders, macros); more are counted only. */
#define CFN_MAX_NOTES 500u

typedef enum {
    RES_OTHER = 0,          /* a type iamguard does not model */
    RES_MANAGED_POLICY,
    RES_POLICY,
    RES_ROLE,
    RES_USER,
    RES_GROUP,
    RES_ROLE_POLICY,
    RES_USER_POLICY,
    RES_GROUP_POLICY,
    RES_USER_TO_GROUP,
    RES_INSTANCE_PROFILE,
    RES_NAMED                /* a non-IAM type whose Ref/Arn are modelled */
} cfn_res_kind;

typedef struct cfn_res_type cfn_res_type;

typedef struct {
    const char *id;                 /* logical id */
    const json_member *decl;        /* the member in Resources */
    const json_value *props;        /* Properties, or NULL */
    const char *type;
    const cfn_res_type *rt;         /* NULL: not modelled */
    int created;                    /* -1 not known yet, 0 condition false, 1 yes */
    int name_state;                 /* 0 not resolved, 1 resolving, 2 done */
    const char *name;               /* physical name */
    const char *arn;                /* NULL when the type has none */
    const char *path;               /* IAM path, "/" by default */
    int dfs;                        /* deps.c: 0 new, 1 on the stack, 2 done */
} cfn_res;

typedef struct {
    const char *name;
    const json_member *decl;
    const char *type;
    const char *given;              /* --parameter value, or NULL */
    json_value value;               /* resolved value (string or list) */
    int state;                      /* 0 not resolved, 1 done, -1 has no value */
} cfn_param;

typedef struct {
    const char *name;
    const json_member *decl;
    int state;                      /* 0 not evaluated, 1 evaluating, 2 done */
    bool value;
} cfn_cond;

typedef struct {
    cfn_template *t;
    json_doc *src;                  /* the parsed template */
    json_doc *out;                  /* resolved values and every string we hand out */
    const char *file;
    const char *text;
    size_t len;
    ig_diag *diag;

    const char *account, *region, *partition, *stack_name, *url_suffix;
    const cfn_params *given;

    cfn_param *params;
    size_t nparams;
    cfn_cond *conds;
    size_t nconds;
    cfn_res *res;
    size_t nres;
    const json_value *mappings;

    char path[CFN_PATH_MAX];        /* where we are, for diagnostics */
    size_t pathlen;
    unsigned chain;
    size_t resolved_bytes;

    cfn_note *notes;                /* moved to the template when loaded */
    uint32_t *note_at;              /* offset of each note, to say each once */
    size_t nnotes, capnotes;
    bool undeployable;
    bool lang_ext;                  /* Transform: AWS::LanguageExtensions */
    bool sam;                       /* Transform: AWS::Serverless-2016-10-31 */
} cfn_ctx;

/* ---- diagnostics and paths (load.c) ---- */
bool cfn_fail(cfn_ctx *c, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool cfn_fail_code(cfn_ctx *c, int code, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Append ".key" or "[i]" to the path; returns the old length to restore. */
size_t cfn_path_key(cfn_ctx *c, const char *key);
size_t cfn_path_index(cfn_ctx *c, size_t i);
void cfn_path_set(cfn_ctx *c, size_t len);

/* ---- notes (notes.c) ---- */
/* Record a note at `offset` (with the current path), once per offset and
 * kind; false only when out of memory. */
bool cfn_note_add(cfn_ctx *c, cfn_note_kind kind, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A placeholder string "{{what}}" placed at `site`, noted as unresolved
 * with `why`; returns 1 or -1 like cfn_resolve. */
int cfn_placeholder(cfn_ctx *c, const json_value *site, const char *what, const char *why,
                    json_value *out);
/* Move the notes into the template (at the end of a successful load). */
void cfn_notes_finish(cfn_ctx *c);
void cfn_notes_free(cfn_ctx *c);

/* ---- transforms (transform.c, foreach.c, sam*.c) ---- */
/* The Transform section: SAM and AWS::LanguageExtensions are expanded,
 * other macros are noted as not deployable as is. */
bool cfn_read_transforms(cfn_ctx *c, const json_value *v);
/* The Rules section: its shape is checked, its assertions not evaluated. */
bool cfn_check_rules(cfn_ctx *c, const json_value *v);
/* Note every Rain directive and macro call (Fn::Transform) in `v`. */
bool cfn_scan_directives(cfn_ctx *c, const json_value *v);
/* True when `v` is a Rain directive ({"Rain::Embed": ...}); *name is its key. */
bool cfn_rain_directive(const json_value *v, const char **name);
/* The Resources section with Fn::ForEach and the SAM resource types
 * expanded (the very same value when there is nothing to expand). */
bool cfn_expand_resources(cfn_ctx *c, const json_value *res, const json_value *globals,
                          json_value *out);
/* Fn::ForEach::Name loops of an object (AWS::LanguageExtensions). */
bool cfn_foreach_expand(cfn_ctx *c, const json_value *obj, json_value *out);
/* SAM resources to the CloudFormation resources they become. */
bool cfn_sam_expand(cfn_ctx *c, const json_value *res, const json_value *globals,
                    json_value *out);

/* ---- values built during resolution (load.c) ---- */
char *cfn_strdup(cfn_ctx *c, const char *s, size_t n);
bool cfn_string_value(cfn_ctx *c, const char *s, size_t n, uint32_t start, uint32_t end,
                      json_value *out);
void *cfn_alloc(cfn_ctx *c, size_t n);
/* A policy document written as a JSON string (CloudFormation accepts it):
 * parsed, kept with the template, every value placed at the string. */
bool cfn_parse_json_string(cfn_ctx *c, const json_value *s, json_value *out);

/* ---- lookups (load.c) ---- */
cfn_param *cfn_find_param(cfn_ctx *c, const char *name);
cfn_res *cfn_find_res(cfn_ctx *c, const char *id);
cfn_cond *cfn_find_cond(cfn_ctx *c, const char *name);
/* The Rain module whose expansion would declare `id` (the module's logical
 * id followed by the name of one of its resources), or NULL. */
const cfn_res *cfn_module_of(cfn_ctx *c, const char *id);

/* ---- params.c ---- */
/* The value of a parameter (at offset `at` for diagnostics). */
bool cfn_param_value(cfn_ctx *c, cfn_param *p, size_t at, json_value *out);
/* A scalar's text: strings as they are, numbers as written, booleans;
 * NULL for null, lists and mappings. */
const char *cfn_scalar_text(const json_value *v);

/* ---- intrinsics.c ---- */
/* Resolve `v`: 1 = *out set, 0 = AWS::NoValue (no value), -1 = error. */
int cfn_resolve(cfn_ctx *c, const json_value *v, json_value *out);
/* Resolve to a string (numbers give their text). */
bool cfn_resolve_string(cfn_ctx *c, const json_value *v, const char *what, const char **out);
/* True when `v` is {"Ref": ...} or {"Fn::...": ...}; *key is that key. */
bool cfn_is_intrinsic(const json_value *v, const char **key);
/* Check that an intrinsic's argument is a list of `min`..`max` items. */
bool cfn_args(cfn_ctx *c, const json_value *site, const char *fn, const json_value *arg,
              uint32_t min, uint32_t max);

/* ---- conditions.c ---- */
bool cfn_condition(cfn_ctx *c, cfn_cond *cd, size_t at, bool *value);
/* Whether the resource is created (its Condition holds). */
bool cfn_res_created(cfn_ctx *c, cfn_res *r, bool *created);

/* ---- resources.c ---- */
void cfn_res_classify(cfn_res *r);
const char *cfn_res_kind_name(cfn_res_kind k);
cfn_res_kind cfn_res_get_kind(const cfn_res *r);
/* Check the resource's property names against its type. */
bool cfn_res_check_props(cfn_ctx *c, cfn_res *r);
/* Physical name, ARN and path (resolving the name properties once). */
bool cfn_res_names(cfn_ctx *c, cfn_res *r, size_t at);
bool cfn_res_ref(cfn_ctx *c, cfn_res *r, size_t at, json_value *out);
bool cfn_res_getatt(cfn_ctx *c, cfn_res *r, const char *attr, size_t at, json_value *out);
/* `<stack>-<LogicalId>-<SUFFIX>` within `max` bytes, deterministic. */
const char *cfn_generated_name(cfn_ctx *c, const char *logical_id, size_t max, bool lower);

/* ---- deps.c ---- */
bool cfn_check_dependencies(cfn_ctx *c);

/* ---- model.c ---- */
bool cfn_build_model(cfn_ctx *c);

#endif
