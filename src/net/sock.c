/* sock.c: sockets of the model: creation, lookup, receive accounting and
 * sk_data_ready (net/core/sock.c, the inet hash tables). */
#include <string.h>

#include "net/host.h"

const char *const tcp_state_names[] = {
	"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
	"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

/* sysctl net.core.rmem_default */
#define RMEM_DEFAULT 212992u

struct pw_sock *sock_create(struct pw_host *h, enum sock_kind kind)
{
	struct pw_sock *sk;

	if (h->nsock >= MAX_SOCKS) {
		world_fail(h->w, "host %s: more than %d sockets", h->name, MAX_SOCKS);
		return NULL;
	}
	sk = &h->sock[h->nsock++];
	memset(sk, 0, sizeof(*sk));
	sk->kind = kind;
	sk->state = kind == SK_TCP ? TCP_CLOSE : 0;
	sk->rcvbuf = RMEM_DEFAULT;
	return sk;
}

/* The best match wins: a connected socket (all four fields) before a
 * listening or unconnected one (local address and port only). */
struct pw_sock *sock_lookup(struct pw_host *h, enum sock_kind kind, uint32_t saddr, uint16_t sport,
			    uint32_t daddr, uint16_t dport)
{
	struct pw_sock *wild = NULL;

	for (int i = 0; i < h->nsock; i++) {
		struct pw_sock *sk = &h->sock[i];

		if (sk->kind != kind || sk->sport != dport || (sk->kind == SK_TCP && sk->state == TCP_CLOSE))
			continue;
		if (sk->daddr == saddr && sk->dport == sport)
			return sk;
		if (!sk->daddr)
			wild = sk;
	}
	return wild;
}

/* skb_set_owner_r after the rcvbuf check of __sock_queue_rcv_skb and
 * __udp_enqueue_schedule_skb. */
int sock_queue_rcv(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb)
{
	(void)h;
	/* The kernel checks what is already charged, so one skb may overshoot. */
	if (sk->rmem_alloc > sk->rcvbuf)
		return -1;
	sk->rmem_alloc += skb->truesize;
	skb->sk = sk;
	skb_queue_tail(&sk->receive_queue, skb);
	return 0;
}

/* sock_def_readable: wake whoever sleeps on the socket. */
void sk_data_ready(struct pw_host *h, struct pw_sock *sk)
{
	emit(h, NULL, STEP_TP(SOCKET, WAKE, SK_DATA_READY, "sock_def_readable", SRC_SOCK),
	     "sk_data_ready (sock_def_readable) wakes the process sleeping on the socket: there is "
	     "something to read.");
	sk_wake(h, sk);
}
