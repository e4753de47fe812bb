/* arp.c: the neighbour cache (net/core/neighbour.c) and ARP
 * (net/ipv4/arp.c): resolving the next hop's MAC address, with the packet
 * that needed it parked until the answer comes. */
#include <string.h>

#include "net/host.h"
#include "proto/arp.h"
#include "proto/ip4.h"

#define LL_RESERVED_SPACE 16u
/* QUEUE_LEN_BYTES: how much may wait on one unresolved neighbour. */
#define NEIGH_QUEUE_BYTES 212992u

const char *const nud_state_names[] = { "NONE", "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "FAILED",
					"PERMANENT" };

static struct neighbour *neigh_lookup(struct pw_host *h, uint32_t ip)
{
	for (int i = 0; i < MAX_NEIGH; i++)
		if (h->neigh[i].used && h->neigh[i].ip == ip)
			return &h->neigh[i];
	return NULL;
}

static struct neighbour *neigh_create(struct pw_host *h, uint32_t ip)
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
	world_fail(h->w, "host %s: neighbour table full", h->name);
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

/* arp_create + arp_xmit: build the ARP packet ai describes and send it to
 * dest_hw (broadcast when NULL). */
static void arp_xmit_info(struct pw_host *h, const struct arp_info *ai, const uint8_t dest_hw[ETH_ALEN])
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct sk_buff *skb = alloc_skb(&h->w->pool, ARP_HLEN + LL_RESERVED_SPACE);
	uint8_t *p;

	if (!skb) {
		world_fail(h->w, "out of memory for an ARP packet");
		return;
	}
	skb_reserve(skb, LL_RESERVED_SPACE);
	p = skb_put(skb, ARP_HLEN);
	skb_reset_network_header(skb);
	arp_build(p, ai);
	emit(h, skb, STEP(NEIGH, PUT, "arp_create", SRC_ARP),
	     "arp_create: alloc_skb, skb_reserve(%u), skb_put(28) for the ARP %s: %s.", LL_RESERVED_SPACE,
	     ai->op == ARPOP_REQUEST ? "request" : "reply",
	     ai->op == ARPOP_REQUEST ? "who has this address? (target MAC left zero)" : "here is my MAC address");
	p = skb_push(skb, ETH_HLEN);
	eth_build(p, dest_hw ? dest_hw : bcast, h->mac, ETH_P_ARP);
	skb->protocol = ETH_P_ARP;
	emit(h, skb, STEP(NEIGH, PUSH, "eth_header", SRC_ETH),
	     "dev_hard_header: skb_push(14) and the Ethernet header goes to %s, ethertype 0x0806 (ARP).",
	     dest_hw && !eth_is_broadcast(dest_hw) ? "the asker" : "ff:ff:ff:ff:ff:ff, every host on the link");
	emit(h, skb, STEP(NEIGH, CALL, "arp_xmit", SRC_ARP),
	     "arp_xmit: netfilter ARP_OUT lets it pass, then dev_queue_xmit.");
	dev_queue_xmit(h, skb);
}

static void arp_send(struct pw_host *h, uint16_t op, uint32_t tip, const uint8_t tha[ETH_ALEN],
		     const uint8_t dest_hw[ETH_ALEN])
{
	static const uint8_t zero[ETH_ALEN] = { 0 };
	struct arp_info ai;

	memset(&ai, 0, sizeof(ai));
	ai.hrd = ARPHRD_ETHER;
	ai.pro = ETH_P_IP;
	ai.hln = ETH_ALEN;
	ai.pln = 4;
	ai.op = op;
	memcpy(ai.sha, h->mac, ETH_ALEN);
	ai.sip = h->ip;
	memcpy(ai.tha, tha ? tha : zero, ETH_ALEN);
	ai.tip = tip;
	arp_xmit_info(h, &ai, dest_hw);
}

/* Replay: send a captured ARP packet as arp_send_dst would. */
void arp_replay_send(struct pw_host *h, const struct arp_info *ai, const uint8_t dest_hw[ETH_ALEN])
{
	emit(h, NULL, STEP(NEIGH, CALL, "arp_send_dst", SRC_ARP),
	     "The neighbour layer sends an ARP %s (arp_send_dst).", ai->op == ARPOP_REQUEST ? "request" : "reply");
	arp_xmit_info(h, ai, dest_hw);
}

/* neigh_hh_output / neigh_resolve_output's last step: the Ethernet header. */
static int neigh_hh_output(struct pw_host *h, struct neighbour *n, struct sk_buff *skb, const char *func,
			   const char *src)
{
	uint8_t *p = skb_push(skb, ETH_HLEN);

	if (!p) {
		world_fail(h->w, "%s", h->w->pool.err);
		skb_free(skb);
		return -1;
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
			return -1;
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
		emit(h, NULL, STEP(NEIGH, CALL, "arp_solicit", SRC_ARP),
		     "neigh_probe -> arp_solicit: an ARP request is broadcast at once; the retry timer (1 s) "
		     "is armed.");
		arp_send(h, ARPOP_REQUEST, nexthop, NULL, NULL);
	}
	emit(h, NULL, STEP_TP(NEIGH, CALL, NEIGH_EVENT_SEND_DONE, "__neigh_event_send", SRC_NEIGH),
	     "neigh_event_send_done: the packet waits; the sender's call returns as if it had been sent.");
	return 0;
}

void arp_rcv(struct pw_host *h, struct sk_buff *skb)
{
	struct arp_info ai;
	struct pw_parse_err e;
	struct neighbour *n;
	struct sk_buff *q;
	char msg[160];

	if (arp_parse(skb_data(skb), skb_headlen(skb), &ai, &e)) {
		pw_parse_err_format(&e, msg, sizeof(msg));
		kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_NEIGH, "arp_rcv", SRC_ARP, msg);
		return;
	}
	emit(h, skb, STEP(NEIGH, CALL, "arp_process", SRC_ARP),
	     "arp_rcv -> arp_process: an ARP %s from %02x:%02x:%02x:%02x:%02x:%02x.",
	     ai.op == ARPOP_REQUEST ? "request" : "reply", ai.sha[0], ai.sha[1], ai.sha[2], ai.sha[3],
	     ai.sha[4], ai.sha[5]);
	if (ai.tip != h->ip) {
		consume_skb(h, skb, PW_LAYER_NEIGH, "arp_process", SRC_ARP, "It asks about another address: ignored.");
		return;
	}
	n = neigh_lookup(h, ai.sip);
	if (ai.op == ARPOP_REQUEST) {
		/* neigh_event_ns: the asker told us its address; remember it as STALE. */
		if (!n)
			n = neigh_create(h, ai.sip);
		if (n && n->nud != NUD_PERMANENT) {
			memcpy(n->ha, ai.sha, ETH_ALEN);
			neigh_set_state(h, n, NUD_STALE, PW_TP_NEIGH_UPDATE);
		}
		if (!replay_quiet(h, "an ARP reply (arp_send_dst)"))
			arp_send(h, ARPOP_REPLY, ai.sip, ai.sha, ai.sha);
		consume_skb(h, skb, PW_LAYER_NEIGH, "arp_process", SRC_ARP, "The request is answered: consume_skb.");
		return;
	}
	if (ai.op == ARPOP_REPLY && n && n->nud != NUD_PERMANENT) {
		memcpy(n->ha, ai.sha, ETH_ALEN);
		neigh_set_state(h, n, NUD_REACHABLE, PW_TP_NEIGH_UPDATE);
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
	consume_skb(h, skb, PW_LAYER_NEIGH, "arp_process", SRC_ARP, "The ARP packet is processed: consume_skb.");
}
