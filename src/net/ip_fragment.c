/* ip_fragment.c: IPv4 reassembly (net/ipv4/ip_fragment.c). Fragments wait
 * on a queue (struct ipq) keyed by source, destination, id and protocol
 * until every byte from 0 to the last fragment's end is there.
 *
 * Not modelled: the 30 s expiry timer and overlapping fragments (dropped
 * here as Linux drops them since 2018).
 */
#include <string.h>

#include "net/host.h"
#include "proto/ip4.h"

static struct ipq *ipq_find(struct pw_host *h, uint32_t saddr, uint32_t daddr, uint16_t id, uint8_t proto)
{
	struct ipq *free_q = NULL;

	for (int i = 0; i < MAX_IPQ; i++) {
		struct ipq *q = &h->ipq[i];

		if (q->used && q->saddr == saddr && q->daddr == daddr && q->id == id && q->protocol == proto)
			return q;
		if (!q->used && !free_q)
			free_q = q;
	}
	if (free_q) {
		memset(free_q, 0, sizeof(*free_q));
		free_q->used = 1;
		free_q->saddr = saddr;
		free_q->daddr = daddr;
		free_q->id = id;
		free_q->protocol = proto;
	}
	return free_q;
}

static uint32_t frag_offset(const struct sk_buff *skb)
{
	return (get_be16(skb_network_header(skb) + 6) & IP_OFFSET) * 8u;
}

static uint32_t frag_payload(const struct sk_buff *skb)
{
	const uint8_t *iph = skb_network_header(skb);

	return get_be16(iph + 2) - (iph[0] & 15u) * 4u;
}

/* ip_frag_reasm: one skb for the whole datagram. Linux chains the pieces
 * on the first fragment's frag_list; the model copies them into one
 * linear buffer, which holds the same bytes. */
static struct sk_buff *ip_frag_reasm(struct pw_host *h, struct ipq *q)
{
	struct sk_buff *first = q->frags.head, *f;
	uint32_t hlen = (skb_network_header(first)[0] & 15u) * 4u;
	struct sk_buff *skb = alloc_skb(&h->w->pool, hlen + q->len);
	uint8_t *p;

	if (!skb) {
		world_fail(h->w, "out of memory reassembling a datagram");
		return NULL;
	}
	p = skb_put(skb, hlen + q->len);
	skb_reset_network_header(skb);
	memcpy(p, skb_network_header(first), hlen);
	put_be16(p + 2, (uint16_t)(hlen + q->len));
	put_be16(p + 6, 0);
	ip4_send_check(p);
	skb->protocol = ETH_P_IP;
	skb->ip_summed = CHECKSUM_NONE;
	while ((f = skb_dequeue(&q->frags))) {
		skb_copy_bits(f, hlen, p + hlen + frag_offset(f), frag_payload(f));
		skb_free_silent(h, f, PW_LAYER_IP, "ip_frag_reasm", SRC_IP_FRAG,
				"This fragment's bytes are now part of the reassembled datagram.");
	}
	q->used = 0;
	skb_set_transport_header(skb, (int)hlen);
	emit(h, skb, STEP(IP, PUT, "ip_frag_reasm", SRC_IP_FRAG),
	     "ip_frag_reasm: every byte from 0 to %u is here; the fragments become one %u-byte datagram "
	     "with a fresh header (MF clear, offset 0). Its L4 checksum is still to be checked in "
	     "software: the NIC cannot check fragments.",
	     q->len - 1, hlen + q->len);
	return skb;
}

struct sk_buff *ip_defrag(struct pw_host *h, struct sk_buff *skb)
{
	const uint8_t *iph = skb_network_header(skb);
	uint32_t off = frag_offset(skb), plen = frag_payload(skb);
	int last = !(get_be16(iph + 6) & IP_MF);
	struct ipq *q = ipq_find(h, get_be32(iph + 12), get_be32(iph + 16), get_be16(iph + 4), iph[9]);
	struct sk_buff **pp;

	if (!q) {
		kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_IP, "ip_defrag", SRC_IP_FRAG,
				 "Too many datagrams are being reassembled at once: this fragment is dropped.");
		return NULL;
	}
	/* Insert in offset order; refuse overlaps (RFC 5722's rule, which Linux applies to IPv4 too). */
	for (pp = &q->frags.head; *pp; pp = &(*pp)->next) {
		uint32_t o = frag_offset(*pp), l = frag_payload(*pp);

		if (off < o + l && o < off + plen) {
			kfree_skb_reason(h, skb, PW_DROP_DUP_FRAG, PW_LAYER_IP, "ip_frag_queue", SRC_IP_FRAG,
					 "This fragment overlaps one already queued: dropped (DUP_FRAG).");
			return NULL;
		}
		if (o > off)
			break;
	}
	skb->next = *pp;
	*pp = skb;
	if (!skb->next)
		q->frags.tail = skb;
	q->frags.len++;
	q->frags.bytes += skb->truesize;
	q->meat += plen;
	if (last) {
		q->last_in = 1;
		q->len = off + plen;
	}
	emit(h, skb, STEP_Q(IP, ENQUEUE, NONE, IPFRAG, "ip_frag_queue", SRC_IP_FRAG),
	     "ip_defrag: a fragment (bytes %u-%u%s) joins the reassembly queue for id %u; %u bytes of "
	     "the datagram are here%s.",
	     off, off + plen - 1, last ? ", the last one" : "", q->id, q->meat,
	     q->last_in && q->meat == q->len ? ": it is complete" : ", so it waits");
	if (q->last_in && q->meat == q->len)
		return ip_frag_reasm(h, q);
	return NULL;
}
