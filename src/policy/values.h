/* values.h - parsers and comparators for typed condition values.
 *
 * IAM condition operators compare strings, exact decimals, timestamps, IP
 * addresses/CIDR blocks and base64 blobs.  Policy values are parsed once at
 * compile time into these small fixed-size structs; request values are
 * parsed at evaluation time without allocating.  Every parser returns false
 * on malformed input and never reads past `len`.
 */
#ifndef IG_VALUES_H
#define IG_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Exact decimal: value = (neg ? -1 : 1) * 0.d1d2d3...dn * 10^exp, with the
 * digits normalised (no leading/trailing zeros; zero has ndigits == 0 and
 * neg == false).  Accepts what IAM accepts for Numeric operators: an
 * optional sign, digits, an optional fraction, an optional exponent
 * (e/E, sign, digits).  No hex, no inf/nan, no whitespace, no empty
 * string, at most IG_DECIMAL_MAX_DIGITS significant digits, |exp| bounded
 * by 100000 (anything else is rejected rather than rounded). */
#define IG_DECIMAL_MAX_DIGITS 40
typedef struct {
    bool neg;
    uint8_t ndigits;
    int32_t exp;
    uint8_t digits[IG_DECIMAL_MAX_DIGITS];   /* each 0..9 */
} ig_decimal;

bool ig_decimal_parse(const char *s, size_t len, ig_decimal *out);
int  ig_decimal_cmp(const ig_decimal *a, const ig_decimal *b);   /* -1/0/1 */

/* Timestamps as IAM Date operators take them: W3C ISO 8601 forms
 *   YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD, YYYY-MM-DDThh:mm:ssTZD,
 *   YYYY-MM-DDThh:mm:ss.sTZD (any number of fraction digits, kept to
 *   nanoseconds), TZD = Z | +hh:mm | -hh:mm (also +hhmm); a time without
 *   TZD is read as UTC; the compact basic form YYYYMMDDThhmmssZ is accepted;
 * or epoch seconds (an optional '-', digits, optional fraction).
 * Result: nanoseconds since 1970-01-01T00:00:00Z in a signed 64-bit value
 * (years 1678..2261).  Validates month/day ranges (leap years included),
 * hour <= 23 (24:00:00 accepted as end of day), minute <= 59, second <= 60. */
bool ig_date_parse(const char *s, size_t len, int64_t *out_ns);

/* IPv4 and IPv6 addresses and CIDR blocks.  An address without "/n" is a
 * /32 (IPv4) or /128 (IPv6) block.  IPv6 accepts "::" compression and an
 * embedded dotted IPv4 tail ("::ffff:10.0.0.1"); zone ids ("%eth0") and
 * leading zeros in IPv4 octets ("010.0.0.1") are rejected.  Bits beyond
 * the prefix are masked off when parsing a block. */
typedef struct {
    uint8_t family;         /* 4 or 6 */
    uint8_t prefix;         /* 0..32 or 0..128 */
    uint8_t addr[16];       /* IPv4 uses addr[0..3] */
} ig_cidr;

bool ig_cidr_parse(const char *s, size_t len, ig_cidr *out);
/* True when address `ip` (a parsed block; its prefix is ignored, its full
 * address is used) lies inside `block`.  Families never match each other. */
bool ig_cidr_contains(const ig_cidr *block, const ig_cidr *ip);

/* Standard base64 (RFC 4648 alphabet, '=' padding required when the length
 * is not a multiple of 4; no whitespace).  Writes at most `cap` bytes to
 * `out` and the decoded length to *out_len; returns false on bad input or
 * when `cap` is too small. */
bool ig_base64_decode(const char *s, size_t len, uint8_t *out, size_t cap,
                      size_t *out_len);

/* "true"/"false", ASCII case-insensitive (see docs/semantics.md, Bool). */
bool ig_bool_parse(const char *s, size_t len, bool *out);

#endif
