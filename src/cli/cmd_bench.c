/* cmd_bench.c - `iamguard bench`: decisions per second on a workload.
 *
 * Loads a workload (a simulation document, as ../shared/bench/ has them),
 * checks every decision against its expectation first, then evaluates the
 * requests round-robin for a fixed time on N threads sharing one env (the
 * compiled policies are immutable, so no locking is involved). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "iamguard.h"
#include "json/json.h"
#include "sim/sim.h"

static const char USAGE[] =
"usage: iamguard bench WORKLOAD.json [--seconds S] [--threads N] [--unprepared]\n"
"\n"
"Compile the workload's policies, prepare every request (ig_request_prepare),\n"
"verify each request's expected decision, then evaluate the requests in a\n"
"loop for S seconds (default 2) on N threads (default 1) and print one JSON\n"
"line:\n"
"  {\"workload\", \"requests\", \"mismatches\", \"decisions_per_second\",\n"
"   \"ns_per_decision\", \"threads\", \"compile_ms\", \"api\"}\n"
"--unprepared times ig_evaluate on the requests as given instead (each call\n"
"then lowercases, splits and hashes its request).\n"
"Exit 1 when a decision differs from its expectation, 2 on bad input.\n";

typedef struct {
    const sim_doc *s;
    ig_prepared *const *prep;   /* NULL: time ig_evaluate */
    double seconds;
    unsigned long long decisions;
    double elapsed;
    unsigned sink;
} worker;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    const sim_doc *s = w->s;
    ig_result r;
    double start = now(), end = start + w->seconds, t = start;
    unsigned long long n = 0;
    unsigned sink = 0;
    while (t < end) {
        if (w->prep) {
            for (size_t i = 0; i < s->nreqs; i++) {
                ig_evaluate_prepared(s->env, w->prep[i], 0, &r);
                sink += (unsigned)r.decision;
            }
        } else {
            for (size_t i = 0; i < s->nreqs; i++) {
                ig_evaluate(s->env, &s->reqs[i].req, 0, &r);
                sink += (unsigned)r.decision;
            }
        }
        n += s->nreqs;
        t = now();
    }
    w->decisions = n;
    w->elapsed = t - start;
    w->sink = sink;
    return NULL;
}

static void free_prepared(ig_prepared **prep, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ig_prepared_free(prep[i]);
    free(prep);
}

int cmd_bench(int argc, char **argv)
{
    const char *file = NULL;
    double seconds = 2.0;
    long threads = 1;
    bool unprepared = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(USAGE, stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--unprepared")) {
            unprepared = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "iamguard bench: unknown option %s\n", argv[i]);
            return EXIT_BAD_INPUT;
        } else {
            file = argv[i];
        }
    }
    if (!file || seconds <= 0 || seconds > 3600 || threads < 1 || threads > 256) {
        fputs(USAGE, stderr);
        return EXIT_BAD_INPUT;
    }
    sim_doc *s;
    ig_diag d;
    double t0 = now();
    if (sim_load_file(file, &s, &d) != IG_OK) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    double compile_ms = (now() - t0) * 1e3;
    if (s->nreqs == 0) {
        fprintf(stderr, "iamguard bench: %s has no requests\n", file);
        sim_free(s);
        return EXIT_BAD_INPUT;
    }
    ig_prepared **prep = calloc(s->nreqs, sizeof *prep);
    if (!prep) {
        sim_free(s);
        return EXIT_BAD_INPUT;
    }
    for (size_t i = 0; i < s->nreqs; i++) {
        if (ig_request_prepare(&s->reqs[i].req, &prep[i], &d) != IG_OK) {
            fprintf(stderr, "%s:%u: ", s->reqs[i].file, s->reqs[i].line);
            cli_print_diag(&d);
            free_prepared(prep, s->nreqs);
            sim_free(s);
            return EXIT_BAD_INPUT;
        }
    }
    /* Both entry points must decide alike; the timed one is checked against
     * the expectations with its explanation. */
    size_t mismatches = 0;
    json_buf msg;
    json_buf_init(&msg);
    ig_result r, other;
    for (size_t i = 0; i < s->nreqs; i++) {
        ig_evaluate_prepared(s->env, prep[i], IG_EVAL_EXPLAIN, unprepared ? &other : &r);
        ig_evaluate(s->env, &s->reqs[i].req, IG_EVAL_EXPLAIN, unprepared ? &r : &other);
        size_t before = msg.len;
        if (r.decision != other.decision || r.blocked_by != other.blocked_by ||
            r.nmatched != other.nmatched) {
            if (mismatches < 10)
                fprintf(stderr, "%s:%u: ig_evaluate and ig_evaluate_prepared disagree\n",
                        s->reqs[i].file, s->reqs[i].line);
            mismatches++;
        } else if (!sim_check_expect(&s->reqs[i], &r, &msg)) {
            if (mismatches < 10)
                fprintf(stderr, "%s:%u: %s on %s:\n%.*s", s->reqs[i].file, s->reqs[i].line,
                        s->reqs[i].req.action, s->reqs[i].req.resource,
                        (int)(msg.len - before), msg.data + before);
            mismatches++;
        }
    }
    json_buf_free(&msg);
    worker *ws = calloc((size_t)threads, sizeof *ws);
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    if (!ws || !tids) {
        free(ws);
        free(tids);
        free_prepared(prep, s->nreqs);
        sim_free(s);
        return EXIT_BAD_INPUT;
    }
    for (long i = 0; i < threads; i++) {
        ws[i].s = s;
        ws[i].prep = unprepared ? NULL : prep;
        ws[i].seconds = seconds;
        pthread_create(&tids[i], NULL, run_worker, &ws[i]);
    }
    unsigned long long total = 0;
    double elapsed = 0;
    for (long i = 0; i < threads; i++) {
        pthread_join(tids[i], NULL);
        total += ws[i].decisions;
        if (ws[i].elapsed > elapsed) elapsed = ws[i].elapsed;
    }
    double dps = (double)total / elapsed;
    const char *name = file;
    printf("{\"workload\":\"%s\",\"requests\":%zu,\"mismatches\":%zu,"
           "\"decisions_per_second\":%.0f,\"ns_per_decision\":%.1f,\"threads\":%ld,"
           "\"compile_ms\":%.3f,\"api\":\"%s\"}\n",
           name, s->nreqs, mismatches, dps, 1e9 * (double)threads / dps, threads, compile_ms,
           unprepared ? "ig_evaluate" : "ig_evaluate_prepared");
    free(ws);
    free_prepared(prep, s->nreqs);
    free(tids);
    sim_free(s);
    return mismatches ? EXIT_FINDINGS : EXIT_OK;
}
