/* server_opts.h - the connection and pressure options that `iamguard
 * serve` and `iamguard emulate` share (docs/serve.md, "Limits"). */
#ifndef IG_CLI_SERVER_OPTS_H
#define IG_CLI_SERVER_OPTS_H

#include "serve/serve.h"

/* Option a with value v: 1 taken, 0 not one of these, -1 a bad value
 * (reported on stderr under `cmd`). */
int cli_server_opt(const char *cmd, const char *a, const char *v, serve_options *o);

/* Their lines of --help. */
extern const char CLI_SERVER_OPTS_HELP[];

#endif
