/* notes.c - what the reader could not know (placeholders) or what would not
 * deploy as written (macros, Rain directives), kept as notes beside the
 * model instead of stopping the load: a template is still read as far as it
 * is plain, and each note says where the model is less than certain. */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn_int.h"
#include "util/alloc.h"

bool cfn_is_placeholder(const char *s)
{
    const char *o = s ? strstr(s, "{{") : NULL;
    return o && strstr(o + 2, "}}");
}

bool cfn_note_add(cfn_ctx *c, cfn_note_kind kind, size_t offset, const char *fmt, ...)
{
    if (kind == CFN_NOTE_UNDEPLOYABLE)
        c->undeployable = true;
    /* Room is kept for the notes that say why a template is not
     * deployable, however many placeholders came first. */
    if (c->nnotes >= CFN_MAX_NOTES + (kind == CFN_NOTE_UNDEPLOYABLE ? 100u : 0u))
        return true;
    char msg[300], full[CFN_PATH_MAX + 320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->pathlen)
        snprintf(full, sizeof full, "%s: %s", c->path, msg);
    else
        snprintf(full, sizeof full, "%s", msg);
    /* Once per place: a value resolved again (a name used twice) says nothing new. */
    for (size_t i = 0; i < c->nnotes; i++)
        if (c->note_at[i] == offset && c->notes[i].kind == kind &&
            !strcmp(c->notes[i].msg, full))
            return true;
    if (c->nnotes == c->capnotes) {
        size_t cap = c->capnotes ? c->capnotes * 2 : 8;
        cfn_note *n = ig_realloc(c->notes, cap * sizeof *n);
        if (!n)
            return cfn_fail_code(c, IG_E_NOMEM, offset, "out of memory");
        c->notes = n;
        uint32_t *a = ig_realloc(c->note_at, cap * sizeof *a);
        if (!a)
            return cfn_fail_code(c, IG_E_NOMEM, offset, "out of memory");
        c->note_at = a;
        c->capnotes = cap;
    }
    char *m = json_doc_strndup(c->out, full, strlen(full));
    if (!m)
        return cfn_fail_code(c, IG_E_NOMEM, offset, "out of memory");
    cfn_note *n = &c->notes[c->nnotes];
    n->kind = kind;
    n->msg = m;
    json_line_col(c->text, c->len, offset, &n->line, &n->column);
    c->note_at[c->nnotes++] = (uint32_t)offset;
    return true;
}

int cfn_placeholder(cfn_ctx *c, const json_value *site, const char *what, const char *why,
                    json_value *out)
{
    char buf[400];
    snprintf(buf, sizeof buf, "{{%s}}", what);
    if (!cfn_note_add(c, CFN_NOTE_PLACEHOLDER, site->start, "%s: placeholder %s", why, buf) ||
        !cfn_string_value(c, buf, strlen(buf), site->start, site->end, out))
        return -1;
    return 1;
}

void cfn_notes_finish(cfn_ctx *c)
{
    c->t->notes = c->notes;
    c->t->nnotes = c->nnotes;
    c->t->deployable = !c->undeployable;
    c->notes = NULL;
    c->nnotes = 0;
    ig_free(c->note_at);
    c->note_at = NULL;
}

void cfn_notes_free(cfn_ctx *c)
{
    ig_free(c->notes);
    ig_free(c->note_at);
    c->notes = NULL;
    c->note_at = NULL;
}
