/* sigv4_verify.c - AWS Signature Version 4: the canonical request of a
 * Query API call, the string to sign, the derived signing key.
 *
 * OpenSSL's libcrypto does SHA-256 and HMAC (Debian's libssl-dev): a
 * maintained, constant-time implementation that every Debian machine has,
 * and CRYPTO_memcmp compares signatures without leaking where they differ. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "emu/sigv4.h"

static void hex(const unsigned char *d, size_t n, char *out)
{
    static const char H[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = H[d[i] >> 4];
        out[2 * i + 1] = H[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void emu_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(data, len, md);
    hex(md, sizeof md, out);
}

static bool hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
    unsigned int n = 0;
    return HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &n) && n == 32;
}

bool emu_sigv4_sign(const char *secret, const char *date8, const char *region,
                    const char *service, const char *string_to_sign, char out[65])
{
    char k0[300];
    unsigned char kd[32], kr[32], ks[32], kk[32], sig[32];
    if (snprintf(k0, sizeof k0, "AWS4%s", secret) >= (int)sizeof k0)
        return false;
    bool ok = hmac(k0, strlen(k0), date8, kd) && hmac(kd, 32, region, kr) &&
              hmac(kr, 32, service, ks) && hmac(ks, 32, "aws4_request", kk) &&
              hmac(kk, 32, string_to_sign, sig);
    OPENSSL_cleanse(k0, sizeof k0);
    if (ok)
        hex(sig, 32, out);
    return ok;
}

bool emu_sigv4_equal(const char *a, const char *b)
{
    return strlen(a) == 64 && strlen(b) == 64 && CRYPTO_memcmp(a, b, 64) == 0;
}

/* One component "Name=value" of the Authorization header. */
static bool component(const char *auth, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *p = auth; (p = strstr(p, name)); p += nl) {
        bool start = p == auth || p[-1] == ' ' || p[-1] == ',';
        if (!start || p[nl] != '=')
            continue;
        const char *v = p + nl + 1, *end = v;
        while (*end && *end != ',' && *end != ' ')
            end++;
        if ((size_t)(end - v) >= cap)
            return false;
        memcpy(out, v, (size_t)(end - v));
        out[end - v] = '\0';
        return true;
    }
    return false;
}

bool sigv4_parse(const char *auth, sigv4_auth *a)
{
    char cred[400];
    memset(a, 0, sizeof *a);
    if (!component(auth, "Credential", cred, sizeof cred) ||
        !component(auth, "SignedHeaders", a->signed_headers, sizeof a->signed_headers) ||
        !component(auth, "Signature", a->signature, sizeof a->signature))
        return false;
    /* AKID/YYYYMMDD/region/service/aws4_request (shape checked before) */
    char *parts[5], *save = NULL, *p = cred;
    for (int i = 0; i < 5; i++, p = NULL)
        if (!(parts[i] = strtok_r(p, "/", &save)))
            return false;
    return snprintf(a->key_id, sizeof a->key_id, "%s", parts[0]) < (int)sizeof a->key_id &&
           snprintf(a->date8, sizeof a->date8, "%s", parts[1]) < (int)sizeof a->date8 &&
           snprintf(a->region, sizeof a->region, "%s", parts[2]) < (int)sizeof a->region &&
           snprintf(a->service, sizeof a->service, "%s", parts[3]) < (int)sizeof a->service;
}

bool sigv4_signs(const sigv4_auth *a, const char *header)
{
    size_t n = strlen(header);
    for (const char *p = a->signed_headers; *p;) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        if (len == n && !strncmp(p, header, n))
            return true;
        if (!semi)
            break;
        p = semi + 1;
    }
    return false;
}

/* Header value as SigV4 canonicalises it: outer blanks trimmed, runs of
 * blanks made one space. */
static void canonical_value(json_buf *b, const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    bool blank = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == ' ' || v[i] == '\t') {
            blank = true;
            continue;
        }
        if (blank)
            json_buf_append(b, " ", 1);
        blank = false;
        json_buf_append(b, v + i, 1);
    }
}

bool sigv4_string_to_sign(const sigv4_auth *a, const char *method, const char *amz_date,
                          const char *(*header)(void *, const char *), void *conn,
                          const char *body, size_t len, json_buf *out)
{
    json_buf cr;
    json_buf_init(&cr);
    /* the Query API is POST /, with the parameters in the body */
    json_buf_printf(&cr, "%s\n/\n\n", method);
    char name[128];
    for (const char *p = a->signed_headers; *p;) {
        const char *semi = strchr(p, ';');
        size_t l = semi ? (size_t)(semi - p) : strlen(p);
        if (l >= sizeof name) {
            json_buf_free(&cr);
            return false;
        }
        memcpy(name, p, l);
        name[l] = '\0';
        const char *v = header(conn, name);
        json_buf_printf(&cr, "%s:", name);
        canonical_value(&cr, v ? v : "");
        json_buf_puts(&cr, "\n");
        if (!semi)
            break;
        p = semi + 1;
    }
    char body_hash[65], cr_hash[65];
    emu_sha256_hex(body, len, body_hash);
    json_buf_printf(&cr, "\n%s\n%s", a->signed_headers, body_hash);
    if (cr.failed) {
        json_buf_free(&cr);
        return false;
    }
    emu_sha256_hex(cr.data, cr.len, cr_hash);
    json_buf_free(&cr);
    json_buf_printf(out, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", amz_date, a->date8,
                    a->region, a->service, cr_hash);
    return !out->failed;
}
