/* view.h - a grant's resources as pattern lists to print (see view.c). */
#ifndef IG_AN_VIEW_H
#define IG_AN_VIEW_H

#include "analyze/analyze.h"

typedef struct {
    uint32_t n, cap;
    const lang_pat **p;
} an_patlist;

typedef struct {
    bool star_only;             /* the actions take the resource "*" */
    uint32_t npos, nneg;
    an_patlist *pos;            /* must match one pattern of each (empty lists: none) */
    an_patlist *neg;            /* must match no pattern of any */
} an_view;

bool an_view_build(an_ctx *c, ig_arena *A, const an_group *g, const an_grant *gr, an_view *v);

#endif
