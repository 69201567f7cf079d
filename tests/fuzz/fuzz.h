/* fuzz.h - the fuzz targets' entry points.  Each tests/fuzz/fuzz_*.c
 * defines one of these and, unless FUZZ_NO_ENTRY is defined, the libFuzzer
 * entry LLVMFuzzerTestOneInput calling it; the normal test suite links all
 * four with FUZZ_NO_ENTRY to replay tests/fuzz/regressions/. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_json_one(const uint8_t *data, size_t size);
int fuzz_policy_one(const uint8_t *data, size_t size);
int fuzz_eval_one(const uint8_t *data, size_t size);
int fuzz_simdoc_one(const uint8_t *data, size_t size);
int fuzz_yaml_one(const uint8_t *data, size_t size);
int fuzz_cfn_one(const uint8_t *data, size_t size);
int fuzz_scenario_one(const uint8_t *data, size_t size);
int fuzz_form_one(const uint8_t *data, size_t size);
int fuzz_sigv4_one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A finding: print what broke and abort so the fuzzer keeps the input. */
#define FUZZ_CHECK(cond, what)                                                  \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", what, __FILE__, \
                    __LINE__);                                                  \
            abort();                                                            \
        }                                                                       \
    } while (0)

#endif
