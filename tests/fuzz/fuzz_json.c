/* fuzz_json.c - the JSON reader on arbitrary bytes; whatever it accepts,
 * the writer must re-emit as JSON the reader accepts again, unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "json/json.h"

static char *emit(const json_value *v, bool pretty, size_t *len)
{
    json_buf b;
    json_buf_init(&b);
    json_writer w;
    jw_init(&w, &b, pretty);
    jw_value(&w, v);
    if (b.failed) {
        json_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

int fuzz_json_one(const uint8_t *data, size_t size)
{
    json_error err;
    json_doc *d = json_parse((const char *)data, size, NULL, &err);
    if (!d)
        return 0;
    size_t n1 = 0, n2 = 0;
    char *t1 = emit(json_root(d), size & 1, &n1);
    if (t1) {
        json_doc *d2 = json_parse(t1, n1, NULL, &err);
        FUZZ_CHECK(d2, "the writer's output does not re-parse");
        char *t2 = emit(json_root(d2), size & 1, &n2);
        FUZZ_CHECK(!t2 || (n1 == n2 && !memcmp(t1, t2, n1)), "write(parse(write(x))) != write(x)");
        free(t2);
        json_doc_free(d2);
    }
    free(t1);
    json_doc_free(d);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_json_one(data, size);
}
#endif
