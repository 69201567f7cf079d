/* form.h - application/x-www-form-urlencoded bodies, as the AWS Query API
 * sends them: name=value pairs joined by '&', '+' for space, %XX escapes,
 * lists as Name.member.N (N from 1).  Hostile input: every decoded name and
 * value must be valid UTF-8 without NUL, names are unique, counts bounded.
 * Each pair remembers whether the caller used it, so parameters nobody
 * asked for can be reported. */
#ifndef IG_FORM_H
#define IG_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

#define FORM_MAX_PAIRS 100000u

typedef struct {
    const char *name;           /* decoded, NUL-terminated */
    const char *value;
    size_t value_len;
    bool used;
} form_pair;

typedef struct {
    ig_arena arena;
    form_pair *pairs;           /* sorted by name */
    size_t n;
} form;

/* Decode `len` bytes.  Returns 0, or -1 with a message in err (the form is
 * then empty but must still be freed). */
int form_parse(form *f, const char *body, size_t len, char *err, size_t errcap);
void form_free(form *f);

/* The value of `name` (marking it used); NULL when absent. */
const char *form_get(form *f, const char *name);

/* The pairs whose names start with `prefix`, in name order: [*first,
 * *first + count).  Used to collect Name.member.N lists. */
size_t form_prefix_range(const form *f, const char *prefix, size_t *first);

/* Parse the member index at `s` ("12" or "12.rest"): 1..max, no leading
 * zeros.  Returns the index and sets *rest to what follows the digits
 * ("" or ".rest"), or 0 when `s` does not start with a valid index. */
size_t form_member_index(const char *s, size_t max, const char **rest);

/* The first pair nobody used, or NULL. */
const form_pair *form_first_unused(const form *f);

#endif
