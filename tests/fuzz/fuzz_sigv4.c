/* fuzz_sigv4.c - SigV4 Authorization headers on arbitrary bytes: the shape
 * check of `iamguard serve` (sigv4_well_formed) and the emulator's parser
 * (sigv4_parse), as the emulator runs them: a well-formed header parses,
 * and every field the parser fills is a NUL-terminated string. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/sigv4.h"
#include "fuzz/fuzz.h"
#include "serve/sigv4.h"

#define TERMINATED(field) (memchr((field), 0, sizeof(field)) != NULL)

int fuzz_sigv4_one(const uint8_t *data, size_t size)
{
    /* a header value is a C string: stop at the first NUL */
    char *auth = malloc(size + 1);
    if (!auth)
        return 0;
    memcpy(auth, data, size);
    auth[size] = 0;
    char why[256];
    why[0] = 0;
    bool shaped = sigv4_well_formed(auth, why, sizeof why);
    FUZZ_CHECK(shaped || why[0], "a malformed header without a reason");
    sigv4_auth a;
    bool parsed = sigv4_parse(auth, &a);
    /* the emulator rejects what serve accepts only as a bad signature */
    FUZZ_CHECK(!shaped || parsed, "a well-formed header the emulator cannot parse");
    if (parsed) {
        FUZZ_CHECK(TERMINATED(a.key_id) && TERMINATED(a.date8) && TERMINATED(a.region) &&
                       TERMINATED(a.service) && TERMINATED(a.signed_headers) &&
                       TERMINATED(a.signature),
                   "an unterminated field");
        sigv4_signs(&a, "host");
        sigv4_signs(&a, "x-amz-date");
    }
    free(auth);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_sigv4_one(data, size);
}
#endif
