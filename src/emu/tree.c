/* tree.c - the two encodings of emu_tree: Query API XML (lists of
 * <member>, documents URL-encoded, times with Z) and the AWS CLI's JSON
 * (arrays, documents as JSON, times with +00:00). */
#include <string.h>

#include "emu/tree.h"

void tree_list(emu_tree *t, const char *name)
{
    if (t->json) {
        jw_key(t->j, name);
        jw_array_begin(t->j);
    } else {
        xw_open(t->x, name);
    }
}

void tree_list_end(emu_tree *t)
{
    if (t->json) jw_array_end(t->j);
    else xw_close(t->x);
}

void tree_item(emu_tree *t)
{
    if (t->json) jw_object_begin(t->j);
    else xw_open(t->x, "member");
}

void tree_item_end(emu_tree *t)
{
    if (t->json) jw_object_end(t->j);
    else xw_close(t->x);
}

void tree_str_item(emu_tree *t, const char *v)
{
    if (t->json) jw_string(t->j, v ? v : "");
    else xw_text(t->x, "member", v);
}

void tree_obj(emu_tree *t, const char *name)
{
    if (t->json) {
        jw_key(t->j, name);
        jw_object_begin(t->j);
    } else {
        xw_open(t->x, name);
    }
}

void tree_obj_end(emu_tree *t)
{
    if (t->json) jw_object_end(t->j);
    else xw_close(t->x);
}

void tree_str(emu_tree *t, const char *name, const char *v)
{
    if (t->json) {
        jw_key(t->j, name);
        jw_string(t->j, v ? v : "");
    } else {
        xw_text(t->x, name, v);
    }
}

void tree_uint(emu_tree *t, const char *name, unsigned long long v)
{
    if (t->json) {
        jw_key(t->j, name);
        jw_int(t->j, (long long)v);
    } else {
        xw_uint(t->x, name, v);
    }
}

void tree_bool(emu_tree *t, const char *name, bool v)
{
    if (t->json) {
        jw_key(t->j, name);
        jw_bool(t->j, v);
    } else {
        xw_bool(t->x, name, v);
    }
}

void tree_time(emu_tree *t, const char *name, long long when)
{
    if (!t->json) {
        emu_xml_time(t->x, name, when);
        return;
    }
    char iso[40];
    struct tm tm;
    time_t tt = (time_t)when;
    gmtime_r(&tt, &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    jw_key(t->j, name);
    jw_string(t->j, iso);
}

void tree_doc(emu_tree *t, const char *name, const char *doc)
{
    if (!t->json) {
        emu_xml_document(t->x, name, doc ? doc : "");
        return;
    }
    jw_key(t->j, name);
    json_error err;
    json_doc *d = doc ? json_parse(doc, strlen(doc), NULL, &err) : NULL;
    if (d) {
        jw_value(t->j, json_root(d));
        json_doc_free(d);
    } else {
        jw_string(t->j, doc ? doc : "");    /* stored documents always parse */
    }
}
