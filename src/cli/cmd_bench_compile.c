/* cmd_bench_compile.c - `iamguard bench-compile`: policy parse+compile
 * throughput over a corpus, and the memory that compiled policies take.
 *
 * The corpus is JSON Lines, one object per line with the policy in
 * "document" (as ../shared/corpus/aws-managed-policies.jsonl has them).
 * Every document's bytes are located up front; then all documents are
 * compiled with ig_policy_compile() (JSON parse + IAM grammar + compiled
 * form), pass after pass, for S seconds.  Only the compile calls are timed;
 * the policies of a pass are freed after its clock stops.
 *
 * Memory: the --memory policies (the seed policies) are compiled through a
 * counting allocator installed with ig_set_allocator() before anything
 * else; the bytes still held once they are compiled (what the compiled
 * policies occupy, in bytes requested from the allocator) and the peak
 * during compilation are reported.  The counting allocator is removed again
 * before the corpus is read, so the throughput is that of the C library's
 * allocator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "iamguard.h"
#include "json/json.h"
#include "util/file.h"

static const char USAGE[] =
"usage: iamguard bench-compile CORPUS.jsonl [--seconds S] [--memory POLICY.json...]\n"
"\n"
"Compile every line's \"document\" of CORPUS.jsonl with ig_policy_compile,\n"
"pass after pass for S seconds (default 2), and print one JSON line:\n"
"  {\"corpus\", \"policies\", \"bytes\", \"failed\", \"passes\", \"mb_per_second\",\n"
"   \"policies_per_second\", \"memory\": {\"policies\", \"compiled_bytes\", \"peak_bytes\",\n"
"   \"allocations\"}}\n"
"MB are 10^6 bytes of policy text.  --memory compiles the given policy\n"
"files first through a counting allocator and reports the bytes their\n"
"compiled forms hold.  Exit 1 when a corpus document fails to compile.\n";

/* ---- counting allocator --------------------------------------------------
 * Each block carries its size in a 16-byte header (keeps max_align_t). */
typedef struct {
    size_t live, peak, held;
    unsigned long long allocations;
} counter;

#define HDR 16u

static void *count_malloc(void *ctx, size_t n)
{
    counter *c = ctx;
    if (n > (size_t)-1 - HDR)
        return NULL;
    unsigned char *p = malloc(n + HDR);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof n);
    c->live += n;
    c->allocations++;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + HDR;
}

static void count_free(void *ctx, void *q)
{
    counter *c = ctx;
    if (!q)
        return;
    unsigned char *p = (unsigned char *)q - HDR;
    size_t n;
    memcpy(&n, p, sizeof n);
    c->live -= n;
    free(p);
}

static void *count_realloc(void *ctx, void *q, size_t n)
{
    counter *c = ctx;
    if (!q)
        return count_malloc(ctx, n);
    if (n > (size_t)-1 - HDR)
        return NULL;
    unsigned char *p = (unsigned char *)q - HDR;
    size_t old;
    memcpy(&old, p, sizeof old);
    unsigned char *np = realloc(p, n + HDR);
    if (!np)
        return NULL;
    memcpy(np, &n, sizeof n);
    c->live = c->live - old + n;
    c->allocations++;
    if (c->live > c->peak)
        c->peak = c->live;
    return np + HDR;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct {
    const char *text;
    size_t len;
} span;

/* Compile the seed policies through the counting allocator. */
static int measure_memory(const char **files, size_t nfiles, counter *c)
{
    ig_allocator a = { count_malloc, count_realloc, count_free, c };
    ig_set_allocator(&a);
    ig_policy **ps = calloc(nfiles, sizeof *ps);
    int rc = EXIT_OK;
    if (!ps) {
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    for (size_t i = 0; i < nfiles; i++) {
        size_t len;
        const char *err;
        /* the file text is read outside the count */
        ig_set_allocator(NULL);
        char *text = ig_read_file(files[i], IG_MAX_FILE, &len, &err);
        ig_set_allocator(&a);
        if (!text) {
            fprintf(stderr, "iamguard bench-compile: %s: %s\n", files[i], err);
            rc = EXIT_BAD_INPUT;
            break;
        }
        ig_diag d;
        ps[i] = ig_policy_compile(text, len, IG_POLICY_IDENTITY, files[i], files[i], &d);
        ig_set_allocator(NULL);
        ig_free(text);
        ig_set_allocator(&a);
        if (!ps[i]) {
            cli_print_diag(&d);
            rc = EXIT_BAD_INPUT;
            break;
        }
    }
    c->held = c->live;   /* what the compiled policies hold */
    for (size_t i = 0; i < nfiles; i++)
        ig_policy_free(ps[i]);
out:
    ig_set_allocator(NULL);
    free(ps);
    return rc;
}

int cmd_bench_compile(int argc, char **argv)
{
    const char *file = NULL;
    double seconds = 2.0;
    const char **mem = calloc((size_t)argc, sizeof *mem);
    size_t nmem = 0;
    if (!mem)
        return EXIT_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(USAGE, stdout);
            free(mem);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--memory")) {
            while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
                mem[nmem++] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "iamguard bench-compile: unknown option %s\n", argv[i]);
            free(mem);
            return EXIT_BAD_INPUT;
        } else if (!file) {
            file = argv[i];
        } else {
            fputs(USAGE, stderr);
            free(mem);
            return EXIT_BAD_INPUT;
        }
    }
    if (!file || !(seconds > 0 && seconds <= 3600)) {
        fputs(USAGE, stderr);
        free(mem);
        return EXIT_BAD_INPUT;
    }

    /* 1. memory of the compiled seed policies (before any other call) */
    counter c = { 0, 0, 0, 0 };
    if (nmem && measure_memory(mem, nmem, &c) != EXIT_OK) {
        free(mem);
        return EXIT_BAD_INPUT;
    }

    /* 2. locate every document */
    size_t flen;
    const char *err;
    char *buf = ig_read_file(file, IG_MAX_FILE, &flen, &err);
    if (!buf) {
        fprintf(stderr, "iamguard bench-compile: %s: %s\n", file, err);
        free(mem);
        return EXIT_BAD_INPUT;
    }
    size_t cap = 1024, n = 0, bytes = 0;
    span *docs = malloc(cap * sizeof *docs);
    int rc = EXIT_OK;
    unsigned lineno = 0;
    for (char *line = buf; docs && line < buf + flen;) {
        char *nl = memchr(line, '\n', (size_t)(buf + flen - line));
        size_t llen = nl ? (size_t)(nl - line) : (size_t)(buf + flen - line);
        lineno++;
        if (llen > 0) {
            json_error je;
            json_doc *jd = json_parse(line, llen, NULL, &je);
            const json_value *d = jd ? json_get(json_root(jd), "document") : NULL;
            if (!d) {
                fprintf(stderr, "%s:%u: %s\n", file, lineno,
                        jd ? "no \"document\"" : je.msg);
                json_doc_free(jd);
                rc = EXIT_BAD_INPUT;
                break;
            }
            if (n == cap) {
                span *nd = realloc(docs, 2 * cap * sizeof *docs);
                if (!nd) {
                    json_doc_free(jd);
                    rc = EXIT_BAD_INPUT;
                    break;
                }
                docs = nd;
                cap *= 2;
            }
            docs[n].text = line + d->start;
            docs[n].len = d->end - d->start;
            bytes += docs[n].len;
            n++;
            json_doc_free(jd);
        }
        line += llen + 1;
    }
    ig_policy **ps = docs ? calloc(n ? n : 1, sizeof *ps) : NULL;
    if (!docs || !ps || rc != EXIT_OK || n == 0) {
        if (n == 0 && rc == EXIT_OK)
            fprintf(stderr, "iamguard bench-compile: %s has no policies\n", file);
        free(ps);
        free(docs);
        ig_free(buf);
        free(mem);
        return EXIT_BAD_INPUT;
    }

    /* 3. compile, pass after pass */
    size_t failed = 0;
    unsigned long long passes = 0;
    double spent = 0;
    do {
        double t0 = now();
        for (size_t i = 0; i < n; i++)
            ps[i] = ig_policy_compile(docs[i].text, docs[i].len, IG_POLICY_IDENTITY,
                                      NULL, NULL, NULL);
        spent += now() - t0;
        for (size_t i = 0; i < n; i++) {
            if (!ps[i] && passes == 0) {
                if (failed < 10) {
                    ig_diag d;
                    ig_policy_free(ig_policy_compile(docs[i].text, docs[i].len,
                                                     IG_POLICY_IDENTITY, NULL, file, &d));
                    fprintf(stderr, "iamguard bench-compile: document %zu does not compile: %s\n",
                            i + 1, d.msg);
                }
                failed++;
            }
            ig_policy_free(ps[i]);
        }
        passes++;
    } while (spent < seconds);

    double mbps = (double)bytes * (double)passes / spent / 1e6;
    double pps = (double)n * (double)passes / spent;
    printf("{\"corpus\":\"%s\",\"policies\":%zu,\"bytes\":%zu,\"failed\":%zu,"
           "\"passes\":%llu,\"seconds\":%.3f,\"mb_per_second\":%.1f,\"policies_per_second\":%.0f",
           file, n, bytes, failed, passes, spent, mbps, pps);
    if (nmem)
        printf(",\"memory\":{\"policies\":%zu,\"compiled_bytes\":%zu,\"peak_bytes\":%zu,"
               "\"allocations\":%llu}", nmem, c.held, c.peak, c.allocations);
    printf("}\n");
    free(ps);
    free(docs);
    ig_free(buf);
    free(mem);
    return failed ? EXIT_FINDINGS : rc;
}
