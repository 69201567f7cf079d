/* catalog_open.c - finding catalog.bin, or compiling a newer data package
 * into a cache file so that users can update the data without rebuilding
 * iamguard. */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/catalog_open.h"
#include "policy/policy.h"
#include "util/str.h"

static void exe_dir(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(buf, cap, ".");
        return;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    size_t len = strnlen(exe, cap - 1);
    memcpy(buf, exe, len);
    buf[len] = '\0';
}

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static long long mtime_of(const char *dir, const char *rel)
{
    char p[PATH_MAX + 64];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    return stat(p, &st) == 0 ? (long long)st.st_mtime : 0;
}

/* The cache file for a package directory: one per resolved path, so two
 * packages never share (or fight over) a cache entry. */
static int cache_path(const char *pkg, char *out, size_t cap, ig_diag *diag)
{
    char real[PATH_MAX], dir[PATH_MAX];
    if (!realpath(pkg, real)) {
        ig_diag_set(diag, IG_E_IO, pkg, NULL, 0, 0, "cannot resolve the data package directory");
        return -1;
    }
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(dir, sizeof dir, "%s/iamguard", xdg);
    else if (home && home[0] == '/')
        snprintf(dir, sizeof dir, "%s/.cache/iamguard", home);
    else
        snprintf(dir, sizeof dir, "/tmp/iamguard-%ld", (long)getuid());
    if (mkdir_p(dir) != 0) {
        ig_diag_set(diag, IG_E_IO, dir, NULL, 0, 0, "cannot create the cache directory");
        return -1;
    }
    snprintf(out, cap, "%s/catalog-%08x.bin", dir, ig_hash_lower(real, strlen(real)));
    return 0;
}

/* The data directory `make install` puts catalog.bin in; the Makefile
 * passes $(PREFIX)/share/iamguard. */
#ifndef IAMGUARD_DATADIR
#define IAMGUARD_DATADIR "/usr/local/share/iamguard"
#endif

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* catalog.bin beside the executable (the build tree), else in the
 * share/iamguard directory next to the executable's bin/ (an installed
 * tree, wherever it was moved or unpacked), else in the data directory it
 * was built for. When none exists, the last is named in the error. */
static void default_catalog(char *out, size_t cap)
{
    char dir[PATH_MAX];
    exe_dir(dir, sizeof dir);
    int n = snprintf(out, cap, "%s/catalog.bin", dir);
    if (n > 0 && (size_t)n < cap && is_file(out))
        return;
    n = snprintf(out, cap, "%s/../share/iamguard/catalog.bin", dir);
    if (n > 0 && (size_t)n < cap && is_file(out))
        return;
    snprintf(out, cap, "%s/catalog.bin", IAMGUARD_DATADIR);
}

ig_catalog *cli_open_catalog(const char *path, char *used, size_t cap, ig_diag *diag)
{
    char def[PATH_MAX];
    if (!path || !path[0])
        path = getenv("IAMGUARD_CATALOG");
    if (!path || !path[0]) {
        default_catalog(def, sizeof def);
        path = def;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char cache[PATH_MAX + 64];
        if (cache_path(path, cache, sizeof cache, diag) != 0)
            return NULL;
        struct stat cs;
        long long newest = mtime_of(path, "package.json");
        long long data = mtime_of(path, "data/services.json");
        if (data > newest)
            newest = data;
        snprintf(used, cap, "%s", cache);
        if (stat(cache, &cs) == 0 && (long long)cs.st_mtime >= newest) {
            ig_catalog *cat = ig_catalog_open(cache, diag);
            if (cat)
                return cat;
            /* A damaged or older-format cache file is rebuilt below. */
        }
        if (ig_catalog_build(path, cache, diag) != IG_OK)
            return NULL;
        return ig_catalog_open(cache, diag);
    }
    snprintf(used, cap, "%s", path);
    return ig_catalog_open(path, diag);
}
