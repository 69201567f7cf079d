/* metrics.c - counters for GET /metrics in the Prometheus text format:
 * requests by route and status, decisions by outcome, a latency histogram
 * per route, policy reloads.  Relaxed atomics: each counter is exact, the
 * set of them is a snapshot taken while traffic flows. */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "serve/serve.h"

static const int STATUSES[] = { 200, 400, 403, 404, 405, 408, 409, 413, 415, 500, 503 };
#define NSTATUS (sizeof STATUSES / sizeof STATUSES[0])
static const double BUCKETS[] = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                  0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10 };
#define NBUCKETS (sizeof BUCKETS / sizeof BUCKETS[0])

struct serve_metrics {
    atomic_ullong requests[ROUTE_COUNT][NSTATUS + 1];   /* last: any other status */
    atomic_ullong decisions[3];
    atomic_ullong hist[ROUTE_COUNT][NBUCKETS + 1];      /* last: +Inf only */
    atomic_ullong sum_ns[ROUTE_COUNT];
};

static const char *const ROUTE_NAMES[ROUTE_COUNT] = {
    "query", "simulate", "authorize", "reload", "healthz", "metrics", "lint", "other",
};

const char *serve_route_name(serve_route r)
{
    return r < ROUTE_COUNT ? ROUTE_NAMES[r] : "other";
}

serve_metrics *serve_metrics_new(void)
{
    serve_metrics *m = malloc(sizeof *m);
    if (!m) return NULL;
    for (size_t r = 0; r < ROUTE_COUNT; r++) {
        for (size_t s = 0; s <= NSTATUS; s++) atomic_init(&m->requests[r][s], 0);
        for (size_t b = 0; b <= NBUCKETS; b++) atomic_init(&m->hist[r][b], 0);
        atomic_init(&m->sum_ns[r], 0);
    }
    for (size_t d = 0; d < 3; d++) atomic_init(&m->decisions[d], 0);
    return m;
}

void serve_metrics_free(serve_metrics *m) { free(m); }

void serve_metrics_observe(serve_metrics *m, serve_route route, int status,
                           double seconds, const unsigned long decisions[3])
{
    if (route >= ROUTE_COUNT) route = ROUTE_OTHER;
    size_t s = 0;
    while (s < NSTATUS && STATUSES[s] != status) s++;
    atomic_fetch_add_explicit(&m->requests[route][s], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < NBUCKETS && seconds > BUCKETS[b]) b++;
    atomic_fetch_add_explicit(&m->hist[route][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_ns[route], (unsigned long long)(seconds * 1e9), memory_order_relaxed);
    for (size_t d = 0; d < 3; d++)
        if (decisions[d])
            atomic_fetch_add_explicit(&m->decisions[d], decisions[d], memory_order_relaxed);
}

static unsigned long long get(const atomic_ullong *a)
{
    return atomic_load_explicit(a, memory_order_relaxed);
}

void serve_metrics_write(const serve_metrics *m, const serve_ctx *c, json_buf *o)
{
    json_buf_puts(o, "# HELP iamguard_http_requests_total HTTP requests by route and status.\n"
                     "# TYPE iamguard_http_requests_total counter\n");
    for (size_t r = 0; r < ROUTE_COUNT; r++)
        for (size_t s = 0; s <= NSTATUS; s++) {
            unsigned long long v = get(&m->requests[r][s]);
            if (!v) continue;
            if (s < NSTATUS)
                json_buf_printf(o, "iamguard_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                                ROUTE_NAMES[r], STATUSES[s], v);
            else
                json_buf_printf(o, "iamguard_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                                ROUTE_NAMES[r], v);
        }
    json_buf_puts(o, "# HELP iamguard_decisions_total Authorization decisions by outcome.\n"
                     "# TYPE iamguard_decisions_total counter\n");
    for (int d = IG_IMPLICIT_DENY; d <= IG_ALLOWED; d++)
        json_buf_printf(o, "iamguard_decisions_total{decision=\"%s\"} %llu\n",
                        ig_decision_name((ig_decision)d), get(&m->decisions[d]));
    json_buf_puts(o, "# HELP iamguard_http_request_duration_seconds Time from the request's headers to the end of its response.\n"
                     "# TYPE iamguard_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r < ROUTE_COUNT; r++) {
        unsigned long long cum = 0;
        for (size_t b = 0; b < NBUCKETS; b++) {
            cum += get(&m->hist[r][b]);
            json_buf_printf(o, "iamguard_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                            ROUTE_NAMES[r], BUCKETS[b], cum);
        }
        cum += get(&m->hist[r][NBUCKETS]);
        json_buf_printf(o, "iamguard_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                        ROUTE_NAMES[r], cum);
        json_buf_printf(o, "iamguard_http_request_duration_seconds_sum{route=\"%s\"} %.9f\n",
                        ROUTE_NAMES[r], (double)get(&m->sum_ns[r]) / 1e9);
        json_buf_printf(o, "iamguard_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                        ROUTE_NAMES[r], cum);
    }
    serve_sets *s = serve_store_acquire(c->store);
    json_buf_printf(o, "# HELP iamguard_policy_sets Policy sets loaded.\n# TYPE iamguard_policy_sets gauge\n"
                       "iamguard_policy_sets %zu\n", s->n);
    json_buf_printf(o, "# HELP iamguard_policy_generation Generation of the loaded policy sets.\n"
                       "# TYPE iamguard_policy_generation gauge\niamguard_policy_generation %lu\n", s->generation);
    serve_sets_release(s);
    json_buf_printf(o, "# HELP iamguard_policy_reloads_total Policy reloads by result.\n"
                       "# TYPE iamguard_policy_reloads_total counter\n"
                       "iamguard_policy_reloads_total{result=\"ok\"} %lu\n"
                       "iamguard_policy_reloads_total{result=\"error\"} %lu\n",
                    atomic_load(&c->store->reloads_ok), atomic_load(&c->store->reloads_failed));
    if (c->pressure) {
        const serve_pressure *p = c->pressure;
        json_buf_printf(o, "# HELP iamguard_connections_open Open connections.\n# TYPE iamguard_connections_open gauge\n"
                           "iamguard_connections_open %ld\n", atomic_load(&p->open));
        json_buf_printf(o, "# HELP iamguard_request_body_bytes Request body bytes held.\n# TYPE iamguard_request_body_bytes gauge\n"
                           "iamguard_request_body_bytes %ld\n", atomic_load(&p->body_bytes));
        json_buf_puts(o, "# HELP iamguard_defended_total Connections and requests the server's limits stopped, by reason.\n"
                         "# TYPE iamguard_defended_total counter\n");
        const struct { const char *name; const atomic_ulong *v; } R[] = {
            { "connection_limit", &p->refused_full }, { "client_limit", &p->refused_client },
            { "evicted", &p->evicted }, { "header_deadline", &p->header_deadline },
            { "request_deadline", &p->request_deadline }, { "body_budget", &p->budget_refused },
            { "queue_full", &p->queue_refused }, { "framing", &p->framing_rejected },
        };
        for (size_t i = 0; i < sizeof R / sizeof R[0]; i++)
            json_buf_printf(o, "iamguard_defended_total{reason=\"%s\"} %lu\n", R[i].name, atomic_load(R[i].v));
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    json_buf_printf(o, "# HELP iamguard_uptime_seconds Seconds since the server started.\n"
                       "# TYPE iamguard_uptime_seconds gauge\niamguard_uptime_seconds %.3f\n",
                    (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - c->started);
}
