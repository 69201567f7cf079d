/* catalog.c - opening catalog.bin: map it, then check every offset and
 * index in it once, so that no lookup afterwards can read outside the
 * mapping, whatever the file holds.  Checking is a linear pass over
 * fixed-size records (well under a millisecond for 22,000 actions). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog_int.h"
#include "policy/policy.h"
#include "util/alloc.h"

#define IGCAT_MAX_FILE (512u * 1024u * 1024u)

static bool section_ok(const ig_catalog *c, const igcat_section *s, size_t rec)
{
    return s->off % 4 == 0 && s->off >= sizeof(igcat_header) && s->off <= c->size &&
           (size_t)s->count <= (c->size - s->off) / rec;
}

static bool range_ok(uint32_t first, uint32_t count, uint32_t n)
{
    return first <= n && count <= n - first;
}

static bool str_ok(const ig_catalog *c, uint32_t off)
{
    return off < c->nstr;
}

static bool keyrefs_ok(const ig_catalog *c, uint32_t first, uint32_t count)
{
    if (!range_ok(first, count, c->nkref))
        return false;
    for (uint32_t i = 0; i < count; i++)
        if (c->kref[first + i] >= c->nkey)
            return false;
    return true;
}

static bool records_ok(const ig_catalog *c)
{
    const igcat_header *h = c->h;
    if (!str_ok(c, h->package) || !str_ok(c, h->version) || !str_ok(c, h->updated_at) ||
        !range_ok(h->global_first, h->global_count, c->nkey))
        return false;
    for (uint32_t i = 0; i < c->nsvc; i++) {
        const igcat_service *s = &c->svc[i];
        if (!str_ok(c, s->name) || !str_ok(c, s->title) ||
            !range_ok(s->action_first, s->action_count, c->nact) ||
            !range_ok(s->rtype_first, s->rtype_count, c->nrt) ||
            !range_ok(s->key_first, s->key_count, c->nkey))
            return false;
    }
    for (uint32_t i = 0; i < c->nact; i++) {
        const igcat_action *a = &c->act[i];
        if (!str_ok(c, a->name) || a->service >= c->nsvc ||
            !range_ok(a->rt_first, a->rt_count, c->nart) || !keyrefs_ok(c, a->key_first, a->key_count))
            return false;
    }
    for (uint32_t i = 0; i < c->nart; i++)
        if (c->art[i].rtype >= c->nrt || !keyrefs_ok(c, c->art[i].key_first, c->art[i].key_count))
            return false;
    for (uint32_t i = 0; i < c->nrt; i++) {
        const igcat_rtype *r = &c->rt[i];
        if (!str_ok(c, r->name) || !str_ok(c, r->arn) || r->service >= c->nsvc ||
            !keyrefs_ok(c, r->key_first, r->key_count))
            return false;
    }
    for (uint32_t i = 0; i < c->nkey; i++)
        if (!str_ok(c, c->key[i].name) ||
            (c->key[i].service >= c->nsvc && c->key[i].service != IGCAT_NONE))
            return false;
    for (uint32_t i = 0; i < c->npfx; i++)
        if (!str_ok(c, c->pfx[i].prefix) || c->pfx[i].service >= c->nsvc)
            return false;
    return true;
}

#define SECTION(field, sec, type, n) do { \
        if (!section_ok(c, &h->sec, sizeof(type))) return false; \
        c->field = (const type *)((const char *)c->map + h->sec.off); \
        c->n = h->sec.count; \
    } while (0)

static bool map_sections(ig_catalog *c)
{
    if (c->size < sizeof(igcat_header))
        return false;
    const igcat_header *h = c->map;
    if (memcmp(h->magic, IGCAT_MAGIC, sizeof h->magic) != 0 || h->format != IGCAT_FORMAT ||
        h->file_size != c->size)
        return false;
    c->h = h;
    SECTION(str, strings, char, nstr);
    SECTION(svc, services, igcat_service, nsvc);
    SECTION(act, actions, igcat_action, nact);
    SECTION(art, action_rtypes, igcat_action_rtype, nart);
    SECTION(rt, rtypes, igcat_rtype, nrt);
    SECTION(key, keys, igcat_key, nkey);
    SECTION(kref, keyrefs, uint32_t, nkref);
    SECTION(pfx, prefixes, igcat_prefix, npfx);
    /* Every string offset below nstr then ends inside the table. */
    return c->nstr > 0 && c->str[c->nstr - 1] == '\0' && records_ok(c);
}

ig_catalog *ig_catalog_open(const char *path, ig_diag *diag)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ig_diag_set(diag, IG_E_IO, path, NULL, 0, 0, "cannot open the service catalog: %s",
                    errno == ENOENT ? "no such file" : strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (unsigned long long)st.st_size > IGCAT_MAX_FILE) {
        close(fd);
        ig_diag_set(diag, IG_E_INPUT, path, NULL, 0, 0, "not a service catalog file");
        return NULL;
    }
    ig_catalog *c = ig_calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        ig_diag_set(diag, IG_E_NOMEM, path, NULL, 0, 0, "out of memory");
        return NULL;
    }
    c->size = (size_t)st.st_size;
    c->map = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (c->map == MAP_FAILED) {
        ig_free(c);
        ig_diag_set(diag, IG_E_IO, path, NULL, 0, 0, "cannot map the service catalog");
        return NULL;
    }
    if (!map_sections(c)) {
        ig_catalog_close(c);
        ig_diag_set(diag, IG_E_INPUT, path, NULL, 0, 0,
                    "not a valid service catalog (rebuild it with `make` or `iamguard catalog --from-package`)");
        return NULL;
    }
    return c;
}

void ig_catalog_close(ig_catalog *cat)
{
    if (!cat)
        return;
    if (cat->map && cat->map != MAP_FAILED)
        munmap(cat->map, cat->size);
    ig_free(cat);
}

void ig_catalog_get_info(const ig_catalog *cat, ig_catalog_info *out)
{
    out->package = igcat_str(cat, cat->h->package);
    out->version = igcat_str(cat, cat->h->version);
    out->updated_at = igcat_str(cat, cat->h->updated_at);
    out->services = cat->nsvc;
    out->actions = cat->nact;
    out->resource_types = cat->nrt;
    out->condition_keys = cat->nkey - cat->h->global_count;
    out->global_keys = cat->h->global_count;
}

uint32_t ig_catalog_service_count(const ig_catalog *cat) { return cat->nsvc; }

const char *ig_catalog_service_name(const ig_catalog *cat, uint32_t id)
{
    return id < cat->nsvc ? igcat_str(cat, cat->svc[id].name) : NULL;
}

bool ig_catalog_service_rcp(const ig_catalog *cat, uint32_t id)
{
    return id < cat->nsvc && (cat->svc[id].flags & IGCAT_SVC_RCP);
}
