/* html_cli.c - the glue between a command's JSON report and the HTML page
 * (src/report/): the command line for the footer, and the policy texts. */
#include <string.h>

#include "cli/html_cli.h"

int cli_write_html(FILE *out, rpt_kind kind, const char *title, int argc, char **argv,
                   const char *json, size_t len, char *err, size_t errcap)
{
    char cmd[512];
    size_t n = (size_t)snprintf(cmd, sizeof cmd, "iamguard");
    for (int i = 0; i < argc && n < sizeof cmd; i++)
        n += (size_t)snprintf(cmd + n, sizeof cmd - n, " %s", argv[i]);
    rpt_sources *src = rpt_sources_new();
    if (!src) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    rpt_html_opts o = { .kind = kind, .title = title, .command = cmd, .text = rpt_sources_text,
                        .text_ctx = src };
    json_buf page;
    json_buf_init(&page);
    int rc = rpt_html_from_json(&page, json, len, &o, err, errcap);
    if (rc == 0 && fwrite(page.data, 1, page.len, out) != page.len) {
        snprintf(err, errcap, "cannot write the page");
        rc = -1;
    }
    json_buf_free(&page);
    rpt_sources_free(src);
    return rc;
}
