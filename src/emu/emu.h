/* emu.h - the IAM emulator: an AWS IAM + STS Query endpoint that keeps real
 * state in SQLite, verifies SigV4 signatures against the access keys it
 * issued, and authorizes every call with iamguard's evaluator using the
 * caller's stored policies and the condition context AWS supplies for that
 * call.  `iamguard emulate` (src/cli/cmd_emulate.c) serves it through the
 * HTTP server of src/serve/; docs/emulator.md describes what is emulated. */
#ifndef IG_EMU_H
#define IG_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "iamguard.h"
#include "json/json.h"
#include "serve/serve.h"

typedef struct emu emu;

typedef struct {
    const char *db_path;
    const char *account;        /* 12 digits; used when the database is new */
    const char *boot_key_id;    /* the bootstrap (account root) key to ensure; */
    const char *boot_secret;    /* NULL: create a random one on first start */
    unsigned max_skew_s;        /* allowed clock skew of signatures (AWS: 900) */
} emu_options;

int emu_open(const emu_options *o, emu **out, ig_diag *diag);
void emu_close(emu *e);                                 /* NULL is fine */
const char *emu_account(const emu *e);
/* The bootstrap key, when emu_open created it (to be printed once). */
bool emu_created_key(const emu *e, const char **id, const char **secret);

/* serve_query_fn: one AWS Query API call (IAM 2010-05-08 or STS 2011-06-15). */
void emu_handle(void *ud, const serve_http_request *req, const char *body, size_t len,
                serve_reply *r);

/* State in and out: the JSON of `aws iam get-account-authorization-details`
 * (documents as objects or URL-encoded strings).  Import is one
 * transaction: all of the file or nothing. */
int emu_import_authz(emu *e, const char *json, size_t len, const char *file, ig_diag *diag);
/* AWS managed policies as JSON lines {"name","arn","version","document"}. */
int emu_import_managed(emu *e, const char *jsonl, size_t len, const char *file, ig_diag *diag);
/* A scenario of `iamguard check` (docs/check.md): its named policies as
 * customer managed policies, its principals as users and roles (a role
 * session -> its role) with identity policies attached and boundary set.
 * What cannot be represented is skipped with a line on `notes` (may be
 * NULL).  Imported as the authorization details above: all or nothing. */
int emu_import_scenario(emu *e, const char *path, FILE *notes, ig_diag *diag);
int emu_export_authz(emu *e, json_buf *out, ig_diag *diag);

/* Credentials of a role session as a service (e.g. lambda.amazonaws.com)
 * gets them when it assumes the role: allowed only when the role's trust
 * policy lets that service principal sts:AssumeRole.  Writes the JSON of
 * `aws sts assume-role` to out. */
int emu_service_session(emu *e, const char *role_name, const char *service,
                        const char *session_name, unsigned duration_s, json_buf *out,
                        ig_diag *diag);

#endif
