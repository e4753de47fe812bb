/* sock.c: sockets of the model: creation, lookup, receive accounting and
 * sk_data_ready (net/core/sock.c, the inet hash tables; see sock.h). */
#include <string.h>

#include "net/host.h"
#include "net/sock.h"
#include "net/tcp.h"

/* sysctl net.core.rmem_default */
#define RMEM_DEFAULT 212992u

struct pw_sock *sock_create(struct pw_host *h, enum sock_kind kind)
{
	struct pw_sock *sk;

	if (h->nsock >= MAX_SOCKS) {
		sim_fail(h->sim, "host %s: more than %d sockets", h->name, MAX_SOCKS);
		return NULL;
	}
	sk = &h->sock[h->nsock++];
	memset(sk, 0, sizeof(*sk));
	sk->host = h;
	sk->kind = kind;
	sk->state = kind == SK_TCP ? TCP_CLOSE : 0;
	sk->rcvbuf = RMEM_DEFAULT;
	return sk;
}

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

int sock_queue_rcv(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb)
{
	(void)h;
	if (sk->rmem_alloc > sk->rcvbuf)
		return PW_ERR_DROP;
	sk->rmem_alloc += skb->truesize;
	skb->sk = sk;
	skb_queue_tail(&sk->receive_queue, skb);
	return 0;
}

void sk_data_ready(struct pw_host *h, struct pw_sock *sk)
{
	emit(h, NULL, STEP_TP(SOCKET, WAKE, SK_DATA_READY, "sock_def_readable", SRC_SOCK),
	     "sk_data_ready (sock_def_readable) wakes the process sleeping on the socket: there is "
	     "something to read.");
	sk_wake(h, sk);
}
