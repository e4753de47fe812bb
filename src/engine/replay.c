/* replay.c: walking captured frames through the two-host model, and
 * rebuilding each one through its sender's stack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/host.h"
#include "proto/csum.h"
#include "proto/dissect.h"

int replay_quiet(struct pw_host *h, const char *what)
{
	struct pw_world *w = h->w;

	if (!w->replay_cur || h->idx == w->replay_sender)
		return 0;
	emit(h, NULL, STEP(APP, CALL, "(replay)", SRC_HW),
	     "Here host %s's kernel would send %s. This is a replay: the capture holds what was really "
	     "sent, so the model sends nothing.",
	     h->name, what);
	return 1;
}

/* The sender's NIC puts the rebuilt frame on the wire: hand it to the
 * verifier, and give the receiver the captured bytes instead. Returns the
 * frame to deliver (a new buffer, or frame itself). */
/* A capture taken on a sender with checksum offload holds, in the TCP or
 * UDP checksum field, only the pseudo-header sum the stack left for its
 * NIC (tcp_v4_send_check, udp4_hwcsum). If frame has exactly that, fill
 * in the full checksum as the NIC did before the frame went out, and say
 * so. Returns 1 if it did. */
static int complete_offload_checksum(uint8_t *frame, uint32_t caplen)
{
	struct pw_dissection d;
	uint32_t l4len, at;
	uint16_t partial, full;

	pw_dissect(1 /* LINKTYPE_ETHERNET */, frame, caplen, caplen, &d);
	if (!(d.have & PW_HAVE_IP) || !(d.have & (PW_HAVE_TCP | PW_HAVE_UDP)) || d.unwalkable ||
	    d.l3_off + d.ip.tot_len > caplen)
		return 0;
	l4len = d.ip.tot_len - d.ip.ihl * 4u;
	at = d.l4_off + ((d.have & PW_HAVE_TCP) ? TCP_CHECK_OFFSET : UDP_CHECK_OFFSET);
	partial = (uint16_t)~csum_tcpudp_magic(d.ip.saddr, d.ip.daddr, l4len, d.ip.protocol, 0);
	if (get_be16(frame + at) != partial)
		return 0;
	put_be16(frame + at, 0);
	full = csum_tcpudp_magic(d.ip.saddr, d.ip.daddr, l4len, d.ip.protocol, csum_partial(frame + d.l4_off, l4len, 0));
	if ((d.have & PW_HAVE_UDP) && !full)
		full = 0xffff;
	put_be16(frame + at, full);
	return 1;
}

uint8_t *replay_on_wire(struct pw_host *h, uint8_t *frame, uint32_t *len)
{
	struct pw_world *w = h->w;
	const struct pw_replay_frame *f;
	uint8_t *cap;
	int completed;

	if (!w->replay_cur || h->idx != w->replay_sender || w->replay_sent >= w->replay_n)
		return frame;
	f = &w->replay_cur[w->replay_sent++];
	if (w->replay->rebuilt_fn)
		w->replay->rebuilt_fn(w->replay->rebuilt_ctx, f, frame, *len, NULL);
	cap = malloc(f->caplen ? f->caplen : 1);
	if (!cap)
		return frame;
	memcpy(cap, f->bytes, f->caplen);
	completed = complete_offload_checksum(cap, f->caplen);
	emit(h, NULL, STEP(WIRE, CALL, "(replay)", SRC_HW),
	     "Host %s receives the capture's own %u bytes of frame %u, not the model's rebuild%s%s.",
	     peer_of(h)->name, f->caplen, f->number,
	     completed ? ", with the checksum the sender's NIC filled in: the capture was taken before the NIC "
			 "and shows only the partial checksum of checksum offload"
		       : "",
	     *len >= f->caplen && !memcmp(frame, cap, f->caplen) ? " (here they are the same)"
								  : " (they differ: see packetwalk verify)");
	free(frame);
	*len = f->caplen;
	return cap;
}

/* Forget the previous frame's sockets, neighbours and fragments. What is
 * left on their queues is freed without events: it belongs to no step. */
static void host_reset(struct pw_host *h)
{
	for (int s = 0; s < h->nsock; s++) {
		skb_queue_purge(&h->sock[s].write_queue);
		skb_queue_purge(&h->sock[s].rtx_queue);
		skb_queue_purge(&h->sock[s].receive_queue);
		skb_queue_purge(&h->sock[s].ofo_queue);
	}
	h->nsock = 0;
	for (int n = 0; n < MAX_NEIGH; n++) {
		skb_queue_purge(&h->neigh[n].arp_queue);
		h->neigh[n].used = 0;
	}
	for (int q = 0; q < MAX_IPQ; q++) {
		skb_queue_purge(&h->ipq[q].frags);
		h->ipq[q].used = 0;
	}
	memset(&h->app, 0, sizeof(h->app));
}

/* The fragments of one datagram, kept (copied) until the last arrives:
 * the sender rebuilds the whole datagram and its stack cuts it again. */
#define MAX_FRAGS 48

struct replay_frags {
	uint32_t n;
	struct pw_replay_frame f[MAX_FRAGS];
	uint16_t id;
	uint32_t saddr, daddr;
	uint8_t protocol;
	uint32_t meat, total; /* payload bytes held; datagram size once the last is seen */
};

static void frags_clear(struct replay_frags *q)
{
	for (uint32_t i = 0; i < q->n; i++)
		free((void *)q->f[i].bytes);
	q->n = 0;
	q->meat = q->total = 0;
}

static const char *replay_check(const struct pw_replay_frame *f, const struct pw_dissection *d)
{
	if (f->skip)
		return f->skip;
	if (d->unwalkable)
		return d->unwalkable;
	if (f->caplen < f->len)
		return "cut by the snapshot length: the payload to rebuild is not all there";
	if (d->have & PW_HAVE_VLAN)
		return "802.1Q-tagged frames are not modelled";
	if (d->have & PW_HAVE_IP) {
		if (d->ip.ihl != 5)
			return "IPv4 options are not rebuilt";
		if (d->ip.tot_len > 1500)
			return "larger than a 1500-byte MTU: captured before TSO/GSO segmentation or after GRO";
		if (d->l3_off + d->ip.tot_len > f->caplen)
			return "the IPv4 total length is larger than the frame";
		if ((d->have & PW_HAVE_UDP) && d->udp.len != d->ip.tot_len - IP4_HLEN)
			return "the UDP length does not match the IPv4 length";
	}
	return NULL;
}

/* Which host sends: the pair keeps its addresses while frames go back and
 * forth between them; a frame between other addresses renames the pair. */
static int replay_hosts(struct pw_world *w, const uint8_t *src_mac, const uint8_t *dst_mac, uint32_t sip,
			uint32_t dip)
{
	struct pw_host *A = &w->host[0], *B = &w->host[1];

	if (!memcmp(src_mac, A->mac, ETH_ALEN) && A->ip == sip && (!memcmp(dst_mac, B->mac, ETH_ALEN) || eth_is_broadcast(dst_mac)) &&
	    B->ip == dip)
		return 0;
	if (!memcmp(src_mac, B->mac, ETH_ALEN) && B->ip == sip && (!memcmp(dst_mac, A->mac, ETH_ALEN) || eth_is_broadcast(dst_mac)) &&
	    A->ip == dip)
		return 1;
	memcpy(A->mac, src_mac, ETH_ALEN);
	A->ip = sip;
	if (!eth_is_broadcast(dst_mac))
		memcpy(B->mac, dst_mac, ETH_ALEN);
	B->ip = dip;
	return 0;
}

static struct pw_sock *replay_sock(struct pw_host *h, enum sock_kind kind, uint32_t daddr, uint16_t sport,
				   uint16_t dport)
{
	struct pw_sock *sk = sock_create(h, kind);

	if (!sk)
		return NULL;
	sk->saddr = h->ip;
	sk->daddr = daddr;
	sk->sport = sport;
	sk->dport = dport;
	sk->rcv_wscale = tcp_wscale_default();
	sk->mss = (uint16_t)(h->mtu - 52);
	h->app.sk = sk;
	return sk;
}

/* Walks frames[0..n) (one frame, or the fragments of one datagram): the
 * sender rebuilds them from d's link and transport fields, l4 (the whole
 * transport message) and ip (the IPv4 fields to reproduce); the receiver
 * takes the captured bytes up to its socket and its application reads. */
static void replay_walk(struct pw_world *w, const struct pw_replay_frame *frames, uint32_t n,
			const struct pw_dissection *d, const uint8_t *l4, uint32_t l4len, const struct ip4_info *ip)
{
	struct pw_host *S, *R;
	uint32_t sip = (d->have & PW_HAVE_ARP) ? d->arp.sip : ip->saddr;
	uint32_t dip = (d->have & PW_HAVE_ARP) ? d->arp.tip : ip->daddr;
	char a[16], b[16];

	w->replay_sender = replay_hosts(w, d->eth.src, d->eth.dst, sip, dip);
	S = &w->host[w->replay_sender];
	R = peer_of(S);
	host_reset(S);
	host_reset(R);
	w->replay_cur = frames;
	w->replay_n = n;
	w->replay_sent = 0;
	w->replay_ip = (d->have & PW_HAVE_ARP) ? NULL : ip;
	w->replay_th = (d->have & PW_HAVE_TCP) ? &d->tcp : NULL;
	S->ctx = R->ctx = PW_CTX_PROCESS;
	ip4_addr_format(sip, a);
	ip4_addr_format(dip, b);
	if (n == 1)
		emit(S, NULL, STEP(APP, CALL, "(capture)", SRC_HW),
		     "Frame %u of the capture, %u bytes, from %s to %s. Host %s rebuilds it through its stack "
		     "from the captured header fields and payload; host %s receives the captured bytes.",
		     frames[0].number, frames[0].len, a, b, S->name, R->name);
	else
		emit(S, NULL, STEP(APP, CALL, "(capture)", SRC_HW),
		     "Frames %u to %u of the capture are the %u fragments of one %u-byte datagram from %s to %s. "
		     "Host %s sends the whole datagram through its stack, which cuts it again; host %s "
		     "receives the captured fragments.",
		     frames[0].number, frames[n - 1].number, n, l4len + IP4_HLEN, a, b, S->name, R->name);
	if (d->have & PW_HAVE_ARP) {
		arp_replay_send(S, &d->arp, d->eth.dst);
	} else {
		neigh_add_permanent(S, dip, d->eth.dst);
		if (d->have & PW_HAVE_TCP) {
			struct pw_sock *ss = replay_sock(S, SK_TCP, dip, d->tcp.source, d->tcp.dest);
			struct pw_sock *rs = replay_sock(R, SK_TCP, sip, d->tcp.dest, d->tcp.source);
			uint32_t hl = d->tcp.doff * 4u;

			if (!ss || !rs)
				return;
			ss->state = TCP_ESTABLISHED;
			if ((d->tcp.flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN) {
				rs->daddr = 0;
				rs->dport = 0;
				rs->state = TCP_LISTEN;
			} else {
				/* The receiver expects exactly this segment. */
				rs->state = (d->tcp.flags & TCPHDR_SYN) ? TCP_SYN_SENT : TCP_ESTABLISHED;
				rs->rcv_nxt = d->tcp.seq;
				rs->snd_una = rs->snd_nxt = rs->write_seq = d->tcp.ack_seq;
				rs->snd_wscale = tcp_wscale_default();
			}
			/* Options in a layout tcp_options_write does not make (SACK blocks,
			 * other systems' orders, kinds Linux does not send) are copied. */
			{
				uint8_t opts[40];
				uint32_t n_opt = tcp_options_write(opts, &d->tcp.opts);

				if (n_opt != hl - TCP_HLEN || memcmp(opts, l4 + TCP_HLEN, n_opt)) {
					w->replay_opts = l4 + TCP_HLEN;
					w->replay_optlen = hl - TCP_HLEN;
					emit(S, NULL, STEP(TCP, CALL, "tcp_options_write", SRC_TCP_OUT),
					     "The captured TCP options (%u bytes) are not laid out as Linux's "
					     "tcp_options_write lays out the options it sends, so they are copied as "
					     "captured.",
					     hl - TCP_HLEN);
				}
			}
			tcp_replay_xmit(S, ss, l4 + hl, l4len - hl);
		} else if (d->have & PW_HAVE_UDP || (n > 1 && ip->protocol == IPPROTO_UDP)) {
			uint16_t sport = get_be16(l4), dport = get_be16(l4 + 2);
			struct pw_sock *ss = replay_sock(S, SK_UDP, 0, sport, 0);

			if (!ss || !replay_sock(R, SK_UDP, 0, dport, 0))
				return;
			udp_sendmsg(S, ss, dip, dport, l4 + UDP_HLEN, l4len - UDP_HLEN);
		} else {
			if (!replay_sock(R, SK_RAW_ICMP, 0, 0, 0))
				return;
			icmp_replay_send(S, dip, l4, l4len);
		}
	}
	world_run(w);
	/* The receiving application reads what reached its socket. */
	if (R->app.sk && R->app.sk->receive_queue.len && !w->failed) {
		R->ctx = PW_CTX_PROCESS;
		if (R->app.sk->kind == SK_TCP)
			tcp_recvmsg(R, R->app.sk, 65536);
		else if (R->app.sk->kind == SK_UDP)
			udp_recvmsg(R, R->app.sk);
		else
			raw_recvmsg(R, R->app.sk);
	}
	while (w->replay_sent < n && w->replay->rebuilt_fn && !w->failed)
		w->replay->rebuilt_fn(w->replay->rebuilt_ctx, &frames[w->replay_sent++], NULL, 0,
				      n == 1 ? "the sender's stack put nothing on the wire (see the trace)"
					     : "the sender's stack cut the datagram into fewer pieces than the capture has");
	w->replay_cur = NULL;
	w->replay_n = 0;
	w->replay_ip = NULL;
	w->replay_th = NULL;
	w->replay_opts = NULL;
}

static void replay_unsupported(struct pw_world *w, const struct pw_replay_frame *f, const char *why)
{
	emit(&w->host[0], NULL, STEP(WIRE, CALL, "(capture)", SRC_HW), "Frame %u of the capture is not walked: %s.",
	     f->number, why);
	w->res.unsupported++;
	if (w->replay->rebuilt_fn)
		w->replay->rebuilt_fn(w->replay->rebuilt_ctx, f, NULL, 0, why);
}

static int frag_cmp(const void *x, const void *y)
{
	const struct pw_replay_frame *a = x, *b = y;
	uint32_t oa = get_be16(a->bytes + ETH_HLEN + 6) & IP_OFFSET, ob = get_be16(b->bytes + ETH_HLEN + 6) & IP_OFFSET;

	return oa < ob ? -1 : oa > ob;
}

/* A fragment waits with the others of its datagram; when the datagram is
 * whole, the sender rebuilds it and its stack fragments it again. */
static void replay_fragment(struct pw_world *w, struct replay_frags *q, const struct pw_replay_frame *f,
			    const struct pw_dissection *d)
{
	uint32_t off = (d->ip.frag_off & IP_OFFSET) * 8u, plen = d->ip.tot_len - IP4_HLEN;
	uint8_t *copy, *dgram;
	struct pw_dissection first;
	struct ip4_info ip;

	if (q->n && (q->id != d->ip.id || q->saddr != d->ip.saddr || q->daddr != d->ip.daddr ||
		     q->protocol != d->ip.protocol || q->n == MAX_FRAGS)) {
		for (uint32_t i = 0; i < q->n; i++)
			replay_unsupported(w, &q->f[i], "a fragment whose datagram never became whole in the capture");
		frags_clear(q);
	}
	copy = malloc(f->caplen);
	if (!copy) {
		world_fail(w, "out of memory keeping a fragment");
		return;
	}
	memcpy(copy, f->bytes, f->caplen);
	q->f[q->n] = *f;
	q->f[q->n].bytes = copy;
	q->id = d->ip.id;
	q->saddr = d->ip.saddr;
	q->daddr = d->ip.daddr;
	q->protocol = d->ip.protocol;
	q->n++;
	q->meat += plen;
	if (!(d->ip.frag_off & IP_MF))
		q->total = off + plen;
	emit(&w->host[0], NULL, STEP(WIRE, CALL, "(capture)", SRC_HW),
	     "Frame %u of the capture is a fragment (bytes %u-%u) of datagram id %u%s.", f->number, off,
	     off + plen - 1, d->ip.id, q->total && q->meat == q->total ? ": now the datagram is whole" : "; it waits for the rest");
	if (!q->total || q->meat != q->total)
		return;
	qsort(q->f, q->n, sizeof(q->f[0]), frag_cmp);
	dgram = malloc(q->total);
	if (!dgram) {
		world_fail(w, "out of memory rebuilding a datagram");
		return;
	}
	for (uint32_t i = 0; i < q->n; i++) {
		const uint8_t *iph = q->f[i].bytes + ETH_HLEN;
		uint32_t o = (get_be16(iph + 6) & IP_OFFSET) * 8u, l = get_be16(iph + 2) - IP4_HLEN;

		if (o + l <= q->total)
			memcpy(dgram + o, iph + IP4_HLEN, l);
	}
	pw_dissect(1 /* LINKTYPE_ETHERNET */, q->f[0].bytes, q->f[0].caplen, q->f[0].len, &first);
	ip = first.ip;
	ip.frag_off &= IP_DF; /* the whole datagram: no MF, offset 0 */
	if ((q->protocol == IPPROTO_UDP && q->total >= UDP_HLEN && get_be16(dgram + 4) == q->total) ||
	    (q->protocol == IPPROTO_ICMP && q->total >= ICMP_HLEN))
		replay_walk(w, q->f, q->n, &first, dgram, q->total, &ip);
	else
		for (uint32_t i = 0; i < q->n; i++)
			replay_unsupported(w, &q->f[i], "a fragmented datagram other than UDP or ICMP is not rebuilt");
	free(dgram);
	frags_clear(q);
}

static void replay_frame(struct pw_world *w, struct replay_frags *q, const struct pw_replay_frame *f)
{
	struct pw_dissection d;
	const char *why;
	int frag;

	pw_dissect(1 /* LINKTYPE_ETHERNET */, f->bytes, f->caplen, f->len, &d);
	frag = (d.have & PW_HAVE_IP) && (d.ip.frag_off & (IP_MF | IP_OFFSET));
	if (frag && !f->skip && !(d.have & PW_HAVE_VLAN) && d.ip.ihl == 5 && f->caplen == f->len &&
	    d.l3_off + d.ip.tot_len <= f->caplen) {
		replay_fragment(w, q, f, &d);
		return;
	}
	why = replay_check(f, &d);
	if (why) {
		replay_unsupported(w, f, why);
		return;
	}
	replay_walk(w, f, 1, &d, f->bytes + d.l4_off, (d.have & PW_HAVE_ARP) ? 0 : d.ip.tot_len - IP4_HLEN, &d.ip);
}

int pw_engine_replay(const struct pw_params *p, const struct pw_replay *r, struct pw_timeline *tl,
		     struct pw_result *res, char *err, size_t errlen)
{
	struct pw_world *w = world_create(p, tl, r->frame_fn, r->frame_ctx, err, errlen);
	struct pw_replay_frame f;
	struct replay_frags *q = calloc(1, sizeof(*q));
	int rc = 0, got = 0;

	if (!w || !q) {
		free(q);
		if (w)
			world_finish(w, NULL, NULL, 0);
		if (!w)
			return -1;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->replay = r;
	world_announce(w);
	while (!w->failed && (got = r->next(r->next_ctx, &f, err, errlen)) > 0) {
		replay_frame(w, q, &f);
		w->res.walked++;
		if (r->frame_done)
			r->frame_done(r->frame_done_ctx, tl);
	}
	if (got < 0)
		rc = -1;
	for (uint32_t i = 0; i < q->n && !w->failed; i++)
		replay_unsupported(w, &q->f[i], "a fragment whose datagram never became whole in the capture");
	frags_clear(q);
	free(q);
	for (int i = 0; i < PW_HOSTS; i++)
		host_reset(&w->host[i]);
	if (world_finish(w, res, rc ? NULL : err, rc ? 0 : errlen))
		rc = -1;
	return rc;
}
