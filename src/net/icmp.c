/* icmp.c: ICMP echo and errors (net/ipv4/icmp.c; see icmp.h). */
#include <stdio.h>
#include <string.h>

#include "net/host.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/skbuff.h"
#include "proto/csum.h"
#include "proto/icmp.h"
#include "proto/ip4.h"

#define IPTOS_PREC_INTERNETCONTROL 0xc0

struct sk_buff *icmp_alloc_skb(struct pw_host *h, uint32_t icmp_len, const char *func, const char *src)
{
	struct sk_buff *skb = alloc_skb(h->pool, LL_RESERVED_SPACE + IP4_HLEN + icmp_len);

	if (!skb) {
		sim_fail(h->sim, "out of memory for an ICMP skb");
		return NULL;
	}
	skb_reserve(skb, LL_RESERVED_SPACE);
	skb_put(skb, IP4_HLEN + icmp_len);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, IP4_HLEN);
	emit(h, skb, STEP(ICMP, PUT, func, src),
	     "%s: ip_append_data allocates a linear skb, reserves %u bytes for the link header and puts "
	     "%u bytes: IP header, ICMP header and data.",
	     func, LL_RESERVED_SPACE, IP4_HLEN + icmp_len);
	return skb;
}

void icmp_ip_header(const struct pw_host *h, struct sk_buff *skb, uint32_t saddr, uint32_t daddr, uint16_t id,
		    int df, uint8_t tos)
{
	struct ip4_info ip;

	memset(&ip, 0, sizeof(ip));
	ip.tos = tos;
	ip.tot_len = (uint16_t)skb->len;
	ip.id = id;
	ip.frag_off = df ? IP_DF : 0;
	ip.ttl = IPDEFTTL;
	ip.protocol = IPPROTO_ICMP;
	ip.saddr = saddr;
	ip.daddr = daddr;
	ip_apply_override(h, &ip);
	ip4_build(skb_network_header(skb), &ip);
}

/* icmp_echo -> icmp_reply: answer from the NET_RX softirq, through the
 * per-CPU ICMP socket. */
static void icmp_echo(struct pw_host *h, const struct sk_buff *req, const struct icmp_info *ic)
{
	uint32_t len = req->len; /* data is at the ICMP header */
	const uint8_t *iph = ip_hdr(req);
	struct sk_buff *skb;
	uint8_t *p;

	emit(h, NULL, STEP(ICMP, CALL, "icmp_echo", SRC_ICMP),
	     "icmp_echo: an echo request (id 0x%04x, seq %u); icmp_reply answers it from this softirq, "
	     "no process involved.",
	     ic->id, ic->sequence);
	if (host_quiet_xmit(h, "an echo reply (icmp_reply)"))
		return;
	skb = icmp_alloc_skb(h, len, "icmp_push_reply", SRC_ICMP);
	if (!skb)
		return;
	p = skb_transport_header(skb);
	skb_copy_bits(req, 0, p, len);
	p[0] = ICMP_ECHOREPLY;
	icmp_set_checksum(p, len);
	icmp_ip_header(h, skb, h->ip, ip4_hdr_saddr(iph), ip_select_ident(h), 0, 0);
	emit(h, skb, STEP(ICMP, HEADER, "icmp_push_reply", SRC_ICMP),
	     "icmp_glue_bits copies the request's data; the reply is type 0 with a checksum computed in "
	     "software. The ICMP socket does not set DF.");
	ip_local_out(h, skb);
}

void icmp_send_port_unreach(struct pw_host *h, const struct sk_buff *in)
{
	const uint8_t *iph = ip_hdr(in);
	uint32_t orig = ip4_hdr_tot_len(iph);
	struct icmp_info ic = { .type = ICMP_DEST_UNREACH, .code = ICMP_PORT_UNREACH };
	struct sk_buff *skb;
	uint8_t *p;

	/* As much of the offending datagram as fits in 576 bytes. */
	if (orig > 576 - IP4_HLEN - ICMP_HLEN)
		orig = 576 - IP4_HLEN - ICMP_HLEN;
	if (orig > in->tail - in->network_header)
		orig = in->tail - in->network_header;
	if (host_quiet_xmit(h, "an ICMP port unreachable (__icmp_send)"))
		return;
	skb = icmp_alloc_skb(h, ICMP_HLEN + orig, "__icmp_send", SRC_ICMP);
	if (!skb)
		return;
	p = skb_transport_header(skb);
	icmp_build(p, &ic);
	memcpy(p + ICMP_HLEN, iph, orig);
	icmp_set_checksum(p, ICMP_HLEN + orig);
	icmp_ip_header(h, skb, h->ip, ip4_hdr_saddr(iph), ip_select_ident(h), 0, IPTOS_PREC_INTERNETCONTROL);
	emit(h, skb, STEP_TP(ICMP, HEADER, ICMP_SEND, "__icmp_send", SRC_ICMP),
	     "__icmp_send builds a destination-unreachable (port unreachable) carrying the first %u "
	     "bytes of the datagram, so the sender can tell which one failed.",
	     orig);
	ip_local_out(h, skb);
}

void icmp_rcv(struct pw_host *h, struct sk_buff *skb)
{
	struct icmp_info ic;
	struct pw_parse_err e;
	char msg[160];

	/* icmp_rcv validates the checksum first, then pulls the header: a
	 * message too short for it is dropped with no reason given. */
	if (csum_fold(csum_partial(skb_data(skb), skb->len, 0))) {
		kfree_skb_reason(h, skb, PW_DROP_ICMP_CSUM, PW_LAYER_ICMP, "icmp_rcv", SRC_ICMP,
				 "skb_checksum_simple_validate: the ICMP checksum is wrong: dropped (ICMP_CSUM; "
				 "Icmp InCsumErrors).");
		return;
	}
	if (icmp_parse(skb_data(skb), skb_headlen(skb), &ic, &e)) {
		int n = pw_parse_err_format(&e, msg, sizeof(msg));

		snprintf(msg + n, sizeof(msg) - (size_t)n, ": pskb_pull fails, dropped (Icmp InErrors).");
		kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_ICMP, "icmp_rcv", SRC_ICMP, msg);
		return;
	}
	emit(h, skb, STEP(ICMP, CSUM, "icmp_rcv", SRC_ICMP),
	     "icmp_rcv: type %u code %u; the checksum over %u bytes is right (checked in software).",
	     ic.type, ic.code, skb->len);
	if (ic.type == ICMP_ECHO) {
		icmp_echo(h, skb, &ic);
		consume_skb(h, skb, PW_LAYER_ICMP, "icmp_rcv", SRC_ICMP, "The request is answered: consume_skb.");
		return;
	}
	if (ic.type == ICMP_ECHOREPLY) {
		struct pw_sock *sk = NULL;

		for (int i = 0; i < h->nsock; i++)
			if (h->sock[i].kind == SK_RAW_ICMP)
				sk = &h->sock[i];
		if (sk && raw_local_deliver(h, sk, skb) == PW_ERR_BROKEN) {
			skb_free(skb);
			return;
		}
		kfree_skb_reason(h, skb, PW_DROP_NO_SOCKET, PW_LAYER_ICMP, "ping_rcv", SRC_PING,
				 "ping_rcv finds no ICMP datagram socket for this reply (ping used a raw socket): "
				 "the original is dropped with NO_SOCKET. Harmless: the raw socket has its copy.");
		return;
	}
	if (ic.type == ICMP_DEST_UNREACH) {
		emit(h, skb, STEP(ICMP, CALL, "icmp_unreach", SRC_ICMP),
		     "icmp_unreach: destination unreachable (code %u); the error is reported to the socket "
		     "that sent the datagram (ECONNREFUSED for a port unreachable).",
		     ic.code);
		consume_skb(h, skb, PW_LAYER_ICMP, "icmp_rcv", SRC_ICMP, "The error is handled: consume_skb.");
		return;
	}
	consume_skb(h, skb, PW_LAYER_ICMP, "icmp_rcv", SRC_ICMP, "This ICMP type needs no action.");
}

