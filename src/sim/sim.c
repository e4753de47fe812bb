/* sim.c: the clock, its timers, the random source and the wire (see sim.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

/* A timer, or (fn NULL) a frame arriving at port arg. */
struct sim_entry {
	uint64_t t;
	uint64_t seq;
	sim_timer_fn fn;
	void *arg;
	uint8_t *frame; /* owned by the entry until delivered */
	uint32_t len;
};

void sim_init(struct sim *s, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->rng = (uint32_t)(seed * 2654435761u) ^ 0x9e3779b9u;
	if (!s->rng)
		s->rng = 1;
}

void sim_destroy(struct sim *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		free(s->heap[i].frame);
	free(s->heap);
	s->heap = NULL;
	s->n = s->cap = 0;
}

void sim_fail(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	s->failed = 1;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
}

uint32_t sim_random(struct sim *s)
{
	uint32_t x = s->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	s->rng = x;
	return x;
}

static int entry_before(const struct sim_entry *a, const struct sim_entry *b)
{
	return a->t != b->t ? a->t < b->t : a->seq < b->seq;
}

/* Sifts e up from a new last slot. 0, or -1 (frame freed, sim failed). */
static int heap_push(struct sim *s, struct sim_entry e)
{
	uint32_t i;

	if (s->n == s->cap) {
		uint32_t ncap = s->cap ? s->cap * 2 : 256;
		struct sim_entry *heap = ncap <= SIM_MAX_TIMERS ? realloc(s->heap, ncap * sizeof(*heap)) : NULL;

		if (!heap) {
			free(e.frame);
			sim_fail(s, "too many pending events (more than %d)", SIM_MAX_TIMERS);
			return -1;
		}
		s->heap = heap;
		s->cap = ncap;
	}
	i = s->n++;
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!entry_before(&e, &s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = e;
	return 0;
}

/* Removes the earliest entry into *out; 0, or -1 when none is left. */
static int heap_pop(struct sim *s, struct sim_entry *out)
{
	struct sim_entry last;
	uint32_t i = 0;

	if (!s->n)
		return -1;
	*out = s->heap[0];
	last = s->heap[--s->n];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		const struct sim_entry *best = &last;

		if (l < s->n && entry_before(&s->heap[l], best)) {
			m = l;
			best = &s->heap[l];
		}
		if (r < s->n && entry_before(&s->heap[r], best))
			m = r;
		if (m == i)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (s->n)
		s->heap[i] = last;
	return 0;
}

int sim_timer_add(struct sim *s, uint64_t t, sim_timer_fn fn, void *arg)
{
	return heap_push(s, (struct sim_entry){ .t = t, .seq = s->seq++, .fn = fn, .arg = arg });
}

void sim_run(struct sim *s)
{
	struct sim_entry e;

	while (!s->failed && !heap_pop(s, &e)) {
		if (e.t > s->now)
			s->now = e.t;
		if (e.fn) {
			e.fn(e.arg);
		} else {
			const struct sim_port *p = e.arg;

			p->rx(p->ctx, e.frame, e.len); /* takes the frame */
		}
	}
}

void sim_wire_init(struct sim_wire *w, struct sim *s, uint32_t mbps, uint32_t corrupt)
{
	memset(w, 0, sizeof(*w));
	w->sim = s;
	w->mbps = mbps ? mbps : 1;
	w->corrupt = corrupt;
}

void sim_wire_attach(struct sim_wire *w, int port, const char *name,
		     void (*rx)(void *ctx, uint8_t *frame, uint32_t len), void *ctx)
{
	w->port[port] = (struct sim_port){ .name = name, .rx = rx, .ctx = ctx };
}

int sim_wire_deliver(struct sim_wire *w, int from, uint64_t t, uint8_t *frame, uint32_t len)
{
	struct sim *s = w->sim;

	return heap_push(s, (struct sim_entry){ .t = t + SIM_WIRE_DELAY_NS, .seq = s->seq++, .arg = &w->port[1 - from],
					       .frame = frame, .len = len });
}
