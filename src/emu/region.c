/* region.c - the regions a SigV4 credential scope may name.  IAM has one
 * endpoint per partition and AWS signs for it with the partition's global
 * region (us-east-1 in aws, us-gov-west-1 in aws-us-gov, cn-north-1 in
 * aws-cn); any other scope is refused with "Credential should be scoped to
 * a valid region".  STS has regional endpoints besides the global one, so
 * any region of the partition is accepted, and it becomes
 * aws:RequestedRegion as AWS sets it. */
#include <string.h>

#include "emu/emu_int.h"

/* The emulator's ARNs are arn:aws:..., so its partition is aws. */
static const char GLOBAL_REGION[] = "us-east-1";

/* Regions of the aws partition (AWS's published list, 2026). */
static const char *const REGIONS[] = {
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",
    "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
    "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
    "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
};

bool emu_region_valid(const char *service, const char *region)
{
    if (!region)
        return false;
    if (strcmp(service, "sts"))
        return !strcmp(region, GLOBAL_REGION);
    for (size_t i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++)
        if (!strcmp(region, REGIONS[i]))
            return true;
    return false;
}
