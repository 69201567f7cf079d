/* sigv4.h - verifying AWS Signature Version 4 (the pieces auth.c puts
 * together; the header's shape is checked by serve/sigv4.h first). */
#ifndef IG_EMU_SIGV4_H
#define IG_EMU_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "json/json.h"

typedef struct {
    char key_id[136];
    char date8[12];
    char region[64];
    char service[32];
    char signed_headers[1024];
    char signature[80];
} sigv4_auth;

/* The components of a well-formed Authorization header. */
bool sigv4_parse(const char *auth, sigv4_auth *a);
/* Whether SignedHeaders lists `header` (lowercase). */
bool sigv4_signs(const sigv4_auth *a, const char *header);
/* AWS4-HMAC-SHA256\nDATE\nSCOPE\nhex(sha256(canonical request)) into out. */
bool sigv4_string_to_sign(const sigv4_auth *a, const char *method, const char *amz_date,
                          const char *(*header)(void *, const char *), void *conn,
                          const char *body, size_t len, json_buf *out);
void emu_sha256_hex(const void *data, size_t len, char out[65]);
bool emu_sigv4_sign(const char *secret, const char *date8, const char *region,
                    const char *service, const char *string_to_sign, char out[65]);
/* Constant-time comparison of two 64-digit hex signatures. */
bool emu_sigv4_equal(const char *a, const char *b);

#endif
