/* server_int.h - the pieces of the HTTP server (server.c) that keep it
 * answering under pressure: our own accept loop with connection limits,
 * eviction and deadlines (conns.c), request framing checks (framing.c),
 * the work queues that keep heavy requests off libmicrohttpd's threads
 * (jobs.c) and access log lines that stay valid JSON (access_log.c). */
#ifndef IG_SERVER_INT_H
#define IG_SERVER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "serve/serve.h"

/* ---- connections (conns.c) ----------------------------------------------
 * libmicrohttpd runs without a listening socket: conns.c accepts, and
 * either hands the socket over (MHD_add_connection) or refuses it at once
 * with a 503, so a client beyond the limits never waits in the backlog.  It
 * knows every connection's phase from the server's callbacks, cuts off
 * those past their header or request deadline, and at the limit evicts
 * the connection that has waited longest for its next request. */

typedef enum {
    CONN_IDLE = 0,              /* waiting for (the rest of) the next request's headers */
    CONN_BODY,                  /* headers in, body arriving */
    CONN_BUSY,                  /* request complete: being handled or answered */
} conn_phase;

typedef struct serve_conns serve_conns;
typedef struct conn_entry conn_entry;

typedef struct {
    int listen_fd;
    unsigned max_connections, max_per_client;
    double header_timeout, request_timeout;     /* seconds */
    serve_pressure *pressure;
    /* hand a connection over; false when it was refused (socket closed) */
    bool (*admit)(void *ud, int fd, const struct sockaddr *sa, socklen_t len);
    void *ud;
} serve_conns_options;

int serve_conns_start(const serve_conns_options *o, serve_conns **out);
void serve_conns_quiesce(serve_conns *c);           /* stop accepting */
void serve_conns_stop(serve_conns *c);              /* join and free */
/* libmicrohttpd's connection notifications (any of its threads). */
conn_entry *serve_conns_started(serve_conns *c, int fd);
void serve_conns_closed(serve_conns *c, conn_entry *e);
void serve_conns_phase(serve_conns *c, conn_entry *e, conn_phase p);

/* The 503 sent to a refused connection, shared with the body budget. */
extern const char SERVE_BUSY_JSON[];

/* ---- framing (framing.c) ------------------------------------------------ */

/* NULL when the request's framing is unambiguous; otherwise the reason
 * (Content-Length with Transfer-Encoding, two Content-Length or
 * Transfer-Encoding headers, a transfer coding other than chunked, an
 * HTTP/1.1 request without Host).  conn is a struct MHD_Connection. */
const char *serve_framing_error(void *conn, const char *version);

/* ---- work queues (jobs.c) ------------------------------------------------ */

typedef struct serve_jobs serve_jobs;
typedef void (*serve_job_fn)(void *arg, bool cancelled);

/* threads workers at niceness nice, at most max_queue jobs waiting. */
serve_jobs *serve_jobs_start(unsigned threads, unsigned max_queue, int nice);
/* false: the queue is full (the caller answers 503). */
bool serve_jobs_submit(serve_jobs *j, serve_job_fn fn, void *arg);
/* Run the job in progress to its end, cancel the queued ones, join. */
void serve_jobs_stop(serve_jobs *j);

/* ---- access log (access_log.c) ------------------------------------------ */

/* s (n bytes) as a JSON string whose invalid UTF-8 bytes are written as
 * the six characters \\xNN: the line stays valid JSON and nothing the
 * client sent is lost or unescaped. */
void serve_jw_bytes(json_writer *w, const char *s, size_t n);

typedef struct {
    const char *request_id, *remote, *method, *path, *route, *outcome, *detail;
    int status;
    size_t bytes_in, bytes_out;
    double seconds;
    const unsigned long *decisions;     /* [3], by ig_decision */
} serve_access;

/* One JSON line, written with one write() so that lines of concurrent
 * requests never interleave. */
void serve_access_log(int fd, const serve_access *a);

#endif
