/* server.c - libmicrohttpd glue for `iamguard serve`: routing, bounded
 * request bodies, timeouts, the access log, metrics, graceful stop.
 *
 * libmicrohttpd runs a pool of threads, each with its own epoll loop; a
 * request's handler runs on the thread that owns its connection and never
 * blocks on another request (the only shared lock is the few instructions
 * of serve_store_acquire). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "policy/policy.h"
#include "serve/serve.h"

struct serve_server {
    struct MHD_Daemon *daemon;
    serve_store store;
    serve_metrics *metrics;
    serve_ctx ctx;
    serve_options opts;
    int log_fd;                 /* -1: no access log */
    atomic_long in_flight;      /* requests between headers and completion */
    unsigned port;
    struct sockaddr_storage addr;
};

typedef struct {
    double start;
    serve_route route;
    const char *method;
    char path[128];
    char *body;                 /* reserved once from Content-Length when given */
    size_t len, cap;
    size_t received;            /* body bytes, also those discarded */
    bool too_big;
    serve_reply reply;
} conn_req;

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
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->body.len, r->body.data ? r->body.data : (void *)"",
                                        MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "x-amzn-RequestId", r->request_id);
    if (r->status == 405) {
        const char *allowed;
        route_of(cr->path, &allowed);
        if (allowed) MHD_add_response_header(resp, "Allow", allowed);
    }
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
}

static void too_large(serve_server *s, conn_req *cr)
{
    char msg[96];
    snprintf(msg, sizeof msg, "the request body is larger than %zu bytes", s->opts.limits.max_body);
    serve_json_error(&cr->reply, 413, "payload_too_large", msg, 0, 0);
}

/* First call: headers only.  Reject what can be rejected before reading a
 * body (unknown path, wrong method, declared size over the limit). */
static enum MHD_Result begin(serve_server *s, struct MHD_Connection *conn, const char *url,
                             const char *method, void **req_cls)
{
    conn_req *cr = calloc(1, sizeof *cr);
    if (!cr)
        return MHD_NO;
    cr->start = now();
    cr->method = method;
    snprintf(cr->path, sizeof cr->path, "%s", url);
    serve_reply_init(&cr->reply);
    serve_request_id(cr->reply.request_id);
    *req_cls = cr;
    atomic_fetch_add(&s->in_flight, 1);
    const char *allowed;
    cr->route = route_of(url, &allowed);
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
        if (*end == '\0' && n > 0 && !(cr->body = malloc((size_t)n)))
            return MHD_NO;
        cr->cap = cr->body ? (size_t)n : 0;
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    serve_server *s = cls;
    conn_req *cr = *req_cls;
    (void)version;
    if (!cr)
        return begin(s, conn, url, method, req_cls);
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        cr->received += n;
        /* A client that trickles a body is cut off after three idle
         * timeouts in total, whatever it sends. */
        if (now() - cr->start > 3.0 * s->opts.timeout_s)
            return MHD_NO;
        if (cr->too_big || cr->received > s->opts.limits.max_body) {
            cr->too_big = true;
            free(cr->body);
            cr->body = NULL;
            cr->len = cr->cap = 0;
            return cr->received > 4 * s->opts.limits.max_body ? MHD_NO : MHD_YES;
        }
        if (cr->len + n > cr->cap) {        /* chunked, or more than announced */
            size_t cap = cr->cap ? cr->cap : 4096;
            while (cap < cr->len + n) cap *= 2;
            char *grown = realloc(cr->body, cap);
            if (!grown) return MHD_NO;
            cr->body = grown;
            cr->cap = cap;
        }
        memcpy(cr->body + cr->len, upload_data, n);
        cr->len += n;
        return MHD_YES;
    }
    if (cr->too_big)
        too_large(s, cr);
    else
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

static void access_log(serve_server *s, struct MHD_Connection *conn, const conn_req *cr,
                       double seconds, enum MHD_RequestTerminationCode toe)
{
    char host[INET6_ADDRSTRLEN];
    client_address(conn, host);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[80];
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(ts.tv_nsec / 1000000) % 1000);
    json_buf line;
    json_buf_init(&line);
    json_writer w;
    jw_init(&w, &line, false);
    jw_object_begin(&w);
    jw_key(&w, "time"); jw_string(&w, when);
    jw_key(&w, "requestId"); jw_string(&w, cr->reply.request_id);
    jw_key(&w, "remote"); jw_string(&w, host);
    jw_key(&w, "method"); jw_string(&w, cr->method);
    jw_key(&w, "path"); jw_string(&w, cr->path);
    jw_key(&w, "route"); jw_string(&w, serve_route_name(cr->route));
    jw_key(&w, "status"); jw_int(&w, cr->reply.status);
    jw_key(&w, "bytesIn"); jw_int(&w, (long long)cr->received);
    jw_key(&w, "bytesOut"); jw_int(&w, (long long)cr->reply.body.len);
    jw_key(&w, "micros"); jw_int(&w, (long long)(seconds * 1e6));
    jw_key(&w, "outcome"); jw_string(&w, termination_name(toe));
    if (cr->reply.detail) { jw_key(&w, "detail"); jw_string(&w, cr->reply.detail); }
    unsigned long total = cr->reply.decisions[0] + cr->reply.decisions[1] + cr->reply.decisions[2];
    if (total) {
        jw_key(&w, "decisions");
        jw_object_begin(&w);
        for (int d = IG_IMPLICIT_DENY; d <= IG_ALLOWED; d++) {
            jw_key(&w, ig_decision_name((ig_decision)d));
            jw_int(&w, (long long)cr->reply.decisions[d]);
        }
        jw_object_end(&w);
    }
    jw_object_end(&w);
    json_buf_puts(&line, "\n");
    if (!line.failed) {
        /* one write per line: lines from different threads never interleave */
        ssize_t rc = write(s->log_fd, line.data, line.len);
        (void)rc;
    }
    json_buf_free(&line);
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
    if (s->log_fd >= 0)
        access_log(s, conn, cr, seconds, toe);
    serve_reply_free(&cr->reply);
    free(cr->body);
    free(cr);
    atomic_fetch_sub(&s->in_flight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
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
    serve_metrics_free(s->metrics);
    free(s);
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
    s->log_fd = -1;
    atomic_init(&s->in_flight, 0);
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
                         .started = now(), .query_fn = o->query_fn, .query_ud = o->query_ud };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    if (s->addr.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&s->addr,
                                 MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->timeout_s,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_connections,
                                 MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                                 MHD_OPTION_END);
    if (!s->daemon) {
        ig_diag_set(diag, IG_E_IO, NULL, NULL, 0, 0, "cannot listen on %s: %s", o->listen,
                    errno ? strerror(errno) : "libmicrohttpd refused to start");
        serve_store_destroy(&s->store);
        destroy(s);
        return IG_E_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
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
    MHD_socket listen_fd = MHD_quiesce_daemon(s->daemon);
    double until = now() + grace_s;
    while (atomic_load(&s->in_flight) > 0 && now() < until) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->daemon);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    serve_store_destroy(&s->store);
    destroy(s);
}
