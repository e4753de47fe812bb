/* tcp.c: TCP's system calls (net/ipv4/tcp.c): send(), recv() and close(),
 * the skbs tcp_sendmsg fills, and state changes. */
#include <string.h>

#include "net/host.h"
#include "net/skbuff.h"
#include "net/tcp.h"

void tcp_set_state(struct pw_host *h, struct pw_sock *sk, int state)
{
	int old = sk->state;

	sk->state = state;
	emit(h, NULL, STEP_TP(TCP, STATE, INET_SOCK_SET_STATE, "tcp_set_state", SRC_TCP),
	     "The socket moves from %s to %s.", pw_tcp_state_names[old], pw_tcp_state_names[state]);
}

struct sk_buff *tcp_stream_alloc_skb(struct pw_host *h, const char *func)
{
	struct sk_buff *skb = alloc_skb(h->pool, MAX_TCP_HEADER);

	if (!skb) {
		sim_fail(h->sim, "out of memory allocating a TCP skb");
		return NULL;
	}
	emit(h, skb, STEP(TCP, ALLOC, func, SRC_TCP),
	     "%s allocates an skb for %u bytes of headers: the 704-byte small-head cache gives end = %u "
	     "and truesize %u.",
	     func, MAX_TCP_HEADER, skb->end, skb->truesize);
	skb_reserve(skb, MAX_TCP_HEADER);
	emit(h, skb, STEP(TCP, RESERVE, "skb_reserve", SRC_SKBUFF),
	     "skb_reserve(%u): data and tail move to the end of the headroom, where the headers will be "
	     "pushed in front of the data (MAX_TCP_HEADER).",
	     MAX_TCP_HEADER);
	return skb;
}

int tcp_sendmsg(struct pw_host *h, struct pw_sock *sk, const uint8_t *data, uint32_t len)
{
	uint32_t copied = 0;

	if (sk->state != TCP_ESTABLISHED && sk->state != TCP_CLOSE_WAIT) {
		emit(h, NULL, STEP(SOCKET, CALL, "tcp_sendmsg", SRC_TCP),
		     "send() on a socket in state %s fails with EPIPE.", pw_tcp_state_names[sk->state]);
		return 0;
	}
	emit(h, NULL, STEP(SOCKET, CALL, "__sys_sendto", SRC_SOCKET),
	     "send(): the application hands %u bytes to the kernel; sock_sendmsg -> inet_sendmsg -> "
	     "tcp_sendmsg.",
	     len);
	emit(h, NULL, STEP(TCP, CALL, "tcp_sendmsg_locked", SRC_TCP),
	     "tcp_sendmsg takes the socket lock; tcp_send_mss says a segment may carry %u bytes (MSS "
	     "%u less 12 bytes of timestamp option).",
	     sk->mss, sk->mss + 12);
	while (copied < len) {
		uint32_t n = len - copied < sk->mss ? len - copied : sk->mss;
		struct sk_buff *skb = tcp_stream_alloc_skb(h, "tcp_stream_alloc_skb");

		if (!skb)
			return PW_ERR_BROKEN;
		skb->cb[CB_SEQ] = sk->write_seq;
		skb->cb[CB_END_SEQ] = sk->write_seq + n;
		skb->cb[CB_FLAGS] = TCPHDR_ACK;
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->sk = sk;
		skb_queue_tail(&sk->write_queue, skb);
		emit(h, skb, STEP_Q(TCP, ENQUEUE, NONE, SK_WRITE, "tcp_skb_entail", SRC_TCP),
		     "tcp_skb_entail queues the new skb on sk_write_queue, covering sequence numbers %u to "
		     "%u.",
		     sk->write_seq, sk->write_seq + n);
		if (skb_add_frag(skb, data + copied, n)) {
			sim_fail(h->sim, "out of memory for a page fragment");
			return PW_ERR_BROKEN;
		}
		emit(h, skb, STEP(TCP, FRAG, "skb_copy_to_page_nocache", SRC_TCP),
		     "The %u bytes are copied from user memory into a page fragment, not into the linear "
		     "area: len and data_len grow by %u, head, data and tail do not move.",
		     n, n);
		sk->write_seq += n;
		copied += n;
	}
	tcp_push_pending(h, sk);
	emit(h, NULL, STEP_TP(SOCKET, CALL, SOCK_SEND_LENGTH, "sock_sendmsg_nosec", SRC_SOCKET),
	     "send() returns %u: sock_send_length is the last event of the call.", copied);
	return (int)copied;
}

int tcp_recvmsg(struct pw_host *h, struct pw_sock *sk, uint32_t max)
{
	uint32_t copied = 0;
	struct sk_buff *skb;

	emit(h, NULL, STEP(SOCKET, CALL, "tcp_recvmsg", SRC_TCP),
	     "recv(): sock_recvmsg -> inet_recvmsg -> tcp_recvmsg walks sk_receive_queue.");
	while ((skb = sk->receive_queue.head) && copied + skb->len <= max) {
		if (!skb->len) {
			skb_dequeue(&sk->receive_queue);
			sk->rmem_alloc -= skb->truesize;
			skb_free_silent(h, skb, PW_LAYER_SOCKET, "tcp_recvmsg_locked", SRC_TCP,
					"tcp_recvmsg meets the FIN (found_fin_ok): the end of the stream. The skb is "
					"eaten without a tracepoint.");
			continue;
		}
		copied += skb->len;
		emit(h, skb, STEP_TP(SOCKET, COPY, SKB_COPY_DATAGRAM_IOVEC, "skb_copy_datagram_iter", SRC_DATAGRAM),
		     "skb_copy_datagram_iter copies the %u payload bytes (from the page fragment the NIC "
		     "wrote) into the user's buffer.",
		     skb->len);
		skb_dequeue(&sk->receive_queue);
		sk->rmem_alloc -= skb->truesize;
		h->mib.bytes_delivered += skb->len;
		skb_free_silent(h, skb, PW_LAYER_SOCKET, "tcp_eat_recv_skb", SRC_TCP,
				"tcp_eat_recv_skb: the skb is read; skb_attempt_defer_free hands it back to "
				"the NAPI cache of this CPU, so no consume_skb event fires.");
	}
	emit(h, NULL, STEP_TP(SOCKET, CALL, SOCK_RECV_LENGTH, "sock_recvmsg_nosec", SRC_SOCKET),
	     copied || !sk->eof ? "recv() returns %u bytes."
				: "recv() returns %u: the peer has closed its side and every byte has been read.",
	     copied);
	return (int)copied;
}

void tcp_close(struct pw_host *h, struct pw_sock *sk)
{
	emit(h, NULL, STEP(SOCKET, CALL, "tcp_close", SRC_TCP),
	     "close(): tcp_close queues a FIN after any unsent data.");
	sk->closed_by_app = 1;
	if (sk->state == TCP_ESTABLISHED)
		tcp_set_state(h, sk, TCP_FIN_WAIT1);
	else if (sk->state == TCP_CLOSE_WAIT)
		tcp_set_state(h, sk, TCP_LAST_ACK);
	else
		return;
	sk->fin_queued = 1;
	tcp_push_pending(h, sk);
}
