/* tree.h - one writer, two encodings: the account's authorization details
 * go out as the XML of GetAccountAuthorizationDetails and as the JSON the
 * AWS CLI prints for it (`iamguard emulate export`), from one walk over the
 * database (authz_details.c). */
#ifndef IG_EMU_TREE_H
#define IG_EMU_TREE_H

#include "emu/emu_int.h"

typedef struct {
    bool json;
    xml_writer *x;
    json_writer *j;
} emu_tree;

void tree_list(emu_tree *t, const char *name);      /* a named list ... */
void tree_list_end(emu_tree *t);
void tree_item(emu_tree *t);                        /* ... of objects ... */
void tree_item_end(emu_tree *t);
void tree_str_item(emu_tree *t, const char *v);     /* ... or of strings */
void tree_obj(emu_tree *t, const char *name);       /* a named object */
void tree_obj_end(emu_tree *t);
void tree_str(emu_tree *t, const char *name, const char *v);
void tree_uint(emu_tree *t, const char *name, unsigned long long v);
void tree_bool(emu_tree *t, const char *name, bool v);
void tree_time(emu_tree *t, const char *name, long long when);
/* A policy document: URL-encoded text in XML, the JSON itself in JSON. */
void tree_doc(emu_tree *t, const char *name, const char *doc);

/* Filter bits of GetAccountAuthorizationDetails. */
enum { AD_USER = 1, AD_GROUP = 2, AD_ROLE = 4, AD_LOCAL = 8, AD_AWS = 16, AD_ALL = 31 };
/* UserDetailList, GroupDetailList, RoleDetailList, Policies. */
bool emu_write_authz_details(emu_call *c, emu_tree *t, unsigned filter);

#endif
