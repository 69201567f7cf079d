/* test_fuzz_regressions.c - replays every input the fuzzers ever flagged
 * (tests/fuzz/regressions/<target>/) through the same target code, plus the
 * case files as smoke inputs for the JSON and simulation-document targets.
 * A regression that comes back aborts (and ASan reports it in test-asan). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/fuzz.h"

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

static unsigned run_file(const char *path, fuzz_fn fn)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    assert_non_null(buf);
    size_t got = fread(buf, 1, (size_t)(n > 0 ? n : 0), f);
    fclose(f);
    /* an exact-size heap copy, so ASan sees any read past the input */
    fn(buf, got);
    free(buf);
    return 1;
}

/* Every regular file under dir (recursively; only *.json when json_only). */
static unsigned run_dir(const char *dir, fuzz_fn fn, bool json_only)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    unsigned n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            n += run_dir(path, fn, json_only);
        else if (!json_only || (strlen(path) > 5 && !strcmp(path + strlen(path) - 5, ".json")))
            n += run_file(path, fn);
    }
    closedir(d);
    return n;
}

static void test_regressions(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        fuzz_fn fn;
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
    unsigned total = 0;
    for (size_t i = 0; i < sizeof TARGETS / sizeof TARGETS[0]; i++) {
        char dir[256];
        snprintf(dir, sizeof dir, "tests/fuzz/regressions/%s", TARGETS[i].name);
        unsigned n = run_dir(dir, TARGETS[i].fn, false);
        fprintf(stderr, "%s: %u regression inputs\n", TARGETS[i].name, n);
        total += n;
    }
    unsigned smoke = run_dir("tests/cases", fuzz_json_one, true);
    smoke += run_dir("tests/cases", fuzz_simdoc_one, true);
    fprintf(stderr, "case files through fuzz_json and fuzz_simdoc: %u\n", smoke);
    assert_true(total + smoke > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
