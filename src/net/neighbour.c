/* neighbour.c: the neighbour cache (net/core/neighbour.c): resolving the
 * next hop's MAC address, with the packets that need it parked until the
 * answer comes (see neighbour.h). */
#include <string.h>

#include "net/host.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/skbuff.h"
#include "proto/eth.h"
#include "proto/ip4.h"

/* QUEUE_LEN_BYTES: how much may wait on one unresolved neighbour. */
#define NEIGH_QUEUE_BYTES 212992u

const char *const nud_state_names[] = { "NONE", "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "FAILED",
					"PERMANENT" };

struct neighbour *neigh_lookup(struct pw_host *h, uint32_t ip)
{
	for (int i = 0; i < MAX_NEIGH; i++)
		if (h->neigh[i].used && h->neigh[i].ip == ip)
			return &h->neigh[i];
	return NULL;
}

struct neighbour *neigh_create(struct pw_host *h, uint32_t ip)
{
	char a[16];

	for (int i = 0; i < MAX_NEIGH; i++) {
		struct neighbour *n = &h->neigh[i];

		if (n->used)
			continue;
		memset(n, 0, sizeof(*n));
		n->used = 1;
		n->ip = ip;
		n->nud = NUD_NONE;
		ip4_addr_format(ip, a);
		emit(h, NULL, STEP_TP(NEIGH, STATE, NEIGH_CREATE, "__neigh_create", SRC_NEIGH),
		     "__neigh_create: a neighbour entry for %s, state NONE: its MAC address is unknown.", a);
		return n;
	}
	sim_fail(h->sim, "host %s: neighbour table full", h->name);
	return NULL;
}

void neigh_add_permanent(struct pw_host *h, uint32_t ip, const uint8_t ha[ETH_ALEN])
{
	struct neighbour *n = &h->neigh[0];

	memset(n, 0, sizeof(*n));
	n->used = 1;
	n->ip = ip;
	memcpy(n->ha, ha, ETH_ALEN);
	n->nud = NUD_PERMANENT;
}

static void neigh_set_state(struct pw_host *h, struct neighbour *n, enum nud_state s, int tp)
{
	char a[16];
	struct step st = STEP(NEIGH, STATE, "__neigh_update", SRC_NEIGH);

	ip4_addr_format(n->ip, a);
	st.tp = (uint8_t)tp;
	if (s == NUD_DELAY)
		st.func = "__neigh_event_send";
	emit(h, NULL, st, "The neighbour entry for %s goes from %s to %s.", a, nud_state_names[n->nud],
	     nud_state_names[s]);
	n->nud = s;
}

/* neigh_hh_output / neigh_resolve_output's last step: the Ethernet header,
 * then dev_queue_xmit. Consumes skb. */
static int neigh_hh_output(struct pw_host *h, struct neighbour *n, struct sk_buff *skb, const char *func,
			   const char *src)
{
	uint8_t *p = skb_push(skb, ETH_HLEN);

	if (!p) {
		sim_fail(h->sim, "%s", h->pool->err);
		skb_free(skb);
		return PW_ERR_BROKEN;
	}
	eth_build(p, n->ha, h->mac, skb->protocol);
	emit(h, skb, STEP(NEIGH, PUSH, func, src),
	     "%s: skb_push(14) and the cached Ethernet header is copied in front of the IP header "
	     "(destination %02x:%02x:%02x:%02x:%02x:%02x, ethertype 0x%04x).",
	     func, n->ha[0], n->ha[1], n->ha[2], n->ha[3], n->ha[4], n->ha[5], skb->protocol);
	return dev_queue_xmit(h, skb);
}

int neigh_output(struct pw_host *h, uint32_t nexthop, struct sk_buff *skb)
{
	struct neighbour *n = neigh_lookup(h, nexthop);

	if (!n) {
		n = neigh_create(h, nexthop);
		if (!n) {
			skb_free(skb);
			return PW_ERR_BROKEN;
		}
	}
	switch (n->nud) {
	case NUD_PERMANENT:
	case NUD_REACHABLE:
	case NUD_DELAY:
		return neigh_hh_output(h, n, skb, "neigh_hh_output", SRC_NEIGH_H);
	case NUD_STALE:
		/* Usable, but to be confirmed: __neigh_event_send starts the DELAY timer. */
		neigh_set_state(h, n, NUD_DELAY, PW_TP_NONE);
		return neigh_hh_output(h, n, skb, "neigh_resolve_output", SRC_NEIGH);
	case NUD_NONE:
	case NUD_INCOMPLETE:
	case NUD_FAILED:
		break;
	}
	if (n->arp_queue.bytes + skb->truesize > NEIGH_QUEUE_BYTES) {
		struct sk_buff *old = skb_dequeue(&n->arp_queue);

		if (old)
			kfree_skb_reason(h, old, PW_DROP_NEIGH_QUEUEFULL, PW_LAYER_NEIGH, "__neigh_event_send",
					 SRC_NEIGH, "Too much is waiting for this neighbour: the oldest packet is "
					 "dropped (NEIGH_QUEUEFULL).");
	}
	skb_queue_tail(&n->arp_queue, skb);
	emit(h, skb, STEP_Q(NEIGH, ENQUEUE, NONE, ARP_QUEUE, "__neigh_event_send", SRC_NEIGH),
	     "neigh_resolve_output -> __neigh_event_send: the MAC address is unknown, so the packet is "
	     "parked on the neighbour's arp_queue.");
	if (n->nud != NUD_INCOMPLETE) {
		neigh_set_state(h, n, NUD_INCOMPLETE, PW_TP_NONE);
		arp_solicit(h, nexthop);
	}
	emit(h, NULL, STEP_TP(NEIGH, CALL, NEIGH_EVENT_SEND_DONE, "__neigh_event_send", SRC_NEIGH),
	     "neigh_event_send_done: the packet waits; the sender's call returns as if it had been sent.");
	return NET_XMIT_SUCCESS;
}

void neigh_update(struct pw_host *h, struct neighbour *n, const uint8_t lladdr[ETH_ALEN], enum nud_state new_state)
{
	struct sk_buff *q;

	memcpy(n->ha, lladdr, ETH_ALEN);
	neigh_set_state(h, n, new_state, PW_TP_NEIGH_UPDATE);
	if (new_state != NUD_REACHABLE)
		return;
	while ((q = skb_dequeue(&n->arp_queue))) {
		emit(h, q, STEP_Q(NEIGH, DEQUEUE, NONE, ARP_QUEUE, "__neigh_update", SRC_NEIGH),
		     "__neigh_update drains arp_queue: the parked packet is sent now, from the NET_RX "
		     "softirq.");
		neigh_hh_output(h, n, q, "neigh_resolve_output", SRC_NEIGH);
	}
	emit(h, NULL, STEP_TP(NEIGH, CALL, NEIGH_UPDATE_DONE, "__neigh_update", SRC_NEIGH),
	     "neigh_update_done: the entry is REACHABLE; later packets take the fast path "
	     "(neigh_hh_output).");
}
