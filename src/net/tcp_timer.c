/* tcp_timer.c: TCP's timers (net/ipv4/tcp_timer.c): the delayed ACK and
 * retransmission.
 *
 * One timer of each kind per socket is pending at a time. Re-arming only
 * moves the socket's deadline; a timer that fires before the deadline goes
 * back to sleep until it, which is how the kernel's timer wheel treats a
 * modified timer. Timers run in the TIMER softirq.
 */
#include "net/host.h"
#include "net/tcp.h"

#define TCP_RTO_MIN_NS 200000000ull

/* tcp_retransmit_timer: send the oldest unacknowledged segment again. */
static void tcp_retransmit_timer(struct pw_host *h, struct pw_sock *sk)
{
	struct sk_buff *skb = sk->rtx_queue.head;

	if (!skb)
		return;
	emit(h, skb, STEP_TP(TCP, CALL, TCP_RETRANSMIT_SKB, "tcp_retransmit_timer", SRC_TCP_TIMER),
	     "The retransmission timer fired with seq %u still unacknowledged: tcp_retransmit_skb sends "
	     "it again.",
	     skb->cb[CB_SEQ]);
	tcp_retransmit_skb(h, sk, skb);
	tcp_arm_rto(h, sk);
}

/* tcp_write_timer: the retransmission timer fired. */
static void tcp_write_timer(void *arg)
{
	struct pw_sock *sk = arg;
	struct pw_host *h = sk->host;
	enum pw_ctx prev = h->ctx;

	h->ctx = PW_CTX_TIMER;
	sk->rto_pending = 0;
	if (sk->rtx_queue.len && sim_now(h->sim) < sk->rto_deadline) {
		sk->rto_pending = 1;
		sim_timer_add(h->sim, sk->rto_deadline, tcp_write_timer, sk);
	} else if (sk->rtx_queue.len) {
		tcp_retransmit_timer(h, sk);
	}
	h->ctx = prev;
}

void tcp_arm_rto(struct pw_host *h, struct pw_sock *sk)
{
	sk->rto_deadline = sim_now(h->sim) + TCP_RTO_MIN_NS;
	if (sk->rto_pending)
		return;
	sk->rto_pending = 1;
	sim_timer_add(h->sim, sk->rto_deadline, tcp_write_timer, sk);
}

void tcp_delack_timer(void *arg)
{
	struct pw_sock *sk = arg;
	struct pw_host *h = sk->host;
	enum pw_ctx prev = h->ctx;

	h->ctx = PW_CTX_TIMER;
	sk->delack_timer = 0;
	if (!sk->ack_pending)
		goto out;
	if (sim_now(h->sim) < sk->delack_deadline) {
		sk->delack_timer = 1;
		sim_timer_add(h->sim, sk->delack_deadline, tcp_delack_timer, sk);
		goto out;
	}
	emit(h, NULL, STEP(TCP, CALL, "tcp_delack_timer", SRC_TCP_TIMER),
	     "The delayed-ACK timer fires: nothing was sent to carry the ACK, so it goes alone.");
	tcp_send_ack(h, sk);
out:
	h->ctx = prev;
}
