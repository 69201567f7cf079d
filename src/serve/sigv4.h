/* sigv4.h - recognising an AWS Signature Version 4 Authorization header.
 *
 * The simulate calls touch no state, so `iamguard serve` accepts any
 * well-formed signature without verifying it (the IAM emulator adds
 * verification); a malformed one is rejected the way AWS rejects it. */
#ifndef IG_SIGV4_H
#define IG_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

/* True when `auth` has the shape
 *   AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/REGION/SERVICE/aws4_request,
 *   SignedHeaders=h1;h2, Signature=<64 hex digits>
 * Otherwise false with the reason in why. */
bool sigv4_well_formed(const char *auth, char *why, size_t cap);

#endif
