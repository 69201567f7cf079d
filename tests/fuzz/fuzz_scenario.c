/* fuzz_scenario.c - check scenarios (chk_load_file; there is no loader
 * from text, so the input is written to a file of an empty temporary
 * directory, which relative policy files resolve against) on arbitrary
 * bytes; an accepted scenario is run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "fuzz/fuzz.h"

static char dir[64];

static void remove_dir(void)
{
    if (dir[0])
        rmdir(dir);
}

int fuzz_scenario_one(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/iamguard-fuzz-XXXXXX");
        if (!mkdtemp(dir)) {
            dir[0] = 0;
            return 0;
        }
        atexit(remove_dir);
    }
    char path[96];
    snprintf(path, sizeof path, "%s/scenario.yml", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    bool written = fwrite(data, 1, size, f) == size;
    if (fclose(f) != 0 || !written) {
        unlink(path);
        return 0;
    }
    chk_options opt;
    memset(&opt, 0, sizeof opt);
    chk_scenario *s = NULL;
    ig_diag d;
    int rc = chk_load_file(path, &opt, &s, &d);
    unlink(path);
    if (rc != IG_OK) {
        FUZZ_CHECK(!s, "a rejected scenario was returned");
        return 0;
    }
    FUZZ_CHECK(s, "an accepted scenario was not returned");
    chk_run run;
    if (chk_run_scenario(s, &run) == IG_OK)
        chk_run_free(&run);
    chk_free(s);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* a policy file "-" or /dev/stdin must not wait for a terminal */
    if (!freopen("/dev/null", "r", stdin))
        return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_scenario_one(data, size);
}
#endif
