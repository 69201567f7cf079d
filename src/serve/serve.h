/* serve.h - `iamguard serve`: a decision service (JSON API) and an AWS IAM
 * Query API endpoint on libmicrohttpd.  See docs/serve.md.
 *
 * Request handlers are plain functions from a request body to a reply, so
 * they are tested without sockets; server.c only moves bytes between
 * libmicrohttpd and them. */
#ifndef IG_SERVE_H
#define IG_SERVE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "json/json.h"
#include "sim/sim.h"

/* ---- policy sets --------------------------------------------------------
 * `--policies DIR`: each DIR/NAME.json is a policy set NAME: the
 * "principal" and "policies" of a simulation document (docs/simulate.md);
 * "requests" are optional and ignored.  A loaded generation of sets is
 * immutable and reference counted: handlers hold a reference while they
 * evaluate, a reload publishes a new generation, and the old one is freed
 * when its last reader lets go. */

#define SERVE_MAX_SETS 1024
#define SERVE_MAX_SET_NAME 128

typedef struct {
    char *name;                 /* the file stem */
    sim_doc *doc;
} serve_set;

typedef struct serve_sets {
    atomic_long refs;
    unsigned long generation;
    size_t n;
    serve_set *sets;            /* sorted by name */
} serve_sets;

typedef struct {
    pthread_mutex_t mu;         /* guards `current` against a concurrent swap */
    pthread_mutex_t reload_mu;  /* one reload at a time */
    serve_sets *current;
    const char *dir;            /* NULL: no policy sets */
    unsigned long generation;
    atomic_ulong reloads_ok, reloads_failed;
} serve_store;

/* Load every *.json of dir (all or nothing).  A NULL dir gives no sets. */
int serve_sets_load(const char *dir, unsigned long generation, serve_sets **out, ig_diag *diag);
const serve_set *serve_sets_find(const serve_sets *s, const char *name);
/* The set whose principal is `arn`; a role ARN also finds sets whose
 * principal is a session of that role.  NULL when none. */
const serve_set *serve_sets_find_principal(const serve_sets *s, const char *arn);
void serve_sets_release(serve_sets *s);          /* NULL is fine */

int serve_store_init(serve_store *st, const char *dir, ig_diag *diag);
void serve_store_destroy(serve_store *st);
serve_sets *serve_store_acquire(serve_store *st);   /* never NULL after init */
/* Load the directory again and publish it; on failure the old sets stay. */
int serve_store_reload(serve_store *st, ig_diag *diag);

/* ---- requests and replies ---------------------------------------------- */

typedef enum {
    ROUTE_QUERY = 0,            /* POST /  (AWS Query API) */
    ROUTE_SIMULATE,
    ROUTE_AUTHORIZE,
    ROUTE_RELOAD,
    ROUTE_HEALTHZ,
    ROUTE_METRICS,
    ROUTE_LINT,
    ROUTE_OTHER,
    ROUTE_COUNT
} serve_route;

const char *serve_route_name(serve_route r);

typedef struct {
    size_t max_body;            /* bytes */
    size_t max_batch;           /* requests in one /v1/authorize call */
    size_t max_findings;        /* findings in one /v1/lint answer; 0: 1000 */
} serve_limits;

/* What the server's defences did (for /metrics): connections refused at
 * the global or per-client limit, evicted to make room, cut off at the
 * header or request deadline; requests refused for the body budget or a
 * full work queue, or for ambiguous framing. */
typedef struct {
    atomic_ulong refused_full, refused_client, evicted, header_deadline, request_deadline,
                 budget_refused, queue_refused, framing_rejected;
    atomic_long open;           /* connections */
    atomic_long body_bytes;     /* request body bytes held */
} serve_pressure;

/* For an error message: at most the first 64 bytes of a client's value
 * (cut at a UTF-8 boundary, "..." when cut), so that a megabyte of input
 * is never echoed back.  Returns out. */
#define SERVE_PREFIX_MAX 64

/* The largest answer a handler builds (413 response_too_large beyond). */
#define SERVE_MAX_REPLY (64u << 20)
const char *serve_prefix(const char *v, char out[SERVE_PREFIX_MAX + 4]);

typedef struct serve_metrics serve_metrics;

typedef struct {
    int status;
    const char *content_type;
    json_buf body;
    const char *detail;         /* for the access log: API action or error code */
    unsigned long decisions[3]; /* by ig_decision */
    char request_id[40];
} serve_reply;

/* What a replacement handler of POST / sees of the HTTP request beyond its
 * body: any header (case-insensitive; NULL when absent), the client's
 * address.  Used by the IAM emulator (src/emu/) to verify SigV4
 * signatures, which cover headers the simulator API never looks at. */
typedef struct {
    const char *method;
    const char *path;
    const char *remote_ip;                          /* "-" when unknown */
    const char *(*header)(void *conn, const char *name);
    void *conn;
} serve_http_request;

/* A handler of POST / in place of the simulator Query API. */
typedef void (*serve_query_fn)(void *ud, const serve_http_request *req, const char *body,
                               size_t len, serve_reply *r);

typedef struct {
    serve_store *store;
    const ig_catalog *catalog;  /* NULL: /v1/lint is unavailable */
    serve_metrics *metrics;
    serve_limits limits;
    double started;             /* monotonic seconds */
    serve_query_fn query_fn;    /* NULL: query_handle() */
    void *query_ud;
    serve_pressure *pressure;   /* NULL in handler tests */
} serve_ctx;

void serve_reply_init(serve_reply *r);
void serve_reply_free(serve_reply *r);
/* A fresh UUID-shaped id (version 4 layout) into out[37]. */
void serve_request_id(char out[37]);

/* JSON error body: {"error":{"code","message","line","column"}}. */
void serve_json_error(serve_reply *r, int status, const char *code, const char *msg,
                      unsigned line, unsigned column);

/* POST /v1/simulate, /v1/authorize, /v1/reload; GET /healthz, /metrics. */
void api_simulate(const serve_ctx *c, const char *body, size_t len, serve_reply *r);
void api_authorize(const serve_ctx *c, const char *body, size_t len, serve_reply *r);
void api_reload(const serve_ctx *c, serve_reply *r);
void api_healthz(const serve_ctx *c, serve_reply *r);
void api_metrics(const serve_ctx *c, serve_reply *r);
/* POST /v1/lint?type=identity: the findings of `iamguard lint` for the
 * policy in the body (JSON format of docs/lint.md). */
void api_lint(const serve_ctx *c, const char *type, const char *body, size_t len, serve_reply *r);

/* POST / : the AWS IAM Query API.  `content_type` and `authorization` are
 * the request headers (NULL when absent). */
void query_handle(const serve_ctx *c, const char *content_type, const char *authorization,
                  const char *body, size_t len, serve_reply *r);

/* SimulatePrincipalPolicy for the principal whose environment is `base`
 * (the IAM emulator's stored state) rather than a policy set; the caller
 * has checked Action, Version and the signature. */
void query_simulate_principal(const ig_env *base, const char *body, size_t len, serve_reply *r);

/* ---- metrics (Prometheus text) ------------------------------------------ */

serve_metrics *serve_metrics_new(void);
void serve_metrics_free(serve_metrics *m);
void serve_metrics_observe(serve_metrics *m, serve_route route, int status,
                           double seconds, const unsigned long decisions[3]);
void serve_metrics_write(const serve_metrics *m, const serve_ctx *c, json_buf *out);

/* ---- the HTTP server ---------------------------------------------------- */

typedef struct {
    const char *listen;         /* HOST:PORT, IPv4 or [IPv6] */
    const char *policies_dir;
    const char *access_log;     /* path, "-" for stderr, "off" */
    const ig_catalog *catalog;  /* for /v1/lint; may be NULL */
    unsigned threads;
    unsigned timeout_s;         /* idle connection timeout */
    unsigned header_timeout_s;  /* connect or end of response -> end of the next headers; 0: 5 */
    unsigned request_timeout_s; /* ... -> whole request received; 0: 30 */
    unsigned max_connections;
    unsigned max_per_client;    /* open connections from one address; 0: max_connections */
    size_t body_budget;         /* request body bytes held at once; 0: 64 MiB (at least max_body) */
    unsigned workers;           /* threads for heavy requests; 0: threads */
    serve_limits limits;
    serve_query_fn query_fn;    /* POST / goes here instead of the simulator API */
    void *query_ud;
} serve_options;

typedef struct serve_server serve_server;

/* Load the policy sets, bind and start serving. */
int serve_start(const serve_options *o, serve_server **out, ig_diag *diag);
/* The bound port (useful with port 0). */
unsigned serve_port(const serve_server *s);
int serve_reload(serve_server *s, ig_diag *diag);
/* Stop accepting, let open requests finish (at most grace_s), then stop. */
void serve_stop(serve_server *s, unsigned grace_s);

#endif
