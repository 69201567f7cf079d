/* build_tables.c - record arrays and the deduplicated string table of the
 * catalog builder.  Condition key names repeat across hundreds of
 * services; sharing them keeps catalog.bin small. */
#include "catalog/build_tables.h"

#include <string.h>

#include "util/alloc.h"
#include "util/str.h"

/* The file format addresses everything with 32-bit offsets; stay far below. */
#define BT_MAX_BYTES (256u * 1024u * 1024u)

void bt_vec_init(bt_vec *v, size_t record_size)
{
    memset(v, 0, sizeof *v);
    v->size = record_size;
}

void bt_vec_free(bt_vec *v)
{
    ig_free(v->data);
    v->data = NULL;
    v->n = v->cap = 0;
}

void *bt_vec_push(bt_vec *v)
{
    if (v->failed)
        return NULL;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        if (cap * v->size > BT_MAX_BYTES) {
            v->failed = true;
            return NULL;
        }
        unsigned char *d = ig_realloc(v->data, cap * v->size);
        if (!d) {
            v->failed = true;
            return NULL;
        }
        v->data = d;
        v->cap = cap;
    }
    void *r = v->data + v->n * v->size;
    memset(r, 0, v->size);
    v->n++;
    return r;
}

bool bt_strings_init(bt_strings *t)
{
    memset(t, 0, sizeof *t);
    bt_vec_init(&t->bytes, 1);
    t->nslots = 1u << 14;
    t->slots = ig_calloc(t->nslots, sizeof *t->slots);
    if (!t->slots)
        return false;
    /* Offset 0 is the empty string, so a zero field means "". */
    *(char *)bt_vec_push(&t->bytes) = '\0';
    return !t->bytes.failed;
}

void bt_strings_free(bt_strings *t)
{
    bt_vec_free(&t->bytes);
    ig_free(t->slots);
    t->slots = NULL;
}

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static bool grow_slots(bt_strings *t)
{
    size_t nslots = t->nslots * 2;
    uint32_t *slots = ig_calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < t->nslots; i++) {
        uint32_t e = t->slots[i];
        if (!e)
            continue;
        const char *s = (const char *)t->bytes.data + (e - 1);
        size_t j = hash_bytes(s, strlen(s)) & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = e;
    }
    ig_free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return true;
}

uint32_t bt_strings_add(bt_strings *t, const char *s, size_t n)
{
    if (t->failed)
        return 0;
    if (n == 0)
        return 0;
    if (memchr(s, '\0', n) || t->bytes.n + n + 1 > BT_MAX_BYTES) {
        t->failed = true;
        return 0;
    }
    if ((t->used + 1) * 2 > t->nslots && !grow_slots(t)) {
        t->failed = true;
        return 0;
    }
    size_t j = hash_bytes(s, n) & (t->nslots - 1);
    for (; t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
        const char *e = (const char *)t->bytes.data + (t->slots[j] - 1);
        if (strncmp(e, s, n) == 0 && e[n] == '\0')
            return t->slots[j] - 1;
    }
    uint32_t off = (uint32_t)t->bytes.n;
    for (size_t i = 0; i <= n; i++) {
        char *c = bt_vec_push(&t->bytes);
        if (!c) {
            t->failed = true;
            return 0;
        }
        *c = i < n ? s[i] : '\0';
    }
    t->slots[j] = off + 1;
    t->used++;
    return off;
}

uint32_t bt_strings_add_lower(bt_strings *t, const char *s, size_t n)
{
    char buf[512];
    if (n >= sizeof buf) {
        t->failed = true;
        return 0;
    }
    ig_copy_lower(buf, s, n);
    return bt_strings_add(t, buf, n);
}
