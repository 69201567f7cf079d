/* jobs.c - work queues: requests whose work can be long (linting,
 * simulation documents, large batches, the emulator's database calls) run
 * here, so that libmicrohttpd's threads keep answering /healthz and small
 * /v1/authorize calls meanwhile.  A bounded queue: when it is full the
 * caller answers 503 rather than queueing without limit. */
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdlib.h>

#include "serve/server_int.h"

typedef struct {
    serve_job_fn fn;
    void *arg;
} job;

struct serve_jobs {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *ring;
    unsigned cap, head, n;
    bool stop;
    int nice;
    unsigned nthreads;
    pthread_t *threads;
};

static void *worker(void *arg)
{
    serve_jobs *j = arg;
    /* Below libmicrohttpd's threads: on a busy machine a long job must not
     * take the CPU from the threads answering /healthz (Linux: per thread). */
    if (j->nice)
        setpriority(PRIO_PROCESS, (id_t)gettid(), j->nice);
    pthread_mutex_lock(&j->mu);
    for (;;) {
        while (!j->n && !j->stop)
            pthread_cond_wait(&j->cv, &j->mu);
        if (!j->n)
            break;
        job w = j->ring[j->head];
        j->head = (j->head + 1) % j->cap;
        j->n--;
        bool cancelled = j->stop;
        pthread_mutex_unlock(&j->mu);
        w.fn(w.arg, cancelled);
        pthread_mutex_lock(&j->mu);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

serve_jobs *serve_jobs_start(unsigned threads, unsigned max_queue, int nice)
{
    serve_jobs *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->cap = max_queue ? max_queue : 1;
    j->nice = nice;
    j->ring = calloc(j->cap, sizeof *j->ring);
    j->threads = calloc(threads ? threads : 1, sizeof *j->threads);
    if (!j->ring || !j->threads) {
        free(j->ring);
        free(j->threads);
        free(j);
        return NULL;
    }
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    for (unsigned i = 0; i < (threads ? threads : 1); i++) {
        if (pthread_create(&j->threads[i], NULL, worker, j) != 0)
            break;
        j->nthreads++;
    }
    if (!j->nthreads) {
        serve_jobs_stop(j);
        return NULL;
    }
    return j;
}

bool serve_jobs_submit(serve_jobs *j, serve_job_fn fn, void *arg)
{
    pthread_mutex_lock(&j->mu);
    bool ok = !j->stop && j->n < j->cap;
    if (ok) {
        j->ring[(j->head + j->n) % j->cap] = (job){ fn, arg };
        j->n++;
        pthread_cond_signal(&j->cv);
    }
    pthread_mutex_unlock(&j->mu);
    return ok;
}

void serve_jobs_stop(serve_jobs *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->stop = true;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    for (unsigned i = 0; i < j->nthreads; i++)
        pthread_join(j->threads[i], NULL);
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    free(j->ring);
    free(j->threads);
    free(j);
}
