/* sam.h - what the SAM transform (AWS::Serverless-2016-10-31) needs to know:
 * the published policy templates and connector profiles. */
#ifndef IG_CFN_SAM_H
#define IG_CFN_SAM_H

typedef struct {
    const char *name;                 /* e.g. "S3ReadPolicy" */
    const char *params;               /* its parameters, space-separated */
    const char *const *statements;    /* NULL-terminated, sam_templates.c's form */
} sam_policy_template;

const sam_policy_template *sam_find_policy_template(const char *name);

/* What a connector from a source type to a destination type grants. */
typedef struct {
    const char *source, *destination;  /* CloudFormation types */
    const char *const *read;           /* statements, or NULL: no such category */
    const char *const *write;
} sam_connector_profile;

const sam_connector_profile *sam_find_connector_profile(const char *source, const char *dest);

#endif
