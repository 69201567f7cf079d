/* access_log.c - access log lines: one JSON object per request, valid JSON
 * whatever bytes the client put in its method, path or parameters. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve/server_int.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
    else return 0;
    if (len > n) return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

void serve_jw_bytes(json_writer *w, const char *s, size_t n)
{
    if (!s) {
        jw_null(w);
        return;
    }
    json_buf tmp;
    json_buf_init(&tmp);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(u + i, n - i);
        if (k) {
            json_buf_append(&tmp, s + i, k);
            i += k;
        } else {
            /* json_buf_quote turns the backslash into \\ */
            json_buf_printf(&tmp, "\\x%02X", u[i]);
            i++;
        }
    }
    jw_string_n(w, tmp.data ? tmp.data : "", tmp.len);
    if (tmp.failed) w->out->failed = true;
    json_buf_free(&tmp);
}

static void kbytes(json_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    if (s) serve_jw_bytes(w, s, strlen(s));
    else jw_null(w);
}

void serve_access_log(int fd, const serve_access *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[80];
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(ts.tv_nsec / 1000000) % 1000);
    json_buf line;
    json_buf_init(&line);
    json_writer w;
    jw_init(&w, &line, false);
    jw_object_begin(&w);
    jw_kstring(&w, "time", when);
    jw_kstring(&w, "requestId", a->request_id);
    kbytes(&w, "remote", a->remote);
    kbytes(&w, "method", a->method);
    kbytes(&w, "path", a->path);
    jw_kstring(&w, "route", a->route);
    jw_kint(&w, "status", a->status);
    jw_kint(&w, "bytesIn", (long long)a->bytes_in);
    jw_kint(&w, "bytesOut", (long long)a->bytes_out);
    jw_kint(&w, "micros", (long long)(a->seconds * 1e6));
    jw_kstring(&w, "outcome", a->outcome);
    if (a->detail) kbytes(&w, "detail", a->detail);
    unsigned long total = a->decisions[0] + a->decisions[1] + a->decisions[2];
    if (total) {
        jw_key(&w, "decisions");
        jw_object_begin(&w);
        for (int d = IG_IMPLICIT_DENY; d <= IG_ALLOWED; d++)
            jw_kint(&w, ig_decision_name((ig_decision)d), (long long)a->decisions[d]);
        jw_object_end(&w);
    }
    jw_object_end(&w);
    json_buf_puts(&line, "\n");
    if (!line.failed) {
        ssize_t rc = write(fd, line.data, line.len);
        (void)rc;
    }
    json_buf_free(&line);
}
