/* query.h - pieces of the AWS IAM Query API shared by query.c (requests)
 * and query_xml.c (responses). */
#ifndef IG_QUERY_H
#define IG_QUERY_H

#include "awssim/awssim.h"
#include "serve/serve.h"
#include "serve/xml.h"

#define IAM_XMLNS "https://iam.amazonaws.com/doc/2010-05-08/"
#define IAM_API_VERSION "2010-05-08"

/* <ErrorResponse> with the reply's RequestId; `type` is Sender or Receiver. */
void query_error(serve_reply *r, int status, const char *type, const char *code,
                 const char *msg);

/* One EvaluationResults member. */
void query_write_result(xml_writer *w, const awssim *sim, const ig_request *rq,
                        const ig_result *res);

#endif
