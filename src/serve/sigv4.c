/* sigv4.c - shape checks of SigV4 Authorization headers (no verification). */
#include <stdio.h>
#include <string.h>

#include "serve/sigv4.h"

#define SIGV4_MAX_HEADER 4096

static bool no(char *why, size_t cap, const char *msg)
{
    snprintf(why, cap, "%s", msg);
    return false;
}

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Bounds of the Credential scope fields.  They match what the emulator's
 * sigv4_parse (src/emu/sigv4.h) can hold, so every header serve calls
 * well-formed the emulator can parse: an access key ID is 1..128 word
 * characters (IAM's pattern [\w]+), a region at most 63 and a service at
 * most 31 lowercase letters, digits and '-'. */
#define SIGV4_MAX_KEY_ID 128
#define SIGV4_MAX_REGION 63
#define SIGV4_MAX_SERVICE 31
#define SIGV4_MAX_SIGNED_HEADERS 1023

static bool all_of(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !strchr(set, s[i])) return false;
    return true;
}

#define WORD_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
#define SCOPE_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-"

/* AKID/YYYYMMDD/region/service/aws4_request */
static bool credential_ok(const char *s, size_t n)
{
    const char *part[5];
    size_t len[5], k = 0;
    const char *p = s, *end = s + n;
    while (k < 5) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        part[k] = p;
        len[k] = (size_t)((slash ? slash : end) - p);
        k++;
        if (!slash) break;
        p = slash + 1;
    }
    if (k != 5 || part[4] + len[4] != end)
        return false;
    for (size_t i = 0; i < 4; i++)
        if (len[i] == 0) return false;
    return len[0] <= SIGV4_MAX_KEY_ID && all_of(part[0], len[0], WORD_CHARS) &&
           len[1] == 8 && is_digits(part[1], 8) &&
           len[2] <= SIGV4_MAX_REGION && all_of(part[2], len[2], SCOPE_CHARS) &&
           len[3] <= SIGV4_MAX_SERVICE && all_of(part[3], len[3], SCOPE_CHARS) &&
           len[4] == 12 && !memcmp(part[4], "aws4_request", 12);
}

static bool signed_headers_ok(const char *s, size_t n)
{
    if (n == 0 || n > SIGV4_MAX_SIGNED_HEADERS) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ';' || c == '_' || c == '.';
        if (!ok || (c == ';' && (i == 0 || i + 1 == n || s[i + 1] == ';'))) return false;
    }
    return true;
}

static bool signature_ok(const char *s, size_t n)
{
    if (n != 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

bool sigv4_well_formed(const char *auth, char *why, size_t cap)
{
    static const char ALG[] = "AWS4-HMAC-SHA256 ";
    if (!auth) return no(why, cap, "no Authorization header");
    size_t n = strlen(auth);
    if (n > SIGV4_MAX_HEADER) return no(why, cap, "Authorization header too long");
    if (strncmp(auth, ALG, sizeof ALG - 1))
        return no(why, cap, "Authorization header must use AWS4-HMAC-SHA256");
    const char *p = auth + sizeof ALG - 1, *end = auth + n;
    bool cred = false, hdrs = false, sig = false;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ',')) p++;
        if (p == end) break;
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (!eq) return no(why, cap, "Authorization header component without '='");
        size_t kl = (size_t)(eq - p), vl = (size_t)(stop - eq - 1);
        const char *v = eq + 1;
        while (vl && v[vl - 1] == ' ') vl--;
        if (kl == 10 && !memcmp(p, "Credential", 10)) {
            if (cred || !credential_ok(v, vl))
                return no(why, cap, "malformed Credential in Authorization header");
            cred = true;
        } else if (kl == 13 && !memcmp(p, "SignedHeaders", 13)) {
            if (hdrs || !signed_headers_ok(v, vl))
                return no(why, cap, "malformed SignedHeaders in Authorization header");
            hdrs = true;
        } else if (kl == 9 && !memcmp(p, "Signature", 9)) {
            if (sig || !signature_ok(v, vl))
                return no(why, cap, "malformed Signature in Authorization header");
            sig = true;
        } else {
            return no(why, cap, "unknown component in Authorization header");
        }
        p = stop;
    }
    if (!cred || !hdrs || !sig)
        return no(why, cap, "Authorization header needs Credential, SignedHeaders and Signature");
    return true;
}
