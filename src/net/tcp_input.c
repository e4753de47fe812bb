/* tcp_input.c: what an arriving segment does to a socket
 * (net/ipv4/tcp_input.c): the handshake's steps, ACKs, data in and out of
 * order, FIN, and when to send the ACK.
 */
#include <stdio.h>
#include <string.h>

#include "net/host.h"
#include "net/skbuff.h"
#include "net/tcp.h"
#include "proto/tcp.h"

#define TCP_DELACK_MAX_NS 40000000ull /* TCP_DELACK_MIN, 40 ms */

/* inet_csk_reset_xmit_timer(ICSK_TIME_DACK), as tcp_send_delayed_ack
 * calls it: the ACK waits up to 40 ms for data to ride on. One timer per
 * socket is pending at a time; it re-checks the deadline when it fires. */
static void tcp_delack_arm(struct pw_host *h, struct pw_sock *sk)
{
	if (sk->ack_pending)
		return;
	sk->ack_pending = 1;
	sk->delack_deadline = sim_now(h->sim) + TCP_DELACK_MAX_NS;
	emit(h, NULL, STEP(TCP, CALL, "inet_csk_reset_xmit_timer", SRC_TCP_IN),
	     "The ACK is delayed (up to 40 ms) in the hope that a reply can carry it.");
	if (sk->delack_timer)
		return;
	sk->delack_timer = 1;
	sim_timer_add(h->sim, sk->delack_deadline, tcp_delack_timer, sk);
}

#define TCP_MAX_QUICKACKS 16

static void tcp_established(struct pw_host *h, struct pw_sock *sk)
{
	tcp_set_state(h, sk, TCP_ESTABLISHED);
	sk->quickack = TCP_MAX_QUICKACKS;
}

/* tcp_clean_rtx_queue: free what the peer has acknowledged. */
static void tcp_ack(struct pw_host *h, struct pw_sock *sk, const struct tcp_info *th)
{
	struct sk_buff *skb;
	uint32_t ack = th->ack_seq;

	if (!(th->flags & TCPHDR_ACK))
		return;
	if ((int32_t)(ack - sk->snd_una) > 0 && (int32_t)(ack - sk->snd_nxt) <= 0) {
		while ((skb = sk->rtx_queue.head) && (int32_t)(skb->cb[CB_END_SEQ] - ack) <= 0) {
			skb_dequeue(&sk->rtx_queue);
			skb_free_silent(h, skb, PW_LAYER_TCP, "tcp_clean_rtx_queue", SRC_TCP_IN,
					"tcp_ack: the peer acknowledged this skb's data, so tcp_clean_rtx_queue "
					"frees it with __kfree_skb (no tracepoint).");
		}
		sk->snd_una = ack;
	}
	if (!(th->flags & TCPHDR_SYN))
		sk->snd_wnd = (uint32_t)th->window << sk->snd_wscale;
}

/* __tcp_ack_snd_check: ACK now, or delay it. */
static void tcp_ack_snd_check(struct pw_host *h, struct pw_sock *sk)
{
	/* Nothing new since the last ACK (tcp_fin may just have sent one). */
	if (!sk->rcv_unacked)
		return;
	if (sk->quickack || sk->rcv_unacked > sk->mss) {
		if (sk->quickack)
			sk->quickack--;
		emit(h, NULL, STEP(TCP, CALL, "__tcp_ack_snd_check", SRC_TCP_IN),
		     "__tcp_ack_snd_check: %s, so the ACK goes out now, from this softirq.",
		     sk->rcv_unacked > sk->mss ? "more than one full segment is unacknowledged"
					       : "the connection is young (quick-ACK mode)");
		tcp_send_ack(h, sk);
	} else {
		tcp_delack_arm(h, sk);
	}
}

/* tcp_v4_conn_request: a SYN for a listener makes a new socket in
 * SYN_RECV (Linux keeps a small request sock until the handshake ends). */
static void tcp_conn_request(struct pw_host *h, struct pw_sock *lsk, const struct tcp_info *th,
			     uint32_t saddr)
{
	struct pw_sock *sk = sock_create(h, SK_TCP);

	if (!sk)
		return;
	sk->parent = lsk;
	sk->saddr = h->ip;
	sk->sport = lsk->sport;
	sk->daddr = saddr;
	sk->dport = th->source;
	sk->irs = th->seq;
	sk->rcv_nxt = th->seq + 1;
	sk->iss = sim_random(h->sim);
	sk->snd_una = sk->snd_nxt = sk->write_seq = sk->iss;
	sk->ts_recent = th->opts.ts_val;
	sk->ts_offset = sim_random(h->sim);
	sk->inet_id = (uint16_t)sim_random(h->sim);
	sk->rcv_wscale = tcp_wscale_default();
	sk->snd_wscale = th->opts.wscale_set ? th->opts.wscale : 0;
	sk->peer_mss = th->opts.mss_set ? th->opts.mss : 536;
	sk->mss = (uint16_t)((sk->peer_mss < h->mtu - 40 ? sk->peer_mss : h->mtu - 40) - 12);
	sk->rcv_wnd = 65535u / sk->mss * sk->mss;
	sk->snd_wnd = th->window;
	sk->state = TCP_SYN_RECV;
	emit(h, NULL, STEP(TCP, STATE, "tcp_conn_request", SRC_TCP_IN),
	     "A SYN for a listening socket: tcp_conn_request records the peer's options (MSS %u, window "
	     "scale %u, SACK, timestamps) and answers with a SYN-ACK; the connection is SYN_RECV.",
	     sk->peer_mss, sk->snd_wscale);
	tcp_v4_send_synack(h, sk);
}

/* tcp_fin: the peer will send no more. */
static void tcp_fin(struct pw_host *h, struct pw_sock *sk)
{
	sk->rcv_nxt++;
	sk->eof = 1;
	switch (sk->state) {
	case TCP_ESTABLISHED:
		tcp_set_state(h, sk, TCP_CLOSE_WAIT);
		/* inet_csk_enter_pingpong_mode: the close() that usually follows can carry the ACK. */
		sk->pingpong = 1;
		sk->quickack = 0;
		tcp_delack_arm(h, sk);
		break;
	case TCP_FIN_WAIT1:
		tcp_set_state(h, sk, TCP_CLOSING);
		tcp_send_ack(h, sk);
		break;
	case TCP_FIN_WAIT2:
		tcp_set_state(h, sk, TCP_TIME_WAIT);
		emit(h, NULL, STEP(TCP, CALL, "tcp_time_wait", SRC_TCP_MINISOCKS),
		     "Both sides have closed: the socket waits in TIME_WAIT (60 s) so late segments "
		     "cannot be mistaken for a new connection.");
		tcp_send_ack(h, sk);
		break;
	}
	sk_data_ready(h, sk);
}

/* tcp_queue_rcv and what tcp_data_queue does after it, for an skb whose
 * data is at its payload and whose range starts at rcv_nxt. Returns 0, or
 * -1 if it was dropped (receive buffer full). */
static int tcp_queue_in_order(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb)
{
	uint32_t len = skb->len;
	int fin = !!(skb->cb[CB_FLAGS] & TCPHDR_FIN);

	if (!len && sk->closed_by_app) {
		/* Nobody will read: the FIN ends the orphaned socket's life. */
		tcp_fin(h, sk);
		if (sk->state == TCP_TIME_WAIT)
			kfree_skb_reason(h, skb, PW_DROP_QUEUE_PURGE, PW_LAYER_TCP, "sk_stream_kill_queues", SRC_SOCK_STREAM,
					 "The application closed this socket already, so entering TIME_WAIT ends it "
					 "(tcp_done; a small timewait sock stays behind) and sk_stream_kill_queues "
					 "purges its receive queue, FIN included (QUEUE_PURGE).");
		else
			skb_free_silent(h, skb, PW_LAYER_TCP, "tcp_data_queue", SRC_TCP_IN,
					"The FIN has moved the state machine on; nobody will read it.");
		return 0;
	}
	if (!len) {
		/* tcp_data_queue queues even a bare FIN: recv() finds it and returns 0. */
		sock_queue_rcv(h, sk, skb);
		emit(h, skb, STEP_Q(TCP, ENQUEUE, NONE, SK_RECEIVE, "tcp_queue_rcv", SRC_TCP_IN),
		     "The FIN is queued on sk_receive_queue like data: the reader will meet it as the end of "
		     "the stream.");
		tcp_fin(h, sk);
		return 0;
	}
	if (sock_queue_rcv(h, sk, skb)) {
		sk->drops++;
		kfree_skb_reason(h, skb, PW_DROP_PROTO_MEM, PW_LAYER_TCP, "tcp_data_queue", SRC_TCP_IN,
				 "tcp_try_rmem_schedule: the receive buffer is full even after pruning, so the "
				 "segment is dropped (PROTO_MEM).");
		return PW_ERR_DROP;
	}
	sk->rcv_nxt += len;
	sk->rcv_unacked += len;
	sk->rx_bytes += len;
	h->mib.tcp_segs_queued++;
	emit(h, skb, STEP_Q(TCP, ENQUEUE, NONE, SK_RECEIVE, "tcp_queue_rcv", SRC_TCP_IN),
	     "tcp_queue_rcv puts the skb on sk_receive_queue (rcv_nxt = %u) and charges its truesize %u "
	     "to the socket (rmem %u of %u).",
	     sk->rcv_nxt, skb->truesize, sk->rmem_alloc, sk->rcvbuf);
	if (fin)
		tcp_fin(h, sk);
	else
		sk_data_ready(h, sk);
	return 0;
}

/* tcp_data_queue_ofo: a segment beyond a hole waits, in sequence order,
 * and a duplicate ACK tells the sender where the hole is. */
static void tcp_data_queue_ofo(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb)
{
	struct sk_buff **pp = &sk->ofo_queue.head;

	while (*pp && (int32_t)((*pp)->cb[CB_SEQ] - skb->cb[CB_SEQ]) < 0)
		pp = &(*pp)->next;
	if (*pp && (*pp)->cb[CB_SEQ] == skb->cb[CB_SEQ]) {
		kfree_skb_reason(h, skb, PW_DROP_TCP_OFOMERGE, PW_LAYER_TCP, "tcp_data_queue_ofo", SRC_TCP_IN,
				 "The out-of-order queue already holds this segment: dropped (TCP_OFOMERGE).");
		tcp_send_ack(h, sk);
		return;
	}
	skb_queue_insert(&sk->ofo_queue, pp, skb);
	emit(h, skb, STEP_Q(TCP, ENQUEUE, NONE, TCP_OFO, "tcp_data_queue_ofo", SRC_TCP_IN),
	     "seq %u is beyond rcv_nxt %u: bytes are missing before it. The segment waits on "
	     "out_of_order_queue, and a duplicate ACK at once tells the sender what is missing.",
	     skb->cb[CB_SEQ], sk->rcv_nxt);
	tcp_send_ack(h, sk);
}

/* tcp_ofo_queue: segments that now follow rcv_nxt join the receive queue. */
static void tcp_ofo_queue(struct pw_host *h, struct pw_sock *sk)
{
	struct sk_buff *skb;

	while ((skb = sk->ofo_queue.head) && (int32_t)(skb->cb[CB_SEQ] - sk->rcv_nxt) <= 0) {
		skb_dequeue(&sk->ofo_queue);
		if ((int32_t)(skb->cb[CB_END_SEQ] - sk->rcv_nxt) <= 0) {
			skb_free_silent(h, skb, PW_LAYER_TCP, "tcp_ofo_queue", SRC_TCP_IN,
					"This waiting segment was covered by what arrived meanwhile: freed.");
			continue;
		}
		emit(h, skb, STEP_Q(TCP, DEQUEUE, NONE, TCP_OFO, "tcp_ofo_queue", SRC_TCP_IN),
		     "The hole before seq %u is filled: tcp_ofo_queue moves the waiting segment to the "
		     "receive queue.",
		     skb->cb[CB_SEQ]);
		if (tcp_queue_in_order(h, sk, skb))
			break;
	}
}

/* The part of tcp_rcv_established / tcp_rcv_state_process after the
 * handshake: ACK, data, FIN. Consumes skb (data at the TCP header). */
static void tcp_rcv_synchronized(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb,
				 const struct tcp_info *th)
{
	uint32_t hlen = th->doff * 4u;
	uint32_t len = skb->len - hlen;
	uint32_t old_una = sk->snd_una;

	tcp_ack(h, sk, th);
	if (sk->snd_una != old_una) {
		if (sk->state == TCP_FIN_WAIT1 && sk->snd_una == sk->write_seq)
			tcp_set_state(h, sk, TCP_FIN_WAIT2);
		else if (sk->state == TCP_CLOSING && sk->snd_una == sk->write_seq)
			tcp_set_state(h, sk, TCP_TIME_WAIT);
		else if (sk->state == TCP_LAST_ACK && sk->snd_una == sk->write_seq)
			tcp_set_state(h, sk, TCP_CLOSE);
		tcp_push_pending(h, sk); /* tcp_data_snd_check: the window may have opened */
		sk_wake(h, sk);          /* a sender waiting for memory */
	}
	if (!len && !(th->flags & TCPHDR_FIN)) {
		skb_free_silent(h, skb, PW_LAYER_TCP, "tcp_rcv_established", SRC_TCP_IN,
				"A segment without data has done its work: __kfree_skb frees it (no "
				"tracepoint).");
		return;
	}
	/* From here the segment carries data or a FIN, both of which take
	 * sequence numbers. TCP_SKB_CB keeps its range while it is queued. */
	skb->cb[CB_SEQ] = th->seq;
	skb->cb[CB_END_SEQ] = th->seq + len + ((th->flags & TCPHDR_FIN) ? 1 : 0);
	skb->cb[CB_FLAGS] = th->flags;
	skb_pull(skb, hlen);
	emit(h, skb, STEP(TCP, PULL, "tcp_data_queue", SRC_TCP_IN),
	     "__skb_pull(%u) moves data past the TCP header: data now points at the %u payload bytes%s.",
	     hlen, len, (th->flags & TCPHDR_FIN) ? " (and the segment carries a FIN)" : "");
	if ((int32_t)(skb->cb[CB_END_SEQ] - sk->rcv_nxt) <= 0) {
		kfree_skb_reason(h, skb, PW_DROP_TCP_OLD_DATA, PW_LAYER_TCP, "tcp_data_queue", SRC_TCP_IN,
				 "Everything in this segment was received before (a retransmission): dropped "
				 "(TCP_OLD_DATA), and an ACK repeats what has arrived.");
		tcp_send_ack(h, sk);
		return;
	}
	if (th->seq != sk->rcv_nxt) {
		tcp_data_queue_ofo(h, sk, skb);
		return;
	}
	if (tcp_queue_in_order(h, sk, skb) == 0 && sk->ofo_queue.len) {
		tcp_ofo_queue(h, sk);
		if (!sk->ofo_queue.len) {
			/* The hole is filled: ICSK_ACK_NOW. */
			tcp_send_ack(h, sk);
			return;
		}
	}
	tcp_ack_snd_check(h, sk);
}

/* tcp_rcv_state_process, with tcp_rcv_established for an established
 * socket. Consumes skb. */
void tcp_rcv_state_process(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, const struct tcp_info *th,
			   uint32_t saddr)
{
	if (th->opts.ts_set)
		sk->ts_recent = th->opts.ts_val;
	switch (sk->state) {
	case TCP_LISTEN:
		if ((th->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) == TCPHDR_SYN) {
			tcp_conn_request(h, sk, th, saddr);
			consume_skb(h, skb, PW_LAYER_TCP, "tcp_rcv_state_process", SRC_TCP_IN,
				    "The SYN has done its job: consume_skb.");
		} else {
			kfree_skb_reason(h, skb, PW_DROP_TCP_FLAGS, PW_LAYER_TCP, "tcp_rcv_state_process",
					 SRC_TCP_IN, "A listening socket takes only SYNs: dropped.");
		}
		return;
	case TCP_SYN_SENT:
		if ((th->flags & (TCPHDR_SYN | TCPHDR_ACK)) == (TCPHDR_SYN | TCPHDR_ACK) && th->ack_seq == sk->snd_nxt) {
			sk->irs = th->seq;
			sk->rcv_nxt = th->seq + 1;
			sk->snd_wscale = th->opts.wscale_set ? th->opts.wscale : 0;
			sk->peer_mss = th->opts.mss_set ? th->opts.mss : 536;
			sk->mss = (uint16_t)((sk->peer_mss < h->mtu - 40 ? sk->peer_mss : h->mtu - 40) - 12);
			tcp_ack(h, sk, th);
			sk->snd_wnd = th->window;
			emit(h, NULL, STEP(TCP, CALL, "tcp_rcv_synsent_state_process", SRC_TCP_IN),
			     "The SYN-ACK acknowledges our SYN: the peer's MSS is %u, its window scale %u; each "
			     "segment will carry at most %u bytes.",
			     sk->peer_mss, sk->snd_wscale, sk->mss);
			tcp_established(h, sk);
			tcp_send_ack(h, sk);
			sk_wake(h, sk);
		}
		skb_free_silent(h, skb, PW_LAYER_TCP, "tcp_rcv_state_process", SRC_TCP_IN,
				"The SYN-ACK is freed with __kfree_skb (no tracepoint).");
		return;
	case TCP_SYN_RECV:
		if ((th->flags & TCPHDR_ACK) && th->ack_seq == sk->snd_nxt) {
			tcp_ack(h, sk, th);
			tcp_established(h, sk);
			sk->parent->accept_pending++;
			emit(h, NULL, STEP(TCP, CALL, "tcp_check_req", SRC_TCP_MINISOCKS),
			     "The ACK completes the three-way handshake: the new socket joins the listener's "
			     "accept queue.");
			sk_wake(h, sk->parent);
			if (skb->len > th->doff * 4u || (th->flags & TCPHDR_FIN)) {
				tcp_rcv_synchronized(h, sk, skb, th);
				return;
			}
		}
		skb_free_silent(h, skb, PW_LAYER_TCP, "tcp_rcv_state_process", SRC_TCP_IN,
				"The handshake's last ACK is freed with __kfree_skb (no tracepoint).");
		return;
	case TCP_ESTABLISHED:
		emit(h, skb, STEP_TP(TCP, CALL, TCP_PROBE, "tcp_rcv_established", SRC_TCP_IN),
		     "tcp_v4_do_rcv -> tcp_rcv_established (tcp_probe): the socket is ESTABLISHED; "
		     "header prediction picks the fast path for the next in-order segment, the slow "
		     "path otherwise.");
		break;
	default:
		emit(h, skb, STEP(TCP, CALL, "tcp_rcv_state_process", SRC_TCP_IN),
		     "tcp_rcv_state_process handles a segment for a socket in %s.", pw_tcp_state_names[sk->state]);
		break;
	}
	tcp_rcv_synchronized(h, sk, skb, th);
}
