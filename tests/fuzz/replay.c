/* replay.c - run fuzz inputs through a target without libFuzzer, for
 * debuggers, valgrind and MemorySanitizer builds (see docs/testing.md):
 *   replay TARGET FILE...   TARGET: fuzz_json fuzz_policy fuzz_eval fuzz_simdoc fuzz_yaml
 *                                   fuzz_cfn fuzz_scenario fuzz_form fuzz_sigv4
 * Link it with every tests/fuzz/fuzz_*.c compiled with -DFUZZ_NO_ENTRY. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(const uint8_t *, size_t);
    } TARGETS[] = {
        {"fuzz_json", fuzz_json_one},
        {"fuzz_policy", fuzz_policy_one},
        {"fuzz_eval", fuzz_eval_one},
        {"fuzz_simdoc", fuzz_simdoc_one},
        {"fuzz_yaml", fuzz_yaml_one},
        {"fuzz_cfn", fuzz_cfn_one},
        {"fuzz_scenario", fuzz_scenario_one},
        {"fuzz_form", fuzz_form_one},
        {"fuzz_sigv4", fuzz_sigv4_one},
    };
    if (argc < 3) {
        fprintf(stderr, "usage: replay TARGET FILE...\n");
        return 2;
    }
    const size_t ntargets = sizeof TARGETS / sizeof TARGETS[0];
    size_t t = 0;
    while (t < ntargets && strcmp(TARGETS[t].name, argv[1]))
        t++;
    if (t == ntargets) {
        fprintf(stderr, "replay: unknown target %s\n", argv[1]);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
        size_t got = buf ? fread(buf, 1, (size_t)(n > 0 ? n : 0), f) : 0;
        fclose(f);
        if (!buf)
            return 1;
        TARGETS[t].fn(buf, got);
        free(buf);
        printf("%s: ok\n", argv[i]);
    }
    return 0;
}
