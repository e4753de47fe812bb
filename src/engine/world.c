/* world.c: the two-host world: built, run, finished, and the hooks it
 * gives its hosts (see world.h); pw_engine_run, a scenario's walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/scenario.h"
#include "engine/world.h"
#include "net/neighbour.h"

const uint8_t world_default_mac[PW_HOSTS][ETH_ALEN] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };

/* --- the hooks ------------------------------------------------------------- */

static void world_sk_wake(struct pw_host *h, struct pw_sock *sk)
{
	struct pw_world *w = h->owner;

	(void)sk;
	app_wake(&w->app[h->idx]);
}

/* The caller's tap sees every frame as the NIC sends it; a replay then
 * swaps in the captured bytes. */
static uint8_t *world_frame_on_wire(struct pw_host *h, uint8_t *frame, uint32_t *len)
{
	struct pw_world *w = h->owner;

	if (w->frame_fn) {
		struct pw_wire_frame wf = { .number = sim_wire_frames(&w->wire), .t_ns = sim_now(&w->sim),
					    .from_host = h->idx, .bytes = frame, .len = *len };

		w->frame_fn(w->frame_ctx, &wf);
	}
	return replay_on_wire(h, frame, len);
}

static const struct pw_hdr_override *world_hdr_override(const struct pw_host *h)
{
	const struct pw_world *w = h->owner;

	return &w->replay_hdr;
}

static const struct pw_host_ops world_host_ops = {
	.sk_wake = world_sk_wake,
	.quiet_xmit = replay_quiet,
	.frame_on_wire = world_frame_on_wire,
	.hdr_override = world_hdr_override,
};

/* --- the world's life ------------------------------------------------------ */

struct pw_world *world_create(const struct pw_params *p, struct pw_timeline *tl, pw_frame_fn frame_fn,
			      void *frame_ctx, char *err, size_t errlen)
{
	static const char *const names[PW_HOSTS] = { "A", "B" };
	struct pw_world *w;

	if (pw_params_check(p, err, errlen))
		return NULL;
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->p = *p;
	w->tl = tl;
	w->frame_fn = frame_fn;
	w->frame_ctx = frame_ctx;
	sim_init(&w->sim, p->seed);
	sim_wire_init(&w->wire, &w->sim, p->link_mbps, p->corrupt);
	skb_pool_init(&w->pool);
	net_trace_init(&w->trace, tl);
	for (int i = 0; i < PW_HOSTS; i++) {
		const struct host_config c = {
			.idx = i, .name = names[i], .mac = world_default_mac[i], .ip = i ? B_IP : A_IP,
			.mtu = p->mtu, .qdisc_limit = p->qdisc_limit, .napi_weight = p->napi_weight,
			.itr_us = p->itr_us, .tx_ring = p->tx_ring, .rx_ring = p->rx_ring,
			.sim = &w->sim, .wire = &w->wire, .pool = &w->pool, .trace = &w->trace,
			.ops = &world_host_ops, .owner = w,
		};

		app_init(&w->app[i], w, &w->host[i]);
		if (host_init(&w->host[i], &c)) {
			sim_fail(&w->sim, "out of memory for the NIC rings");
			break;
		}
	}
	return w;
}

void world_announce(struct pw_world *w)
{
	for (int i = 0; i < PW_HOSTS && !sim_failed(&w->sim); i++) {
		struct pw_host *h = &w->host[i];

		emit(h, NULL, STEP_Q(DRIVER, DOORBELL, NONE, RX_RING, "igb_alloc_rx_buffers", SRC_IGB),
		     "Host %s is up: igb_alloc_rx_buffers has posted %u empty 2048-byte buffers in the "
		     "%u-descriptor RX ring for the NIC to DMA into.",
		     h->name, h->rx.size - 1, h->rx.size);
	}
}

int world_finish(struct pw_world *w, struct pw_result *res, char *err, size_t errlen)
{
	int rc = 0;

	if (sim_failed(&w->sim)) {
		snprintf(err, errlen, "%s", sim_error(&w->sim));
		rc = -1;
	}
	w->res.events = pw_timeline_total(w->tl);
	w->res.frames = sim_wire_frames(&w->wire);
	w->res.end_ns = w->trace.last_event_ns;
	for (int i = 0; i < PW_HOSTS; i++) {
		const struct host_mib *m = &w->host[i].mib;

		w->res.drops += m->drops;
		w->res.segments += m->tcp_segs_queued;
		w->res.bytes_delivered += m->bytes_delivered;
	}
	for (int i = 0; i < PW_HOSTS; i++)
		host_free(&w->host[i]);
	sim_destroy(&w->sim);
	free(w->payload);
	free(w->pattern);
	w->res.live_skbs = w->pool.live;
	if (res)
		*res = w->res;
	free(w);
	return rc;
}

int pw_engine_run(const struct pw_params *p, struct pw_timeline *tl, pw_frame_fn frame_fn, void *frame_ctx,
		  struct pw_result *res, char *err, size_t errlen)
{
	const struct pw_scenario_info *s = pw_scenario_find(p->scenario);
	struct pw_world *w;
	int empty_neigh;

	if (!s) {
		snprintf(err, errlen, "unknown scenario '%s' (see --help for the list)",
			 p->scenario ? p->scenario : "(none)");
		return -1;
	}
	w = world_create(p, tl, frame_fn, frame_ctx, err, errlen);
	if (!w)
		return -1;
	s->script(&w->app[0], &w->app[1], p->payload ? p->payload : s->payload, p->count ? p->count : s->count);
	empty_neigh = p->arp >= 0 ? p->arp : s->empty_neigh;
	if (!empty_neigh) {
		neigh_add_permanent(&w->host[0], B_IP, world_default_mac[1]);
		neigh_add_permanent(&w->host[1], A_IP, world_default_mac[0]);
	}
	world_announce(w);
	/* The server starts first, so that it listens before the client connects. */
	for (int i = 0; i < PW_HOSTS && !sim_failed(&w->sim); i++)
		app_start(&w->app[i], i == 1 ? 0 : 10000);
	sim_run(&w->sim);
	return world_finish(w, res, err, errlen);
}
