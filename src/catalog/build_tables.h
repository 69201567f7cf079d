/* build_tables.h - growable record arrays and a deduplicating string
 * table: what the catalog builder accumulates before writing the file. */
#ifndef IG_CATALOG_BUILD_TABLES_H
#define IG_CATALOG_BUILD_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    unsigned char *data;
    size_t n, cap, size;    /* records, capacity, bytes per record */
    bool failed;            /* sticky out-of-memory */
} bt_vec;

void bt_vec_init(bt_vec *v, size_t record_size);
void bt_vec_free(bt_vec *v);
/* A zeroed new record at the end, or NULL when out of memory. */
void *bt_vec_push(bt_vec *v);
static inline void *bt_vec_at(const bt_vec *v, size_t i) { return v->data + i * v->size; }

typedef struct {
    bt_vec bytes;           /* the table itself, records of one byte */
    uint32_t *slots;        /* open addressing: offset + 1, 0 = empty */
    size_t nslots, used;
    bool failed;
} bt_strings;

bool bt_strings_init(bt_strings *t);
void bt_strings_free(bt_strings *t);
/* Offset of n bytes of s (NUL-terminated in the table); equal strings
 * share one copy.  Sets t->failed and returns 0 when out of memory or past
 * the format's size limit. */
uint32_t bt_strings_add(bt_strings *t, const char *s, size_t n);
uint32_t bt_strings_add_lower(bt_strings *t, const char *s, size_t n);

#endif
