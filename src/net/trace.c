/* trace.c: how the stack model records its steps on the timeline (see
 * trace.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/host.h"
#include "net/trace.h"

/* Simulated cost of one step of kernel code. The figures are round
 * numbers of the right order for a 2020s CPU, so that times on the
 * timeline read sensibly; they are not measurements. */
#define STEP_NS 25

void net_trace_init(struct net_trace *t, struct pw_timeline *tl)
{
	memset(t, 0, sizeof(*t));
	t->tl = tl;
	t->keep = pw_timeline_keeps(tl);
}

uint32_t queue_len(const struct pw_host *h, int q)
{
	const struct pw_sock *sk = h->app_sk;

	switch (q) {
	case PW_Q_SK_WRITE: return sk ? sk->write_queue.len : 0;
	case PW_Q_TCP_RTX: return sk ? sk->rtx_queue.len : 0;
	case PW_Q_SK_RECEIVE: return sk ? sk->receive_queue.len : 0;
	case PW_Q_TCP_OFO: return sk ? sk->ofo_queue.len : 0;
	case PW_Q_ARP_QUEUE: {
		uint32_t n = 0;

		for (int i = 0; i < MAX_NEIGH; i++)
			n += h->neigh[i].arp_queue.len;
		return n;
	}
	case PW_Q_QDISC_BAND0: return h->band[0].len;
	case PW_Q_QDISC_BAND1: return h->band[1].len;
	case PW_Q_QDISC_BAND2: return h->band[2].len;
	case PW_Q_TX_RING: return (h->tx.ntu - h->tx.ntc) & (h->tx.size - 1);
	case PW_Q_RX_RING: return (h->rx.hw - h->rx.ntc) & (h->rx.size - 1);
	case PW_Q_NAPI_RX_LIST: return h->napi_rx_list.len;
	case PW_Q_IPFRAG: {
		uint32_t n = 0;

		for (int i = 0; i < MAX_IPQ; i++)
			n += h->ipq[i].used ? h->ipq[i].frags.len : 0;
		return n;
	}
	case PW_Q_POLL_LIST: return (uint32_t)h->napi_scheduled;
	}
	return 0;
}

static uint32_t queue_cap(const struct pw_host *h, int q)
{
	switch (q) {
	case PW_Q_QDISC_BAND0:
	case PW_Q_QDISC_BAND1:
	case PW_Q_QDISC_BAND2: return h->qdisc_limit;
	case PW_Q_TX_RING: return h->tx.size;
	case PW_Q_RX_RING: return h->rx.size;
	case PW_Q_NAPI_RX_LIST: return 8; /* gro_normal_batch */
	}
	return 0;
}

void host_occupancy(const struct pw_host *h, struct pw_occupancy *o)
{
	memset(o, 0, sizeof(*o));
	if (!h)
		return;
	for (int q = 0; q < PW_Q_COUNT; q++) {
		o->len[q] = (uint16_t)queue_len(h, q);
		o->cap[q] = (uint16_t)queue_cap(h, q);
	}
	o->tx_ntu = (uint16_t)h->tx.ntu;
	o->tx_ntc = (uint16_t)h->tx.ntc;
	o->tx_hw = (uint16_t)h->tx.hw;
	o->tx_size = (uint16_t)h->tx.size;
	o->rx_ntu = (uint16_t)h->rx.ntu;
	o->rx_ntc = (uint16_t)h->rx.ntc;
	o->rx_hw = (uint16_t)h->rx.hw;
	o->rx_size = (uint16_t)h->rx.size;
	o->napi_scheduled = (uint8_t)h->napi_scheduled;
	o->irq_masked = (uint8_t)h->irq_masked;
	o->txq_stopped = (uint8_t)h->txq_stopped;
	o->tcp_state = h->app_sk && h->app_sk->kind == SK_TCP ? (uint8_t)h->app_sk->state : 0;
}

static int32_t off(uint16_t v) { return v == SKB_OFFSET_UNSET ? -1 : (int32_t)v; }

void emit_count(struct pw_host *h)
{
	sim_advance(h->sim, STEP_NS);
	h->trace->last_event_ns = sim_now(h->sim);
	pw_timeline_skip(h->trace->tl);
}

void emit_event(struct pw_host *h, const struct sk_buff *skb, struct step st, const char *fmt, ...)
{
	struct net_trace *tr = h->trace;
	struct pw_event ev;
	struct pw_occupancy occ[PW_HOSTS];
	char text[320];
	uint8_t stack_bytes[2048];
	uint8_t *bytes = NULL;
	uint32_t nbytes = 0;
	uint32_t dummy_ref = UINT32_MAX, dummy_len = 0;
	va_list ap;

	sim_advance(h->sim, STEP_NS);
	tr->last_event_ns = sim_now(h->sim);
	memset(&ev, 0, sizeof(ev));
	ev.t_ns = sim_now(h->sim);
	ev.host = (uint8_t)h->idx;
	ev.skb_host = (uint8_t)h->idx;
	ev.ctx = (uint8_t)h->ctx;
	ev.layer = st.layer;
	ev.op = st.op;
	ev.tp = st.tp;
	ev.drop = st.drop;
	ev.queue = st.queue;
	ev.func = st.func;
	ev.src = st.src;
	if (st.queue >= 0) {
		ev.queue_len = (uint16_t)queue_len(h, st.queue);
		ev.queue_cap = (uint16_t)queue_cap(h, st.queue);
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ev.text = text;
	if (st.op == PW_OP_WIRE)
		ev.frame_no = sim_wire_frames(h->wire);
	if (skb) {
		ev.skb.id = skb->id;
		ev.skb.head = 0;
		ev.skb.data = (int32_t)skb->data;
		ev.skb.tail = (int32_t)skb->tail;
		ev.skb.end = (int32_t)skb->end;
		ev.skb.len = (int32_t)skb->len;
		ev.skb.data_len = (int32_t)skb->data_len;
		ev.skb.truesize = (int32_t)skb->truesize;
		ev.skb.mac = off(skb->mac_header);
		ev.skb.network = off(skb->network_header);
		ev.skb.transport = off(skb->transport_header);
		ev.skb.protocol = skb->protocol;
		ev.skb.ip_summed = skb->ip_summed;
		ev.skb.cloned = skb->cloned;
		/* The image is head..tail, then the fragment: enough to redraw
		 * the buffer and the packet as this layer sees it. */
		nbytes = skb->tail + skb->data_len;
		bytes = nbytes <= sizeof(stack_bytes) ? stack_bytes : malloc(nbytes);
		if (bytes) {
			memcpy(bytes, skb->head, skb->tail);
			if (skb->data_len)
				memcpy(bytes + skb->tail, skb->buf->frag, skb->data_len);
		} else {
			nbytes = 0;
		}
	}
	for (int i = 0; i < PW_HOSTS; i++)
		host_occupancy(tr->host[i], &occ[i]);
	{
		/* The skb's last stored image is remembered on the skb itself. */
		struct sk_buff *mskb = (struct sk_buff *)skb;
		uint32_t *ref = mskb ? &mskb->blob_ref : &dummy_ref;
		uint32_t *len = mskb ? &mskb->blob_len : &dummy_len;

		if (pw_timeline_append(tr->tl, &ev, bytes, nbytes, ref, len, occ))
			sim_fail(h->sim, "out of memory while recording the timeline");
	}
	if (bytes && bytes != stack_bytes)
		free(bytes);
}
