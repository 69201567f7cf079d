/* fuzz_simdoc.c - simulation documents (sim_load_text) on arbitrary bytes;
 * every request of an accepted document is evaluated, written out and
 * checked against its expectation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "sim/sim.h"

int fuzz_simdoc_one(const uint8_t *data, size_t size)
{
    sim_doc *s = NULL;
    ig_diag d;
    /* a relative "file" resolves under a directory that does not exist */
    int rc = sim_load_text((const char *)data, size, "fuzz.json", "/nonexistent-fuzz-dir", &s, &d);
    if (rc != IG_OK) {
        FUZZ_CHECK(!s, "a rejected document was returned");
        return 0;
    }
    json_buf out, msg;
    json_buf_init(&out);
    json_buf_init(&msg);
    for (size_t i = 0; i < s->nreqs && i < 64; i++) {
        static ig_result res;
        ig_evaluate(s->env, &s->reqs[i].req, IG_EVAL_EXPLAIN, &res);
        FUZZ_CHECK(!res.error || res.decision == IG_IMPLICIT_DENY, "an error that is not a deny");
        json_writer w;
        jw_init(&w, &out, false);
        sim_write_result(&w, &s->reqs[i], &res);
        sim_check_expect(&s->reqs[i], &res, &msg);
    }
    json_buf_free(&out);
    json_buf_free(&msg);
    sim_free(s);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* "file": "-" must not wait for a terminal */
    if (!freopen("/dev/null", "r", stdin))
        return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_simdoc_one(data, size);
}
#endif
