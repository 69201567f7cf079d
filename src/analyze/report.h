/* report.h - writing analysis results as text and JSON. */
#ifndef IG_AN_REPORT_H
#define IG_AN_REPORT_H

#include <stdio.h>

#include "analyze/analyze.h"
#include "json/json.h"

/* "ArnLike iam:PermissionsBoundary arn:aws:iam::*:policy/B" */
void an_cond_text(const ig_cond *c, json_buf *out);
/* The caller of an environment in words: its ARN and what governs it. */
void an_subject_text(const an_subject *s, json_buf *out);

/* Effective permissions, per service. */
void an_effective_text(FILE *f, an_ctx *c, const an_effective *e, const char *title);
void an_effective_json(json_writer *w, an_ctx *c, const an_effective *e);

/* A request as JSON: action, resource, context, decision, matched. */
void an_request_json(json_writer *w, const an_request *r);

#endif
