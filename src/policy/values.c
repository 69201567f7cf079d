/* values.c - parsers and comparators for typed IAM condition values.
 *
 * Exact decimals, ISO 8601 / epoch timestamps, IPv4/IPv6 CIDR blocks,
 * base64 blobs and booleans.  Everything here works on (pointer, length)
 * input that need not be NUL-terminated, never allocates, never reads past
 * `len`, and never uses floating point: policy decisions must not depend on
 * rounding.  Each parser fills its output only on success.
 */
#include "policy/values.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Small character helpers (locale-independent on purpose).            */
/* ------------------------------------------------------------------ */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ------------------------------------------------------------------ */
/* Exact decimals                                                      */
/* ------------------------------------------------------------------ */

#define DEC_EXP_LIMIT 100000
/* The written exponent saturates here.  Digit-position adjustments are
 * bounded by the input length (capped below), so a saturated exponent can
 * never be pulled back into +-DEC_EXP_LIMIT: it is simply out of range. */
#define DEC_EXP_SATURATE 1000000000000000LL
/* No real numeric literal is this long; refusing longer input keeps every
 * position counter far away from overflow. */
#define DEC_MAX_INPUT ((size_t)INT32_MAX)

typedef struct {
    ig_decimal val;
    size_t pending_zeros;   /* zeros seen after the last nonzero digit */
    int64_t lead_zeros;     /* zeros before the first nonzero digit */
    bool seen_nonzero;
} dec_builder;

/* Feeds one mantissa digit.  Interior zeros are only committed once a
 * later nonzero digit proves they are significant, so trailing zeros
 * (however many) never count against IG_DECIMAL_MAX_DIGITS. */
static bool dec_push_digit(dec_builder *b, uint8_t d)
{
    if (d == 0) {
        if (b->seen_nonzero)
            b->pending_zeros++;
        else
            b->lead_zeros++;
        return true;
    }
    if ((size_t)b->val.ndigits + b->pending_zeros + 1 > IG_DECIMAL_MAX_DIGITS)
        return false;
    while (b->pending_zeros > 0) {
        b->val.digits[b->val.ndigits++] = 0;
        b->pending_zeros--;
    }
    b->val.digits[b->val.ndigits++] = d;
    b->seen_nonzero = true;
    return true;
}

/* Parses [+-]?digits into *out, saturating at DEC_EXP_SATURATE. */
static bool dec_parse_exponent(const char *s, size_t len, size_t *pos,
                               int64_t *out)
{
    size_t i = *pos;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    size_t start = i;
    int64_t v = 0;
    while (i < len && is_digit(s[i])) {
        if (v < DEC_EXP_SATURATE)
            v = v * 10 + (s[i] - '0');
        i++;
    }
    if (i == start)
        return false;
    if (v > DEC_EXP_SATURATE)
        v = DEC_EXP_SATURATE;
    *out = neg ? -v : v;
    *pos = i;
    return true;
}

bool ig_decimal_parse(const char *s, size_t len, ig_decimal *out)
{
    if (!s || !out || len == 0 || len > DEC_MAX_INPUT)
        return false;

    dec_builder b;
    memset(&b, 0, sizeof b);
    size_t i = 0;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-') {
        neg = s[i] == '-';
        i++;
    }

    int64_t int_digits = 0;
    size_t mantissa_digits = 0;
    while (i < len && is_digit(s[i])) {
        if (!dec_push_digit(&b, (uint8_t)(s[i] - '0')))
            return false;
        int_digits++;
        mantissa_digits++;
        i++;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit(s[i])) {
            if (!dec_push_digit(&b, (uint8_t)(s[i] - '0')))
                return false;
            mantissa_digits++;
            i++;
        }
    }
    if (mantissa_digits == 0)
        return false;

    int64_t written_exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (!dec_parse_exponent(s, len, &i, &written_exp))
            return false;
    }
    if (i != len)
        return false;

    if (!b.seen_nonzero) {
        /* Every spelling of zero, "-0" included, is the same value. */
        memset(out, 0, sizeof *out);
        return true;
    }
    /* value = 0.D * 10^int_digits * 10^written_exp; each leading zero of D
     * shifts the first significant digit one place right. */
    int64_t exp = int_digits - b.lead_zeros + written_exp;
    if (exp > DEC_EXP_LIMIT || exp < -DEC_EXP_LIMIT)
        return false;
    b.val.neg = neg;
    b.val.exp = (int32_t)exp;
    *out = b.val;
    return true;
}

/* Compares |a| and |b|; both normalised and nonzero. */
static int dec_cmp_magnitude(const ig_decimal *a, const ig_decimal *b)
{
    if (a->exp != b->exp)
        return a->exp > b->exp ? 1 : -1;
    size_t n = a->ndigits < b->ndigits ? a->ndigits : b->ndigits;
    for (size_t i = 0; i < n; i++) {
        if (a->digits[i] != b->digits[i])
            return a->digits[i] > b->digits[i] ? 1 : -1;
    }
    if (a->ndigits != b->ndigits)
        return a->ndigits > b->ndigits ? 1 : -1;
    return 0;
}

/* Sign of a normalised decimal: -1, 0 or 1. */
static int dec_sign(const ig_decimal *d)
{
    if (d->ndigits == 0)
        return 0;
    return d->neg ? -1 : 1;
}

int ig_decimal_cmp(const ig_decimal *a, const ig_decimal *b)
{
    int sa = dec_sign(a), sb = dec_sign(b);
    if (sa != sb)
        return sa > sb ? 1 : -1;
    if (sa == 0)
        return 0;
    /* Hand-built structs could claim too many digits; never read past. */
    ig_decimal ca = *a, cb = *b;
    if (ca.ndigits > IG_DECIMAL_MAX_DIGITS)
        ca.ndigits = IG_DECIMAL_MAX_DIGITS;
    if (cb.ndigits > IG_DECIMAL_MAX_DIGITS)
        cb.ndigits = IG_DECIMAL_MAX_DIGITS;
    int m = dec_cmp_magnitude(&ca, &cb);
    return sa > 0 ? m : -m;
}

/* ------------------------------------------------------------------ */
/* Timestamps                                                          */
/* ------------------------------------------------------------------ */

#define NS_PER_SEC 1000000000LL
#define SECS_PER_DAY 86400LL
/* Years whose every instant (even shifted by a 23:59 offset) fits in
 * int64 nanoseconds: the representable span is 1677-09-21..2262-04-11. */
#define DATE_MIN_YEAR 1678
#define DATE_MAX_YEAR 2261

typedef struct {
    int year, month, day;
    int hour, minute, second;
    int64_t frac_ns;
    int offset_sec;         /* local time minus UTC */
} civil_time;

/* Reads exactly n digits as a number. */
static bool read_fixed_digits(const char *s, size_t len, size_t *pos,
                              size_t n, int *out)
{
    if (len - *pos < n)
        return false;
    int v = 0;
    for (size_t k = 0; k < n; k++) {
        char c = s[*pos + k];
        if (!is_digit(c))
            return false;
        v = v * 10 + (c - '0');
    }
    *pos += n;
    *out = v;
    return true;
}

static bool expect_char(const char *s, size_t len, size_t *pos, char c)
{
    if (*pos >= len || s[*pos] != c)
        return false;
    (*pos)++;
    return true;
}

/* One or more digits after the '.'; digits past nanoseconds are checked
 * but truncated, since no IAM comparison needs finer resolution. */
static bool read_fraction_ns(const char *s, size_t len, size_t *pos,
                             int64_t *out_ns)
{
    size_t i = *pos;
    int64_t ns = 0;
    int kept = 0;
    while (i < len && is_digit(s[i])) {
        if (kept < 9) {
            ns = ns * 10 + (s[i] - '0');
            kept++;
        }
        i++;
    }
    if (i == *pos)
        return false;
    for (; kept < 9; kept++)
        ns *= 10;
    *pos = i;
    *out_ns = ns;
    return true;
}

static bool is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap_year(y))
        return 29;
    return days[m - 1];
}

/* Days since 1970-01-01 in the proleptic Gregorian calendar (Howard
 * Hinnant's days_from_civil: shift the year to start in March so the leap
 * day is last, then count whole 400-year eras). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = m > 2 ? m - 3 : m + 9;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* TZD: nothing (UTC), 'Z', or [+-]hh[:]mm. */
static bool parse_tzd(const char *s, size_t len, size_t *pos, int *offset_sec)
{
    *offset_sec = 0;
    if (*pos == len)
        return true;
    if (s[*pos] == 'Z') {
        (*pos)++;
        return true;
    }
    if (s[*pos] != '+' && s[*pos] != '-')
        return false;
    int sign = s[*pos] == '-' ? -1 : 1;
    (*pos)++;
    int hh, mm;
    if (!read_fixed_digits(s, len, pos, 2, &hh))
        return false;
    if (*pos < len && s[*pos] == ':')
        (*pos)++;
    if (!read_fixed_digits(s, len, pos, 2, &mm))
        return false;
    if (hh > 23 || mm > 59)
        return false;
    *offset_sec = sign * (hh * 3600 + mm * 60);
    return true;
}

/* hh:mm[:ss[.f]] (extended) or hhmmss[.f] (basic), then TZD. */
static bool parse_time_of_day(const char *s, size_t len, size_t *pos,
                              bool extended, civil_time *t)
{
    if (!read_fixed_digits(s, len, pos, 2, &t->hour))
        return false;
    if (extended && !expect_char(s, len, pos, ':'))
        return false;
    if (!read_fixed_digits(s, len, pos, 2, &t->minute))
        return false;
    bool has_seconds = !extended || (*pos < len && s[*pos] == ':');
    if (has_seconds) {
        if (extended)
            (*pos)++;
        if (!read_fixed_digits(s, len, pos, 2, &t->second))
            return false;
        if (*pos < len && s[*pos] == '.') {
            (*pos)++;
            if (!read_fraction_ns(s, len, pos, &t->frac_ns))
                return false;
        }
    }
    return parse_tzd(s, len, pos, &t->offset_sec);
}

static bool civil_time_valid(const civil_time *t)
{
    if (t->year < DATE_MIN_YEAR || t->year > DATE_MAX_YEAR)
        return false;
    if (t->month < 1 || t->month > 12)
        return false;
    if (t->day < 1 || t->day > days_in_month(t->year, t->month))
        return false;
    if (t->hour == 24)      /* 24:00:00 is the end of the day, nothing later */
        return t->minute == 0 && t->second == 0 && t->frac_ns == 0;
    return t->hour <= 23 && t->minute <= 59 && t->second <= 60;
}

/* The year range keeps every intermediate well inside int64. */
static int64_t civil_to_ns(const civil_time *t)
{
    int64_t days = days_from_civil(t->year, t->month, t->day);
    int64_t secs = days * SECS_PER_DAY + t->hour * 3600LL +
                   t->minute * 60LL + t->second - t->offset_sec;
    return secs * NS_PER_SEC + t->frac_ns;
}

/* YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.f]][TZD]. */
static bool parse_iso_extended(const char *s, size_t len, size_t *pos,
                               civil_time *t)
{
    if (*pos == len)
        return true;
    if (!expect_char(s, len, pos, '-') ||
        !read_fixed_digits(s, len, pos, 2, &t->month))
        return false;
    if (*pos == len)
        return true;
    if (!expect_char(s, len, pos, '-') ||
        !read_fixed_digits(s, len, pos, 2, &t->day))
        return false;
    if (*pos == len)
        return true;
    return expect_char(s, len, pos, 'T') &&
           parse_time_of_day(s, len, pos, true, t);
}

/* YYYYMMDDThhmmss[.f][TZD]: the basic form only exists with a full time. */
static bool parse_iso_basic(const char *s, size_t len, size_t *pos,
                            civil_time *t)
{
    return read_fixed_digits(s, len, pos, 2, &t->month) &&
           read_fixed_digits(s, len, pos, 2, &t->day) &&
           expect_char(s, len, pos, 'T') &&
           parse_time_of_day(s, len, pos, false, t);
}

static bool parse_iso8601(const char *s, size_t len, int64_t *out_ns)
{
    civil_time t = {.month = 1, .day = 1};
    size_t pos = 0;
    if (!read_fixed_digits(s, len, &pos, 4, &t.year))
        return false;
    bool extended = pos == len || s[pos] == '-';
    bool ok = extended ? parse_iso_extended(s, len, &pos, &t)
                       : parse_iso_basic(s, len, &pos, &t);
    if (!ok || pos != len || !civil_time_valid(&t))
        return false;
    *out_ns = civil_to_ns(&t);
    return true;
}

/* -?digits[.digits] seconds since the epoch, exactly, or false if it does
 * not fit int64 nanoseconds. */
static bool parse_epoch(const char *s, size_t len, int64_t *out_ns)
{
    /* INT64_MAX ns is 9223372036.854775807 s. */
    const uint64_t max_secs = (uint64_t)INT64_MAX / NS_PER_SEC;
    size_t i = 0;
    bool neg = false;
    if (i < len && s[i] == '-') {
        neg = true;
        i++;
    }
    size_t start = i;
    uint64_t secs = 0;
    while (i < len && is_digit(s[i])) {
        secs = secs * 10 + (uint64_t)(s[i] - '0');
        if (secs > max_secs)
            return false;
        i++;
    }
    if (i == start)
        return false;
    int64_t frac = 0;
    if (i < len && s[i] == '.') {
        i++;
        if (!read_fraction_ns(s, len, &i, &frac))
            return false;
    }
    if (i != len)
        return false;
    /* Magnitude check in unsigned arithmetic; the negative side has room
     * for one more nanosecond. */
    uint64_t mag = secs * (uint64_t)NS_PER_SEC + (uint64_t)frac;
    uint64_t limit = (uint64_t)INT64_MAX + (neg ? 1u : 0u);
    if (mag > limit)
        return false;
    if (!neg)
        *out_ns = (int64_t)mag;
    else if (mag == (uint64_t)INT64_MAX + 1u)
        *out_ns = INT64_MIN;
    else
        *out_ns = -(int64_t)mag;
    return true;
}

/* Four digits followed by '-' (extended), by 'T' after eight digits
 * (basic), or exactly four digits (a bare year) mean ISO 8601; anything
 * else is epoch seconds.  "2024" is therefore the year, not 2024 s after
 * the epoch - write "2024.0" for the latter. */
static bool looks_like_iso8601(const char *s, size_t len)
{
    if (len < 4)
        return false;
    for (size_t i = 0; i < 4; i++) {
        if (!is_digit(s[i]))
            return false;
    }
    if (len == 4 || s[4] == '-')
        return true;
    if (len < 9 || s[8] != 'T')
        return false;
    for (size_t i = 4; i < 8; i++) {
        if (!is_digit(s[i]))
            return false;
    }
    return true;
}

bool ig_date_parse(const char *s, size_t len, int64_t *out_ns)
{
    if (!s || !out_ns || len == 0)
        return false;
    int64_t ns;
    bool ok = looks_like_iso8601(s, len) ? parse_iso8601(s, len, &ns)
                                         : parse_epoch(s, len, &ns);
    if (ok)
        *out_ns = ns;
    return ok;
}

/* ------------------------------------------------------------------ */
/* IP addresses and CIDR blocks                                        */
/* ------------------------------------------------------------------ */

/* Exactly a.b.c.d with decimal octets 0..255 and no leading zeros (which
 * some resolvers read as octal, so they are ambiguous). */
static bool parse_ipv4(const char *s, size_t len, uint8_t addr[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0 && !expect_char(s, len, &i, '.'))
            return false;
        size_t start = i;
        unsigned v = 0;
        while (i < len && is_digit(s[i]) && i - start < 3) {
            v = v * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        size_t n = i - start;
        if (n == 0 || v > 255 || (n > 1 && s[start] == '0'))
            return false;
        addr[part] = (uint8_t)v;
    }
    return i == len;
}

/* One to four hex digits. */
static bool parse_hex_group(const char *s, size_t len, size_t *pos,
                            uint16_t *out)
{
    size_t i = *pos;
    unsigned v = 0;
    while (i < len && hex_value(s[i]) >= 0) {
        if (i - *pos == 4)
            return false;
        v = v * 16 + (unsigned)hex_value(s[i]);
        i++;
    }
    if (i == *pos)
        return false;
    *pos = i;
    *out = (uint16_t)v;
    return true;
}

/* True when the group starting at pos is really a dotted IPv4 tail. */
static bool at_ipv4_tail(const char *s, size_t len, size_t pos)
{
    while (pos < len && is_digit(s[pos]))
        pos++;
    return pos < len && s[pos] == '.';
}

/* RFC 4291 text form: eight groups, or fewer with exactly one "::"
 * standing for one or more zero groups; the last 32 bits may be written
 * as dotted IPv4. */
static bool parse_ipv6(const char *s, size_t len, uint8_t addr[16])
{
    uint16_t groups[8] = {0};
    size_t n = 0;
    long gap = -1;          /* group index where "::" sits */
    size_t i = 0;

    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < len) {
        if (at_ipv4_tail(s, len, i)) {
            uint8_t v4[4];
            if (n > 6 || !parse_ipv4(s + i, len - i, v4))
                return false;
            groups[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
            groups[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
            i = len;
            break;
        }
        if (n == 8 || !parse_hex_group(s, len, &i, &groups[n]))
            return false;
        n++;
        if (i == len)
            break;
        if (!expect_char(s, len, &i, ':'))
            return false;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = (long)n;
            i++;
        } else if (i == len) {
            return false;   /* a lone trailing ':' */
        }
    }

    if (gap >= 0) {
        if (n >= 8)
            return false;   /* "::" must stand for at least one group */
        size_t tail = n - (size_t)gap;
        memmove(&groups[8 - tail], &groups[gap], tail * sizeof groups[0]);
        memset(&groups[gap], 0, (8 - n) * sizeof groups[0]);
    } else if (n != 8) {
        return false;
    }
    for (size_t g = 0; g < 8; g++) {
        addr[2 * g] = (uint8_t)(groups[g] >> 8);
        addr[2 * g + 1] = (uint8_t)(groups[g] & 0xff);
    }
    return true;
}

/* Decimal 0..max without leading zeros. */
static bool parse_prefix_len(const char *s, size_t len, unsigned max,
                             uint8_t *out)
{
    if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > max)
        return false;
    *out = (uint8_t)v;
    return true;
}

static void mask_host_bits(uint8_t *addr, size_t nbytes, unsigned prefix)
{
    for (size_t b = 0; b < nbytes; b++) {
        unsigned first_bit = (unsigned)b * 8;
        if (prefix >= first_bit + 8)
            continue;
        if (prefix <= first_bit)
            addr[b] = 0;
        else
            addr[b] &= (uint8_t)(0xffu << (8 - (prefix - first_bit)));
    }
}

bool ig_cidr_parse(const char *s, size_t len, ig_cidr *out)
{
    if (!s || !out || len == 0)
        return false;
    const char *slash = memchr(s, '/', len);
    size_t addr_len = slash ? (size_t)(slash - s) : len;

    ig_cidr c;
    memset(&c, 0, sizeof c);
    bool is_v6 = memchr(s, ':', addr_len) != NULL;
    unsigned bits = is_v6 ? 128 : 32;
    bool ok = is_v6 ? parse_ipv6(s, addr_len, c.addr)
                    : parse_ipv4(s, addr_len, c.addr);
    if (!ok)
        return false;
    c.family = is_v6 ? 6 : 4;
    c.prefix = (uint8_t)bits;
    if (slash) {
        if (!parse_prefix_len(slash + 1, len - addr_len - 1, bits, &c.prefix))
            return false;
    }
    mask_host_bits(c.addr, bits / 8, c.prefix);
    *out = c;
    return true;
}

bool ig_cidr_contains(const ig_cidr *block, const ig_cidr *ip)
{
    if (!block || !ip || block->family != ip->family)
        return false;
    unsigned bits = block->family == 4 ? 32 : block->family == 6 ? 128 : 0;
    /* Structs not made by ig_cidr_parse could carry nonsense; refuse it
     * rather than read past addr[]. */
    if (bits == 0 || block->prefix > bits)
        return false;
    unsigned full = block->prefix / 8, rest = block->prefix % 8;
    if (memcmp(block->addr, ip->addr, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (block->addr[full] & mask) == (ip->addr[full] & mask);
}

/* ------------------------------------------------------------------ */
/* Base64                                                              */
/* ------------------------------------------------------------------ */

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Padding lives only at the end of the last quantum; at most two. */
static size_t b64_padding(const char *s, size_t len)
{
    size_t pad = 0;
    while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
        pad++;
    return pad;
}

/* Decodes one 4-character quantum, of which the last `pad` are '=', into
 * dst[0 .. 3-pad).  Unused low bits before padding must be zero so that
 * every byte string has exactly one accepted encoding (RFC 4648 3.5). */
static bool b64_decode_quantum(const char *q, size_t pad, uint8_t dst[3])
{
    int v[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < 4 - pad; k++) {
        v[k] = b64_value(q[k]);
        if (v[k] < 0)
            return false;
    }
    if (pad == 2 && (v[1] & 0x0f) != 0)
        return false;
    if (pad == 1 && (v[2] & 0x03) != 0)
        return false;
    uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
                    (uint32_t)v[2] << 6 | (uint32_t)v[3];
    dst[0] = (uint8_t)(bits >> 16);
    dst[1] = (uint8_t)(bits >> 8);
    dst[2] = (uint8_t)bits;
    return true;
}

/* Runs over every quantum; copies the bytes out only when `out` is set,
 * so a validation pass can precede the writing pass and a failed decode
 * leaves the caller's buffer untouched. */
static bool b64_walk(const char *s, size_t len, size_t pad, uint8_t *out)
{
    for (size_t q = 0; q < len; q += 4) {
        size_t qpad = q + 4 == len ? pad : 0;
        uint8_t bytes[3];
        if (!b64_decode_quantum(s + q, qpad, bytes))
            return false;
        if (out)
            memcpy(out + q / 4 * 3, bytes, 3 - qpad);
    }
    return true;
}

bool ig_base64_decode(const char *s, size_t len, uint8_t *out, size_t cap,
                      size_t *out_len)
{
    if ((!s && len > 0) || !out_len || len % 4 != 0)
        return false;
    size_t pad = b64_padding(s, len);
    size_t need = len / 4 * 3 - pad;
    if (need > cap || (need > 0 && !out))
        return false;
    if (!b64_walk(s, len, pad, NULL))
        return false;
    b64_walk(s, len, pad, out);
    *out_len = need;
    return true;
}

/* ------------------------------------------------------------------ */
/* Booleans                                                            */
/* ------------------------------------------------------------------ */

static bool equals_ignore_case(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (ascii_lower(s[i]) != word[i])
            return false;
    }
    return true;
}

bool ig_bool_parse(const char *s, size_t len, bool *out)
{
    if (!s || !out)
        return false;
    if (equals_ignore_case(s, len, "true")) {
        *out = true;
        return true;
    }
    if (equals_ignore_case(s, len, "false")) {
        *out = false;
        return true;
    }
    return false;
}
