/* ctx_clock.c - the moment an analysis runs at, and the context keys AWS
 * derives from it (aws:CurrentTime, aws:EpochTime; aws:TokenIssueTime is
 * a session's start, so at or before the moment). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "policy/policy.h"
#include "policy/values.h"
#include "util/str.h"

int an_clock_key(const char *key)
{
    static const char *const keys[] = { "aws:CurrentTime", "aws:EpochTime", "aws:TokenIssueTime" };
    size_t n = strlen(key);
    for (int i = 0; i < 3; i++)
        if (n == strlen(keys[i]) && ig_eq_icase(key, keys[i], n))
            return i + 1;
    return 0;
}

void an_clock_set(an_clock *k, int64_t ns)
{
    k->ns = ns;
    int64_t s = ns / 1000000000;
    if (ns < 0 && ns % 1000000000)
        s--;
    time_t t = (time_t)s;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(k->iso, sizeof k->iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(k->iso, sizeof k->iso, "1970-01-01T00:00:00Z");
    snprintf(k->epoch, sizeof k->epoch, "%lld", (long long)s);
    k->iso_ptr = k->iso;
    k->epoch_ptr = k->epoch;
}

int ig_analyzer_set_time(ig_analyzer *az, const char *when, ig_diag *diag)
{
    int64_t ns;
    if (!az || !when || !ig_date_parse(when, strlen(when), &ns)) {
        ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                    "not a time: \"%s\" (an ISO 8601 date such as 2026-12-06T18:00:00Z, or epoch seconds)",
                    when ? when : "");
        return IG_E_INPUT;
    }
    an_clock_set(&az->ctx.clock, ns);
    return IG_OK;
}

const char *ig_analyzer_time(const ig_analyzer *az)
{
    return az ? az->ctx.clock.iso : "";
}
