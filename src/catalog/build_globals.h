/* build_globals.h - reading the data package's global condition keys. */
#ifndef IG_CATALOG_BUILD_GLOBALS_H
#define IG_CATALOG_BUILD_GLOBALS_H

#include <stdbool.h>
#include <stddef.h>

#define BG_MAX_TEXT 256
#define BG_MAX_KEYS 1024

typedef struct {
    char key[BG_MAX_TEXT];      /* "aws:PrincipalTag/tag-key" */
    char type[BG_MAX_TEXT];     /* "String", "ArrayOfString", ... */
} bg_key;

/* Parse the JavaScript module text.  Returns 0, or -1 with *err set. */
int bg_read_globals(const char *js, size_t len, bg_key *keys, size_t cap,
                    size_t *count, const char **err);

#endif
