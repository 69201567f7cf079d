/* html_cli.h - writing a command's JSON report as an HTML page. */
#ifndef IG_HTML_CLI_H
#define IG_HTML_CLI_H

#include <stdio.h>

#include "report/html.h"

/* Render `json` (the command's --format json output) as a page on `out`;
 * the page's footer shows "iamguard ARGV...".  Returns 0, or -1 with err
 * set. */
int cli_write_html(FILE *out, rpt_kind kind, const char *title, int argc, char **argv,
                   const char *json, size_t len, char *err, size_t errcap);

#endif
