/* ids.c - random ids and secrets in AWS's shapes, and timestamps.
 *
 * Secrets and session tokens come from OpenSSL's CSPRNG: they are the only
 * thing that stands between a client and the emulated account. */
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "emu/emu_int.h"

static bool random_chars(const char *alphabet, size_t alen, size_t n, char *out)
{
    unsigned char buf[256];
    for (size_t done = 0; done < n;) {
        size_t chunk = n - done < sizeof buf ? n - done : sizeof buf;
        if (RAND_bytes(buf, (int)chunk) != 1)
            return false;
        /* alphabets of 32 and 64 letters divide 256: no modulo bias */
        for (size_t i = 0; i < chunk; i++)
            out[done + i] = alphabet[buf[i] % alen];
        done += chunk;
    }
    return true;
}

bool emu_random_id(const char *prefix, size_t n, char *out, size_t cap)
{
    static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    size_t pl = strlen(prefix);
    if (pl + n + 1 > cap)
        return false;
    memcpy(out, prefix, pl);
    if (!random_chars(B32, 32, n, out + pl))
        return false;
    out[pl + n] = '\0';
    return true;
}

bool emu_random_secret(size_t n, char *out, size_t cap)
{
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n + 1 > cap || !random_chars(B64, 64, n, out))
        return false;
    out[n] = '\0';
    return true;
}

void emu_iso_time(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
