/* sources.c - the text of the files a report cites.  Files of the built-in
 * example come from the binary (they are named examples/imaging-viewer/...
 * in the report), others from disk, each at most RPT_MAX_SOURCE bytes. */
#include <stdlib.h>
#include <string.h>

#include "examples/examples.h"
#include "report/html.h"
#include "util/file.h"

#define RPT_MAX_SOURCE (4u * 1024u * 1024u)
#define RPT_MAX_READS  64

struct rpt_sources {
    char *texts[RPT_MAX_READS];
    size_t n;
};

rpt_sources *rpt_sources_new(void)
{
    return calloc(1, sizeof(rpt_sources));
}

void rpt_sources_free(rpt_sources *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->texts[i]);
    free(s);
}

const char *rpt_sources_text(void *sources, const char *file, size_t *len)
{
    rpt_sources *s = sources;
    if (!strncmp(file, "examples/", 9)) {
        const ig_embedded_file *e = ig_example_file(file + 9);
        if (e) {
            *len = e->len;
            return e->data;
        }
    }
    if (s->n == RPT_MAX_READS)
        return NULL;
    const char *err;
    char *text = ig_read_file(file, RPT_MAX_SOURCE, len, &err);
    if (text)
        s->texts[s->n++] = text;
    return text;
}
