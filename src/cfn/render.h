/* render.h - the seed's CloudFormation template (deployment-security-cft.yml)
 * written from the imaging-viewer policies. */
#ifndef IG_CFN_RENDER_H
#define IG_CFN_RENDER_H

#include "iamguard.h"
#include "json/json.h"

/* The logical id (and default name) of the boundary policy; the developer
 * policy's occurrences of its ARN become `!Ref` to it. */
#define CFN_BOUNDARY_ID "ImagingViewerPermissionsBoundary"
#define CFN_DEVELOPER_ID "ImagingViewerDeveloperPolicy"

typedef struct {
    /* Policy documents as JSON text; NULL = the built-in examples. */
    const char *boundary, *developer;
    size_t boundary_len, developer_len;
    const char *boundary_file, *developer_file;     /* names for diagnostics */
    /* Only used in the deployment instructions at the top; NULL leaves a
     * placeholder. */
    const char *account, *region;
    /* The hardened example (examples/imaging-viewer-hardened/): its
     * policies by default, both ManagedPolicyName fixed (its conditions name
     * them), and its account 123456789012 written as ${AWS::AccountId}. */
    bool hardened;
} cfn_render_opts;

/* Append the template to `out`.  The result is read back and its policies
 * compiled before this returns IG_OK, so what is written always loads. */
int cfn_render_deployment(const cfn_render_opts *o, json_buf *out, ig_diag *diag);

#endif
