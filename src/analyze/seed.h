/* seed.h - the analysis of the built-in imaging-viewer example (seed.c),
 * for `iamguard check`. */
#ifndef IG_AN_SEED_H
#define IG_AN_SEED_H

#include <stdio.h>

#include "analyze/account/account.h"
#include "analyze/analyze.h"
#include "json/json.h"

/* The account the seed's deployment leaves: the developer role and the
 * roles Amplify creates, with their policies, boundary and trust. */
int an_seed_account(ig_account **out, ig_diag *diag);

/* The analysis section: text to f, or (f NULL) the "analysis" member of
 * an open JSON object to w. */
int an_seed_report(an_ctx *c, FILE *f, json_writer *w);

#endif
