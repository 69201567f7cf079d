/* entity.h - stored users, groups, roles and instance profiles (the
 * `entities` table), shared by the operations on them. */
#ifndef IG_EMU_ENTITY_H
#define IG_EMU_ENTITY_H

#include "emu/emu_int.h"

typedef struct {
    const char *kind;           /* "user", "group", "role", "instance-profile" */
    bool found;
    const char *name, *id, *path, *arn;
    const char *trust, *description, *boundary;
    long long created, max_session;
} emu_entity;

/* 1 found, 0 not (arn is then the one it would have with path "/"), -1
 * database error (reply written). */
int emu_entity_get(emu_call *c, const char *kind, const char *name, emu_entity *out);
/* iam:PermissionsBoundary (the current boundary, when `boundary`) and
 * aws:ResourceTag/K of an existing entity. */
bool emu_entity_context(emu_call *c, const emu_entity *en, bool boundary, emu_ctx *x);
/* Add or overwrite tags; LimitExceeded past 50. */
bool emu_tags_replace(emu_call *c, const char *kind, const char *owner, const emu_tag *tags, size_t n);
/* Remove the entity with its tags, inline policies and attachments. */
bool emu_delete_owned(emu_call *c, const char *kind, const char *name);

/* UserName, or the calling user when it is absent (AWS's rule for
 * GetUser, access keys and the like): "" for the account root; NULL after
 * an error reply (a role session must name the user). */
const char *emu_user_or_caller(emu_call *c, const char **given);

void emu_xml_tags(emu_call *c, xml_writer *w, const char *kind, const char *owner, bool always);
/* <elem> of a Role / User / Group; `full` adds what Get* returns beyond
 * List* (boundary, tags, RoleLastUsed). */
void emu_xml_role(emu_call *c, xml_writer *w, const char *elem, const emu_entity *r, bool full);
void emu_xml_user(emu_call *c, xml_writer *w, const char *elem, const emu_entity *u, bool full);
void emu_xml_group(xml_writer *w, const char *elem, const emu_entity *g);

/* A permissions boundary names an existing policy; else NoSuchEntity. */
bool emu_boundary_exists(emu_call *c, const char *arn);

/* Writes <elem> for an entity the way a Get* reply shows it. */
typedef void emu_entity_xml(emu_call *c, xml_writer *w, const char *elem, const emu_entity *e);
/* The reply of the Create, Get and Update calls: the entity `name` of `kind`, read
 * back from the database, as <elem>. */
bool emu_reply_entity(emu_call *c, const char *kind, const char *name, const char *elem,
                      emu_entity_xml *write);

#endif
