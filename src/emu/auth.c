/* auth.c - who is calling: the SigV4 signature checked against the secret
 * of an access key the emulator issued, the session token of temporary
 * credentials, the clock skew; errors as AWS words them.
 *
 * Checks run in the order that reveals least: the header's shape, the
 * key, the token, the time window, and only then the signature, compared
 * in constant time.  Nothing of the request is looked at before it passed. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "emu/emu_int.h"
#include "emu/sigv4.h"
#include "serve/sigv4.h"

#define INVALID_TOKEN "The security token included in the request is invalid."
#define BAD_SIGNATURE                                                                     \
    "The request signature we calculated does not match the signature you provided. " \
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

/* YYYYMMDDTHHMMSSZ -> seconds since the epoch; -1 when malformed. */
static long long parse_amz_date(const char *s)
{
    if (!s || strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
        return -1;
    for (int i = 0; i < 15; i++)
        if (i != 8 && (s[i] < '0' || s[i] > '9')) return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
#define NUM(off, n) ({ int v_ = 0; for (int k_ = 0; k_ < (n); k_++) v_ = v_ * 10 + (s[(off) + k_] - '0'); v_; })
    tm.tm_year = NUM(0, 4) - 1900;
    tm.tm_mon = NUM(4, 2) - 1;
    tm.tm_mday = NUM(6, 2);
    tm.tm_hour = NUM(9, 2);
    tm.tm_min = NUM(11, 2);
    tm.tm_sec = NUM(13, 2);
#undef NUM
    if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
        tm.tm_sec > 60)
        return -1;
    return (long long)timegm(&tm);
}

static void basic_time(long long t, char out[24])
{
    struct tm tm;
    time_t tt = (time_t)t;
    gmtime_r(&tt, &tm);
    strftime(out, 24, "%Y%m%dT%H%M%SZ", &tm);
}

static bool skew_ok(emu_call *c, const char *amz_date, long long when)
{
    long long max = c->e->max_skew_s, now = (long long)c->now;
    char now_s[24], edge[24];
    basic_time(now, now_s);
    if (when < now - max) {
        basic_time(now - max, edge);
        return emu_error(c, 403, "SignatureDoesNotMatch",
                         "Signature expired: %s is now earlier than %s (%s - %lld min.)", amz_date,
                         edge, now_s, max / 60);
    }
    if (when > now + max) {
        basic_time(now + max, edge);
        return emu_error(c, 403, "SignatureDoesNotMatch",
                         "Signature not yet current: %s is still later than %s (%s + %lld min.)",
                         amz_date, edge, now_s, max / 60);
    }
    return true;
}

typedef struct {
    const char *secret, *kind, *owner, *session_name, *token, *status, *session_policy;
    long long issued, expires;
} key_row;

static int load_key(emu_call *c, const char *id, key_row *k)
{
    sqlite3_stmt *st = emu_sql(c, "SELECT secret, kind, owner, session_name, token, status, session_policy,"
                                  " issued, expires FROM access_keys WHERE id = ?", "s", id);
    if (!st)
        return -1;
    int rc = emu_step(c, st);
    if (rc == SQLITE_ROW) {
        k->secret = emu_col(c, st, 0);
        k->kind = emu_col(c, st, 1);
        k->owner = emu_col(c, st, 2);
        k->session_name = emu_col(c, st, 3);
        k->token = emu_col(c, st, 4);
        k->status = emu_col(c, st, 5);
        k->session_policy = emu_col(c, st, 6);
        k->issued = emu_col_int(st, 7);
        k->expires = emu_col_int(st, 8);
    }
    sqlite3_finalize(st);
    return c->failed ? -1 : rc == SQLITE_ROW;
}

/* ARN, unique id and name of the key's principal. */
static bool fill_caller(emu_call *c, const key_row *k)
{
    emu_caller *who = &c->caller;
    const char *acct = c->e->account;
    if (!strcmp(k->kind, "root")) {
        who->kind = CALLER_ROOT;
        snprintf(who->arn, sizeof who->arn, "arn:aws:iam::%s:root", acct);
        snprintf(who->unique_id, sizeof who->unique_id, "%s", acct);
        return true;
    }
    bool user = !strcmp(k->kind, "user");
    sqlite3_stmt *st = emu_sql(c, "SELECT name, path, id FROM entities WHERE kind = ? AND name = ?", "ss",
                               user ? "user" : "role", k->owner ? k->owner : "");
    if (!st)
        return false;
    int rc = emu_step(c, st);
    const char *name = rc == SQLITE_ROW ? emu_col(c, st, 0) : NULL;
    const char *path = rc == SQLITE_ROW ? emu_col(c, st, 1) : NULL;
    const char *id = rc == SQLITE_ROW ? emu_col(c, st, 2) : NULL;
    sqlite3_finalize(st);
    if (c->failed)
        return false;
    if (!name || !path || !id)      /* its user or role is gone */
        return emu_error(c, 403, "InvalidClientTokenId", INVALID_TOKEN);
    snprintf(who->name, sizeof who->name, "%s", name);
    if (user) {
        who->kind = CALLER_USER;
        snprintf(who->arn, sizeof who->arn, "arn:aws:iam::%s:user%s%s", acct, path, name);
        snprintf(who->unique_id, sizeof who->unique_id, "%s", id);
    } else {
        who->kind = CALLER_ROLE_SESSION;
        snprintf(who->session, sizeof who->session, "%s", k->session_name ? k->session_name : "");
        snprintf(who->arn, sizeof who->arn, "arn:aws:sts::%s:assumed-role/%s/%s", acct, name, who->session);
        snprintf(who->unique_id, sizeof who->unique_id, "%s:%s", id, who->session);
        who->session_policy = k->session_policy ? emu_strdup(c, k->session_policy) : NULL;
        who->issued = k->issued;
        who->expires = k->expires;
    }
    return !c->failed;
}

bool emu_authenticate(emu_call *c, const char *body, size_t len)
{
    const serve_http_request *h = c->http;
    const char *auth = h->header(h->conn, "Authorization");
    char why[200];
    if (!auth)
        return emu_error(c, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    sigv4_auth a;
    if (!sigv4_well_formed(auth, why, sizeof why) || !sigv4_parse(auth, &a))
        return emu_error(c, 400, "IncompleteSignature", "%s", why);
    const char *amz_date = h->header(h->conn, "X-Amz-Date");
    if (!amz_date)
        return emu_error(c, 400, "IncompleteSignature",
                         "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    long long when = parse_amz_date(amz_date);
    if (when < 0)
        return emu_error(c, 400, "IncompleteSignature",
                         "Date must be in ISO-8601 'basic format'. Got '%.40s'.", amz_date);
    if (!sigv4_signs(&a, "host"))
        return emu_error(c, 400, "IncompleteSignature",
                         "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    if (strncmp(amz_date, a.date8, 8) || strlen(a.date8) != 8)
        return emu_error(c, 403, "SignatureDoesNotMatch",
                         "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%.8s', from '%s'.",
                         a.date8, amz_date, amz_date);
    key_row k;
    memset(&k, 0, sizeof k);
    int found = load_key(c, a.key_id, &k);
    if (found < 0)
        return false;
    if (!found || !k.secret || !k.kind || !k.status || strcmp(k.status, "Active"))
        return emu_error(c, 403, "InvalidClientTokenId", INVALID_TOKEN);
    const char *token = h->header(h->conn, "X-Amz-Security-Token");
    bool session = !strcmp(k.kind, "session");
    if (session) {
        if (!token || !k.token || strlen(token) != strlen(k.token) ||
            CRYPTO_memcmp(token, k.token, strlen(token)) != 0)
            return emu_error(c, 403, "InvalidClientTokenId", INVALID_TOKEN);
        if (k.expires <= (long long)c->now)
            return emu_error(c, 403, "ExpiredToken", "The security token included in the request is expired");
    } else if (token) {
        return emu_error(c, 403, "InvalidClientTokenId", INVALID_TOKEN);
    }
    if (!skew_ok(c, amz_date, when))
        return false;
    json_buf sts;
    json_buf_init(&sts);
    char want[65];
    bool ok = sigv4_string_to_sign(&a, h->method, amz_date, h->header, h->conn, body, len, &sts) &&
              emu_sigv4_sign(k.secret, a.date8, a.region, a.service, sts.data, want);
    json_buf_free(&sts);
    if (!ok)
        return emu_error(c, 500, "ServiceFailure", "out of memory");
    if (!emu_sigv4_equal(want, a.signature))
        return emu_error(c, 403, "SignatureDoesNotMatch", BAD_SIGNATURE);
    snprintf(c->caller.key_id, sizeof c->caller.key_id, "%s", a.key_id);
    snprintf(c->caller.region, sizeof c->caller.region, "%s", a.region);
    snprintf(c->caller.service, sizeof c->caller.service, "%s", a.service);
    return fill_caller(c, &k);
}
