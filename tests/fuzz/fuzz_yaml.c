/* fuzz_yaml.c - the structured reader (ig_parse_structured: JSON when the
 * text starts with '{' or '[', else YAML with CloudFormation tags) on
 * arbitrary bytes; a rejected document must come with an error message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "yaml/yaml.h"

int fuzz_yaml_one(const uint8_t *data, size_t size)
{
    json_error err;
    memset(&err, 0, sizeof err);
    json_doc *d = ig_parse_structured((const char *)data, size, NULL, &err);
    if (!d)
        return 0;
    FUZZ_CHECK(json_root(d), "an accepted document without a root");
    json_doc_free(d);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_yaml_one(data, size);
}
#endif
