/* fuzz_cfn.c - CloudFormation templates (cfn_load_text, default
 * parameters) on arbitrary bytes; every policy of an accepted template is
 * compiled as an identity policy; notes have a position and agree with
 * `deployable`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/cfn.h"
#include "fuzz/fuzz.h"

int fuzz_cfn_one(const uint8_t *data, size_t size)
{
    cfn_params params;
    memset(&params, 0, sizeof params);
    cfn_template *t = NULL;
    ig_diag d;
    int rc = cfn_load_text((const char *)data, size, "fuzz.yml", &params, &t, &d);
    if (rc != IG_OK) {
        FUZZ_CHECK(!t, "a rejected template was returned");
        return 0;
    }
    FUZZ_CHECK(t, "an accepted template was not returned");
    bool undeployable = false;
    for (size_t i = 0; i < t->nnotes; i++) {
        FUZZ_CHECK(t->notes[i].msg && t->notes[i].line >= 1, "a note without message or line");
        undeployable = undeployable || t->notes[i].kind == CFN_NOTE_UNDEPLOYABLE;
    }
    FUZZ_CHECK(undeployable == !t->deployable, "deployable disagrees with the notes");
    for (size_t i = 0; i < t->npolicies && i < 64; i++) {
        ig_diag pd;
        ig_policy *p = cfn_compile_policy(t, &t->policies[i], IG_POLICY_IDENTITY, &pd);
        ig_policy_free(p);
    }
    cfn_free(t);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_cfn_one(data, size);
}
#endif
