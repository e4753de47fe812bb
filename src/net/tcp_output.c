/* tcp_output.c: building and sending TCP segments (net/ipv4/tcp.c's
 * tcp_sendmsg, net/ipv4/tcp_output.c).
 *
 * A segment's sequence range and flags live in the skb's control block
 * while it is queued, as TCP_SKB_CB does: cb[0] seq, cb[1] end_seq,
 * cb[2] flags.
 */
#include <string.h>

#include "net/host.h"
#include "proto/csum.h"
#include "proto/ip4.h"
#include "proto/tcp.h"


/* tcp_rmem[2] = 33554432 on the reference machine: window scale 10. */
#define TCP_RMEM_MAX 33554432u
#define TCP_RTO_MIN_NS 200000000ull
#define TCP_DELACK_MAX_NS 40000000ull /* TCP_DELACK_MIN, 40 ms */
#define TCP_TIMEWAIT_NS 60000000000ull

static const char *flag_names(uint8_t f, char *buf)
{
	buf[0] = '\0';
	if (f & TCPHDR_SYN)
		strcat(buf, "SYN ");
	if (f & TCPHDR_FIN)
		strcat(buf, "FIN ");
	if (f & TCPHDR_RST)
		strcat(buf, "RST ");
	if (f & TCPHDR_PSH)
		strcat(buf, "PSH ");
	if (f & TCPHDR_ACK)
		strcat(buf, "ACK ");
	if (buf[0])
		buf[strlen(buf) - 1] = '\0';
	return buf;
}

uint32_t tcp_time_stamp(struct pw_host *h, const struct pw_sock *sk)
{
	return (uint32_t)(h->w->now / 1000000u) + sk->ts_offset;
}

void tcp_set_state(struct pw_host *h, struct pw_sock *sk, int state)
{
	int old = sk->state;

	sk->state = state;
	emit(h, NULL, STEP_TP(TCP, STATE, INET_SOCK_SET_STATE, "tcp_set_state", SRC_TCP),
	     "The socket moves from %s to %s.", tcp_state_names[old], tcp_state_names[state]);
}

/* Window scale from the largest receive buffer the socket may grow to
 * (tcp_select_initial_window). */
uint8_t tcp_wscale_default(void)
{
	uint32_t space = TCP_RMEM_MAX;
	uint8_t ws = 0;

	while (space > 65535 && ws < 14) {
		space >>= 1;
		ws++;
	}
	return ws;
}

/* The window field: unscaled in a SYN, else rounded up to the scale
 * unit and shifted (__tcp_select_window). */
static uint16_t tcp_select_window(const struct pw_sock *sk, int syn)
{
	uint32_t unit = 1u << sk->rcv_wscale;

	if (syn)
		return (uint16_t)(sk->rcv_wnd > 65535 ? 65535 : sk->rcv_wnd);
	return (uint16_t)(((sk->rcv_wnd + unit - 1) & ~(unit - 1)) >> sk->rcv_wscale);
}

/* alloc_skb_fclone(MAX_TCP_HEADER) + skb_reserve, as tcp_stream_alloc_skb
 * and the control-packet senders do. */
static struct sk_buff *tcp_alloc_skb(struct pw_host *h, const char *func)
{
	struct sk_buff *skb = alloc_skb(&h->w->pool, MAX_TCP_HEADER);

	if (!skb) {
		world_fail(h->w, "out of memory allocating a TCP skb");
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

/* (Re)starts the retransmission timer. One job per socket is pending at a
 * time; a job that fires before the current deadline goes back to sleep,
 * which is how the kernel's timer wheel treats a modified timer. */
static void tcp_arm_rto(struct pw_host *h, struct pw_sock *sk)
{
	sk->rto_deadline = h->w->now + TCP_RTO_MIN_NS;
	if (sk->rto_pending)
		return;
	sk->rto_pending = 1;
	job_schedule(h->w, sk->rto_deadline, JOB_RTO, h->idx, (uint32_t)(sk - h->sock), NULL, 0);
}

/*
 * __tcp_transmit_skb: push the TCP header onto a clone (or the skb itself
 * for control packets that are not kept) and send it to IP. The original
 * of a clone stays on its queue.
 */
static int tcp_transmit_skb(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, int clone_it)
{
	struct sk_buff *t = skb;
	struct tcp_info th;
	struct tcp_opts o;
	uint8_t flags = (uint8_t)skb->cb[CB_FLAGS];
	uint32_t hlen, optlen;
	uint8_t *p;
	char fl[32];
	int syn = !!(flags & TCPHDR_SYN);

	if (clone_it) {
		t = skb_clone(skb);
		if (!t) {
			world_fail(h->w, "out of memory cloning a TCP skb");
			return -1;
		}
		emit(h, t, STEP(TCP, CLONE, "__tcp_transmit_skb", SRC_TCP_OUT),
		     "skb_clone: the original (skb %u) stays queued in case it must be sent again; this "
		     "clone shares its data and goes down the stack.",
		     skb->id);
	}
	memset(&o, 0, sizeof(o));
	if (h->w->replay_th) {
		/* Replaying a capture: the options as the capture has them. */
		o = h->w->replay_th->opts;
	} else {
		if (syn) {
			o.mss_set = 1;
			o.mss = (uint16_t)(h->mtu - 40);
			o.sack_perm = 1;
			o.wscale_set = 1;
			o.wscale = sk->rcv_wscale;
		}
		o.ts_set = 1;
		o.ts_val = tcp_time_stamp(h, sk);
		o.ts_ecr = sk->ts_recent;
	}
	optlen = h->w->replay_opts ? h->w->replay_optlen : tcp_options_size(&o);
	hlen = TCP_HLEN + optlen;

	memset(&th, 0, sizeof(th));
	th.source = sk->sport;
	th.dest = sk->dport;
	th.seq = skb->cb[CB_SEQ];
	th.ack_seq = (flags & TCPHDR_ACK) ? sk->rcv_nxt : 0;
	th.doff = (uint8_t)(hlen / 4);
	th.flags = flags;
	th.window = tcp_select_window(sk, syn);
	if (h->w->replay_th) {
		th.ack_seq = h->w->replay_th->ack_seq;
		th.window = h->w->replay_th->window;
		th.urg_ptr = h->w->replay_th->urg_ptr;
		th.res = h->w->replay_th->res;
	}

	p = skb_push(t, hlen);
	if (!p) {
		world_fail(h->w, "%s", h->w->pool.err);
		skb_free(t);
		return -1;
	}
	skb_reset_transport_header(t);
	tcp_build(p, &th);
	if (h->w->replay_opts)
		memcpy(p + TCP_HLEN, h->w->replay_opts, optlen);
	else
		tcp_options_write(p + TCP_HLEN, &o);
	emit(h, t, STEP(TCP, PUSH, "__tcp_transmit_skb", SRC_TCP_OUT),
	     "skb_push(%u) grows the data area to the left and the TCP header is written there "
	     "(%s, seq %u, ack %u, window %u, %u option bytes); transport header = %u.",
	     hlen, flag_names(flags, fl), th.seq, th.ack_seq, th.window, optlen, t->transport_header);

	/* tcp_v4_send_check: the NIC finishes what this starts. */
	t->ip_summed = CHECKSUM_PARTIAL;
	t->csum_start = t->transport_header;
	t->csum_offset = TCP_CHECK_OFFSET;
	put_be16(p + TCP_CHECK_OFFSET,
		 (uint16_t)~csum_tcpudp_magic(sk->saddr, sk->daddr, t->len, IPPROTO_TCP, 0));
	emit(h, t, STEP(TCP, CSUM, "tcp_v4_send_check", SRC_TCP_IPV4),
	     "tcp_v4_send_check stores only the pseudo-header sum in the checksum field and marks the "
	     "skb CHECKSUM_PARTIAL: the NIC will sum the segment and fill in the real checksum.");

	if (flags & TCPHDR_ACK) { /* tcp_event_ack_sent */
		sk->rcv_unacked = 0;
		sk->ack_pending = 0;
	}
	/* A SYN-ACK goes out from the request sock through ip_build_and_send_pkt,
	 * with id 0 under DF; everything else through __ip_queue_xmit. */
	if (syn && (flags & TCPHDR_ACK))
		return ip_queue_xmit(h, sk, t, IPPROTO_TCP, 1, 0, "ip_build_and_send_pkt");
	return ip_queue_xmit(h, sk, t, IPPROTO_TCP, 1, sk->inet_id++, "__ip_queue_xmit");
}

/* Replay: send one captured segment through __tcp_transmit_skb, its
 * header fields (w->replay_th, w->replay_ip) taken from the capture. */
int tcp_replay_xmit(struct pw_host *h, struct pw_sock *sk, const uint8_t *payload, uint32_t len)
{
	const struct tcp_info *th = h->w->replay_th;
	struct sk_buff *skb = tcp_alloc_skb(h, len ? "tcp_stream_alloc_skb" : "tcp_send_ctl");

	if (!skb)
		return -1;
	skb->cb[CB_SEQ] = th->seq;
	skb->cb[CB_END_SEQ] = th->seq + len;
	skb->cb[CB_FLAGS] = th->flags;
	skb->sk = sk;
	if (len) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		if (skb_add_frag(skb, payload, len)) {
			skb_free(skb);
			world_fail(h->w, "out of memory for a page fragment");
			return -1;
		}
		emit(h, skb, STEP(TCP, FRAG, "skb_copy_to_page_nocache", SRC_TCP),
		     "The segment's %u bytes of data are copied into a page fragment, as tcp_sendmsg does.", len);
	}
	return tcp_transmit_skb(h, sk, skb, 0);
}

/* A control segment (SYN, SYN-ACK, pure ACK, FIN, RST) that carries no
 * data. Kept ones (SYN, FIN) go on the retransmit queue. */
static int tcp_send_ctl(struct pw_host *h, struct pw_sock *sk, uint8_t flags, int keep, const char *func)
{
	struct sk_buff *skb = tcp_alloc_skb(h, func);
	uint32_t seq = keep ? sk->write_seq : sk->snd_nxt;

	if (!skb)
		return -1;
	skb->cb[CB_SEQ] = seq;
	skb->cb[CB_END_SEQ] = seq + ((flags & (TCPHDR_SYN | TCPHDR_FIN)) ? 1 : 0);
	skb->cb[CB_FLAGS] = flags;
	skb->sk = sk;
	if (!keep)
		return tcp_transmit_skb(h, sk, skb, 0);
	sk->write_seq = skb->cb[CB_END_SEQ];
	sk->snd_nxt = skb->cb[CB_END_SEQ];
	if (tcp_transmit_skb(h, sk, skb, 1) < 0) {
		skb_free(skb);
		return -1;
	}
	skb_queue_tail(&sk->rtx_queue, skb);
	emit(h, skb, STEP_Q(TCP, ENQUEUE, NONE, TCP_RTX, func, SRC_TCP_OUT),
	     "The original %s stays on tcp_rtx_queue until the peer acknowledges it.",
	     (flags & TCPHDR_SYN) ? "SYN" : "FIN");
	tcp_arm_rto(h, sk);
	return 0;
}

int tcp_v4_connect(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t dport)
{
	sk->saddr = h->ip;
	sk->daddr = daddr;
	sk->dport = dport;
	sk->iss = world_random(h->w);
	sk->write_seq = sk->snd_una = sk->snd_nxt = sk->iss;
	sk->inet_id = (uint16_t)world_random(h->w);
	sk->ts_offset = world_random(h->w);
	sk->rcv_wscale = tcp_wscale_default();
	sk->rcv_wnd = 65535 / (h->mtu - 40) * (h->mtu - 40);
	sk->mss = (uint16_t)(h->mtu - 40 - 12);
	emit(h, NULL, STEP(SOCKET, CALL, "tcp_v4_connect", SRC_TCP_IPV4),
	     "connect() to %u.%u.%u.%u:%u: tcp_v4_connect picks the route, source port %u and the "
	     "initial sequence number %u.",
	     daddr >> 24, (daddr >> 16) & 255, (daddr >> 8) & 255, daddr & 255, dport, sk->sport, sk->iss);
	tcp_set_state(h, sk, TCP_SYN_SENT);
	return tcp_send_ctl(h, sk, TCPHDR_SYN, 1, "tcp_connect");
}

/* The passive side's SYN-ACK (tcp_v4_send_synack; sent from a request
 * sock in Linux, from the new socket here). */
/* The SYN-ACK: tcp_v4_send_synack -> tcp_make_synack builds a fresh skb
 * for the request sock, which keeps no retransmission queue (its timer
 * would build another). */
int tcp_send_synack(struct pw_host *h, struct pw_sock *sk)
{
	int rc;

	if (replay_quiet(h, "a SYN-ACK (tcp_v4_send_synack)"))
		return 0;
	rc = tcp_send_ctl(h, sk, TCPHDR_SYN | TCPHDR_ACK, 0, "tcp_make_synack");
	sk->snd_nxt = sk->write_seq = sk->iss + 1;
	return rc;
}

void tcp_send_ack(struct pw_host *h, struct pw_sock *sk)
{
	if (replay_quiet(h, "an ACK (__tcp_send_ack)")) {
		sk->rcv_unacked = 0;
		sk->ack_pending = 0;
		return;
	}
	tcp_send_ctl(h, sk, TCPHDR_ACK, 0, "__tcp_send_ack");
}

/* tcp_write_xmit: send what the peer's window allows. */
static void tcp_write_xmit(struct pw_host *h, struct pw_sock *sk)
{
	struct sk_buff *skb;
	int sent = 0;

	while ((skb = sk->write_queue.head)) {
		uint32_t end = skb->cb[CB_END_SEQ];

		if ((int32_t)(end - (sk->snd_una + sk->snd_wnd)) > 0) {
			if (!sent)
				emit(h, NULL, STEP(TCP, CALL, "tcp_write_xmit", SRC_TCP_OUT),
				     "tcp_write_xmit: the peer's window is full (%u bytes in flight); the data "
				     "waits on sk_write_queue for an ACK.",
				     sk->snd_nxt - sk->snd_una);
			break;
		}
		if (!sent++)
			emit(h, NULL, STEP(TCP, CALL, "tcp_write_xmit", SRC_TCP_OUT),
			     "tcp_push -> tcp_write_xmit: the peer's window (%u bytes) lets the queued data go.",
			     sk->snd_wnd);
		skb->cb[CB_FLAGS] |= TCPHDR_ACK;
		if (skb->next == NULL && skb->data_len)
			skb->cb[CB_FLAGS] |= TCPHDR_PSH;
		if (tcp_transmit_skb(h, sk, skb, 1) < 0)
			return;
		/* tcp_event_new_data_sent */
		skb_dequeue(&sk->write_queue);
		skb_queue_tail(&sk->rtx_queue, skb);
		sk->snd_nxt = end;
		emit(h, skb, STEP_Q(TCP, ENQUEUE, NONE, TCP_RTX, "tcp_event_new_data_sent", SRC_TCP_OUT),
		     "tcp_event_new_data_sent: the original skb moves from sk_write_queue to tcp_rtx_queue "
		     "(snd_nxt = %u) and the retransmission timer runs.",
		     sk->snd_nxt);
		tcp_arm_rto(h, sk);
	}
}

void tcp_push_pending(struct pw_host *h, struct pw_sock *sk)
{
	tcp_write_xmit(h, sk);
	if (sk->fin_queued && !sk->write_queue.len) {
		sk->fin_queued = 0;
		tcp_send_ctl(h, sk, TCPHDR_FIN | TCPHDR_ACK, 1, "tcp_send_fin");
	}
}

int tcp_sendmsg(struct pw_host *h, struct pw_sock *sk, const uint8_t *data, uint32_t len)
{
	uint32_t copied = 0;

	if (sk->state != TCP_ESTABLISHED && sk->state != TCP_CLOSE_WAIT) {
		emit(h, NULL, STEP(SOCKET, CALL, "tcp_sendmsg", SRC_TCP),
		     "send() on a socket in state %s fails with EPIPE.", tcp_state_names[sk->state]);
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
		struct sk_buff *skb = tcp_alloc_skb(h, "tcp_stream_alloc_skb");

		if (!skb)
			return -1;
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
			world_fail(h->w, "out of memory for a page fragment");
			return -1;
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

/* tcp_retransmit_skb: send the oldest unacknowledged segment again. */
static void tcp_retransmit_head(struct pw_host *h, struct pw_sock *sk)
{
	struct sk_buff *skb = sk->rtx_queue.head;

	if (!skb)
		return;
	emit(h, skb, STEP_TP(TCP, CALL, TCP_RETRANSMIT_SKB, "tcp_retransmit_timer", SRC_TCP_TIMER),
	     "The retransmission timer fired with seq %u still unacknowledged: tcp_retransmit_skb sends "
	     "it again.",
	     skb->cb[CB_SEQ]);
	tcp_transmit_skb(h, sk, skb, 1);
	tcp_arm_rto(h, sk);
}

void tcp_timer(struct pw_host *h, int kind, uint32_t arg)
{
	struct pw_sock *sk = &h->sock[arg & 0xff];
	enum pw_ctx prev = h->ctx;

	h->ctx = PW_CTX_TIMER;
	if (kind == JOB_DELACK) {
		sk->delack_job = 0;
		if (!sk->ack_pending)
			goto out;
		if (h->w->now < sk->delack_deadline) {
			sk->delack_job = 1;
			job_schedule(h->w, sk->delack_deadline, JOB_DELACK, h->idx, arg, NULL, 0);
			goto out;
		}
		emit(h, NULL, STEP(TCP, CALL, "tcp_delack_timer", SRC_TCP_TIMER),
		     "The delayed-ACK timer fires: nothing was sent to carry the ACK, so it goes alone.");
		tcp_send_ack(h, sk);
	} else if (kind == JOB_RTO) {
		sk->rto_pending = 0;
		if (sk->rtx_queue.len && h->w->now < sk->rto_deadline) {
			sk->rto_pending = 1;
			job_schedule(h->w, sk->rto_deadline, JOB_RTO, h->idx, arg, NULL, 0);
		} else if (sk->rtx_queue.len) {
			tcp_retransmit_head(h, sk);
		}
	}
out:
	h->ctx = prev;
}

void tcp_delack_arm(struct pw_host *h, struct pw_sock *sk)
{
	if (sk->ack_pending)
		return;
	sk->ack_pending = 1;
	sk->delack_deadline = h->w->now + TCP_DELACK_MAX_NS;
	emit(h, NULL, STEP(TCP, CALL, "inet_csk_reset_xmit_timer", SRC_TCP_IN),
	     "The ACK is delayed (up to 40 ms) in the hope that a reply can carry it.");
	if (sk->delack_job)
		return;
	sk->delack_job = 1;
	job_schedule(h->w, sk->delack_deadline, JOB_DELACK, h->idx, (uint32_t)(sk - h->sock), NULL, 0);
}

