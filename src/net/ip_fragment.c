/* ip_fragment.c: IPv4 reassembly (net/ipv4/ip_fragment.c). Fragments wait
 * on a queue (struct ipq) keyed by source, destination, id and protocol
 * until every byte from 0 to the last fragment's end is there.
 *
 * Not modelled: the 30 s expiry timer (ip_expire) and the memory limits
 * (ipfrag_high_thresh).
 */
#include <stdio.h>
#include <string.h>

#include "net/host.h"
#include "net/ip.h"
#include "net/skbuff.h"
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
	return ip4_hdr_offset(ip_hdr(skb));
}

/* The fragment's payload: what follows its IP header in the skb, which
 * ip_rcv_core has trimmed to tot_len (and ip_frag_queue may trim to a
 * multiple of 8). data is at the network header until the datagram is
 * whole. */
static uint32_t frag_payload(const struct sk_buff *skb)
{
	return skb->len - ip4_hdr_len(ip_hdr(skb));
}

/* ip_frag_reasm: one skb for the whole datagram. Linux chains the pieces
 * on the first fragment's frag_list; the model copies them into one
 * linear buffer, which holds the same bytes. */
static struct sk_buff *ip_frag_reasm(struct pw_host *h, struct ipq *q)
{
	struct sk_buff *first = q->frags.head, *f;
	uint32_t hlen = ip4_hdr_len(ip_hdr(first));
	struct sk_buff *skb = alloc_skb(h->pool, hlen + q->len);
	uint8_t *p;

	if (!skb) {
		sim_fail(h->sim, "out of memory reassembling a datagram");
		return NULL;
	}
	p = skb_put(skb, hlen + q->len);
	skb_reset_network_header(skb);
	memcpy(p, skb_network_header(first), hlen);
	ip4_hdr_set_tot_len(p, (uint16_t)(hlen + q->len));
	ip4_hdr_set_frag_off(p, 0);
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

/* Which part of the queue a fragment [off, end) falls in, as
 * inet_frag_queue_insert tells it: fragments that touch end to end form
 * one run, and a fragment inside a run brings nothing new. */
enum frag_fit { FRAG_FITS, FRAG_DUP, FRAG_OVERLAP };

static enum frag_fit frag_fit(const struct ipq *q, uint32_t off, uint32_t end, struct sk_buff ***at)
{
	struct sk_buff **pp = (struct sk_buff **)&q->frags.head;

	while (*pp) {
		struct sk_buff **run = pp, *f = *pp;
		uint32_t run_start = frag_offset(f), run_end = run_start + frag_payload(f);

		while (f->next && frag_offset(f->next) == run_end) {
			f = f->next;
			run_end += frag_payload(f);
		}
		if (end <= run_start) {
			*at = run;
			return FRAG_FITS;
		}
		if (off < run_end)
			return off >= run_start && end <= run_end ? FRAG_DUP : FRAG_OVERLAP;
		pp = &f->next;
	}
	*at = pp;
	return FRAG_FITS;
}

/*
 * ip_defrag -> ip_frag_queue, with the kernel's rules (6.x):
 *   - the last fragment (MF clear) fixes the datagram's end: one ending
 *     before bytes already held, or a second last one ending elsewhere,
 *     corrupts the queue;
 *   - any other fragment is cut to a multiple of 8 bytes, and one reaching
 *     past a known end corrupts the queue; so does an empty fragment;
 *   - a fragment wholly inside bytes already held is a duplicate: it is
 *     dropped (DUP_FRAG) and the queue kept;
 *   - a fragment overlapping others breaks RFC 5722's rule (amended by
 *     erratum 3089, and applied to IPv4 too): IpExtReasmOverlaps, and the
 *     queue is killed with it;
 *   - a corrupt queue is killed (IpReasmFails) and the fragment dropped
 *     with no reason set (NOT_SPECIFIED, at ip_defrag, into which the
 *     compiler folds ip_frag_queue);
 *   - the datagram is whole when the first and the last fragment are in
 *     and the bytes held equal its length: with no overlap allowed in,
 *     every byte from 0 to the end is then covered.
 */
struct sk_buff *ip_defrag(struct pw_host *h, struct sk_buff *skb)
{
	const uint8_t *iph = ip_hdr(skb);
	uint32_t off = frag_offset(skb), plen = frag_payload(skb), end = off + plen;
	int last = !(ip4_hdr_frag_off(iph) & IP_MF);
	struct ipq *q = ipq_find(h, ip4_hdr_saddr(iph), ip4_hdr_daddr(iph), ip4_hdr_id(iph), ip4_hdr_protocol(iph));
	const char *why = NULL;
	struct sk_buff **at;
	char msg[320];

	if (!q) {
		kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_IP, "ip_defrag", SRC_IP_FRAG,
				 "Too many datagrams are being reassembled at once: this fragment is dropped.");
		return NULL;
	}
	if (last) {
		if (end < q->len || (q->last_in && end != q->len))
			why = "this last fragment ends where bytes are already held past it, or a last fragment "
			      "came before and ended elsewhere";
	} else {
		if (end & 7u) {
			end &= ~7u;
			plen = end - off;
			skb_trim(skb, ip4_hdr_len(iph) + plen);
		}
		if (end > q->len && q->last_in)
			why = "this fragment reaches past the end the last fragment gave the datagram";
	}
	if (!why && end <= off)
		why = "this fragment holds no bytes";
	if (why) {
		snprintf(msg, sizeof(msg), "ip_frag_queue: %s: the queue is corrupt. It is killed "
			 "(IpReasmFails) and this fragment dropped; ip_frag_queue sets no reason.", why);
		kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_IP, "ip_defrag", SRC_IP_FRAG, msg);
		inet_frag_kill(h, q);
		return NULL;
	}
	switch (frag_fit(q, off, end, &at)) {
	case FRAG_DUP:
		if (!q->frags.len)
			inet_frag_kill(h, q);
		kfree_skb_reason(h, skb, PW_DROP_DUP_FRAG, PW_LAYER_IP, "ip_defrag", SRC_IP_FRAG,
				 "inet_frag_queue_insert: these bytes are already held, so the fragment is a "
				 "duplicate: dropped (DUP_FRAG), and the queue waits on.");
		return NULL;
	case FRAG_OVERLAP:
		snprintf(msg, sizeof(msg), "inet_frag_queue_insert: bytes %u-%u overlap a fragment already "
			 "held. RFC 5722 says to discard the whole datagram: the queue is killed "
			 "(IpExtReasmOverlaps, IpReasmFails) and this fragment dropped with no reason set.",
			 off, end - 1);
		kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_IP, "ip_defrag", SRC_IP_FRAG, msg);
		inet_frag_kill(h, q);
		return NULL;
	case FRAG_FITS:
		break;
	}
	skb_queue_insert(&q->frags, at, skb);
	q->meat += plen;
	if (off == 0)
		q->first_in = 1;
	if (last) {
		q->last_in = 1;
		q->len = end;
	} else if (end > q->len) {
		q->len = end;
	}
	emit(h, skb, STEP_Q(IP, ENQUEUE, NONE, IPFRAG, "ip_frag_queue", SRC_IP_FRAG),
	     "ip_defrag: a fragment (bytes %u-%u%s) joins the reassembly queue for id %u; %u bytes of "
	     "the datagram are here%s.",
	     off, end - 1, last ? ", the last one" : "", q->id, q->meat,
	     q->first_in && q->last_in && q->meat == q->len ? ": it is complete" : ", so it waits");
	if (q->first_in && q->last_in && q->meat == q->len)
		return ip_frag_reasm(h, q);
	return NULL;
}
