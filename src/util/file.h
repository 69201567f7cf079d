/* file.h - reading whole files with a size bound. */
#ifndef IG_FILE_H
#define IG_FILE_H

#include <stdbool.h>
#include <stddef.h>

#define IG_MAX_FILE (64u * 1024u * 1024u)

/* Read a file ("-" = standard input) into a NUL-terminated buffer.  Returns
 * NULL and sets *err (static text) on failure; caller frees. */
char *ig_read_file(const char *path, size_t max, size_t *len, const char **err);

/* Join dir and a relative path (absolute paths are returned as is) into
 * buf; returns buf. */
char *ig_path_join(const char *dir, const char *rel, char *buf, size_t cap);
/* The directory part of path ("." when none) into buf. */
char *ig_path_dir(const char *path, char *buf, size_t cap);
/* path names an existing directory (where a file is wanted, an error). */
bool ig_is_directory(const char *path);

#endif
