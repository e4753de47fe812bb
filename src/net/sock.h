/* sock.h: sockets of the model (struct sock, inet_sock and tcp_sock folded
 * into one), their lookup and receive accounting (net/core/sock.c, the
 * inet hash tables). */
#ifndef PW_NET_SOCK_H
#define PW_NET_SOCK_H

#include <stdint.h>

#include "skb/skb.h"

struct pw_host;

#define MAX_SOCKS 8

enum sock_kind { SK_TCP, SK_UDP, SK_RAW_ICMP };

struct pw_sock {
	struct pw_host *host;       /* the host (kernel) the socket lives in */
	enum sock_kind kind;
	int state;                  /* enum tcp_state for TCP (net/tcp.h) */
	uint32_t saddr, daddr;      /* host order; daddr 0 = unconnected */
	uint16_t sport, dport;
	struct skb_queue write_queue;   /* sk_write_queue */
	struct skb_queue rtx_queue;     /* tcp_rtx_queue (a list here; an rb-tree in Linux) */
	struct skb_queue receive_queue; /* sk_receive_queue */
	struct skb_queue ofo_queue;     /* tp->out_of_order_queue (an rb-tree in Linux), by seq */
	uint32_t rcvbuf;            /* sk_rcvbuf */
	uint32_t rmem_alloc;        /* sk_rmem_alloc: truesize of queued skbs */
	uint32_t drops;
	struct pw_sock *parent;     /* listener that made this socket */
	int accept_pending;         /* listener: established children not yet accepted */
	int eof;                    /* FIN received and queued */
	/* TCP sequence space (RFC 9293 names) */
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, write_seq, rcv_nxt, copied_seq;
	uint32_t snd_wnd;           /* peer's window, scaled */
	uint32_t rcv_wnd;           /* what we advertise, unscaled bytes */
	uint8_t snd_wscale, rcv_wscale;
	uint8_t sack_ok, ts_ok;
	uint16_t mss;               /* mss_now: MSS minus option bytes */
	uint16_t peer_mss;
	uint32_t ts_offset, ts_recent;
	uint16_t inet_id;           /* IP id of the next DF packet */
	uint32_t quickack;          /* ACKs still sent at once (icsk_ack.quick) */
	uint32_t rcv_unacked;       /* bytes received since our last ACK */
	int ack_pending;            /* delayed ACK wanted (ICSK_ACK_TIMER) */
	uint64_t delack_deadline;
	int delack_timer;           /* a delayed-ACK timer is pending */
	uint64_t rto_deadline;
	int rto_pending;            /* a retransmission timer is pending */
	int pingpong;
	int fin_queued;             /* close() called: FIN to send */
	int closed_by_app;
	uint32_t rx_bytes;          /* bytes delivered to this socket */
	uint32_t icmp_id;
};

/* A new socket of kind on h, closed, with the default receive buffer.
 * NULL when h has MAX_SOCKS already (the simulation fails). */
struct pw_sock *sock_create(struct pw_host *h, enum sock_kind kind);
/* The socket a segment from saddr:sport to daddr:dport is for: a
 * connected match (all four fields) before a listening or unconnected one
 * (local port only); NULL if none. */
struct pw_sock *sock_lookup(struct pw_host *h, enum sock_kind kind, uint32_t saddr, uint16_t sport,
			    uint32_t daddr, uint16_t dport);
/*
 * sock_queue_rcv - charge skb to sk and queue it on sk_receive_queue
 *
 * skb_set_owner_r after the rcvbuf check of __sock_queue_rcv_skb and
 * __udp_enqueue_schedule_skb: the check is against what is charged
 * already, so one skb may overshoot. Returns 0 (the queue owns skb), or
 * PW_ERR_DROP with nothing changed when the buffer is full: skb is still
 * the caller's, to drop.
 */
int sock_queue_rcv(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb);
/* sk_data_ready (sock_def_readable): records the wake-up and wakes
 * whoever sleeps on sk. */
void sk_data_ready(struct pw_host *h, struct pw_sock *sk);

#endif
