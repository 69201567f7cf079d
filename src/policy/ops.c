/* ops.c - the table of IAM condition operators. */
#include <string.h>

#include "policy/policy_int.h"

static const ig_opdef OPS[] = {
    { "StringEquals",              VT_STRING,  CMP_EQ,   false, false, false },
    { "StringNotEquals",           VT_STRING,  CMP_EQ,   true,  false, false },
    { "StringEqualsIgnoreCase",    VT_STRING,  CMP_EQ,   false, true,  false },
    { "StringNotEqualsIgnoreCase", VT_STRING,  CMP_EQ,   true,  true,  false },
    { "StringLike",                VT_STRING,  CMP_LIKE, false, false, true  },
    { "StringNotLike",             VT_STRING,  CMP_LIKE, true,  false, true  },
    { "NumericEquals",             VT_NUMERIC, CMP_EQ,   false, false, false },
    { "NumericNotEquals",          VT_NUMERIC, CMP_EQ,   true,  false, false },
    { "NumericLessThan",           VT_NUMERIC, CMP_LT,   false, false, false },
    { "NumericLessThanEquals",     VT_NUMERIC, CMP_LE,   false, false, false },
    { "NumericGreaterThan",        VT_NUMERIC, CMP_GT,   false, false, false },
    { "NumericGreaterThanEquals",  VT_NUMERIC, CMP_GE,   false, false, false },
    { "DateEquals",                VT_DATE,    CMP_EQ,   false, false, false },
    { "DateNotEquals",             VT_DATE,    CMP_EQ,   true,  false, false },
    { "DateLessThan",              VT_DATE,    CMP_LT,   false, false, false },
    { "DateLessThanEquals",        VT_DATE,    CMP_LE,   false, false, false },
    { "DateGreaterThan",           VT_DATE,    CMP_GT,   false, false, false },
    { "DateGreaterThanEquals",     VT_DATE,    CMP_GE,   false, false, false },
    { "Bool",                      VT_BOOL,    CMP_EQ,   false, false, false },
    { "BinaryEquals",              VT_BINARY,  CMP_EQ,   false, false, false },
    { "IpAddress",                 VT_IP,      CMP_EQ,   false, false, false },
    { "NotIpAddress",              VT_IP,      CMP_EQ,   true,  false, false },
    { "ArnEquals",                 VT_ARN,     CMP_LIKE, false, false, true  },
    { "ArnLike",                   VT_ARN,     CMP_LIKE, false, false, true  },
    { "ArnNotEquals",              VT_ARN,     CMP_LIKE, true,  false, true  },
    { "ArnNotLike",                VT_ARN,     CMP_LIKE, true,  false, true  },
    { "Null",                      VT_NULL,    CMP_EQ,   false, false, false },
};

const ig_opdef *ig_op_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (strlen(OPS[i].name) == len && memcmp(OPS[i].name, name, len) == 0)
            return &OPS[i];
    return NULL;
}
