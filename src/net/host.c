/* host.c: a host's life: brought up, made to forget, freed (see host.h). */
#include <string.h>

#include "net/host.h"

int host_init(struct pw_host *h, const struct host_config *c)
{
	memset(h, 0, sizeof(*h));
	h->sim = c->sim;
	h->wire = c->wire;
	h->port = c->idx;
	h->pool = c->pool;
	h->trace = c->trace;
	h->ops = c->ops;
	h->owner = c->owner;
	h->idx = c->idx;
	h->name = c->name;
	memcpy(h->mac, c->mac, ETH_ALEN);
	h->ip = c->ip;
	h->mtu = c->mtu;
	h->qdisc_limit = c->qdisc_limit;
	h->napi_weight = c->napi_weight;
	h->itr_us = c->itr_us;
	h->ip_id_state = sim_random(c->sim);
	h->ctx = PW_CTX_PROCESS;
	c->trace->host[c->idx] = h;
	if (c->wire)
		sim_wire_attach(c->wire, c->idx, c->name, igb_wire_rx, h);
	return igb_ring_init(h, c->tx_ring, c->rx_ring);
}

static void purge_sockets(struct pw_host *h)
{
	for (int s = 0; s < h->nsock; s++) {
		skb_queue_purge(&h->sock[s].write_queue);
		skb_queue_purge(&h->sock[s].rtx_queue);
		skb_queue_purge(&h->sock[s].receive_queue);
		skb_queue_purge(&h->sock[s].ofo_queue);
	}
}

void host_forget(struct pw_host *h)
{
	purge_sockets(h);
	h->nsock = 0;
	h->app_sk = NULL;
	for (int n = 0; n < MAX_NEIGH; n++) {
		skb_queue_purge(&h->neigh[n].arp_queue);
		h->neigh[n].used = 0;
	}
	for (int q = 0; q < MAX_IPQ; q++) {
		skb_queue_purge(&h->ipq[q].frags);
		h->ipq[q].used = 0;
	}
}

void host_free(struct pw_host *h)
{
	purge_sockets(h);
	for (int n = 0; n < MAX_NEIGH; n++)
		skb_queue_purge(&h->neigh[n].arp_queue);
	for (int q = 0; q < MAX_IPQ; q++)
		skb_queue_purge(&h->ipq[q].frags);
	for (int b = 0; b < 3; b++)
		skb_queue_purge(&h->band[b]);
	skb_queue_purge(&h->napi_rx_list);
	igb_ring_free(h);
}
