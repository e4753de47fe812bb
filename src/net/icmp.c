/* icmp.c: ICMP echo and errors (net/ipv4/icmp.c), and the raw socket ping
 * uses (net/ipv4/raw.c). */
#include <stdio.h>
#include <string.h>

#include "net/host.h"
#include "proto/csum.h"
#include "proto/icmp.h"
#include "proto/ip4.h"

#define LL_RESERVED_SPACE 16u
#define IPTOS_PREC_INTERNETCONTROL 0xc0

/* A linear skb with room for the link header, holding an IP header and
 * an ICMP message of icmp_len bytes; data at the IP header. */
static struct sk_buff *icmp_alloc(struct pw_host *h, uint32_t icmp_len, const char *func, const char *src)
{
	struct sk_buff *skb = alloc_skb(&h->w->pool, LL_RESERVED_SPACE + IP4_HLEN + icmp_len);

	if (!skb) {
		world_fail(h->w, "out of memory for an ICMP skb");
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

static void icmp_ip_header(const struct pw_host *h, struct sk_buff *skb, uint32_t saddr, uint32_t daddr, uint16_t id,
			   int df, uint8_t tos)
{
	struct ip4_info ip;

	memset(&ip, 0, sizeof(ip));
	ip.tos = tos;
	ip.tot_len = (uint16_t)skb->len;
	ip.id = id;
	ip.frag_off = df ? IP_DF : 0;
	ip.ttl = 64;
	ip.protocol = IPPROTO_ICMP;
	ip.saddr = saddr;
	ip.daddr = daddr;
	ip_apply_replay(h->w, &ip);
	ip4_build(skb_network_header(skb), &ip);
}

/* Replay: send a captured ICMP message (header and data as captured) from
 * a raw socket, the way ping sends its requests. */
int icmp_replay_send(struct pw_host *h, uint32_t daddr, const uint8_t *msg, uint32_t len)
{
	struct sk_buff *skb;
	uint8_t *p;

	emit(h, NULL, STEP(SOCKET, CALL, "raw_sendmsg", SRC_RAW),
	     "An ICMP message (type %u code %u, %u bytes) leaves through a raw socket: sendto -> "
	     "raw_sendmsg.",
	     msg[0], msg[1], len);
	skb = icmp_alloc(h, len, "__ip_append_data", SRC_IP_OUT);
	if (!skb)
		return -1;
	p = skb_transport_header(skb);
	memcpy(p, msg, len);
	icmp_set_checksum(p, len);
	icmp_ip_header(h, skb, h->ip, daddr, ip_select_ident(h), 1, 0);
	emit(h, skb, STEP(ICMP, HEADER, "ip_push_pending_frames", SRC_IP_OUT),
	     "The ICMP message, its checksum computed in software, is in place; ip_push_pending_frames -> "
	     "__ip_make_skb writes the IP header.");
	return ip_local_out(h, skb);
}

int raw_ping_send(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t seq, uint32_t len)
{
	struct icmp_info ic = { .type = ICMP_ECHO, .code = 0, .id = (uint16_t)sk->icmp_id, .sequence = seq };
	struct sk_buff *skb;
	uint8_t *p;
	uint64_t t = h->w->now;
	char d[16];

	ip4_addr_format(daddr, d);
	emit(h, NULL, STEP(SOCKET, CALL, "raw_sendmsg", SRC_RAW),
	     "ping sends echo request %u to %s through a raw ICMP socket: sendto -> raw_sendmsg. ping "
	     "wrote the ICMP header and its checksum itself.",
	     seq, d);
	skb = icmp_alloc(h, ICMP_HLEN + len, "__ip_append_data", SRC_IP_OUT);
	if (!skb)
		return -1;
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

/* icmp_echo -> icmp_reply: answer from the NET_RX softirq, through the
 * per-CPU ICMP socket. */
static void icmp_echo(struct pw_host *h, const struct sk_buff *req, const struct icmp_info *ic)
{
	uint32_t len = req->len; /* data is at the ICMP header */
	const uint8_t *iph = skb_network_header(req);
	struct sk_buff *skb;
	uint8_t *p;

	emit(h, NULL, STEP(ICMP, CALL, "icmp_echo", SRC_ICMP),
	     "icmp_echo: an echo request (id 0x%04x, seq %u); icmp_reply answers it from this softirq, "
	     "no process involved.",
	     ic->id, ic->sequence);
	if (replay_quiet(h, "an echo reply (icmp_reply)"))
		return;
	skb = icmp_alloc(h, len, "icmp_push_reply", SRC_ICMP);
	if (!skb)
		return;
	p = skb_transport_header(skb);
	skb_copy_bits(req, 0, p, len);
	p[0] = ICMP_ECHOREPLY;
	icmp_set_checksum(p, len);
	icmp_ip_header(h, skb, h->ip, get_be32(iph + 12), ip_select_ident(h), 0, 0);
	emit(h, skb, STEP(ICMP, HEADER, "icmp_push_reply", SRC_ICMP),
	     "icmp_glue_bits copies the request's data; the reply is type 0 with a checksum computed in "
	     "software. The ICMP socket does not set DF.");
	ip_local_out(h, skb);
}

void icmp_send_port_unreach(struct pw_host *h, const struct sk_buff *in)
{
	const uint8_t *iph = skb_network_header(in);
	uint32_t orig = get_be16(iph + 2);
	struct icmp_info ic = { .type = ICMP_DEST_UNREACH, .code = ICMP_PORT_UNREACH };
	struct sk_buff *skb;
	uint8_t *p;

	/* As much of the offending datagram as fits in 576 bytes. */
	if (orig > 576 - IP4_HLEN - ICMP_HLEN)
		orig = 576 - IP4_HLEN - ICMP_HLEN;
	if (orig > in->tail - in->network_header)
		orig = in->tail - in->network_header;
	if (replay_quiet(h, "an ICMP port unreachable (__icmp_send)"))
		return;
	skb = icmp_alloc(h, ICMP_HLEN + orig, "__icmp_send", SRC_ICMP);
	if (!skb)
		return;
	p = skb_transport_header(skb);
	icmp_build(p, &ic);
	memcpy(p + ICMP_HLEN, iph, orig);
	icmp_set_checksum(p, ICMP_HLEN + orig);
	icmp_ip_header(h, skb, h->ip, get_be32(iph + 12), ip_select_ident(h), 0, IPTOS_PREC_INTERNETCONTROL);
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
		if (sk) {
			struct sk_buff *c = skb_clone(skb);

			if (!c) {
				world_fail(h->w, "out of memory cloning for a raw socket");
				skb_free(skb);
				return;
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

int raw_recvmsg(struct pw_host *h, struct pw_sock *sk)
{
	struct sk_buff *skb = skb_dequeue(&sk->receive_queue);
	uint32_t len;

	if (!skb)
		return 0;
	sk->rmem_alloc -= skb->truesize;
	len = skb->len;
	h->w->res.bytes_delivered += len;
	emit(h, skb, STEP_TP(SOCKET, COPY, SKB_COPY_DATAGRAM_IOVEC, "skb_copy_datagram_msg", SRC_DATAGRAM),
	     "recvmsg(): raw_recvmsg copies the %u bytes (IP header and ICMP reply) to ping.", len);
	consume_skb(h, skb, PW_LAYER_SOCKET, "skb_free_datagram", SRC_DATAGRAM,
		    "skb_free_datagram: read, and consumed.");
	emit(h, NULL, STEP_TP(SOCKET, CALL, SOCK_RECV_LENGTH, "sock_recvmsg_nosec", SRC_SOCKET),
	     "recvmsg() returns %u bytes; ping prints the round-trip time.", len);
	return (int)len;
}
