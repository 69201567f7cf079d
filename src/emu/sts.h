/* sts.h - temporary credentials of role sessions (ops_sts.c), also issued
 * to service principals by `iamguard emulate session` (session.c). */
#ifndef IG_EMU_STS_H
#define IG_EMU_STS_H

#include "emu/entity.h"

typedef struct {
    char key_id[32];
    char secret[64];
    char token[400];
    long long expires;
    char arn[400];
    char assumed_id[160];
} emu_session;

/* Store a new session of `role` named `session` for `duration` seconds,
 * limited by the session policy `policy` (may be NULL). */
bool emu_issue_session(emu_call *c, const emu_entity *role, const char *session, long duration,
                       const char *policy, emu_session *out);
void emu_xml_credentials(xml_writer *w, const emu_session *s);

#endif
