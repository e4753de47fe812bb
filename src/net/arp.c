/* arp.c: ARP (net/ipv4/arp.c): requests for the neighbour layer, answers
 * to other hosts' requests, and what replies teach the cache (see
 * neighbour.h). */
#include <string.h>

#include "net/host.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/skbuff.h"
#include "proto/arp.h"
#include "proto/ip4.h"

/* arp_create + arp_xmit: build the ARP packet ai describes and send it to
 * dest_hw (broadcast when NULL). */
static void arp_xmit_info(struct pw_host *h, const struct arp_info *ai, const uint8_t dest_hw[ETH_ALEN])
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct sk_buff *skb = alloc_skb(h->pool, ARP_HLEN + LL_RESERVED_SPACE);
	uint8_t *p;

	if (!skb) {
		sim_fail(h->sim, "out of memory for an ARP packet");
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

void arp_solicit(struct pw_host *h, uint32_t ip)
{
	emit(h, NULL, STEP(NEIGH, CALL, "arp_solicit", SRC_ARP),
	     "neigh_probe -> arp_solicit: an ARP request is broadcast at once; the retry timer (1 s) "
	     "is armed.");
	arp_send(h, ARPOP_REQUEST, ip, NULL, NULL);
}

void arp_rcv(struct pw_host *h, struct sk_buff *skb)
{
	struct arp_info ai;
	struct pw_parse_err e;
	struct neighbour *n;
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
		if (n && n->nud != NUD_PERMANENT)
			neigh_update(h, n, ai.sha, NUD_STALE);
		if (!host_quiet_xmit(h, "an ARP reply (arp_send_dst)"))
			arp_send(h, ARPOP_REPLY, ai.sip, ai.sha, ai.sha);
		consume_skb(h, skb, PW_LAYER_NEIGH, "arp_process", SRC_ARP, "The request is answered: consume_skb.");
		return;
	}
	if (ai.op == ARPOP_REPLY && n && n->nud != NUD_PERMANENT)
		neigh_update(h, n, ai.sha, NUD_REACHABLE);
	consume_skb(h, skb, PW_LAYER_NEIGH, "arp_process", SRC_ARP, "The ARP packet is processed: consume_skb.");
}
