/* sched.c: the engine's clock, a binary min-heap of jobs ordered by time
 * and then by the order they were scheduled (so equal times replay the
 * same way every run). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/host.h"

static int job_before(const struct job *a, const struct job *b)
{
	return a->t != b->t ? a->t < b->t : a->seq < b->seq;
}

int job_schedule(struct pw_world *w, uint64_t t, enum job_kind kind, int host, uint32_t arg, uint8_t *frame,
		 uint32_t len)
{
	struct job j = { .t = t, .seq = w->job_seq++, .kind = kind, .host = host, .arg = arg,
			 .frame = frame, .len = len };
	uint32_t i;

	if (w->njobs == w->capjobs) {
		uint32_t ncap = w->capjobs ? w->capjobs * 2 : 256;
		struct job *heap = ncap <= PW_MAX_JOBS ? realloc(w->heap, ncap * sizeof(*heap)) : NULL;

		if (!heap) {
			free(frame);
			world_fail(w, "too many pending events (more than %d)", PW_MAX_JOBS);
			return -1;
		}
		w->heap = heap;
		w->capjobs = ncap;
	}
	i = w->njobs++;
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!job_before(&j, &w->heap[parent]))
			break;
		w->heap[i] = w->heap[parent];
		i = parent;
	}
	w->heap[i] = j;
	return 0;
}

int job_next(struct pw_world *w, struct job *out)
{
	struct job last;
	uint32_t i = 0;

	if (!w->njobs)
		return -1;
	*out = w->heap[0];
	last = w->heap[--w->njobs];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		const struct job *best = &last;

		if (l < w->njobs && job_before(&w->heap[l], best)) {
			m = l;
			best = &w->heap[l];
		}
		if (r < w->njobs && job_before(&w->heap[r], best))
			m = r;
		if (m == i)
			break;
		w->heap[i] = w->heap[m];
		i = m;
	}
	if (w->njobs)
		w->heap[i] = last;
	return 0;
}

void world_fail(struct pw_world *w, const char *fmt, ...)
{
	va_list ap;

	if (w->failed)
		return;
	w->failed = 1;
	va_start(ap, fmt);
	vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
}

/* xorshift32: the model's only source of "random" numbers (ISNs, IP ids,
 * timestamp offsets), seeded per run so runs repeat. */
uint32_t world_random(struct pw_world *w)
{
	uint32_t x = w->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	w->rng = x;
	return x;
}
