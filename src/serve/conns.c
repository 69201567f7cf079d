/* conns.c - our accept loop in front of libmicrohttpd: connection limits
 * (global and per client address), eviction at the limit, and deadlines
 * that trickling bytes cannot push back.
 *
 * libmicrohttpd, at its connection limit, takes the listening socket out
 * of its event loop, so new clients wait in the kernel's backlog with no
 * answer; its idle timeout restarts on every byte, so a client sending a
 * header line every few seconds holds a slot for ever.  Here one thread
 * accepts every connection at once and either refuses it with a 503 or
 * keeps it until its first request's headers are in (peeked at, not read)
 * and then hands it over; it also wakes up ten times a second to close or
 * shut down connections past their deadline.  shutdown() (not close()) leaves the descriptor to
 * libmicrohttpd, which then sees the connection end; the table lock, held
 * by libmicrohttpd's "closed" notification too, guarantees the descriptor
 * still belongs to that connection. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "serve/server_int.h"

/* A connection that waited this long for its next request may be evicted
 * to make room for a new one: longer than any client that is actually
 * sending needs between two requests of a keep-alive connection. */
#define EVICT_AFTER 1.0
/* A connection handed over but never announced by libmicrohttpd (it
 * failed to set it up and closed it) is forgotten after this long. */
#define NEVER_STARTED 5.0

struct conn_entry {
    bool live, started, cut;        /* cut: shut down, no longer counted */
    bool pending;                   /* still ours: its first headers are not in yet */
    /* written by libmicrohttpd's threads without the lock (two per
     * request: a global lock there would make every request wait on the
     * others); the lock orders only the liveness fields above */
    atomic_int phase;               /* conn_phase */
    _Atomic double since;           /* start of the current phase's deadline */
    uint32_t client;                /* hash of the client's address */
};

struct serve_conns {
    serve_conns_options o;
    pthread_mutex_t mu;
    conn_entry *by_fd;              /* indexed by descriptor */
    int cap, high;                  /* table size; 1 + highest descriptor seen */
    unsigned open;
    unsigned *per_client;           /* open connections by address hash bucket */
    unsigned buckets;
    pthread_t thread;
    int wake[2];
    int ep;                         /* epoll: wake pipe, listening socket, pending connections */
    atomic_bool stop, quiesced;
};

const char SERVE_BUSY_JSON[] =
    "{\"error\":{\"code\":\"busy\",\"message\":\"the server is at its limit; retry later\",\"line\":null,\"column\":null}}\n";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* FNV-1a over the address bytes (not the port): one bucket per client,
 * collisions only make the per-client limit a little stricter. */
static uint32_t client_hash(const struct sockaddr *sa)
{
    const unsigned char *p = NULL;
    size_t n = 0;
    if (sa->sa_family == AF_INET) {
        p = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
        n = 4;
    } else if (sa->sa_family == AF_INET6) {
        p = (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        n = 16;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Forget e's counts (the lock is held). */
static void uncount(serve_conns *c, conn_entry *e)
{
    if (!e->live || e->cut)
        return;
    e->cut = true;
    c->open--;
    c->per_client[e->client % c->buckets]--;
    atomic_fetch_sub(&c->o.pressure->open, 1);
}

/* Shut down the connection on descriptor fd (the lock is held). */
static void cut(serve_conns *c, int fd, atomic_ulong *counter)
{
    conn_entry *e = &c->by_fd[fd];
    uncount(c, e);
    if (e->pending) {               /* never handed over: ours to close */
        e->live = e->pending = false;
        close(fd);
    } else {
        shutdown(fd, SHUT_RDWR);
    }
    atomic_fetch_add(counter, 1);
}

/* The connection that has waited longest for its next request (then:
 * for the rest of its body), if it has waited more than EVICT_AFTER. */
static int victim(serve_conns *c, double t)
{
    int best = -1, best_phase = 0;
    double best_since = 0;
    for (int fd = 0; fd < c->high; fd++) {
        const conn_entry *e = &c->by_fd[fd];
        int ph = atomic_load(&e->phase);
        double since = atomic_load(&e->since);
        if (!e->live || e->cut || !(e->started || e->pending) || ph == CONN_BUSY || since > t - EVICT_AFTER)
            continue;
        if (best < 0 || ph < best_phase || (ph == best_phase && since < best_since)) {
            best = fd;
            best_phase = ph;
            best_since = since;
        }
    }
    return best;
}

static void refuse(int fd)
{
    static const char head[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                               "Retry-After: 1\r\nConnection: close\r\nContent-Length: ";
    char msg[512];
    size_t body = sizeof SERVE_BUSY_JSON - 1;
    int n = snprintf(msg, sizeof msg, "%s%zu\r\n\r\n%s", head, body, SERVE_BUSY_JSON);
    if (n > 0) {
        ssize_t rc = send(fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
        (void)rc;
    }
    shutdown(fd, SHUT_WR);
    close(fd);
}

static void hand_over(serve_conns *c, int fd, conn_entry *e, const struct sockaddr *sa, socklen_t len)
{
    if (!c->o.admit(c->o.ud, fd, sa, len)) {
        /* refused inside libmicrohttpd, which closed the socket; only this
         * thread can reuse the number, so the entry is still ours */
        pthread_mutex_lock(&c->mu);
        uncount(c, e);
        e->live = e->pending = false;
        pthread_mutex_unlock(&c->mu);
    }
}

/* Admit or refuse one accepted connection. */
static void take(serve_conns *c, int fd, const struct sockaddr *sa, socklen_t len)
{
    serve_pressure *p = c->o.pressure;
    if (fd >= c->cap) {
        atomic_fetch_add(&p->refused_full, 1);
        refuse(fd);
        return;
    }
    uint32_t h = client_hash(sa);
    double t = now();
    pthread_mutex_lock(&c->mu);
    conn_entry *e = &c->by_fd[fd];
    uncount(c, e);                  /* a stale entry: its descriptor was closed */
    e->live = false;
    if (c->per_client[h % c->buckets] >= c->o.max_per_client) {
        pthread_mutex_unlock(&c->mu);
        atomic_fetch_add(&p->refused_client, 1);
        refuse(fd);
        return;
    }
    if (c->open >= c->o.max_connections) {
        int v = victim(c, t);
        if (v < 0) {
            pthread_mutex_unlock(&c->mu);
            atomic_fetch_add(&p->refused_full, 1);
            refuse(fd);
            return;
        }
        cut(c, v, &p->evicted);
    }
    e->live = e->pending = true;
    e->started = e->cut = false;
    e->client = h;
    atomic_store(&e->phase, CONN_IDLE);
    atomic_store(&e->since, t);
    c->open++;
    c->per_client[h % c->buckets]++;
    atomic_fetch_add(&p->open, 1);
    if (fd >= c->high) c->high = fd + 1;
    pthread_mutex_unlock(&c->mu);
    /* edge-triggered: the bytes stay unread (only peeked at), so a level
     * would report them again and again */
    struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.fd = fd };
    if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
        hand_over(c, fd, e, sa, len);
}

/* Close a connection that is still ours (the lock is not held). */
static void drop(serve_conns *c, int fd)
{
    pthread_mutex_lock(&c->mu);
    conn_entry *e = &c->by_fd[fd];
    if (e->live && e->pending) {
        uncount(c, e);
        e->live = e->pending = false;
        close(fd);
    }
    pthread_mutex_unlock(&c->mu);
}

/* libmicrohttpd answers a Content-Length that is not a number itself,
 * with its headers twice (0.9.75); the first request of a connection is
 * answered here instead.  Returns why the headers are refused, or NULL. */
static const char *first_request_error(const char *h, const char *end)
{
    static const char NAME[] = "content-length:";
    for (const char *line = memchr(h, '\n', (size_t)(end - h)); line && line < end;
         line = memchr(line + 1, '\n', (size_t)(end - line - 1))) {
        const char *l = line + 1;
        if ((size_t)(end - l) < sizeof NAME - 1 || strncasecmp(l, NAME, sizeof NAME - 1))
            continue;
        const char *v = l + sizeof NAME - 1;
        while (v < end && (*v == ' ' || *v == '\t')) v++;
        size_t digits = 0;
        while (v < end && *v >= '0' && *v <= '9') v++, digits++;
        while (v < end && (*v == ' ' || *v == '\t')) v++;
        if (!digits || digits > 18 || (v < end && *v != '\r'))
            return "Content-Length must be a decimal number";
    }
    return NULL;
}

static void reject(int fd, const char *why)
{
    char body[256], msg[512];
    int bn = snprintf(body, sizeof body,
                      "{\"error\":{\"code\":\"bad_request\",\"message\":\"%s\",\"line\":null,\"column\":null}}\n", why);
    int n = snprintf(msg, sizeof msg, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                     "Connection: close\r\nContent-Length: %d\r\n\r\n%s", bn, body);
    if (n > 0) {
        ssize_t rc = send(fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
        (void)rc;
    }
}

/* A pending connection has data: hand it over once its first headers are
 * in (they stay in the socket, only peeked at here). */
static void screen(serve_conns *c, int fd, unsigned events)
{
    char buf[8193];
    ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        drop(c, fd);
        return;
    }
    const char *end = memmem(buf, (size_t)n, "\r\n\r\n", 4);
    if (!end && n < (ssize_t)sizeof buf - 1) {
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            drop(c, fd);            /* the rest will never come */
        return;                     /* wait for the rest (within the header deadline) */
    }
    const char *why = end ? first_request_error(buf, end) : NULL;
    if (why) {
        atomic_fetch_add(&c->o.pressure->framing_rejected, 1);
        reject(fd, why);
        drop(c, fd);
        return;
    }
    if (atomic_load(&c->quiesced)) {
        drop(c, fd);                /* stopping: nothing more is handed over */
        return;
    }
    epoll_ctl(c->ep, EPOLL_CTL_DEL, fd, NULL);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) {
        drop(c, fd);
        return;
    }
    pthread_mutex_lock(&c->mu);
    conn_entry *e = &c->by_fd[fd];
    bool ours = e->live && e->pending;
    e->pending = false;
    atomic_store(&e->since, now());
    pthread_mutex_unlock(&c->mu);
    if (ours)
        hand_over(c, fd, e, (struct sockaddr *)&ss, len);
}

/* Shut down connections past their deadline. */
static void sweep(serve_conns *c)
{
    serve_pressure *p = c->o.pressure;
    double t = now();
    pthread_mutex_lock(&c->mu);
    for (int fd = 0; fd < c->high; fd++) {
        conn_entry *e = &c->by_fd[fd];
        if (!e->live || e->cut)
            continue;
        double age = t - atomic_load(&e->since);
        int ph = atomic_load(&e->phase);
        if (e->pending) {
            if (age > c->o.header_timeout)
                cut(c, fd, &p->header_deadline);
        } else if (!e->started) {
            if (age > NEVER_STARTED) {
                uncount(c, e);
                e->live = false;
            }
        } else if (ph == CONN_IDLE && age > c->o.header_timeout) {
            cut(c, fd, &p->header_deadline);
        } else if (ph == CONN_BODY && age > c->o.request_timeout) {
            cut(c, fd, &p->request_deadline);
        }
    }
    pthread_mutex_unlock(&c->mu);
}

static void *loop(void *arg)
{
    serve_conns *c = arg;
    double next_sweep = now() + 0.1;
    bool listening = true;
    while (!atomic_load(&c->stop)) {
        if (listening && atomic_load(&c->quiesced)) {
            epoll_ctl(c->ep, EPOLL_CTL_DEL, c->o.listen_fd, NULL);
            listening = false;
        }
        struct epoll_event ev[64];
        double wait = next_sweep - now();
        int n = epoll_wait(c->ep, ev, 64, wait > 0 ? (int)(wait * 1000) + 1 : 0);
        for (int k = 0; k < n; k++) {
            int fd = ev[k].data.fd;
            if (fd == c->wake[0]) {
                char buf[64];
                ssize_t r = read(c->wake[0], buf, sizeof buf);
                (void)r;
            } else if (fd == c->o.listen_fd) {
                if (!listening) continue;
                for (int i = 0; i < 256; i++) {
                    struct sockaddr_storage ss;
                    socklen_t len = sizeof ss;
                    int cfd = accept4(c->o.listen_fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (cfd < 0) {
                        /* out of descriptors: wait for the sweep rather than spin */
                        if (errno == EMFILE || errno == ENFILE) next_sweep = now();
                        break;
                    }
                    take(c, cfd, (struct sockaddr *)&ss, len);
                }
            } else {
                screen(c, fd, ev[k].events);
            }
        }
        if (now() >= next_sweep) {
            sweep(c);
            next_sweep = now() + 0.1;
        }
    }
    return NULL;
}

int serve_conns_start(const serve_conns_options *o, serve_conns **out)
{
    *out = NULL;
    serve_conns *c = calloc(1, sizeof *c);
    if (!c)
        return IG_E_NOMEM;
    c->o = *o;
    if (!c->o.max_per_client || c->o.max_per_client > c->o.max_connections)
        c->o.max_per_client = c->o.max_connections;
    struct rlimit rl;
    c->cap = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (1u << 20)
                 ? (int)rl.rlim_cur : 1 << 16;
    c->buckets = 4 * c->o.max_connections + 1;
    c->by_fd = calloc((size_t)c->cap, sizeof *c->by_fd);
    c->per_client = calloc(c->buckets, sizeof *c->per_client);
    atomic_init(&c->stop, false);
    atomic_init(&c->quiesced, false);
    c->wake[0] = c->wake[1] = -1;
    c->ep = epoll_create1(EPOLL_CLOEXEC);
    bool ok = c->by_fd && c->per_client && c->ep >= 0 && pipe2(c->wake, O_NONBLOCK | O_CLOEXEC) == 0;
    struct epoll_event wev = { .events = EPOLLIN, .data.fd = c->wake[0] },
                       lev = { .events = EPOLLIN, .data.fd = o->listen_fd };
    if (!ok || epoll_ctl(c->ep, EPOLL_CTL_ADD, c->wake[0], &wev) != 0 ||
        epoll_ctl(c->ep, EPOLL_CTL_ADD, o->listen_fd, &lev) != 0) {
        if (c->wake[0] >= 0) { close(c->wake[0]); close(c->wake[1]); }
        if (c->ep >= 0) close(c->ep);
        free(c->by_fd);
        free(c->per_client);
        free(c);
        return IG_E_NOMEM;
    }
    pthread_mutex_init(&c->mu, NULL);
    if (pthread_create(&c->thread, NULL, loop, c) != 0) {
        pthread_mutex_destroy(&c->mu);
        close(c->ep);
        close(c->wake[0]);
        close(c->wake[1]);
        free(c->by_fd);
        free(c->per_client);
        free(c);
        return IG_E_NOMEM;
    }
    *out = c;
    return IG_OK;
}

static void wake(serve_conns *c)
{
    ssize_t rc = write(c->wake[1], "x", 1);
    (void)rc;
}

void serve_conns_quiesce(serve_conns *c)
{
    atomic_store(&c->quiesced, true);
    wake(c);
}

void serve_conns_stop(serve_conns *c)
{
    if (!c)
        return;
    atomic_store(&c->stop, true);
    wake(c);
    pthread_join(c->thread, NULL);
    for (int fd = 0; fd < c->high; fd++)
        if (c->by_fd[fd].live && c->by_fd[fd].pending) close(fd);
    pthread_mutex_destroy(&c->mu);
    close(c->ep);
    close(c->wake[0]);
    close(c->wake[1]);
    free(c->by_fd);
    free(c->per_client);
    free(c);
}

conn_entry *serve_conns_started(serve_conns *c, int fd)
{
    if (fd < 0 || fd >= c->cap)
        return NULL;
    pthread_mutex_lock(&c->mu);
    conn_entry *e = &c->by_fd[fd];
    if (e->live) {
        e->started = true;
        atomic_store(&e->since, now());
    } else {
        e = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    return e;
}

void serve_conns_closed(serve_conns *c, conn_entry *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&c->mu);
    uncount(c, e);
    e->live = false;
    pthread_mutex_unlock(&c->mu);
}

void serve_conns_phase(serve_conns *c, conn_entry *e, conn_phase p)
{
    (void)c;
    if (!e)
        return;
    /* the request deadline runs from the end of the previous response,
     * so the body phase keeps the time the headers phase started */
    if (p != CONN_BODY || atomic_load(&e->phase) != CONN_IDLE)
        atomic_store(&e->since, now());
    atomic_store(&e->phase, (int)p);
}
