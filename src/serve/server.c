/* server.c - libmicrohttpd glue for `iamguard serve`: routing, request
 * bodies within the body budget, framing checks, the work queues, the
 * access log, metrics, graceful stop.
 *
 * libmicrohttpd runs a pool of threads, each with its own epoll loop, and
 * gets its connections from our accept loop (conns.c).  A quick request's
 * handler runs on the thread that owns its connection; a heavy one
 * (jobs.c) suspends the connection and is resumed with its reply, so the
 * connection threads never wait for long work. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "policy/policy.h"
#include "util/alloc.h"
#include "serve/server_int.h"

/* One libmicrohttpd daemon, with its thread; the accept loop hands each
 * connection to the one with the fewest. */
typedef struct {
    serve_server *s;
    struct MHD_Daemon *daemon;
    atomic_uint conns;
} loop_thread;

struct serve_server {
    loop_thread *loops;
    unsigned nloops;
    serve_conns *conns;
    serve_jobs *jobs;           /* heavy requests */
    serve_jobs *lint_jobs;      /* /v1/lint, one at a time: its memory grows with its input */
    int listen_fd;
    serve_store store;
    serve_metrics *metrics;
    serve_pressure pressure;
    serve_ctx ctx;
    serve_options opts;
    int log_fd;                 /* -1: no access log */
    atomic_long in_flight;      /* requests between headers and completion */
    unsigned port;
    struct sockaddr_storage addr;
};

typedef struct {
    serve_server *s;
    struct MHD_Connection *conn;
    conn_entry *entry;
    double start;
    serve_route route;
    const char *method;
    char path[128];
    char *body;                 /* grown as the body arrives, within the body budget */
    size_t len, cap;
    size_t received;            /* body bytes, also those discarded */
    bool too_big, over_budget;
    bool queued, ready;         /* handed to a work queue; its reply is ready */
    bool close;                 /* answer with Connection: close */
    size_t bytes_out;           /* of an answer handed to libmicrohttpd */
    serve_reply reply;
} conn_req;

/* Connections per libmicrohttpd thread at most (see serve_start). */
#define MHD_CONNS_PER_THREAD 64u

/* Requests with bodies above this go to the work queue even on routes
 * that are usually quick (a /v1/authorize batch of thousands). */
#define INLINE_BODY_MAX (64u * 1024)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static serve_route route_of(const char *url, const char **allowed)
{
    static const struct { const char *path; serve_route route; const char *method; } ROUTES[] = {
        { "/", ROUTE_QUERY, "POST" },
        { "/v1/simulate", ROUTE_SIMULATE, "POST" },
        { "/v1/authorize", ROUTE_AUTHORIZE, "POST" },
        { "/v1/reload", ROUTE_RELOAD, "POST" },
        { "/healthz", ROUTE_HEALTHZ, "GET" },
        { "/metrics", ROUTE_METRICS, "GET" },
        { "/v1/lint", ROUTE_LINT, "POST" },
    };
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++)
        if (!strcmp(url, ROUTES[i].path)) {
            *allowed = ROUTES[i].method;
            return ROUTES[i].route;
        }
    *allowed = NULL;
    return ROUTE_OTHER;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, conn_req *cr)
{
    serve_reply *r = &cr->reply;
    /* large answers are handed over, not copied: one copy in memory */
    bool give = r->body.data && r->body.len > 65536;
    struct MHD_Response *resp =
        give ? MHD_create_response_from_buffer_with_free_callback(r->body.len, r->body.data, ig_free)
             : MHD_create_response_from_buffer(r->body.len, r->body.data ? r->body.data : (void *)"",
                                               MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    if (give) {
        cr->bytes_out = r->body.len;
        r->body.data = NULL;
        r->body.len = r->body.cap = 0;
    }
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "x-amzn-RequestId", r->request_id);
    if (r->status == 405) {
        const char *allowed;
        route_of(cr->path, &allowed);
        if (allowed) MHD_add_response_header(resp, "Allow", allowed);
    }
    if (r->status == 503)
        MHD_add_response_header(resp, "Retry-After", "1");
    if (cr->close)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* The client's numeric address into host ("-" when unknown). */
static void client_address(struct MHD_Connection *conn, char host[INET6_ADDRSTRLEN])
{
    snprintf(host, INET6_ADDRSTRLEN, "-");
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, host, INET6_ADDRSTRLEN);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, host, INET6_ADDRSTRLEN);
    }
}

static const char *request_header(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static void release_body(serve_server *s, conn_req *cr)
{
    if (cr->cap)
        atomic_fetch_sub(&s->pressure.body_bytes, (long)cr->cap);
    free(cr->body);
    cr->body = NULL;
    cr->len = cr->cap = 0;
}

static void dispatch(serve_server *s, struct MHD_Connection *conn, conn_req *cr)
{
    const char *body = cr->body ? cr->body : "";
    size_t len = cr->len;
    switch (cr->route) {
    case ROUTE_QUERY:
        if (s->ctx.query_fn) {
            char host[INET6_ADDRSTRLEN];
            client_address(conn, host);
            serve_http_request hr = { .method = cr->method, .path = cr->path, .remote_ip = host,
                                      .header = request_header, .conn = conn };
            s->ctx.query_fn(s->ctx.query_ud, &hr, body, len, &cr->reply);
            break;
        }
        query_handle(&s->ctx, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"),
                     MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
                     body, len, &cr->reply);
        break;
    case ROUTE_SIMULATE: api_simulate(&s->ctx, body, len, &cr->reply); break;
    case ROUTE_AUTHORIZE: api_authorize(&s->ctx, body, len, &cr->reply); break;
    case ROUTE_RELOAD: api_reload(&s->ctx, &cr->reply); break;
    case ROUTE_HEALTHZ: api_healthz(&s->ctx, &cr->reply); break;
    case ROUTE_METRICS: api_metrics(&s->ctx, &cr->reply); break;
    case ROUTE_LINT:
        api_lint(&s->ctx, MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "type"),
                 body, len, &cr->reply);
        break;
    default: serve_json_error(&cr->reply, 404, "not_found", "no such endpoint", 0, 0); break;
    }
    release_body(s, cr);
}

static void too_large(serve_server *s, conn_req *cr)
{
    char msg[96];
    snprintf(msg, sizeof msg, "the request body is larger than %zu bytes", s->opts.limits.max_body);
    serve_json_error(&cr->reply, 413, "payload_too_large", msg, 0, 0);
}

static void busy(serve_server *s, conn_req *cr, atomic_ulong *counter)
{
    atomic_fetch_add(counter, 1);
    (void)s;
    serve_json_error(&cr->reply, 503, "busy", "the server is at its limit; retry later", 0, 0);
}

/* Reserve n more bytes of the body budget. */
static bool budget_take(serve_server *s, size_t n)
{
    long after = atomic_fetch_add(&s->pressure.body_bytes, (long)n) + (long)n;
    if (after <= (long)s->opts.body_budget)
        return true;
    atomic_fetch_sub(&s->pressure.body_bytes, (long)n);
    return false;
}

/* First call: headers only.  Reject what can be rejected before reading a
 * body (ambiguous framing, unknown path, wrong method, declared size over
 * the limit or over what the body budget has left). */
static enum MHD_Result begin(serve_server *s, struct MHD_Connection *conn, const char *url,
                             const char *method, const char *version, void **req_cls)
{
    conn_req *cr = calloc(1, sizeof *cr);
    if (!cr)
        return MHD_NO;
    cr->s = s;
    cr->conn = conn;
    cr->start = now();
    cr->method = method;
    snprintf(cr->path, sizeof cr->path, "%s", url);
    serve_reply_init(&cr->reply);
    serve_request_id(cr->reply.request_id);
    *req_cls = cr;
    atomic_fetch_add(&s->in_flight, 1);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    cr->entry = ci ? ci->socket_context : NULL;
    serve_conns_phase(s->conns, cr->entry, CONN_BODY);
    const char *allowed;
    cr->route = route_of(url, &allowed);
    const char *framing = serve_framing_error(conn, version);
    if (framing) {
        atomic_fetch_add(&s->pressure.framing_rejected, 1);
        char msg[128];
        snprintf(msg, sizeof msg, "ambiguous request framing: %s", framing);
        serve_json_error(&cr->reply, 400, "bad_request", msg, 0, 0);
        cr->close = true;
        return send_reply(conn, cr);
    }
    bool method_ok = allowed && (!strcmp(method, allowed) ||
                                 (!strcmp(allowed, "GET") && !strcmp(method, "HEAD")));
    if (cr->route == ROUTE_OTHER) {
        serve_json_error(&cr->reply, 404, "not_found", "no such endpoint", 0, 0);
        return send_reply(conn, cr);
    }
    if (!method_ok) {
        serve_json_error(&cr->reply, 405, "method_not_allowed", "method not allowed on this endpoint", 0, 0);
        return send_reply(conn, cr);
    }
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        char *end;
        unsigned long long n = strtoull(cl, &end, 10);
        if (*end == '\0' && n > s->opts.limits.max_body) {
            too_large(s, cr);
            return send_reply(conn, cr);
        }
        /* refused now rather than after reading it, but nothing is
         * reserved: the buffer grows with the bytes that actually come */
        if (*end == '\0' && (long)n > (long)s->opts.body_budget - atomic_load(&s->pressure.body_bytes)) {
            busy(s, cr, &s->pressure.budget_refused);
            return send_reply(conn, cr);
        }
    }
    return MHD_YES;
}

/* Keep a piece of the body, growing the buffer within the budget. */
static enum MHD_Result take_body(serve_server *s, conn_req *cr, const char *data, size_t n)
{
    cr->received += n;
    if (now() - cr->start > s->opts.request_timeout_s)
        return MHD_NO;
    if (cr->too_big || cr->over_budget || cr->received > s->opts.limits.max_body) {
        if (!cr->over_budget) cr->too_big = true;
        release_body(s, cr);
        /* a body far over the limit is not worth reading to the end */
        return cr->received > 4 * s->opts.limits.max_body ? MHD_NO : MHD_YES;
    }
    if (cr->len + n > cr->cap) {
        size_t cap = cr->cap ? cr->cap : 16384;
        while (cap < cr->len + n) cap *= 2;
        if (cap > s->opts.limits.max_body) cap = s->opts.limits.max_body;
        size_t more = cap - cr->cap;
        char *grown = NULL;
        if (budget_take(s, more) && !(grown = realloc(cr->body, cap)))
            atomic_fetch_sub(&s->pressure.body_bytes, (long)more);
        if (!grown) {
            /* answered 503 once the rest is read (and dropped) */
            cr->over_budget = true;
            atomic_fetch_add(&s->pressure.budget_refused, 1);
            release_body(s, cr);
            return MHD_YES;
        }
        cr->body = grown;
        cr->cap = cap;
    }
    memcpy(cr->body + cr->len, data, n);
    cr->len += n;
    return MHD_YES;
}

static bool heavy(const conn_req *cr)
{
    switch (cr->route) {
    case ROUTE_QUERY: case ROUTE_SIMULATE: case ROUTE_LINT: case ROUTE_RELOAD: return true;
    case ROUTE_AUTHORIZE: return cr->len > INLINE_BODY_MAX;
    default: return false;
    }
}

static void run_job(void *arg, bool cancelled)
{
    conn_req *cr = arg;
    serve_server *s = cr->s;
    if (cancelled) {
        release_body(s, cr);
        serve_json_error(&cr->reply, 503, "shutting_down", "the server is stopping", 0, 0);
    } else {
        size_t big = cr->cap;
        dispatch(s, cr->conn, cr);
        /* give the pages of a large request back to the system */
        if (big > INLINE_BODY_MAX || cr->route == ROUTE_LINT)
            malloc_trim(0);
    }
    cr->ready = true;
    MHD_resume_connection(cr->conn);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    serve_server *s = cls;
    conn_req *cr = *req_cls;
    if (!cr)
        return begin(s, conn, url, method, version, req_cls);
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return take_body(s, cr, upload_data, n);
    }
    if (cr->ready)
        return send_reply(conn, cr);
    if (cr->queued)
        return MHD_YES;
    serve_conns_phase(s->conns, cr->entry, CONN_BUSY);
    if (cr->too_big) {
        too_large(s, cr);
        return send_reply(conn, cr);
    }
    if (cr->over_budget) {
        busy(s, cr, &s->pressure.queue_refused);
        atomic_fetch_sub(&s->pressure.queue_refused, 1);    /* counted as budget_refused */
        return send_reply(conn, cr);
    }
    if (heavy(cr)) {
        cr->queued = true;
        MHD_suspend_connection(conn);
        if (serve_jobs_submit(cr->route == ROUTE_LINT ? s->lint_jobs : s->jobs, run_job, cr))
            return MHD_YES;
        release_body(s, cr);
        busy(s, cr, &s->pressure.queue_refused);
        cr->ready = true;
        MHD_resume_connection(conn);
        return MHD_YES;
    }
    dispatch(s, conn, cr);
    return send_reply(conn, cr);
}

static const char *termination_name(enum MHD_RequestTerminationCode toe)
{
    switch (toe) {
    case MHD_REQUEST_TERMINATED_COMPLETED_OK: return "completed";
    case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED: return "timeout";
    case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN: return "shutdown";
    case MHD_REQUEST_TERMINATED_CLIENT_ABORT: return "client_abort";
    case MHD_REQUEST_TERMINATED_READ_ERROR: return "read_error";
    default: return "error";
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    serve_server *s = cls;
    conn_req *cr = *req_cls;
    if (!cr)
        return;
    *req_cls = NULL;
    double seconds = now() - cr->start;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && cr->reply.status == 500 && !cr->reply.body.len)
        cr->reply.status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 400;
    serve_metrics_observe(s->metrics, cr->route, cr->reply.status, seconds, cr->reply.decisions);
    if (s->log_fd >= 0) {
        char host[INET6_ADDRSTRLEN];
        client_address(conn, host);
        serve_access a = { .request_id = cr->reply.request_id, .remote = host, .method = cr->method,
                           .path = cr->path, .route = serve_route_name(cr->route),
                           .outcome = termination_name(toe), .detail = cr->reply.detail,
                           .status = cr->reply.status, .bytes_in = cr->received,
                           .bytes_out = cr->bytes_out ? cr->bytes_out : cr->reply.body.len, .seconds = seconds,
                           .decisions = cr->reply.decisions };
        serve_access_log(s->log_fd, &a);
    }
    serve_conns_phase(s->conns, cr->entry, CONN_IDLE);
    serve_reply_free(&cr->reply);
    release_body(s, cr);
    free(cr);
    atomic_fetch_sub(&s->in_flight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    loop_thread *l = cls;
    serve_server *s = l->s;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? serve_conns_started(s->conns, ci->connect_fd) : NULL;
    } else {
        serve_conns_closed(s->conns, *socket_context);
        *socket_context = NULL;
        atomic_fetch_sub(&l->conns, 1);
    }
}

static bool admit(void *ud, int fd, const struct sockaddr *sa, socklen_t len)
{
    serve_server *s = ud;
    loop_thread *best = &s->loops[0];
    for (unsigned i = 1; i < s->nloops; i++)
        if (atomic_load(&s->loops[i].conns) < atomic_load(&best->conns)) best = &s->loops[i];
    atomic_fetch_add(&best->conns, 1);
    if (MHD_add_connection(best->daemon, fd, sa, len) == MHD_YES)
        return true;
    atomic_fetch_sub(&best->conns, 1);
    return false;
}

/* libmicrohttpd's messages on stderr, at most 10 a second: a flood of bad
 * clients must not turn into a flood of log lines. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    static atomic_long window, count, dropped;
    long sec = (long)time(NULL);
    if (atomic_exchange(&window, sec) != sec) {
        long d = atomic_exchange(&dropped, 0);
        atomic_store(&count, 0);
        if (d > 0)
            fprintf(stderr, "iamguard serve: libmicrohttpd: (%ld more messages not shown)\n", d);
    }
    if (atomic_fetch_add(&count, 1) >= 10) {
        atomic_fetch_add(&dropped, 1);
        return;
    }
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n') msg[--n] = '\0';
    fprintf(stderr, "iamguard serve: libmicrohttpd: %s\n", msg);
}

/* HOST:PORT, [V6]:PORT or :PORT (loopback). */
static int parse_listen(const char *spec, struct sockaddr_storage *out, ig_diag *diag)
{
    char host[256], port[16];
    const char *colon = strrchr(spec, ':');
    if (!colon || strlen(colon + 1) == 0 || strlen(colon + 1) >= sizeof port ||
        (size_t)(colon - spec) >= sizeof host)
        goto bad;
    snprintf(port, sizeof port, "%s", colon + 1);
    size_t hl = (size_t)(colon - spec);
    if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']')
        snprintf(host, sizeof host, "%.*s", (int)(hl - 2), spec + 1);
    else
        snprintf(host, sizeof host, "%.*s", (int)hl, spec);
    for (const char *p = port; *p; p++)
        if (*p < '0' || *p > '9') goto bad;
    if (atoi(port) > 65535) goto bad;
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *res;
    if (getaddrinfo(host[0] ? host : "127.0.0.1", port, &hints, &res) != 0 || !res)
        goto bad;
    memcpy(out, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return IG_OK;
bad:
    ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                "--listen takes HOST:PORT (e.g. 127.0.0.1:8642 or [::1]:8642), got \"%s\"", spec);
    return IG_E_INPUT;
}

static int open_log(const serve_options *o, int *fd, ig_diag *diag)
{
    if (!o->access_log || !strcmp(o->access_log, "-")) {
        *fd = dup(STDERR_FILENO);
    } else if (!strcmp(o->access_log, "off")) {
        *fd = -1;
        return IG_OK;
    } else {
        *fd = open(o->access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    }
    if (*fd < 0) {
        ig_diag_set(diag, IG_E_IO, o->access_log, NULL, 0, 0, "cannot open the access log: %s",
                    strerror(errno));
        return IG_E_IO;
    }
    return IG_OK;
}

static void destroy(serve_server *s)
{
    if (s->log_fd >= 0) close(s->log_fd);
    if (s->listen_fd >= 0) close(s->listen_fd);
    serve_metrics_free(s->metrics);
    free(s);
}

/* Our own listening socket: libmicrohttpd gets connections from conns.c. */
static int listen_on(serve_server *s, ig_diag *diag)
{
    socklen_t alen = s->addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&s->addr, alen) != 0 || listen(fd, 4096) != 0) {
        ig_diag_set(diag, IG_E_IO, NULL, NULL, 0, 0, "cannot listen on %s: %s", s->opts.listen, strerror(errno));
        if (fd >= 0) close(fd);
        return IG_E_IO;
    }
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
        s->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                    : ((struct sockaddr_in *)&bound)->sin_port);
    s->listen_fd = fd;
    return IG_OK;
}

/* Every connection is a descriptor: raise the soft limit towards the hard
 * one so that --max-connections (and the ones refused beyond it) fit. */
static void raise_fd_limit(unsigned want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
}

static void stop_loops(serve_server *s)
{
    for (unsigned i = 0; s->loops && i < s->nloops; i++)
        if (s->loops[i].daemon) MHD_stop_daemon(s->loops[i].daemon);
    free(s->loops);
    s->loops = NULL;
}

int serve_start(const serve_options *o, serve_server **out, ig_diag *diag)
{
    *out = NULL;
    serve_server *s = calloc(1, sizeof *s);
    if (!s) {
        ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    s->opts = *o;
    serve_options *so = &s->opts;
    if (!so->header_timeout_s) so->header_timeout_s = 5;
    if (!so->request_timeout_s) so->request_timeout_s = 30;
    if (!so->max_per_client || so->max_per_client > so->max_connections) so->max_per_client = so->max_connections;
    if (!so->body_budget) so->body_budget = 64u << 20;
    if (so->body_budget < so->limits.max_body) so->body_budget = so->limits.max_body;
    if (!so->workers) so->workers = so->threads;
    s->log_fd = -1;
    s->listen_fd = -1;
    atomic_init(&s->in_flight, 0);
    /* Large bodies and replies come from mmap and go back to the system
     * when freed, instead of raising glibc's threshold and staying. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    int rc = parse_listen(o->listen, &s->addr, diag);
    if (rc == IG_OK) rc = open_log(o, &s->log_fd, diag);
    if (rc == IG_OK && !(s->metrics = serve_metrics_new())) {
        ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "out of memory");
        rc = IG_E_NOMEM;
    }
    if (rc != IG_OK) {
        destroy(s);
        return rc;
    }
    if ((rc = serve_store_init(&s->store, o->policies_dir, diag)) != IG_OK) {
        destroy(s);
        return rc;
    }
    s->ctx = (serve_ctx){ .store = &s->store, .catalog = o->catalog, .metrics = s->metrics, .limits = o->limits,
                         .started = now(), .query_fn = o->query_fn, .query_ud = o->query_ud,
                         .pressure = &s->pressure };
    /* room for connections evicted or refused but not yet closed */
    unsigned room = so->max_connections + so->max_connections / 4 + 16;
    /* libmicrohttpd 0.9.75's epoll loop takes at most 128 events per
     * epoll_wait and, when it got exactly 128, waits again with the full
     * timeout while the 128 connections it has not served yet wait too:
     * with 128 or 256 connections per thread all ready at once (512 or
     * 1024 connections on two threads: at the limit), throughput falls to
     * a few hundred requests a second.  So: one daemon per 64 connections
     * (each its own thread; the accept loop balances them), never near
     * 128.  Separate daemons rather than its thread pool, because its pool
     * picks a thread itself and, when that thread is full by the time it
     * takes the connection, 0.9.75 leaves a lock held (new_connection_
     * process_) and the thread hangs: each daemon's own limit is set so
     * high that it is never reached, ours (conns.c) is the limit. */
    s->nloops = (room + MHD_CONNS_PER_THREAD - 1) / MHD_CONNS_PER_THREAD;
    if (s->nloops < so->threads) s->nloops = so->threads;
    raise_fd_limit(room + so->max_connections / 4 + 256);
    if ((rc = listen_on(s, diag)) != IG_OK) {
        serve_store_destroy(&s->store);
        destroy(s);
        return rc;
    }
    s->jobs = serve_jobs_start(so->workers, 1024, 5);
    s->lint_jobs = serve_jobs_start(1, 64, 10);
    s->loops = calloc(s->nloops, sizeof *s->loops);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    bool started = s->jobs && s->lint_jobs && s->loops;
    for (unsigned i = 0; started && i < s->nloops; i++) {
        loop_thread *l = &s->loops[i];
        l->s = s;
        atomic_init(&l->conns, 0);
        l->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                                     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)so->timeout_s,
                                     MHD_OPTION_CONNECTION_LIMIT, room,
                                     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                     MHD_OPTION_NOTIFY_CONNECTION, on_connection, l,
                                     MHD_OPTION_END);
        started = l->daemon != NULL;
    }
    serve_conns_options co = { .listen_fd = s->listen_fd, .max_connections = so->max_connections,
                               .max_per_client = so->max_per_client,
                               .header_timeout = so->header_timeout_s, .request_timeout = so->request_timeout_s,
                               .pressure = &s->pressure, .admit = admit, .ud = s };
    if (!started || serve_conns_start(&co, &s->conns) != IG_OK) {
        ig_diag_set(diag, IG_E_IO, NULL, NULL, 0, 0, "cannot serve on %s: %s", o->listen,
                    errno ? strerror(errno) : "libmicrohttpd refused to start");
        stop_loops(s);
        serve_jobs_stop(s->jobs);
        serve_jobs_stop(s->lint_jobs);
        serve_store_destroy(&s->store);
        destroy(s);
        return IG_E_IO;
    }
    *out = s;
    return IG_OK;
}

unsigned serve_port(const serve_server *s) { return s->port; }

/* SIGHUP: new policy sets, and a reopened access log file (log rotation). */
int serve_reload(serve_server *s, ig_diag *diag)
{
    if (s->log_fd >= 0 && s->opts.access_log && strcmp(s->opts.access_log, "-")) {
        int fd = open(s->opts.access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dup2(fd, s->log_fd);        /* atomic for writers using log_fd */
            close(fd);
        }
    }
    if (!s->store.dir)
        return IG_OK;
    return serve_store_reload(&s->store, diag);
}

void serve_stop(serve_server *s, unsigned grace_s)
{
    if (!s)
        return;
    serve_conns_quiesce(s->conns);
    double until = now() + grace_s;
    while (atomic_load(&s->in_flight) > 0 && now() < until) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    /* queued requests are answered 503 and resumed before libmicrohttpd
     * stops: it must not be stopped with connections suspended */
    serve_jobs_stop(s->jobs);
    serve_jobs_stop(s->lint_jobs);
    /* quiesced, the accept loop hands nothing over any more; its table
     * lives until the daemons' last "closed" notification */
    stop_loops(s);
    serve_conns_stop(s->conns);
    serve_store_destroy(&s->store);
    destroy(s);
}
