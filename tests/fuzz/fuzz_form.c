/* fuzz_form.c - the Query API's form decoder (form_parse) on arbitrary
 * bytes; an accepted form has unique names in sorted order, and the
 * lookups the handlers use work on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "serve/form.h"

int fuzz_form_one(const uint8_t *data, size_t size)
{
    form f;
    char err[256];
    err[0] = 0;
    if (form_parse(&f, (const char *)data, size, err, sizeof err) != 0) {
        FUZZ_CHECK(err[0], "a rejected form without a message");
        form_free(&f);
        return 0;
    }
    for (size_t i = 0; i < f.n; i++) {
        FUZZ_CHECK(f.pairs[i].name && f.pairs[i].value, "a pair without name or value");
        FUZZ_CHECK(strlen(f.pairs[i].value) == f.pairs[i].value_len, "a value with a NUL or a wrong length");
        FUZZ_CHECK(i == 0 || strcmp(f.pairs[i - 1].name, f.pairs[i].name) < 0,
                   "names not unique and sorted");
    }
    form_get(&f, "Action");
    form_get(&f, "Version");
    size_t first = 0;
    size_t n = form_prefix_range(&f, "PolicyInputList.member.", &first);
    FUZZ_CHECK(first + n <= f.n, "a prefix range past the end");
    for (size_t i = first; i < first + n; i++) {
        const char *rest = NULL;
        form_member_index(f.pairs[i].name + strlen("PolicyInputList.member."), 1000, &rest);
    }
    form_first_unused(&f);
    form_free(&f);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_form_one(data, size);
}
#endif
