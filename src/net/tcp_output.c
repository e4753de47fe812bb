/* tcp_output.c: building and sending TCP segments (net/ipv4/tcp_output.c).
 *
 * A segment's sequence range and flags live in the skb's control block
 * while it is queued (TCP_SKB_CB: see tcp.h). A segment that may have to
 * go again (data, SYN, FIN) stays queued and a clone goes down the stack;
 * a pure ACK or a SYN-ACK goes itself.
 */
#include <string.h>

#include "net/host.h"
#include "net/ip.h"
#include "net/tcp.h"
#include "proto/csum.h"
#include "proto/ip4.h"
#include "proto/tcp.h"

/* tcp_rmem[2] = 33554432 on the reference machine: window scale 10. */
#define TCP_RMEM_MAX 33554432u

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
	return (uint32_t)(sim_now(h->sim) / 1000000u) + sk->ts_offset;
}

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

/*
 * __tcp_transmit_skb: push the TCP header onto a clone (or onto the skb
 * itself for control packets that are not kept) and send it to IP. The
 * original of a clone stays the caller's, on its queue; a skb sent itself
 * is consumed. Returns what ip_queue_xmit returns, or PW_ERR_BROKEN.
 */
static int tcp_transmit_skb(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, int clone_it)
{
	const struct pw_hdr_override *ov = host_hdr_override(h);
	const struct tcp_info *cap = ov ? ov->th : NULL; /* a replay's captured header */
	const uint8_t *cap_opts = ov ? ov->tcp_opts : NULL;
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
			sim_fail(h->sim, "out of memory cloning a TCP skb");
			return PW_ERR_BROKEN;
		}
		emit(h, t, STEP(TCP, CLONE, "__tcp_transmit_skb", SRC_TCP_OUT),
		     "skb_clone: the original (skb %u) stays queued in case it must be sent again; this "
		     "clone shares its data and goes down the stack.",
		     skb->id);
	}
	memset(&o, 0, sizeof(o));
	if (cap) {
		o = cap->opts;
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
	optlen = cap_opts ? ov->tcp_optlen : tcp_options_size(&o);
	hlen = TCP_HLEN + optlen;

	memset(&th, 0, sizeof(th));
	th.source = sk->sport;
	th.dest = sk->dport;
	th.seq = skb->cb[CB_SEQ];
	th.ack_seq = (flags & TCPHDR_ACK) ? sk->rcv_nxt : 0;
	th.doff = (uint8_t)(hlen / 4);
	th.flags = flags;
	th.window = tcp_select_window(sk, syn);
	if (cap) {
		th.ack_seq = cap->ack_seq;
		th.window = cap->window;
		th.urg_ptr = cap->urg_ptr;
		th.res = cap->res;
	}

	p = skb_push(t, hlen);
	if (!p) {
		sim_fail(h->sim, "%s", h->pool->err);
		skb_free(t);
		return PW_ERR_BROKEN;
	}
	skb_reset_transport_header(t);
	tcp_build(p, &th);
	if (cap_opts)
		memcpy(p + TCP_HLEN, cap_opts, optlen);
	else
		tcp_options_write(p + TCP_HLEN, &o);
	emit(h, t, STEP(TCP, PUSH, "__tcp_transmit_skb", SRC_TCP_OUT),
	     "skb_push(%u) grows the data area to the left and the TCP header is written there "
	     "(%s, seq %u, ack %u, window %u, %u option bytes); transport header = %u.",
	     hlen, flag_names(flags, fl), th.seq, th.ack_seq, th.window, optlen, t->transport_header);
	tcp_v4_send_check(h, sk, t);

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

int tcp_retransmit_skb(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb)
{
	return tcp_transmit_skb(h, sk, skb, 1);
}

int tcp_replay_xmit(struct pw_host *h, struct pw_sock *sk, const uint8_t *payload, uint32_t len)
{
	const struct pw_hdr_override *ov = host_hdr_override(h);
	const struct tcp_info *th = ov ? ov->th : NULL;
	struct sk_buff *skb;

	if (!th) {
		sim_fail(h->sim, "a replayed TCP segment without its captured header");
		return PW_ERR_BROKEN;
	}
	skb = tcp_stream_alloc_skb(h, len ? "tcp_stream_alloc_skb" : "tcp_send_ctl");
	if (!skb)
		return PW_ERR_BROKEN;
	skb->cb[CB_SEQ] = th->seq;
	skb->cb[CB_END_SEQ] = th->seq + len;
	skb->cb[CB_FLAGS] = th->flags;
	skb->sk = sk;
	if (len) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		if (skb_add_frag(skb, payload, len)) {
			skb_free(skb);
			sim_fail(h->sim, "out of memory for a page fragment");
			return PW_ERR_BROKEN;
		}
		emit(h, skb, STEP(TCP, FRAG, "skb_copy_to_page_nocache", SRC_TCP),
		     "The segment's %u bytes of data are copied into a page fragment, as tcp_sendmsg does.", len);
	}
	return tcp_transmit_skb(h, sk, skb, 0);
}

/* A control segment (SYN, SYN-ACK, pure ACK, FIN) that carries no data.
 * Kept ones (SYN, FIN) go on the retransmit queue and arm the timer. */
static int tcp_send_ctl(struct pw_host *h, struct pw_sock *sk, uint8_t flags, int keep, const char *func)
{
	struct sk_buff *skb = tcp_stream_alloc_skb(h, func);
	uint32_t seq = keep ? sk->write_seq : sk->snd_nxt;
	int rc;

	if (!skb)
		return PW_ERR_BROKEN;
	skb->cb[CB_SEQ] = seq;
	skb->cb[CB_END_SEQ] = seq + ((flags & (TCPHDR_SYN | TCPHDR_FIN)) ? 1 : 0);
	skb->cb[CB_FLAGS] = flags;
	skb->sk = sk;
	if (!keep)
		return tcp_transmit_skb(h, sk, skb, 0);
	sk->write_seq = skb->cb[CB_END_SEQ];
	sk->snd_nxt = skb->cb[CB_END_SEQ];
	rc = tcp_transmit_skb(h, sk, skb, 1);
	if (rc < 0) {
		skb_free(skb);
		return rc;
	}
	skb_queue_tail(&sk->rtx_queue, skb);
	emit(h, skb, STEP_Q(TCP, ENQUEUE, NONE, TCP_RTX, func, SRC_TCP_OUT),
	     "The original %s stays on tcp_rtx_queue until the peer acknowledges it.",
	     (flags & TCPHDR_SYN) ? "SYN" : "FIN");
	tcp_arm_rto(h, sk);
	return 0;
}

int tcp_connect(struct pw_host *h, struct pw_sock *sk)
{
	return tcp_send_ctl(h, sk, TCPHDR_SYN, 1, "tcp_connect");
}

/* The request sock keeps no retransmission queue (its timer would build
 * another SYN-ACK). */
int tcp_make_synack(struct pw_host *h, struct pw_sock *sk)
{
	return tcp_send_ctl(h, sk, TCPHDR_SYN | TCPHDR_ACK, 0, "tcp_make_synack");
}

void tcp_send_ack(struct pw_host *h, struct pw_sock *sk)
{
	if (host_quiet_xmit(h, "an ACK (__tcp_send_ack)")) {
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
		/* A clone that did not go (dropped with DF too big, or the
		 * simulation broke) stops the loop; a qdisc drop does not. */
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
