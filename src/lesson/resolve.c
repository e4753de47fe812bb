/* resolve.c: holding a lesson against the timeline of its source: finding
 * each step's event, checking the order of the pause points and that each
 * highlight names something the scene has at that event.
 *
 * When a pause point matches nothing, the message says which criterion
 * fails and suggests the closest name the timeline does carry (a function
 * the walk calls, a tracepoint it fires...), since the usual cause is a
 * typo or a function of another path ("ip_rcv" where a NAPI driver's
 * packets go through ip_list_rcv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson_priv.h"

#define PATHLEN 256

static const char *const host_names[PW_HOSTS] = { "A", "B" };

/* The criteria of a pause point, one at a time, so that a failed match
 * can be explained criterion by criterion. */
enum crit { C_FUNC, C_TP, C_LAYER, C_HOST, C_OP, C_DROP, C_QUEUE, C_CTX, C_COUNT };
static const char *const crit_keys[C_COUNT] = { "func", "tracepoint", "layer", "host", "op", "drop_reason", "queue",
						"ctx" };

static int crit_given(const struct pw_lesson_pause *p, int c)
{
	switch (c) {
	case C_FUNC: return p->func != NULL;
	case C_TP: return p->tracepoint >= 0;
	case C_LAYER: return p->layer >= 0;
	case C_HOST: return p->host >= 0;
	case C_OP: return p->op >= 0;
	case C_DROP: return p->drop >= 0;
	case C_QUEUE: return p->queue >= 0;
	default: return p->ctx >= 0;
	}
}

static int crit_match(const struct pw_event *e, const struct pw_lesson_pause *p, int c)
{
	switch (c) {
	case C_FUNC: return e->func && !strcmp(e->func, p->func);
	case C_TP: return e->tp == p->tracepoint;
	case C_LAYER: return e->layer == p->layer;
	case C_HOST: return e->host == p->host;
	case C_OP: return e->op == p->op;
	case C_DROP: return e->drop == p->drop;
	case C_QUEUE: return e->queue == p->queue;
	default: return e->ctx == p->ctx;
	}
}

static int match(const struct pw_event *e, const struct pw_lesson_pause *p)
{
	for (int c = 0; c < C_COUNT; c++)
		if (crit_given(p, c) && !crit_match(e, p, c))
			return 0;
	return 1;
}

/* The criterion's value as a lesson spells it. */
static const char *crit_value(const struct pw_lesson_pause *p, int c)
{
	switch (c) {
	case C_FUNC: return p->func;
	case C_TP: return pw_tp_names[p->tracepoint];
	case C_LAYER: return pw_layer_names[p->layer];
	case C_HOST: return host_names[p->host];
	case C_OP: return pw_op_names[p->op];
	case C_DROP: return pw_drop_names[p->drop];
	case C_QUEUE: return pw_queue_names[p->queue];
	default: return pw_ctx_names[p->ctx];
	}
}

/* The same criterion's value on an event (NULL: the event has none). */
static const char *event_value(const struct pw_event *e, int c)
{
	switch (c) {
	case C_FUNC: return e->func;
	case C_TP: return pw_tp_names[e->tp];
	case C_LAYER: return pw_layer_names[e->layer];
	case C_HOST: return host_names[e->host & 1];
	case C_OP: return pw_op_names[e->op];
	case C_DROP: return pw_drop_names[e->drop];
	case C_QUEUE: return e->queue >= 0 ? pw_queue_names[e->queue] : NULL;
	default: return pw_ctx_names[e->ctx];
	}
}

/* How a "nothing matches" message says what is missing, by criterion. */
static const char *const crit_phrase[C_COUNT] = {
	"no event calls '%s'", "no event fires '%s'", "no event is in layer '%s'", "no event runs on host %s",
	"no event does '%s'", "no packet is dropped with reason '%s'", "no event touches '%s'",
	"no event runs in '%s'",
};

/* Explains why a pause point matched nothing, criterion by criterion. */
static void explain_miss(struct pw_lesson *l, const struct pw_timeline *tl, const struct pw_lesson_pause *p,
			 const char *path, const char *where)
{
	size_t n = pw_timeline_count(tl);
	int lonely = 0;

	for (int c = 0; c < C_COUNT; c++) {
		const char **names;
		size_t nn = 0, any = 0;
		char hint[160], cp[PATHLEN + 16], msg[200];

		if (!crit_given(p, c))
			continue;
		for (size_t i = 0; i < n && !any; i++)
			any = crit_match(pw_timeline_event(tl, i), p, c);
		if (any)
			continue;
		lonely = 1;
		/* The distinct names the timeline carries for this criterion. */
		names = malloc(n * sizeof(*names) + 1);
		for (size_t i = 0; names && i < n; i++) {
			const char *v = event_value(pw_timeline_event(tl, i), c);
			size_t k;

			if (!v)
				continue;
			for (k = 0; k < nn && strcmp(names[k], v); k++)
				;
			if (k == nn)
				names[nn++] = v;
		}
		lesson_did_you_mean(hint, sizeof(hint), crit_value(p, c), names, names ? nn : 0);
		free(names);
		snprintf(cp, sizeof(cp), "%s.%s", path, crit_keys[c]);
		snprintf(msg, sizeof(msg), crit_phrase[c], crit_value(p, c));
		lesson_error(l, cp, "%s in this %s%s", msg, where, hint);
	}
	if (!lonely) {
		char all[512] = "";

		for (int c = 0; c < C_COUNT; c++)
			if (crit_given(p, c))
				snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s '%s'", all[0] ? ", " : "",
					 crit_keys[c], crit_value(p, c));
		lesson_error(l, path, "no event matches all of: %s", all);
	}
}

/* "event 62 (ip_local_deliver_finish on B)" */
static void describe(char *buf, size_t len, const struct pw_event *e, size_t idx)
{
	snprintf(buf, len, "event %zu (%s on %s)", idx, e->func ? e->func : "?", host_names[e->host & 1]);
}

/* Whether the skb recorded with e holds header h, judged from its
 * offsets and bytes as the scene draws them. */
static int has_header(const struct pw_timeline *tl, const struct pw_event *e, int h)
{
	const struct pw_skb_state *s = &e->skb;
	uint32_t blen = 0;
	const uint8_t *b = pw_timeline_bytes(tl, e, &blen);
	int ip = s->network >= 0 && b && (uint32_t)s->network < blen && (b[s->network] >> 4) == 4;
	int proto = ip && (uint32_t)s->network + 9 < blen ? b[s->network + 9] : -1;

	switch (h) {
	case PW_HDR_ETH:
		/* The sender pushes the Ethernet header before the mac offset is set. */
		return s->mac >= 0 || (s->network >= 14 && s->data <= s->network - 14);
	case PW_HDR_IP:
		return ip;
	case PW_HDR_ARP:
		return s->network >= 0 && b && (uint32_t)s->network + 4 <= blen && b[s->network] == 0 &&
		       b[s->network + 1] == 1 && b[s->network + 2] == 8 && b[s->network + 3] == 0;
	default:
		/* Before the IP header is pushed, nothing says which protocol the
		 * transport header belongs to: take the lesson's word for it. */
		if (s->transport < 0)
			return 0;
		if (proto < 0)
			return 1;
		return proto == (h == PW_HDR_TCP ? 6 : h == PW_HDR_UDP ? 17 : 1);
	}
}

static void check_highlights(struct pw_lesson *l, const struct pw_timeline *tl, struct lesson_step_priv *st,
			     size_t si, const struct pw_event *e)
{
	char ev[160];

	describe(ev, sizeof(ev), e, (size_t)st->pub.event);
	for (size_t k = 0; k < st->pub.n_highlights; k++) {
		struct pw_lesson_highlight *h = &st->hl[k];
		char p[PATHLEN];
		int32_t off;

		h->host = st->hl_host[k] >= 0 ? st->hl_host[k] : e->host;
		if (h->kind < 0 || h->index < 0)
			continue; /* reported at load */
		snprintf(p, sizeof(p), "steps[%zu].highlights[%zu].%s", si, k,
			 h->kind == PW_HL_HOST ? "host" : pw_highlight_kind_names[h->kind]);
		switch (h->kind) {
		case PW_HL_POINTER:
		case PW_HL_OFFSET:
		case PW_HL_HEADER:
			if (!e->skb.id) {
				lesson_error(l, p, "%s carries no skb to show a %s in", ev, pw_highlight_kind_names[h->kind]);
				break;
			}
			if (h->kind == PW_HL_OFFSET) {
				off = h->index == 0 ? e->skb.mac : h->index == 1 ? e->skb.network : e->skb.transport;
				if (off < 0)
					lesson_error(l, p, "the skb's %s header offset is not set at %s", h->name, ev);
			}
			if (h->kind == PW_HL_HEADER && !has_header(tl, e, h->index))
				lesson_error(l, p, "the skb at %s holds no %s header", ev, h->name);
			break;
		case PW_HL_RING:
			if (h->slot >= 0) {
				const struct pw_occupancy *o = pw_timeline_occupancy(tl, e, h->host);
				int size = o ? (h->index ? o->rx_size : o->tx_size) : 0;

				if (h->slot >= size) {
					snprintf(p, sizeof(p), "steps[%zu].highlights[%zu].slot", si, k);
					lesson_error(l, p, "descriptor %d is past the end of %s's %d-descriptor %s ring",
						     h->slot, host_names[h->host], size, h->name);
				}
			}
			break;
		default:
			/* Queues, lanes and hosts are on the stage at every step. */
			break;
		}
	}
}

int pw_lesson_resolve(struct pw_lesson *l, const struct pw_timeline *tl)
{
	size_t n = pw_timeline_count(tl), before;
	const char *where;
	long prev = -1;
	size_t prev_step = 0;

	/* Problems of an earlier resolve go: this timeline decides. */
	while (l->n_errors > l->n_load_errors)
		free(l->errors[--l->n_errors]);
	l->resolved = 0;
	for (size_t i = 0; i < l->n_steps; i++)
		l->steps[i].pub.event = -1;
	if (l->n_load_errors || !l->have_source)
		return 0;
	before = l->n_errors;
	where = l->src.scenario ? "scenario" : "capture";
	for (size_t i = 0; i < l->n_steps; i++) {
		struct lesson_step_priv *st = &l->steps[i];
		const struct pw_lesson_pause *p = &st->pub.pause;
		uint32_t seen = 0;
		char path[PATHLEN];

		snprintf(path, sizeof(path), "steps[%zu].pause_at", i);
		for (size_t e = 0; e < n; e++) {
			if (match(pw_timeline_event(tl, e), p) && ++seen == p->nth) {
				st->pub.event = (long)e;
				break;
			}
		}
		if (st->pub.event < 0) {
			if (!seen) {
				explain_miss(l, tl, p, path, where);
			} else {
				char pn[PATHLEN + 8];

				snprintf(pn, sizeof(pn), "%s.nth", path);
				lesson_error(l, pn, "asks for match %u, but only %u event%s match%s", p->nth, seen,
					     seen == 1 ? "" : "s", seen == 1 ? "es" : "");
			}
			continue;
		}
		/* Two steps may pause at one event (narration, then a question). */
		if (prev >= 0 && st->pub.event < prev) {
			char a[160], b[160];

			describe(a, sizeof(a), pw_timeline_event(tl, (size_t)st->pub.event), (size_t)st->pub.event);
			describe(b, sizeof(b), pw_timeline_event(tl, (size_t)prev), (size_t)prev);
			lesson_error(l, path, "pauses at %s, before steps[%zu]'s %s; steps must pause in timeline order",
				     a, prev_step, b);
		} else {
			prev = st->pub.event;
			prev_step = i;
		}
		check_highlights(l, tl, st, i, pw_timeline_event(tl, (size_t)st->pub.event));
	}
	l->resolved = l->n_errors == before;
	return (int)(l->n_errors - before);
}

int pw_lesson_check(struct pw_lesson *l, pw_lesson_walk_fn walk, void *ctx)
{
	struct pw_timeline *tl;
	char err[512] = "";

	if (l->n_load_errors || !l->have_source)
		return 0;
	tl = walk(ctx, &l->src, err, sizeof(err));
	if (!tl) {
		while (l->n_errors > l->n_load_errors)
			free(l->errors[--l->n_errors]);
		lesson_error(l, "source", "cannot walk it: %s", err[0] ? err : "the walk failed");
		return 0;
	}
	pw_lesson_resolve(l, tl);
	pw_timeline_destroy(tl);
	return pw_lesson_ok(l);
}
