/* examples.c - lookup in the table of embedded example files. */
#include <string.h>

#include "examples/examples.h"

const ig_embedded_file *ig_example_file(const char *name)
{
    for (const ig_embedded_file *f = ig_embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}
