/* cmd_simulate.c - `iamguard simulate`: decide requests against policies.
 *
 * Two ways in: a simulation document (docs/simulate.md), or the flags of
 * `aws iam simulate-custom-policy`, whose output then has the AWS shape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/simulate_opts.h"
#include "iamguard.h"
#include "json/json.h"
#include "policy/policy.h"
#include "sim/sim.h"
#include "util/file.h"

static const char USAGE[] =
"usage: iamguard simulate [options] FILE|-\n"
"       iamguard simulate --policy-input-list POLICY... --action-names A... [options]\n"
"\n"
"Decide each request of a simulation document (docs/simulate.md), or the\n"
"requests given with the flags of `aws iam simulate-custom-policy`.\n"
"\n"
"options:\n"
"  --format json|text     output format (default: text on a terminal, else json)\n"
"  --explain              text output with matched statements and positions\n"
"  --verify               check every request's \"expect\"; exit 1 on a mismatch\n"
"  --pretty               indent JSON output\n"
"\n"
"AWS simulate-custom-policy flags (POLICY is inline JSON or file://path):\n"
"  --policy-input-list POLICY...\n"
"  --permissions-boundary-policy-input-list POLICY\n"
"  --action-names ACTION...\n"
"  --resource-arns ARN...            (default: *)\n"
"  --resource-policy POLICY\n"
"  --resource-owner ARN              (arn:aws:iam::ACCOUNT:root)\n"
"  --caller-arn ARN\n"
"  --context-entries ENTRY...        ContextKeyName=k,ContextKeyValues=v1,v2,ContextKeyType=string\n"
"                                    or a JSON list of {ContextKeyName, ContextKeyValues, ContextKeyType}\n"
"\n"
"exit status: 0 simulation done (whatever the decisions), 1 --verify found a\n"
"mismatch, 2 bad input (a diagnostic with file:line:column on stderr).\n";


static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard simulate: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

/* Collect the values after a multi-value flag, up to the next "--flag". */
static int take_list(int argc, char **argv, int *i, const char **dst, size_t cap, size_t *n)
{
    const char *flag = argv[*i];
    int start = *i;
    while (*i + 1 < argc && strncmp(argv[*i + 1], "--", 2) != 0) {
        if (*n >= cap)
            return bad("too many values for", flag);
        dst[(*n)++] = argv[++*i];
    }
    if (*i == start)
        return bad("missing value for", flag);
    return 0;
}

static int parse_opts(int argc, char **argv, sim_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(USAGE, stdout); exit(EXIT_OK); }
        else if (!strcmp(a, "--explain")) { o->explain = true; if (!o->format) o->format = 2; }
        else if (!strcmp(a, "--verify")) o->verify = true;
        else if (!strcmp(a, "--pretty")) o->pretty = true;
        else if (!strcmp(a, "--format")) {
            if (++i >= argc) return bad("missing value for", a);
            if (!strcmp(argv[i], "json")) o->format = 1;
            else if (!strcmp(argv[i], "text")) o->format = 2;
            else return bad("--format must be json or text, got", argv[i]);
        }
        else if (!strcmp(a, "--policy-input-list"))
            rc = take_list(argc, argv, &i, o->policies, 64, &o->npolicies);
        else if (!strcmp(a, "--action-names"))
            rc = take_list(argc, argv, &i, o->actions, 1024, &o->nactions);
        else if (!strcmp(a, "--resource-arns"))
            rc = take_list(argc, argv, &i, o->resources, 1024, &o->nresources);
        else if (!strcmp(a, "--context-entries"))
            rc = take_list(argc, argv, &i, o->contexts, 256, &o->ncontexts);
        else if (!strcmp(a, "--permissions-boundary-policy-input-list") ||
                 !strcmp(a, "--resource-policy") || !strcmp(a, "--resource-owner") ||
                 !strcmp(a, "--caller-arn")) {
            if (++i >= argc) return bad("missing value for", a);
            const char **dst = a[2] == 'p' ? &o->boundary : !strcmp(a, "--resource-policy") ? &o->resource_policy
                             : !strcmp(a, "--resource-owner") ? &o->resource_owner : &o->caller_arn;
            *dst = argv[i];
        }
        else if (a[0] == '-' && a[1] != '\0') return bad("unknown option", a);
        else if (o->file) return bad("more than one input file:", a);
        else o->file = a;
        if (rc) return rc;
    }
    return 0;
}

/* ---- text output ---- */

static void print_text(const sim_request *r, const ig_result *res, bool explain, FILE *f)
{
    const char *mark = res->decision == IG_ALLOWED ? "ALLOW" :
                       res->decision == IG_EXPLICIT_DENY ? "DENY " : "deny ";
    fprintf(f, "%s  %-40s %s", mark, r->req.action, r->req.resource);
    if (res->decision != IG_ALLOWED && res->blocked_by)
        fprintf(f, "  [%s%s]", res->decision == IG_EXPLICIT_DENY ? "explicit deny in " : "no allow in ",
                ig_layer_name(res->blocked_by));
    if (res->needs_no_permission)
        fputs("  [needs no permission]", f);
    fputc('\n', f);
    if (!explain)
        return;
    if (res->needs_no_permission)
        fprintf(f, "       allowed: needs no permission (AWS does not authorize %s; no policy applies, "
                   "not even a Deny)\n", r->req.action);
    char ref[512];
    for (uint32_t i = 0; i < res->nmatched; i++) {
        const ig_matched_statement *m = &res->matched[i];
        fprintf(f, "       %s:%u:%u: statement %s (%s)\n",
                ig_policy_file(m->policy)[0] ? ig_policy_file(m->policy) : "<input>",
                m->start_line, m->start_column, sim_statement_ref(m, ref, sizeof ref),
                ig_policy_type_name(m->type));
    }
    if (!res->allowed_by_boundary)
        fprintf(f, "       the permissions boundary does not allow it\n");
    if (!res->allowed_by_organizations)
        fprintf(f, "       the organization's SCPs/RCPs do not allow it\n");
    if (res->nmissing) {
        fprintf(f, "       context keys the policies use but the request lacks:");
        for (uint32_t i = 0; i < res->nmissing; i++)
            fprintf(f, " %s", res->missing[i]);
        fputc('\n', f);
    }
    if (res->error)
        fprintf(f, "       evaluation error: %s\n", res->error_msg);
}

static int run_doc(const sim_opts *o)
{
    sim_doc *s;
    ig_diag d;
    if (sim_load_file(o->file, &s, &d) != IG_OK) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    bool json = o->format == 1 || (o->format == 0 && !cli_stdout_is_tty());
    json_buf out, msg;
    json_buf_init(&out);
    json_buf_init(&msg);
    json_writer w;
    jw_init(&w, &out, o->pretty);
    jw_object_begin(&w);
    jw_key(&w, "results");
    jw_array_begin(&w);
    size_t mismatches = 0;
    ig_result res;
    for (size_t i = 0; i < s->nreqs; i++) {
        const sim_request *r = &s->reqs[i];
        ig_evaluate(s->env, &r->req, IG_EVAL_EXPLAIN, &res);
        if (o->verify) {
            size_t before = msg.len;
            json_buf_printf(&msg, "%s:%u:%u: request %zu (%s on %s) does not meet its expectation\n",
                            r->file, r->line, r->column, i + 1, r->req.action, r->req.resource);
            if (sim_check_expect(r, &res, &msg)) msg.len = before;
            else mismatches++;
        }
        if (json)
            sim_write_result(&w, r, &res);
        else
            print_text(r, &res, o->explain, stdout);
        if (json && out.len > (1u << 20)) {    /* stream big outputs */
            fwrite(out.data, 1, out.len, stdout);
            out.len = 0;
        }
    }
    jw_array_end(&w);
    jw_object_end(&w);
    if (json) {
        fwrite(out.data, 1, out.len, stdout);
        fputc('\n', stdout);
    }
    if (o->verify) {
        if (msg.len)
            fwrite(msg.data, 1, msg.len, stderr);
        fprintf(stderr, "%s: %zu requests, %zu expectations not met\n", s->file, s->nreqs, mismatches);
    }
    bool failed = out.failed || msg.failed;
    json_buf_free(&out);
    json_buf_free(&msg);
    sim_free(s);
    if (failed) return bad("out of memory", NULL);
    return mismatches ? EXIT_FINDINGS : EXIT_OK;
}

int cmd_simulate(int argc, char **argv)
{
    sim_opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_opts(argc, argv, &o);
    if (rc)
        return rc;
    bool aws = o.npolicies || o.nactions || o.boundary || o.resource_policy || o.caller_arn ||
               o.nresources || o.ncontexts || o.resource_owner;
    if (aws) {
        if (o.file)
            return bad("give either a simulation document or AWS flags, not both", NULL);
        return cmd_aws_simulate(&o);
    }
    if (!o.file) {
        fputs(USAGE, stderr);
        return EXIT_BAD_INPUT;
    }
    return run_doc(&o);
}
