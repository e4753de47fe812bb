/* tcp_ipv4.c: TCP's IPv4 side (net/ipv4/tcp_ipv4.c): connect(), the
 * receive entry point tcp_v4_rcv, resets for segments no socket wants,
 * the SYN-ACK, and the checksum left for the NIC. */
#include <stdio.h>
#include <string.h>

#include "net/host.h"
#include "net/ip.h"
#include "net/skbuff.h"
#include "net/tcp.h"
#include "proto/csum.h"
#include "proto/ip4.h"
#include "proto/tcp.h"

int tcp_v4_connect(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t dport)
{
	sk->saddr = h->ip;
	sk->daddr = daddr;
	sk->dport = dport;
	sk->iss = sim_random(h->sim);
	sk->write_seq = sk->snd_una = sk->snd_nxt = sk->iss;
	sk->inet_id = (uint16_t)sim_random(h->sim);
	sk->ts_offset = sim_random(h->sim);
	sk->rcv_wscale = tcp_wscale_default();
	sk->rcv_wnd = 65535 / (h->mtu - 40) * (h->mtu - 40);
	sk->mss = (uint16_t)(h->mtu - 40 - 12);
	emit(h, NULL, STEP(SOCKET, CALL, "tcp_v4_connect", SRC_TCP_IPV4),
	     "connect() to %u.%u.%u.%u:%u: tcp_v4_connect picks the route, source port %u and the "
	     "initial sequence number %u.",
	     daddr >> 24, (daddr >> 16) & 255, (daddr >> 8) & 255, daddr & 255, dport, sk->sport, sk->iss);
	tcp_set_state(h, sk, TCP_SYN_SENT);
	return tcp_connect(h, sk);
}

int tcp_v4_send_synack(struct pw_host *h, struct pw_sock *sk)
{
	int rc;

	if (host_quiet_xmit(h, "a SYN-ACK (tcp_v4_send_synack)"))
		return 0;
	rc = tcp_make_synack(h, sk);
	sk->snd_nxt = sk->write_seq = sk->iss + 1;
	return rc;
}

void tcp_v4_send_check(struct pw_host *h, const struct pw_sock *sk, struct sk_buff *skb)
{
	uint8_t *th = skb_transport_header(skb);

	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb->transport_header;
	skb->csum_offset = TCP_CHECK_OFFSET;
	put_be16(th + TCP_CHECK_OFFSET, (uint16_t)~csum_tcpudp_magic(sk->saddr, sk->daddr, skb->len, IPPROTO_TCP, 0));
	emit(h, skb, STEP(TCP, CSUM, "tcp_v4_send_check", SRC_TCP_IPV4),
	     "tcp_v4_send_check stores only the pseudo-header sum in the checksum field and marks the "
	     "skb CHECKSUM_PARTIAL: the NIC will sum the segment and fill in the real checksum.");
}

/* tcp_v4_send_reset: answer a segment no socket wants (RFC 9293 3.10.7.1).
 * th came from saddr to daddr with seglen bytes of data. */
static void tcp_v4_send_reset(struct pw_host *h, const struct tcp_info *th, uint32_t saddr, uint32_t daddr,
			      uint32_t seglen)
{
	struct pw_sock ctl;
	struct tcp_info rst;
	/* Allocated before the quiet check, as the ids of later skbs depend on it. */
	struct sk_buff *skb = alloc_skb(h->pool, MAX_TCP_HEADER);
	uint8_t *p;

	if (host_quiet_xmit(h, "a RST (tcp_v4_send_reset)")) {
		skb_free(skb);
		return;
	}
	if (!skb) {
		sim_fail(h->sim, "out of memory for a RST");
		return;
	}
	skb_reserve(skb, MAX_TCP_HEADER);
	memset(&rst, 0, sizeof(rst));
	rst.source = th->dest;
	rst.dest = th->source;
	if (th->flags & TCPHDR_ACK) {
		rst.seq = th->ack_seq;
		rst.flags = TCPHDR_RST;
	} else {
		rst.ack_seq = th->seq + seglen + ((th->flags & TCPHDR_SYN) ? 1 : 0) + ((th->flags & TCPHDR_FIN) ? 1 : 0);
		rst.flags = TCPHDR_RST | TCPHDR_ACK;
	}
	rst.doff = 5;
	p = skb_push(skb, TCP_HLEN);
	skb_reset_transport_header(skb);
	tcp_build(p, &rst);
	put_be16(p + TCP_CHECK_OFFSET, csum_tcpudp_magic(daddr, saddr, TCP_HLEN, IPPROTO_TCP,
							 csum_partial(p, TCP_HLEN, 0)));
	emit(h, skb, STEP_TP(TCP, PUSH, TCP_SEND_RESET, "tcp_v4_send_reset", SRC_TCP_IPV4),
	     "No socket wants this segment: tcp_v4_send_reset answers with a RST (checksum computed in "
	     "software).");
	memset(&ctl, 0, sizeof(ctl));
	ctl.saddr = daddr;
	ctl.daddr = saddr;
	ip_queue_xmit(h, &ctl, skb, IPPROTO_TCP, 1, 0, "ip_send_unicast_reply");
}

/*
 * tcp_v4_rcv, in the kernel's order:
 *   1. the header is all there (else pskb_may_pull fails: NOT_SPECIFIED)
 *      and its data offset is at least 5 (else PKT_TOO_SMALL);
 *   2. the checksum is right, unless the NIC vouched for it (else TCP_CSUM);
 *   3. a socket wants the segment (else a RST, unless it is one, and
 *      NO_SOCKET).
 * Then tcp_v4_do_rcv: tcp_rcv_state_process does the rest.
 */
void tcp_v4_rcv(struct pw_host *h, struct sk_buff *skb)
{
	struct tcp_info th;
	struct pw_parse_err e;
	struct pw_sock *sk;
	const uint8_t *iph = ip_hdr(skb);
	uint32_t saddr = ip4_hdr_saddr(iph), daddr = ip4_hdr_daddr(iph);
	char msg[160];

	if (tcp_parse(skb_data(skb), skb_headlen(skb), &th, &e)) {
		int n = pw_parse_err_format(&e, msg, sizeof(msg));

		snprintf(msg + n, sizeof(msg) - (size_t)n, e.status == PW_PARSE_INVALID
			 ? ": dropped (PKT_TOO_SMALL; Tcp InErrs)." : ": pskb_may_pull fails, dropped.");
		kfree_skb_reason(h, skb, e.status == PW_PARSE_INVALID ? PW_DROP_PKT_TOO_SMALL : PW_DROP_NOT_SPECIFIED,
				 PW_LAYER_TCP, "tcp_v4_rcv", SRC_TCP_IPV4, msg);
		return;
	}
	emit(h, skb, STEP(TCP, CALL, "tcp_v4_rcv", SRC_TCP_IPV4),
	     "tcp_v4_rcv: a TCP segment %u -> %u, seq %u, ack %u, %u bytes of data.", th.source, th.dest,
	     th.seq, th.ack_seq, skb->len - th.doff * 4u);
	if (skb->ip_summed != CHECKSUM_UNNECESSARY) {
		if (skb_l4_csum_bad(skb, skb->len, IPPROTO_TCP)) {
			emit(h, skb, STEP_TP(TCP, CSUM, TCP_BAD_CSUM, "tcp_checksum_complete", SRC_TCP_IPV4),
			     "The NIC did not vouch for this segment, so the kernel sums it in software: the "
			     "checksum is wrong (tcp_bad_csum; Tcp InCsumErrors).");
			kfree_skb_reason(h, skb, PW_DROP_TCP_CSUM, PW_LAYER_TCP, "tcp_v4_rcv", SRC_TCP_IPV4,
					 "A segment with a bad checksum is dropped (TCP_CSUM); the sender will "
					 "retransmit it when its timer fires.");
			return;
		}
		emit(h, skb, STEP(TCP, CSUM, "tcp_checksum_complete", SRC_TCP_IPV4),
		     "The kernel sums the segment in software: the checksum is right.");
	}
	sk = sock_lookup(h, SK_TCP, saddr, th.source, daddr, th.dest);
	if (!sk) {
		if (!(th.flags & TCPHDR_RST))
			tcp_v4_send_reset(h, &th, saddr, daddr, skb->len - th.doff * 4u);
		kfree_skb_reason(h, skb, PW_DROP_NO_SOCKET, PW_LAYER_TCP, "tcp_v4_rcv", SRC_TCP_IPV4,
				 "__inet_lookup_skb found no socket for this segment: dropped (NO_SOCKET).");
		return;
	}
	tcp_rcv_state_process(h, sk, skb, &th, saddr);
}
