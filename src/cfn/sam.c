/* sam.c - the SAM transform. */
#include "cfn/cfn_int.h"

bool cfn_sam_expand(cfn_ctx *c, const json_value *res, const json_value *globals,
                    json_value *out)
{
    (void)c;
    (void)globals;
    *out = *res;
    return true;
}
