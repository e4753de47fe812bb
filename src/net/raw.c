/* raw.c: the raw ICMP socket ping uses (net/ipv4/raw.c): sendto, delivery
 * of a clone to the socket, recvmsg (see icmp.h). */
#include <string.h>

#include "net/host.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/skbuff.h"
#include "proto/icmp.h"
#include "proto/ip4.h"

int raw_ping_send(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t seq, uint32_t len)
{
	struct icmp_info ic = { .type = ICMP_ECHO, .code = 0, .id = (uint16_t)sk->icmp_id, .sequence = seq };
	struct sk_buff *skb;
	uint8_t *p;
	uint64_t t = sim_now(h->sim);
	char d[16];

	ip4_addr_format(daddr, d);
	emit(h, NULL, STEP(SOCKET, CALL, "raw_sendmsg", SRC_RAW),
	     "ping sends echo request %u to %s through a raw ICMP socket: sendto -> raw_sendmsg. ping "
	     "wrote the ICMP header and its checksum itself.",
	     seq, d);
	skb = icmp_alloc_skb(h, ICMP_HLEN + len, "__ip_append_data", SRC_IP_OUT);
	if (!skb)
		return PW_ERR_BROKEN;
	p = skb_transport_header(skb);
	icmp_build(p, &ic);
	/* ping's data: a struct timeval, then bytes counting up from 0x10. */
	for (uint32_t i = 0; i < len; i++)
		p[ICMP_HLEN + i] = (uint8_t)(i < 16 ? (i < 8 ? (t / 1000000000u) >> (8 * i) : (t / 1000u % 1000000u) >> (8 * (i - 8))) : i);
	icmp_set_checksum(p, ICMP_HLEN + len);
	icmp_ip_header(h, skb, sk->saddr, daddr, ip_select_ident(h), 1, 0);
	emit(h, skb, STEP(ICMP, HEADER, "ip_push_pending_frames", SRC_IP_OUT),
	     "The echo request (type 8, id 0x%04x, seq %u) is in place; ip_push_pending_frames -> "
	     "__ip_make_skb writes the IP header (DF, TTL 64, protocol 1).",
	     ic.id, seq);
	ip_local_out(h, skb);
	emit(h, NULL, STEP_TP(SOCKET, CALL, SOCK_SEND_LENGTH, "sock_sendmsg_nosec", SRC_SOCKET),
	     "sendto() returns %u.", ICMP_HLEN + len);
	return 0;
}

int raw_replay_send(struct pw_host *h, uint32_t daddr, const uint8_t *msg, uint32_t len)
{
	struct sk_buff *skb;
	uint8_t *p;

	emit(h, NULL, STEP(SOCKET, CALL, "raw_sendmsg", SRC_RAW),
	     "An ICMP message (type %u code %u, %u bytes) leaves through a raw socket: sendto -> "
	     "raw_sendmsg.",
	     msg[0], msg[1], len);
	skb = icmp_alloc_skb(h, len, "__ip_append_data", SRC_IP_OUT);
	if (!skb)
		return PW_ERR_BROKEN;
	p = skb_transport_header(skb);
	memcpy(p, msg, len);
	icmp_set_checksum(p, len);
	icmp_ip_header(h, skb, h->ip, daddr, ip_select_ident(h), 1, 0);
	emit(h, skb, STEP(ICMP, HEADER, "ip_push_pending_frames", SRC_IP_OUT),
	     "The ICMP message, its checksum computed in software, is in place; ip_push_pending_frames -> "
	     "__ip_make_skb writes the IP header.");
	return ip_local_out(h, skb);
}

int raw_local_deliver(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb)
{
	struct sk_buff *c = skb_clone(skb);

	if (!c) {
		sim_fail(h->sim, "out of memory cloning for a raw socket");
		return PW_ERR_BROKEN;
	}
	/* raw_rcv: a raw socket reads from the IP header. */
	skb_push(c, c->data - c->network_header);
	if (sock_queue_rcv(h, sk, c)) {
		kfree_skb_reason(h, c, PW_DROP_SOCKET_RCVBUFF, PW_LAYER_SOCKET, "raw_rcv", SRC_RAW,
				 "The raw socket's receive buffer is full: dropped.");
	} else {
		emit(h, c, STEP_Q(SOCKET, ENQUEUE, NONE, SK_RECEIVE, "raw_rcv", SRC_RAW),
		     "raw_local_deliver gives ping's raw socket a clone, pushed back to the IP "
		     "header, on its receive queue.");
		sk_data_ready(h, sk);
	}
	return PW_OK;
}

int raw_recvmsg(struct pw_host *h, struct pw_sock *sk)
{
	struct sk_buff *skb = skb_dequeue(&sk->receive_queue);
	uint32_t len;

	if (!skb)
		return 0;
	sk->rmem_alloc -= skb->truesize;
	len = skb->len;
	h->mib.bytes_delivered += len;
	emit(h, skb, STEP_TP(SOCKET, COPY, SKB_COPY_DATAGRAM_IOVEC, "skb_copy_datagram_msg", SRC_DATAGRAM),
	     "recvmsg(): raw_recvmsg copies the %u bytes (IP header and ICMP reply) to ping.", len);
	consume_skb(h, skb, PW_LAYER_SOCKET, "skb_free_datagram", SRC_DATAGRAM,
		    "skb_free_datagram: read, and consumed.");
	emit(h, NULL, STEP_TP(SOCKET, CALL, SOCK_RECV_LENGTH, "sock_recvmsg_nosec", SRC_SOCKET),
	     "recvmsg() returns %u bytes; ping prints the round-trip time.", len);
	return (int)len;
}
