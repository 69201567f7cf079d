/* emu.c - opening and closing an emulator over its database. */
#include <stdlib.h>
#include <string.h>

#include "emu/emu_int.h"
#include "policy/policy.h"

int emu_open(const emu_options *o, emu **out, ig_diag *diag)
{
    *out = NULL;
    if (!o->db_path || !*o->db_path) {
        ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0, "no database file given");
        return IG_E_INPUT;
    }
    if ((o->boot_key_id == NULL) != (o->boot_secret == NULL)) {
        ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                    "the bootstrap key needs both an access key id and a secret");
        return IG_E_INPUT;
    }
    if (o->boot_key_id && (strlen(o->boot_key_id) < 16 || strlen(o->boot_key_id) > 128 ||
                           strlen(o->boot_secret) < 16 || strlen(o->boot_secret) > 128 ||
                           strspn(o->boot_key_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
                               strlen(o->boot_key_id))) {
        ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                    "the bootstrap access key id must be 16-128 letters, digits or _, its secret 16-128 characters");
        return IG_E_INPUT;
    }
    emu *e = calloc(1, sizeof *e);
    if (!e) {
        ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    pthread_mutex_init(&e->mu, NULL);
    e->max_skew_s = o->max_skew_s ? o->max_skew_s : 900;
    int rc = emu_db_open(e, o, diag);
    if (rc != IG_OK) {
        emu_close(e);
        return rc;
    }
    *out = e;
    return IG_OK;
}

void emu_close(emu *e)
{
    if (!e)
        return;
    if (e->db)
        sqlite3_close(e->db);
    pthread_mutex_destroy(&e->mu);
    memset(e->created_secret, 0, sizeof e->created_secret);
    free(e);
}

const char *emu_account(const emu *e)
{
    return e->account;
}

bool emu_created_key(const emu *e, const char **id, const char **secret)
{
    *id = e->created_id;
    *secret = e->created_secret;
    return e->created_id[0] != '\0';
}
