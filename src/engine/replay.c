/* replay.c: walking captured frames through the two-host model, and
 * rebuilding each one through its sender's stack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "net/icmp.h"
#include "net/neighbour.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "proto/csum.h"
#include "proto/dissect.h"

int replay_quiet(struct pw_host *h, const char *what)
{
	struct pw_world *w = h->owner;

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
	struct pw_world *w = h->owner;
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
static void host_reset(struct pw_world *w, struct pw_host *h)
{
	host_forget(h);
	app_init(&w->app[h->idx], w, h);
}

/* The fragments of one datagram, kept (copied) until the last arrives:
 * the sender rebuilds the whole datagram and its stack cuts it again.
 * Fragments no Linux sender makes (overlapping, repeated, ends that
 * disagree, a middle piece not a multiple of 8 bytes) mark the set
 * damaged: it is then walked as captured, for the receiver's ip_defrag to
 * judge, once a fragment of another datagram or the end of the capture
 * says no more are coming. */
#define MAX_FRAGS 48

struct frag_range {
	uint32_t off, end;
};

struct replay_frags {
	uint32_t n;
	struct pw_replay_frame f[MAX_FRAGS];
	struct frag_range r[MAX_FRAGS]; /* of f[i], in arrival order */
	uint16_t id;
	uint32_t saddr, daddr;
	uint8_t protocol;
	uint32_t meat, len;     /* payload bytes held; the datagram's end once the last is seen */
	int first_in, last_in;
	char damage[160];       /* why no Linux sender made this set, or "" */
};

static void frags_clear(struct replay_frags *q)
{
	for (uint32_t i = 0; i < q->n; i++)
		free((void *)q->f[i].bytes);
	q->n = 0;
	q->meat = q->len = 0;
	q->first_in = q->last_in = 0;
	q->damage[0] = '\0';
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
		/* replay_damage walks such frames as captured; never rebuild
		 * from bytes the frame does not hold. */
		if (d->l3_off + d->ip.tot_len > f->caplen)
			return "the IPv4 total length is larger than the frame";
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
	h->app_sk = sk;
	return sk;
}

/* The receiving application reads what reached its socket. */
static void replay_receiver_reads(struct pw_world *w, struct pw_host *R)
{
	struct pw_sock *sk = R->app_sk;

	if (!sk || !sk->receive_queue.len || sim_failed(&w->sim))
		return;
	R->ctx = PW_CTX_PROCESS;
	if (sk->kind == SK_TCP)
		tcp_recvmsg(R, sk, 65536);
	else if (sk->kind == SK_UDP)
		udp_recvmsg(R, sk, NULL, NULL);
	else
		raw_recvmsg(R, sk);
}

static void replay_end(struct pw_world *w)
{
	w->replay_cur = NULL;
	w->replay_n = 0;
	w->replay_hdr.ip = NULL;
	w->replay_hdr.th = NULL;
	w->replay_hdr.tcp_opts = NULL;
}

/* Walks frames[0..n) (one frame, or the fragments of one datagram): the
 * sender rebuilds them from d's link and transport fields, l4 (the whole
 * transport message) and ip (the IPv4 fields to reproduce); the receiver
 * takes the captured bytes up to its socket and its application reads. */
static void replay_walk(struct pw_world *w, const struct pw_replay_frame *frames, uint32_t n,
			const struct pw_dissection *d, const uint8_t *l4, uint32_t l4len, const struct ip4_info *ip)
{
	struct pw_host *S, *R;
	uint32_t mtu;
	uint32_t sip = (d->have & PW_HAVE_ARP) ? d->arp.sip : ip->saddr;
	uint32_t dip = (d->have & PW_HAVE_ARP) ? d->arp.tip : ip->daddr;
	char a[16], b[16];

	w->replay_sender = replay_hosts(w, d->eth.src, d->eth.dst, sip, dip);
	S = &w->host[w->replay_sender];
	R = peer_of(S);
	host_reset(w, S);
	host_reset(w, R);
	w->replay_cur = frames;
	w->replay_n = n;
	w->replay_sent = 0;
	w->replay_hdr.ip = (d->have & PW_HAVE_ARP) ? NULL : ip;
	w->replay_hdr.th = (d->have & PW_HAVE_TCP) ? &d->tcp : NULL;
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
	/* The capture's sender cut at its path MTU: the first fragment's
	 * size. Cutting at the same size makes the same pieces. */
	mtu = S->mtu;
	if (n > 1 && ip4_hdr_tot_len(frames[0].bytes + ETH_HLEN) < S->mtu) {
		S->mtu = ip4_hdr_tot_len(frames[0].bytes + ETH_HLEN);
		emit(S, NULL, STEP(IP, CALL, "(capture)", SRC_HW),
		     "The first captured fragment is %u bytes, less than host %s's %u-byte MTU: the capture's "
		     "sender had a smaller MTU on its path. Host %s sends with an MTU of %u, so that its stack "
		     "cuts where the capture's sender cut.",
		     S->mtu, S->name, mtu, S->name, S->mtu);
	}
	if (d->have & PW_HAVE_ARP) {
		arp_replay_send(S, &d->arp, d->eth.dst);
	} else {
		neigh_add_permanent(S, dip, d->eth.dst);
		if (d->have & PW_HAVE_TCP) {
			struct pw_sock *ss = replay_sock(S, SK_TCP, dip, d->tcp.source, d->tcp.dest);
			struct pw_sock *rs = replay_sock(R, SK_TCP, sip, d->tcp.dest, d->tcp.source);
			uint32_t hl = d->tcp.doff * 4u;

			if (!ss || !rs)
				goto out;
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
					w->replay_hdr.tcp_opts = l4 + TCP_HLEN;
					w->replay_hdr.tcp_optlen = hl - TCP_HLEN;
					emit(S, NULL, STEP(TCP, CALL, "tcp_options_write", SRC_TCP_OUT),
					     "The captured TCP options (%u bytes) are not laid out as Linux's "
					     "tcp_options_write lays out the options it sends, so they are copied as "
					     "captured.",
					     hl - TCP_HLEN);
				}
			}
			tcp_replay_xmit(S, ss, l4 + hl, l4len - hl);
		} else if (d->have & PW_HAVE_UDP || (n > 1 && ip->protocol == IPPROTO_UDP)) {
			uint16_t sport = udp_hdr_source(l4), dport = udp_hdr_dest(l4);
			struct pw_sock *ss = replay_sock(S, SK_UDP, 0, sport, 0);

			if (!ss || !replay_sock(R, SK_UDP, 0, dport, 0))
				goto out;
			udp_sendmsg(S, ss, dip, dport, l4 + UDP_HLEN, l4len - UDP_HLEN);
		} else {
			if (!replay_sock(R, SK_RAW_ICMP, 0, 0, 0))
				goto out;
			raw_replay_send(S, dip, l4, l4len);
		}
	}
	sim_run(&w->sim);
	S->mtu = mtu;
	replay_receiver_reads(w, R);
	while (w->replay_sent < n && w->replay->rebuilt_fn && !sim_failed(&w->sim))
		w->replay->rebuilt_fn(w->replay->rebuilt_ctx, &frames[w->replay_sent++], NULL, 0,
				      n == 1 ? "the sender's stack put nothing on the wire (see the trace)"
					     : "the sender's stack cut the datagram into fewer pieces than the capture has");
out:
	S->mtu = mtu;
	replay_end(w);
}

/*
 * The lie, if any, a receiving Linux stack finds in this IPv4 frame before
 * it reaches a socket, checked on the bytes in the kernel's order
 * (ip_rcv_core, then tcp_v4_rcv, __udp4_lib_rcv or icmp_rcv): a header
 * too short or of the wrong version, a total length past the frame or
 * below the header, a TCP data offset below 5 or past the segment, a UDP
 * length that disagrees with the datagram, a transport header that is not
 * there. No Linux sender makes such a frame, so it cannot be rebuilt; it
 * is walked as captured instead. Bad checksums are not lies of this kind:
 * the sender rebuilds the frame and the receiver drops the captured one.
 * Returns NULL, or a sentence in buf.
 */
static const char *replay_damage(const struct pw_replay_frame *f, const struct pw_dissection *d, char *buf,
				 size_t buflen)
{
	const uint8_t *ip = f->bytes + ETH_HLEN;
	uint32_t have, ihl, tot, l4len;
	const uint8_t *l4;

	if (f->skip || f->caplen < f->len || f->caplen < ETH_HLEN || eth_hdr_proto(f->bytes) != ETH_P_IP)
		return NULL;
	have = f->caplen - ETH_HLEN;
	if (have < IP4_HLEN) {
		snprintf(buf, buflen, "the frame holds %u bytes after its Ethernet header, less than an IPv4 header",
			 have);
		return buf;
	}
	ihl = ip4_hdr_len(ip);
	tot = ip4_hdr_tot_len(ip);
	if (ip4_hdr_version(ip) != 4 || ihl < IP4_HLEN) {
		snprintf(buf, buflen, "its IPv4 header says version %u, header length %u", ip4_hdr_version(ip), ihl);
		return buf;
	}
	if (ihl > have) {
		snprintf(buf, buflen, "its IPv4 header length (%u) is more than the %u bytes the frame holds", ihl,
			 have);
		return buf;
	}
	/* A bad header checksum is no lie of this kind (the receiver drops the
	 * frame at the checksum, before looking at any length), but lying
	 * lengths beside it still keep the sender from rebuilding it. */
	if (tot > have) {
		snprintf(buf, buflen, "its IPv4 total length (%u) is more than the %u bytes the frame holds", tot,
			 have);
		return buf;
	}
	if (tot < ihl) {
		snprintf(buf, buflen, "its IPv4 total length (%u) is less than its header (%u)", tot, ihl);
		return buf;
	}
	if (ip4_hdr_frag_off(ip) & (IP_MF | IP_OFFSET))
		return NULL; /* a fragment's transport is judged after reassembly */
	l4 = ip + ihl;
	l4len = tot - ihl;
	switch (ip4_hdr_protocol(ip)) {
	case IPPROTO_TCP:
		if (l4len < TCP_HLEN)
			snprintf(buf, buflen, "its TCP header is cut short: %u bytes, not 20", l4len);
		else if (tcp_hdr_doff(l4) < 5)
			snprintf(buf, buflen, "its TCP data offset is %u words, less than 5", tcp_hdr_doff(l4));
		else if (tcp_hdr_doff(l4) * 4u > l4len)
			snprintf(buf, buflen, "its TCP data offset (%u bytes) runs past the %u-byte segment",
				 tcp_hdr_doff(l4) * 4u, l4len);
		else
			return NULL;
		return buf;
	case IPPROTO_UDP:
		if (l4len < UDP_HLEN)
			snprintf(buf, buflen, "its UDP header is cut short: %u bytes, not 8", l4len);
		else if (udp_hdr_len(l4) != l4len)
			snprintf(buf, buflen, "its UDP length (%u) is not the %u bytes the IPv4 header gives it",
				 udp_hdr_len(l4), l4len);
		else
			return NULL;
		return buf;
	case IPPROTO_ICMP:
		if (l4len >= ICMP_HLEN)
			return NULL;
		snprintf(buf, buflen, "its ICMP header is cut short: %u bytes, not 8", l4len);
		return buf;
	default:
		(void)d;
		return NULL;
	}
}

/*
 * Walks frames[0..n) as captured: no Linux sender builds them (why says
 * what is wrong), so the sender's stack does not rebuild them; their bytes
 * go onto the model's wire as they are (padded to the Ethernet minimum, as
 * a NIC pads) and the receiver's kernel takes them as far as it lets them
 * go, usually to the check that drops them.
 */
static void replay_as_captured(struct pw_world *w, const struct pw_replay_frame *frames, uint32_t n,
			       const char *why)
{
	const uint8_t *fr = frames[0].bytes, *ip = fr + ETH_HLEN;
	uint32_t have = frames[0].caplen;
	struct pw_host *A = &w->host[0], *B = &w->host[1], *S, *R;
	uint32_t sip, dip;
	uint64_t t;
	char why_not[256];

	if (have >= ETH_HLEN + IP4_HLEN) {
		sip = ip4_hdr_saddr(ip);
		dip = ip4_hdr_daddr(ip);
	} else {
		/* No addresses to read: the pair keeps its own, in the
		 * direction the MAC addresses give. */
		int from_b = !memcmp(fr + ETH_ALEN, B->mac, ETH_ALEN);

		sip = from_b ? B->ip : A->ip;
		dip = from_b ? A->ip : B->ip;
	}
	w->replay_sender = replay_hosts(w, fr + ETH_ALEN, fr, sip, dip);
	S = &w->host[w->replay_sender];
	R = peer_of(S);
	host_reset(w, S);
	host_reset(w, R);
	/* The frames count as sent already: nothing of the sender's goes out. */
	w->replay_cur = frames;
	w->replay_n = n;
	w->replay_sent = n;
	S->ctx = R->ctx = PW_CTX_PROCESS;
	if (n == 1)
		emit(S, NULL, STEP(APP, CALL, "(capture)", SRC_HW),
		     "Frame %u of the capture, %u bytes: %s. No Linux stack sends such a frame, so host %s does "
		     "not rebuild it: the captured bytes go onto the wire as they are, to show where host %s's "
		     "kernel stops them.",
		     frames[0].number, frames[0].len, why, S->name, R->name);
	else
		emit(S, NULL, STEP(APP, CALL, "(capture)", SRC_HW),
		     "Frames %u to %u of the capture are %u fragments of datagram id %u, but %s. No Linux stack "
		     "sends them so, so host %s does not rebuild them: they go onto the wire as captured, for "
		     "host %s's ip_defrag to judge.",
		     frames[0].number, frames[n - 1].number, n, ip4_hdr_id(ip), why, S->name, R->name);
	/* A datagram that passes every check after all (a UDP length short of
	 * the datagram is trimmed, not dropped) needs a reader. */
	if (have >= ETH_HLEN + IP4_HLEN && ip4_hdr_protocol(ip) == IPPROTO_UDP) {
		uint32_t ihl = ip4_hdr_len(ip);

		if (have >= ETH_HLEN + ihl + UDP_HLEN && replay_sock(R, SK_UDP, 0, udp_hdr_dest(ip + ihl), 0) == NULL)
			return;
	} else if (have >= ETH_HLEN + IP4_HLEN && ip4_hdr_protocol(ip) == IPPROTO_ICMP) {
		if (!replay_sock(R, SK_RAW_ICMP, 0, 0, 0))
			return;
	}
	t = sim_now(&w->sim);
	for (uint32_t i = 0; i < n && !sim_failed(&w->sim); i++) {
		const struct pw_replay_frame *f = &frames[i];
		uint32_t len = f->caplen < ETH_ZLEN ? ETH_ZLEN : f->caplen;
		uint8_t *copy = calloc(1, len);
		uint32_t number;

		if (!copy) {
			sim_fail(&w->sim, "out of memory for a frame on the wire");
			break;
		}
		memcpy(copy, f->bytes, f->caplen);
		number = sim_wire_frame(&w->wire);
		emit(S, NULL, STEP(WIRE, WIRE, "(wire)", SRC_HW),
		     "Frame %u, %u bytes, goes on the wire to %s as captured (frame %u of the capture)%s.", number,
		     len, R->name, f->number, f->caplen < ETH_ZLEN ? ", padded to the 60-byte Ethernet minimum" : "");
		if (w->frame_fn) {
			struct pw_wire_frame wf = { .number = number, .t_ns = sim_now(&w->sim), .from_host = S->idx,
						    .bytes = copy, .len = len };

			w->frame_fn(w->frame_ctx, &wf);
		}
		/* One after the other at the link's speed, then the cable. */
		t += sim_wire_tx_ns(&w->wire, len);
		sim_wire_deliver(&w->wire, S->port, t, copy, len);
		if (w->replay->rebuilt_fn) {
			snprintf(why_not, sizeof(why_not), "%s: no Linux sender builds this, so it is walked as captured",
				 why);
			w->replay->rebuilt_fn(w->replay->rebuilt_ctx, f, NULL, 0, why_not);
		}
	}
	sim_run(&w->sim);
	replay_receiver_reads(w, R);
	replay_end(w);
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
	uint32_t oa = ip4_hdr_frag_off(a->bytes + ETH_HLEN) & IP_OFFSET, ob = ip4_hdr_frag_off(b->bytes + ETH_HLEN) & IP_OFFSET;

	return oa < ob ? -1 : oa > ob;
}

/* The held fragments leave the collector: walked as captured if the set
 * is damaged, else listed as never whole. */
static void frags_flush(struct pw_world *w, struct replay_frags *q)
{
	if (q->n && q->damage[0])
		replay_as_captured(w, q->f, q->n, q->damage);
	else
		for (uint32_t i = 0; i < q->n && !sim_failed(&w->sim); i++)
			replay_unsupported(w, &q->f[i], "a fragment whose datagram never became whole in the capture");
	frags_clear(q);
}

/* What makes a new fragment [off, end) one no Linux sender would add to
 * the set held: said in q->damage (the first such reason is kept). */
static void frags_judge(struct replay_frags *q, uint32_t off, uint32_t end, int last)
{
	if (q->damage[0])
		return;
	for (uint32_t i = 0; i < q->n; i++) {
		if (off < q->r[i].end && q->r[i].off < end) {
			snprintf(q->damage, sizeof(q->damage), "frame %u brings bytes %u-%u, some of which are held already",
				 q->f[q->n].number, off, end - 1);
			return;
		}
	}
	if (last && (end < q->len || q->last_in))
		snprintf(q->damage, sizeof(q->damage), "two fragments claim to end the datagram, or bytes lie past its end");
	else if (!last && q->last_in && end > q->len)
		snprintf(q->damage, sizeof(q->damage), "a fragment reaches past the datagram's end");
	else if (!last && (end - off) % 8)
		snprintf(q->damage, sizeof(q->damage), "a fragment before the last holds %u bytes, not a multiple of 8",
			 end - off);
	else if (end == off)
		snprintf(q->damage, sizeof(q->damage), "a fragment holds no bytes");
}

/* A whole datagram no Linux sender fragments so: TCP (Linux's TCP sends
 * segments that fit the path MTU, with DF set), or a UDP or ICMP header
 * the reassembled datagram contradicts. 1 with q->damage set. */
static int replay_frags_unbuildable(struct replay_frags *q)
{
	const struct pw_replay_frame *head = NULL;
	const uint8_t *l4;

	for (uint32_t i = 0; i < q->n; i++)
		if (q->r[i].off == 0)
			head = &q->f[i];
	if (!head)
		return 0;
	l4 = head->bytes + ETH_HLEN + IP4_HLEN;
	if (q->protocol == IPPROTO_TCP)
		snprintf(q->damage, sizeof(q->damage), "they carry a TCP segment, and Linux's TCP never sends fragments "
			 "(it fits its segments to the path MTU and sets DF)");
	else if (q->protocol == IPPROTO_UDP && q->len < UDP_HLEN)
		snprintf(q->damage, sizeof(q->damage), "the %u bytes they hold are too few for a UDP header", q->len);
	else if (q->protocol == IPPROTO_UDP && udp_hdr_len(l4) != q->len)
		snprintf(q->damage, sizeof(q->damage), "its UDP length (%u) is not the %u bytes its fragments hold",
			 udp_hdr_len(l4), q->len);
	else if (q->protocol == IPPROTO_ICMP && q->len < ICMP_HLEN)
		snprintf(q->damage, sizeof(q->damage), "the %u bytes they hold are too few for an ICMP header", q->len);
	return q->damage[0] != '\0';
}

/* A fragment waits with the others of its datagram; when the datagram is
 * whole, the sender rebuilds it and its stack fragments it again. */
static void replay_fragment(struct pw_world *w, struct replay_frags *q, const struct pw_replay_frame *f,
			    const struct pw_dissection *d)
{
	uint32_t off = (d->ip.frag_off & IP_OFFSET) * 8u, plen = d->ip.tot_len - IP4_HLEN, end = off + plen;
	int last = !(d->ip.frag_off & IP_MF);
	uint8_t *copy, *dgram;
	struct pw_dissection first;
	struct ip4_info ip;

	if (q->n && (q->id != d->ip.id || q->saddr != d->ip.saddr || q->daddr != d->ip.daddr ||
		     q->protocol != d->ip.protocol || q->n == MAX_FRAGS))
		frags_flush(w, q);
	if (sim_failed(&w->sim))
		return;
	copy = malloc(f->caplen);
	if (!copy) {
		sim_fail(&w->sim, "out of memory keeping a fragment");
		return;
	}
	memcpy(copy, f->bytes, f->caplen);
	q->f[q->n] = *f;
	q->f[q->n].bytes = copy;
	frags_judge(q, off, end, last);
	q->r[q->n].off = off;
	q->r[q->n].end = end;
	q->id = d->ip.id;
	q->saddr = d->ip.saddr;
	q->daddr = d->ip.daddr;
	q->protocol = d->ip.protocol;
	q->n++;
	q->meat += plen;
	if (off == 0)
		q->first_in = 1;
	if (last) {
		q->last_in = 1;
		q->len = end;
	} else if (end > q->len) {
		q->len = end;
	}
	/* With no byte held twice, the bytes held equal the datagram's
	 * length only when every byte from 0 to its end is there. */
	int whole = !q->damage[0] && q->first_in && q->last_in && q->meat == q->len;

	emit(&w->host[0], NULL, STEP(WIRE, CALL, "(capture)", SRC_HW),
	     "Frame %u of the capture is a fragment (bytes %u-%u) of datagram id %u%s.", f->number, off,
	     end ? end - 1 : 0, d->ip.id,
	     q->damage[0] ? ": no Linux sender makes this set of fragments, so it will be walked as captured"
	     : whole ? ": now the datagram is whole" : "; it waits for the rest");
	if (!whole)
		return;
	if (replay_frags_unbuildable(q)) {
		replay_as_captured(w, q->f, q->n, q->damage);
		frags_clear(q);
		return;
	}
	qsort(q->f, q->n, sizeof(q->f[0]), frag_cmp);
	dgram = calloc(1, q->len ? q->len : 1);
	if (!dgram) {
		sim_fail(&w->sim, "out of memory rebuilding a datagram");
		return;
	}
	for (uint32_t i = 0; i < q->n; i++) {
		const uint8_t *iph = q->f[i].bytes + ETH_HLEN;
		uint32_t o = ip4_hdr_offset(iph), l = ip4_hdr_tot_len(iph) - IP4_HLEN;

		memcpy(dgram + o, iph + IP4_HLEN, l);
	}
	pw_dissect(1 /* LINKTYPE_ETHERNET */, q->f[0].bytes, q->f[0].caplen, q->f[0].len, &first);
	ip = first.ip;
	ip.frag_off &= IP_DF; /* the whole datagram: no MF, offset 0 */
	if (q->protocol == IPPROTO_UDP || q->protocol == IPPROTO_ICMP)
		replay_walk(w, q->f, q->n, &first, dgram, q->len, &ip);
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
	char lie[160];
	int frag;

	pw_dissect(1 /* LINKTYPE_ETHERNET */, f->bytes, f->caplen, f->len, &d);
	frag = (d.have & PW_HAVE_IP) && (d.ip.frag_off & (IP_MF | IP_OFFSET));
	if (frag && !f->skip && !(d.have & PW_HAVE_VLAN) && d.ip.ihl == 5 && f->caplen == f->len &&
	    d.l3_off + d.ip.tot_len <= f->caplen && ip4_csum_ok(f->bytes + d.l3_off, &d.ip)) {
		replay_fragment(w, q, f, &d);
		return;
	}
	why = replay_damage(f, &d, lie, sizeof(lie));
	if (why) {
		replay_as_captured(w, f, 1, why);
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
	while (!sim_failed(&w->sim) && (got = r->next(r->next_ctx, &f, err, errlen)) > 0) {
		replay_frame(w, q, &f);
		w->res.walked++;
		if (r->frame_done)
			r->frame_done(r->frame_done_ctx, tl);
	}
	if (got < 0)
		rc = -1;
	if (!sim_failed(&w->sim))
		frags_flush(w, q);
	frags_clear(q);
	free(q);
	for (int i = 0; i < PW_HOSTS; i++)
		host_reset(w, &w->host[i]);
	if (world_finish(w, res, rc ? NULL : err, rc ? 0 : errlen))
		rc = -1;
	return rc;
}
