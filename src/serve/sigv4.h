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
 * with AKID 1..128 of [A-Za-z0-9_], REGION 1..63 and SERVICE 1..31 of
 * [a-z0-9-], SignedHeaders at most 1023 bytes: exactly what the emulator's
 * sigv4_parse (emu/sigv4.h) holds, so the two agree.
 * Otherwise false with the reason in why. */
bool sigv4_well_formed(const char *auth, char *why, size_t cap);

#endif
