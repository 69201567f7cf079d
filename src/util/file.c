/* file.c - whole-file reads and path helpers for the loaders. */
#include "util/alloc.h"
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *ig_read_file(const char *path, size_t max, size_t *len, const char **err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        *err = errno == ENOENT    ? "no such file"
               : errno == EISDIR  ? "is a directory"
               : errno == EACCES  ? "permission denied"
                                  : "cannot open file";
        return NULL;
    }
    /* fopen opens a directory for reading; the read would fail with a
     * bare "read error". */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        *err = "is a directory";
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = ig_malloc(cap + 1);
    if (!buf) {
        *err = "out of memory";
        goto fail;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                *err = "file too large";
                goto fail;
            }
            cap = cap * 2 > max ? max : cap * 2;
            char *nb = ig_realloc(buf, cap + 1);
            if (!nb) {
                *err = "out of memory";
                goto fail;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f)) {
                *err = "read error";
                goto fail;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    ig_free(buf);
    if (f != stdin)
        fclose(f);
    return NULL;
}

char *ig_path_join(const char *dir, const char *rel, char *buf, size_t cap)
{
    if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
        snprintf(buf, cap, "%s", rel);
    else
        snprintf(buf, cap, "%s/%s", dir, rel);
    return buf;
}

char *ig_path_dir(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, cap, ".");
    else if (slash == path)
        snprintf(buf, cap, "/");
    else
        snprintf(buf, cap, "%.*s", (int)(slash - path), path);
    return buf;
}

bool ig_is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
