/* sql.c - small helpers over the SQLite API for the emulator's operations:
 * bind by a type string, step, read columns into the call's arena. */
#include <stdarg.h>
#include <string.h>

#include "emu/emu_int.h"

static sqlite3_stmt *prepare(emu_call *c, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->e->db, sql, -1, &st, NULL) != SQLITE_OK) {
        emu_db_error(c);
        return NULL;
    }
    for (int i = 0; types && types[i]; i++) {
        int rc;
        if (types[i] == 'i') {
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
        } else {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i + 1);
        }
        if (rc != SQLITE_OK) {
            sqlite3_finalize(st);
            emu_db_error(c);
            return NULL;
        }
    }
    return st;
}

sqlite3_stmt *emu_sql(emu_call *c, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = prepare(c, sql, types, ap);
    va_end(ap);
    return st;
}

int emu_step(emu_call *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc;
    emu_db_error(c);
    return -1;
}

bool emu_exec(emu_call *c, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = prepare(c, sql, types, ap);
    va_end(ap);
    if (!st)
        return false;
    int rc = emu_step(c, st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

const char *emu_col(emu_call *c, sqlite3_stmt *st, int i)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    if (!v)
        return NULL;
    char *s = ig_arena_strndup(&c->arena, (const char *)v, (size_t)sqlite3_column_bytes(st, i));
    /* a value lost to memory must not look like SQL NULL (a boundary that
     * seems absent would change decisions): the call fails instead */
    if (!s)
        emu_error(c, 500, "ServiceFailure", "out of memory");
    return s;
}

long long emu_col_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_int64(st, i);
}

long long emu_count(emu_call *c, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = prepare(c, sql, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    long long n = -1;
    int rc = emu_step(c, st);
    if (rc == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        n = 0;
    sqlite3_finalize(st);
    return n;
}
