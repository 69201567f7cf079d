/* reply.c - replies, JSON error bodies and request ids. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "serve/serve.h"

void serve_reply_init(serve_reply *r)
{
    memset(r, 0, sizeof *r);
    r->status = 500;
    r->content_type = "application/json";
    json_buf_init(&r->body);
}

void serve_reply_free(serve_reply *r)
{
    json_buf_free(&r->body);
}

void serve_json_error(serve_reply *r, int status, const char *code, const char *msg,
                      unsigned line, unsigned column)
{
    r->status = status;
    r->content_type = "application/json";
    r->detail = code;
    r->body.len = 0;
    r->body.failed = false;
    memset(r->decisions, 0, sizeof r->decisions);   /* nothing was decided */
    json_writer w;
    jw_init(&w, &r->body, false);
    jw_object_begin(&w);
    jw_key(&w, "error");
    jw_object_begin(&w);
    jw_key(&w, "code"); jw_string(&w, code);
    jw_key(&w, "message"); jw_string(&w, msg);
    jw_key(&w, "line");
    if (line) jw_int(&w, line); else jw_null(&w);
    jw_key(&w, "column");
    if (column) jw_int(&w, column); else jw_null(&w);
    jw_object_end(&w);
    jw_object_end(&w);
    json_buf_puts(&r->body, "\n");
}

/* splitmix64: request ids need to be unique, not secret; one getrandom()
 * per thread seeds it. */
static uint64_t next_random(void)
{
    static _Thread_local uint64_t state;
    static _Thread_local int seeded;
    if (!seeded) {
        if (getrandom(&state, sizeof state, 0) != (ssize_t)sizeof state)
            state = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)&state;
        seeded = 1;
    }
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void serve_request_id(char out[37])
{
    uint64_t a = next_random(), b = next_random();
    a = (a & ~0xF000ull) | 0x4000ull;                       /* version 4 */
    b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull; /* variant 10 */
    snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx",
             (unsigned)(a >> 32), (unsigned)((a >> 16) & 0xFFFF), (unsigned)(a & 0xFFFF),
             (unsigned)(b >> 48), (unsigned long long)(b & 0xFFFFFFFFFFFFull));
}

const char *serve_prefix(const char *v, char out[SERVE_PREFIX_MAX + 4])
{
    if (!v) v = "";
    size_t n = strnlen(v, SERVE_PREFIX_MAX + 1);
    if (n <= SERVE_PREFIX_MAX) {
        memcpy(out, v, n + 1);
        return out;
    }
    n = SERVE_PREFIX_MAX;
    while (n && ((unsigned char)v[n] & 0xC0) == 0x80) n--;    /* not inside a character */
    memcpy(out, v, n);
    memcpy(out + n, "...", 4);
    return out;
}
