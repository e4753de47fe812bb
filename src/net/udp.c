/* udp.c: UDP over IPv4 (net/ipv4/udp.c): sendto, the receive path up to
 * the socket, recvfrom (see udp.h). */
#include <stdio.h>
#include <string.h>

#include "net/host.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/skbuff.h"
#include "net/udp.h"
#include "proto/csum.h"
#include "proto/ip4.h"
#include "proto/udp.h"

#define CHECKSUM_BREAK 76
#define UDP_CB_CSUM_PENDING 3 /* cb[] word UDP keeps while the skb is queued */

int udp_sendmsg(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t dport, const uint8_t *data,
		uint32_t len)
{
	uint32_t total = IP4_HLEN + UDP_HLEN + len;
	int fits = total <= h->mtu;
	struct sk_buff *skb;
	struct udp_info uh;
	struct ip4_info ip;
	uint8_t *p;
	char d[16];

	ip4_addr_format(daddr, d);
	emit(h, NULL, STEP(SOCKET, CALL, "__sys_sendto", SRC_SOCKET),
	     "sendto(): %u bytes for %s:%u; sock_sendmsg -> inet_sendmsg -> udp_sendmsg looks up the route "
	     "and takes the corkless fast path (ip_make_skb).",
	     len, d, dport);
	skb = ip_append_data(h, UDP_HLEN, data, len);
	if (!skb)
		return PW_ERR_BROKEN;
	p = skb_transport_header(skb);
	memset(&uh, 0, sizeof(uh));
	uh.source = sk->sport;
	uh.dest = dport;
	uh.len = (uint16_t)(UDP_HLEN + len);
	udp_build(p, &uh);
	if (fits) {
		/* udp4_hwcsum: the pseudo-header sum now, the rest by the NIC. */
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb->transport_header;
		skb->csum_offset = UDP_CHECK_OFFSET;
		put_be16(p + UDP_CHECK_OFFSET, (uint16_t)~csum_tcpudp_magic(sk->saddr, daddr, uh.len, IPPROTO_UDP, 0));
		emit(h, skb, STEP(UDP, HEADER, "udp_send_skb", SRC_UDP),
		     "udp_send_skb writes ports %u -> %u and length %u; udp4_hwcsum leaves the checksum to "
		     "the NIC (CHECKSUM_PARTIAL).",
		     uh.source, uh.dest, uh.len);
	} else {
		uint16_t c = csum_tcpudp_magic(sk->saddr, daddr, uh.len, IPPROTO_UDP, csum_partial(p, uh.len, 0));

		put_be16(p + UDP_CHECK_OFFSET, c ? c : 0xffff);
		emit(h, skb, STEP(UDP, CSUM, "udp_send_skb", SRC_UDP),
		     "udp_send_skb writes ports %u -> %u and length %u. The datagram will be fragmented, "
		     "and a NIC cannot checksum across fragments, so udp_csum sums all %u bytes in software "
		     "(0x%04x).",
		     uh.source, uh.dest, uh.len, uh.len, c ? c : 0xffff);
	}
	memset(&ip, 0, sizeof(ip));
	ip.id = ip_select_ident(h);
	ip.frag_off = fits ? IP_DF : 0;
	ip.ttl = IPDEFTTL;
	ip.protocol = IPPROTO_UDP;
	ip.saddr = sk->saddr;
	ip.daddr = daddr;
	ip.tot_len = (uint16_t)total;
	ip_make_skb(h, skb, &ip);
	ip_local_out(h, skb);
	if (sim_failed(h->sim))
		return PW_ERR_BROKEN;
	emit(h, NULL, STEP_TP(SOCKET, CALL, SOCK_SEND_LENGTH, "sock_sendmsg_nosec", SRC_SOCKET),
	     "sendto() returns %u.", len);
	return (int)len;
}

void udp_rcv(struct pw_host *h, struct sk_buff *skb)
{
	struct udp_info uh;
	struct pw_parse_err e;
	struct pw_sock *sk;
	const uint8_t *iph = ip_hdr(skb);
	uint32_t saddr = ip4_hdr_saddr(iph), daddr = ip4_hdr_daddr(iph);
	char msg[160];
	int bad = udp_parse(skb_data(skb), skb_headlen(skb), &uh, &e);

	/* __udp4_lib_rcv: no room for the header is a plain drop; a length
	 * past the datagram or below the header is a short packet. A length
	 * short of the datagram is legal: the rest is trimmed below. */
	if (bad && e.status == PW_PARSE_TRUNCATED) {
		int n = pw_parse_err_format(&e, msg, sizeof(msg));

		snprintf(msg + n, sizeof(msg) - (size_t)n, ": pskb_may_pull fails, dropped.");
		kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_UDP, "__udp4_lib_rcv", SRC_UDP, msg);
		return;
	}
	if (bad || uh.len > skb->len) {
		if (bad)
			snprintf(msg, sizeof(msg), "short packet: UDP length %u is below the 8-byte header: "
				 "dropped (PKT_TOO_SMALL; Udp InErrors).", udp_hdr_len(skb_data(skb)));
		else
			snprintf(msg, sizeof(msg), "short packet: UDP length says %u bytes, %u arrived: dropped "
				 "(PKT_TOO_SMALL; Udp InErrors).", uh.len, skb->len);
		kfree_skb_reason(h, skb, PW_DROP_PKT_TOO_SMALL, PW_LAYER_UDP, "__udp4_lib_rcv", SRC_UDP, msg);
		return;
	}
	skb_trim(skb, uh.len);
	emit(h, skb, STEP(UDP, CALL, "__udp4_lib_rcv", SRC_UDP),
	     "udp_rcv -> __udp4_lib_rcv: a datagram %u -> %u, %u bytes of data.", uh.source, uh.dest,
	     uh.len - UDP_HLEN);
	/* udp4_csum_init: with no word from the NIC, a short datagram (at
	 * most CHECKSUM_BREAK, 76 bytes) is summed now; a longer one later,
	 * while recvmsg copies it, so the bytes are read only once. */
	skb->cb[UDP_CB_CSUM_PENDING] = 0;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY && uh.check && uh.len <= CHECKSUM_BREAK) {
		if (skb_l4_csum_bad(skb, uh.len, IPPROTO_UDP)) {
			kfree_skb_reason(h, skb, PW_DROP_UDP_CSUM, PW_LAYER_UDP, "__udp4_lib_rcv", SRC_UDP,
					 "Summed in software, the UDP checksum is wrong: dropped (UDP_CSUM; Udp "
					 "InCsumErrors).");
			return;
		}
		emit(h, skb, STEP(UDP, CSUM, "udp4_csum_init", SRC_UDP),
		     "The NIC could not vouch for the checksum and the datagram is short, so it is summed "
		     "now, in software: right.");
	} else if (skb->ip_summed != CHECKSUM_UNNECESSARY && uh.check) {
		skb->cb[UDP_CB_CSUM_PENDING] = 1;
		emit(h, skb, STEP(UDP, CSUM, "udp4_csum_init", SRC_UDP),
		     "The NIC could not vouch for the checksum. The datagram is longer than 76 bytes "
		     "(CHECKSUM_BREAK), so the sum waits for recvmsg, which checks it while copying.");
	}
	sk = sock_lookup(h, SK_UDP, saddr, uh.source, daddr, uh.dest);
	if (!sk) {
		icmp_send_port_unreach(h, skb);
		kfree_skb_reason(h, skb, PW_DROP_NO_SOCKET, PW_LAYER_UDP, "__udp4_lib_rcv", SRC_UDP,
				 "No socket is bound to this port: after the ICMP error the datagram is dropped "
				 "(NO_SOCKET; Udp NoPorts).");
		return;
	}
	skb_pull(skb, UDP_HLEN);
	emit(h, skb, STEP(UDP, PULL, "udp_queue_rcv_one_skb", SRC_UDP),
	     "udp_csum_pull_header: __skb_pull(8) moves data to the payload.");
	if (sock_queue_rcv(h, sk, skb)) {
		sk->drops++;
		emit(h, skb, STEP_TP(UDP, CALL, UDP_FAIL_QUEUE_RCV_SKB, "__udp_queue_rcv_skb", SRC_UDP),
		     "__udp_enqueue_schedule_skb: the socket already holds %u bytes, more than its receive "
		     "buffer (%u): -ENOMEM.",
		     sk->rmem_alloc, sk->rcvbuf);
		kfree_skb_reason(h, skb, PW_DROP_SOCKET_RCVBUFF, PW_LAYER_UDP, "__udp_queue_rcv_skb", SRC_UDP,
				 "The datagram is dropped (SOCKET_RCVBUFF; Udp RcvbufErrors): the reader is not "
				 "keeping up.");
		return;
	}
	emit(h, skb, STEP_Q(UDP, ENQUEUE, NONE, SK_RECEIVE, "__udp_enqueue_schedule_skb", SRC_UDP),
	     "__udp_enqueue_schedule_skb charges truesize %u (rmem %u of %u) and queues the skb on "
	     "sk_receive_queue.",
	     skb->truesize, sk->rmem_alloc, sk->rcvbuf);
	sk_data_ready(h, sk);
}

int udp_recvmsg(struct pw_host *h, struct pw_sock *sk, uint32_t *from_ip, uint16_t *from_port)
{
	struct sk_buff *skb = skb_dequeue(&sk->receive_queue);
	const uint8_t *iph;
	uint32_t len;

	if (!skb)
		return 0;
	sk->rmem_alloc -= skb->truesize;
	len = skb->len;
	if (skb->cb[UDP_CB_CSUM_PENDING]) {
		/* Sum from the UDP header, which the pull left in the headroom. */
		uint32_t at = skb->data;
		int bad;

		skb->data = skb->transport_header;
		bad = skb_l4_csum_bad(skb, len + UDP_HLEN, IPPROTO_UDP);
		skb->data = at;
		if (bad) {
			kfree_skb_reason(h, skb, PW_DROP_NOT_SPECIFIED, PW_LAYER_SOCKET, "udp_recvmsg", SRC_UDP,
					 "skb_copy_and_csum_datagram_msg sums the datagram as it copies it and finds the "
					 "checksum wrong: the copy is thrown away, kfree_skb frees the skb (Udp "
					 "InCsumErrors) and recvfrom goes on waiting for a good one.");
			return PW_ERR_DROP;
		}
		emit(h, skb, STEP(SOCKET, CSUM, "skb_copy_and_csum_datagram_msg", SRC_DATAGRAM),
		     "The checksum left for later is summed while the bytes are copied out: right.");
	}
	iph = ip_hdr(skb);
	if (from_ip)
		*from_ip = ip4_hdr_saddr(iph);
	if (from_port)
		*from_port = udp_hdr_source(skb_transport_header(skb));
	h->mib.bytes_delivered += len;
	emit(h, skb, STEP_Q(SOCKET, DEQUEUE, NONE, SK_RECEIVE, "__skb_recv_udp", SRC_UDP),
	     "recvfrom(): udp_recvmsg takes the skb off the receive queue; copy_linear_skb copies the %u "
	     "bytes (a linear skb: no skb_copy_datagram_iovec event).",
	     len);
	consume_skb(h, skb, PW_LAYER_SOCKET, "skb_consume_udp", SRC_UDP,
		    "skb_consume_udp: the datagram is read and its skb consumed.");
	emit(h, NULL, STEP_TP(SOCKET, CALL, SOCK_RECV_LENGTH, "sock_recvmsg_nosec", SRC_SOCKET),
	     "recvfrom() returns %u bytes.", len);
	return (int)len;
}
