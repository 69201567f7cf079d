/* fuzz_policy.c - policy parse + compile on arbitrary bytes (the first byte
 * picks the policy type); an accepted policy's canonical print must
 * re-compile and print the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "iamguard.h"

int fuzz_policy_one(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    ig_policy_type type = (ig_policy_type)(data[0] % IG_POLICY_TYPE_COUNT);
    ig_diag d;
    ig_policy *p = ig_policy_compile((const char *)data + 1, size - 1, type, "fuzz", NULL, &d);
    if (!p) {
        FUZZ_CHECK(d.code < 0, "a rejected policy has no error code");
        return 0;
    }
    char *t1 = ig_policy_to_json(p, data[0] & 0x80);
    FUZZ_CHECK(t1, "canonical print failed");
    ig_policy *q = ig_policy_compile(t1, strlen(t1), type, "again", NULL, &d);
    if (!q)
        fprintf(stderr, "re-compile error: %s\n--- input\n%.*s\n--- print\n%s\n", d.msg,
                (int)(size - 1), (const char *)data + 1, t1);
    FUZZ_CHECK(q, "the canonical print does not re-compile");
    FUZZ_CHECK(ig_policy_statement_count(p) == ig_policy_statement_count(q),
               "re-compile changed the statement count");
    char *t2 = ig_policy_to_json(q, data[0] & 0x80);
    FUZZ_CHECK(t2 && !strcmp(t1, t2), "print(compile(print(p))) != print(p)");
    free(t1);
    free(t2);
    ig_policy_free(q);
    ig_policy_free(p);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_policy_one(data, size);
}
#endif
