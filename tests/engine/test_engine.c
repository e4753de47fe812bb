/* test_engine.c: the walk engine against the kernel's geometry and order
 * (../shared/reference/linux-packet-path.md sections 1.5, 2, 3, 4). */
#include <stdint.h>
#include <string.h>

#include "engine/engine.h"
#include "test.h"

struct run {
	struct pw_timeline *tl;
	struct pw_result res;
	uint32_t frames;
	uint64_t frame_hash;
	int rc;
};

static void on_frame(void *ctx, const struct pw_wire_frame *f)
{
	struct run *r = ctx;

	r->frames++;
	for (uint32_t i = 0; i < f->len; i++)
		r->frame_hash = (r->frame_hash ^ f->bytes[i]) * 1099511628211ull;
}

static void run_scenario(struct run *r, const char *name, void (*tweak)(struct pw_params *))
{
	struct pw_params p;
	char err[256] = "";

	memset(r, 0, sizeof(*r));
	r->frame_hash = 1469598103934665603ull;
	pw_params_defaults(&p, name);
	if (tweak)
		tweak(&p);
	r->tl = pw_timeline_create(1);
	r->rc = pw_engine_run(&p, r->tl, on_frame, r, &r->res, err, sizeof(err));
	CHECK(r->rc == 0, "scenario %s failed: %s", name, err);
	CHECK(r->res.live_skbs == 0, "scenario %s leaked %u skbs", name, r->res.live_skbs);
}

/* The first event on host with this function (and op, if op >= 0) at or after from; -1 if none. */
static long find(const struct pw_timeline *tl, long from, int host, const char *func, int op)
{
	for (size_t i = (size_t)from; i < pw_timeline_count(tl); i++) {
		const struct pw_event *e = pw_timeline_event(tl, i);

		if ((host < 0 || e->host == host) && !strcmp(e->func, func) && (op < 0 || e->op == op))
			return (long)i;
	}
	return -1;
}

static long find_tp(const struct pw_timeline *tl, long from, int host, int tp)
{
	for (size_t i = (size_t)from; i < pw_timeline_count(tl); i++) {
		const struct pw_event *e = pw_timeline_event(tl, i);

		if ((host < 0 || e->host == host) && e->tp == tp)
			return (long)i;
	}
	return -1;
}

static int count_drop(const struct pw_timeline *tl, int reason)
{
	int n = 0;

	for (size_t i = 0; i < pw_timeline_count(tl); i++)
		n += pw_timeline_event(tl, i)->drop == reason;
	return n;
}

/* Section 1.5: a TCP data skb on the sender, N bytes of payload. */
static void test_tcp_sender_geometry(void)
{
	struct run r;
	const struct pw_timeline *tl;
	long i;
	const struct pw_event *e;
	uint32_t id;

	run_scenario(&r, "tcp", NULL);
	tl = r.tl;
	i = find(tl, 0, 0, "tcp_stream_alloc_skb", PW_OP_ALLOC);
	CHECK(i >= 0, "no tcp_stream_alloc_skb on A");
	if (i < 0)
		goto out;
	e = pw_timeline_event(tl, (size_t)i);
	CHECK_EQ_INT(e->skb.end, 384);
	CHECK_EQ_INT(e->skb.truesize, 960);
	CHECK_EQ_INT(e->skb.data, 0);
	i = find(tl, i, 0, "skb_reserve", PW_OP_RESERVE);
	CHECK_EQ_INT(pw_timeline_event(tl, (size_t)i)->skb.data, 320);
	i = find(tl, i, 0, "skb_copy_to_page_nocache", PW_OP_FRAG);
	e = pw_timeline_event(tl, (size_t)i);
	CHECK_EQ_INT(e->skb.len, 17);
	CHECK_EQ_INT(e->skb.data_len, 17);
	CHECK_EQ_INT(e->skb.tail, 320);
	CHECK_EQ_INT(e->skb.truesize, 960 + 17);
	/* The clone gets the headers. */
	i = find(tl, i, 0, "__tcp_transmit_skb", PW_OP_PUSH);
	e = pw_timeline_event(tl, (size_t)i);
	id = e->skb.id;
	CHECK_EQ_INT(e->skb.data, 288);
	CHECK_EQ_INT(e->skb.transport, 288);
	CHECK_EQ_INT(e->skb.len, 32 + 17);
	i = find(tl, i, 0, "__ip_queue_xmit", PW_OP_PUSH);
	e = pw_timeline_event(tl, (size_t)i);
	CHECK_EQ_INT(e->skb.id, id);
	CHECK_EQ_INT(e->skb.data, 268);
	CHECK_EQ_INT(e->skb.network, 268);
	i = find(tl, i, 0, "neigh_hh_output", PW_OP_PUSH);
	e = pw_timeline_event(tl, (size_t)i);
	CHECK_EQ_INT(e->skb.data, 254);
	i = find_tp(tl, i, 0, PW_TP_NET_DEV_QUEUE);
	e = pw_timeline_event(tl, (size_t)i);
	CHECK_EQ_INT(e->skb.mac, 254);
	CHECK_EQ_INT(e->skb.len, 66 + 17);
	CHECK_EQ_INT(e->skb.data_len, 17);
out:
	pw_timeline_destroy(r.tl);
}

/* Section 2: net_dev_queue, then net_dev_start_xmit, then net_dev_xmit,
 * then the NIC reads the frame; the clone stays in the TX ring until NAPI
 * cleans it with consume_skb. */
static void test_tx_order(void)
{
	struct run r;
	const struct pw_timeline *tl;
	size_t checked = 0;

	run_scenario(&r, "tcp", NULL);
	tl = r.tl;
	for (long i = find_tp(tl, 0, -1, PW_TP_NET_DEV_QUEUE); i >= 0; i = find_tp(tl, i + 1, -1, PW_TP_NET_DEV_QUEUE)) {
		const struct pw_event *q = pw_timeline_event(tl, (size_t)i);
		long s = find_tp(tl, i, q->host, PW_TP_NET_DEV_START_XMIT);
		long x = find_tp(tl, i, q->host, PW_TP_NET_DEV_XMIT);
		long dma = find(tl, i, q->host, "(NIC) DMA read", PW_OP_DMA);
		long clean = find(tl, i, q->host, "igb_clean_tx_irq", PW_OP_DEQUEUE);

		CHECK(s > i && x > s, "event %ld: net_dev_queue (%ld) < start_xmit (%ld) < net_dev_xmit (%ld)", i, i, s, x);
		CHECK(pw_timeline_event(tl, (size_t)s)->skb.id == q->skb.id, "start_xmit at %ld is for another skb", s);
		CHECK(dma > x, "the NIC reads the frame (%ld) after the driver returned (%ld)", dma, x);
		CHECK(clean > dma, "the TX ring is cleaned (%ld) after the NIC sent the frame (%ld)", clean, dma);
		checked++;
	}
	CHECK(checked == 8, "expected 8 transmitted frames in the tcp scenario, saw %zu", checked);
	pw_timeline_destroy(r.tl);
}

/* Section 3: DMA before the hardirq, softirq raised before napi_poll,
 * netif_receive_skb sees the frame less 14 bytes, network 14 past mac. */
static void test_rx_order_and_geometry(void)
{
	struct run r;
	const struct pw_timeline *tl;
	int frames = 0;

	run_scenario(&r, "tcp", NULL);
	tl = r.tl;
	for (long d = find(tl, 0, 1, "(NIC) DMA write", PW_OP_DMA); d >= 0; d = find(tl, d + 1, 1, "(NIC) DMA write", PW_OP_DMA)) {
		long irq = find_tp(tl, d, 1, PW_TP_IRQ_HANDLER_ENTRY);
		long raise = find_tp(tl, d, 1, PW_TP_SOFTIRQ_RAISE);
		long poll = find_tp(tl, d, 1, PW_TP_NAPI_POLL);
		long build = find(tl, d, 1, "napi_build_skb", PW_OP_ALLOC);
		long put, eth, rcv;
		const struct pw_event *pe, *ee, *re;

		if (irq < 0 || build < 0)
			continue;
		CHECK(irq > d, "hardirq (%ld) after DMA (%ld)", irq, d);
		CHECK(raise > irq && poll > raise, "softirq_raise (%ld) after irq (%ld), napi_poll (%ld) after raise", raise,
		      irq, poll);
		CHECK(pw_timeline_event(tl, (size_t)raise)->ctx == PW_CTX_HARDIRQ, "NET_RX raised from hardirq");
		CHECK(pw_timeline_event(tl, (size_t)build)->ctx == PW_CTX_NET_RX, "build_skb runs in NET_RX");
		CHECK_EQ_INT(pw_timeline_event(tl, (size_t)build)->skb.end, 1728);
		CHECK_EQ_INT(pw_timeline_event(tl, (size_t)build)->skb.truesize, 2304);
		put = find(tl, build, 1, "igb_build_skb", PW_OP_PUT);
		eth = find(tl, build, 1, "eth_type_trans", PW_OP_PULL);
		rcv = find_tp(tl, build, 1, PW_TP_NETIF_RECEIVE_SKB);
		pe = pw_timeline_event(tl, (size_t)put);
		ee = pw_timeline_event(tl, (size_t)eth);
		re = pw_timeline_event(tl, (size_t)rcv);
		CHECK_EQ_INT(pe->skb.data, 192);
		CHECK_EQ_INT(ee->skb.mac, 192);
		CHECK_EQ_INT(ee->skb.data, 206);
		CHECK(re->skb.id == pe->skb.id, "netif_receive_skb (%ld) is for the skb built at %ld", rcv, build);
		CHECK_EQ_INT(re->skb.len, pe->skb.len - 14);
		CHECK_EQ_INT(re->skb.network - re->skb.mac, 14);
		CHECK(rcv < poll, "netif_receive_skb (%ld) inside the poll, before napi_poll (%ld)", rcv, poll);
		frames++;
	}
	CHECK(frames >= 4, "expected at least 4 received frames on B, checked %d", frames);
	pw_timeline_destroy(r.tl);
}

/* Section 1.5: a UDP skb is linear: reserve 16, put headers and data. */
static void test_udp_sender_geometry(void)
{
	struct run r;
	long i;
	const struct pw_event *e;

	run_scenario(&r, "udp", NULL);
	i = find(r.tl, 0, 0, "__ip_append_data", PW_OP_PUT);
	CHECK(i >= 0, "no __ip_append_data put on A");
	if (i >= 0) {
		e = pw_timeline_event(r.tl, (size_t)i);
		CHECK_EQ_INT(e->skb.data, 16);
		CHECK_EQ_INT(e->skb.network, 16);
		CHECK_EQ_INT(e->skb.transport, 36);
		CHECK_EQ_INT(e->skb.len, 20 + 8 + 40);
		CHECK_EQ_INT(e->skb.data_len, 0);
		i = find(r.tl, i, 0, "neigh_hh_output", PW_OP_PUSH);
		CHECK_EQ_INT(pw_timeline_event(r.tl, (size_t)i)->skb.data, 2);
	}
	CHECK_EQ_INT(r.res.frames, 2);
	CHECK_EQ_INT(r.res.bytes_delivered, 40 + 56);
	pw_timeline_destroy(r.tl);
}

static void test_determinism(void)
{
	struct run a, b;

	run_scenario(&a, "tcp", NULL);
	run_scenario(&b, "tcp", NULL);
	CHECK(pw_timeline_count(a.tl) == pw_timeline_count(b.tl), "event counts %zu and %zu", pw_timeline_count(a.tl),
	      pw_timeline_count(b.tl));
	CHECK(a.frame_hash == b.frame_hash, "the same scenario put different bytes on the wire");
	for (size_t i = 0; i < pw_timeline_count(a.tl) && i < pw_timeline_count(b.tl); i++) {
		const struct pw_event *x = pw_timeline_event(a.tl, i), *y = pw_timeline_event(b.tl, i);

		if (x->t_ns != y->t_ns || memcmp(&x->skb, &y->skb, sizeof(x->skb)) || strcmp(x->text, y->text)) {
			CHECK(0, "event %zu differs between two runs", i);
			break;
		}
	}
	pw_timeline_destroy(a.tl);
	pw_timeline_destroy(b.tl);
}

/* Every event's bytes and occupancy are reachable directly, and the bytes
 * match the recorded geometry. */
static void test_random_access(void)
{
	struct run r;
	size_t n;

	run_scenario(&r, "arp", NULL);
	n = pw_timeline_count(r.tl);
	for (size_t k = 0; k < n; k++) {
		size_t i = (k * 7919) % n;
		const struct pw_event *e = pw_timeline_event(r.tl, i);
		uint32_t len;
		const uint8_t *b = pw_timeline_bytes(r.tl, e, &len);

		CHECK(e->i == i, "event %zu says it is %u", i, e->i);
		CHECK(pw_timeline_occupancy(r.tl, e, 0) && pw_timeline_occupancy(r.tl, e, 1), "event %zu has no occupancy", i);
		if (e->skb.id) {
			CHECK(b != NULL, "event %zu has an skb but no bytes", i);
			CHECK(len == (uint32_t)(e->skb.tail + e->skb.data_len), "event %zu: %u bytes stored, tail+data_len %d", i,
			      len, e->skb.tail + e->skb.data_len);
		}
	}
	pw_timeline_destroy(r.tl);
}

static void test_arp_parks_the_packet(void)
{
	struct run r;
	long park, req, rep, release;
	uint32_t id;

	run_scenario(&r, "arp", NULL);
	park = find(r.tl, 0, 0, "__neigh_event_send", PW_OP_ENQUEUE);
	CHECK(park >= 0, "A never parked a packet on arp_queue");
	if (park < 0)
		goto out;
	id = pw_timeline_event(r.tl, (size_t)park)->skb.id;
	req = find(r.tl, park, 0, "arp_create", PW_OP_PUT);
	rep = find(r.tl, req, 1, "arp_create", PW_OP_PUT);
	release = find(r.tl, rep, 0, "__neigh_update", PW_OP_DEQUEUE);
	CHECK(req > park && rep > req && release > rep, "park %ld, request %ld, reply %ld, release %ld", park, req, rep,
	      release);
	if (release > 0) {
		CHECK(pw_timeline_event(r.tl, (size_t)release)->skb.id == id, "the released skb is the parked one");
		CHECK(pw_timeline_event(r.tl, (size_t)release)->ctx == PW_CTX_NET_RX, "released from NET_RX");
	}
	CHECK_EQ_INT(r.res.frames, 4);
out:
	pw_timeline_destroy(r.tl);
}

static void tweak_frag_576(struct pw_params *p) { p->mtu = 576; }
static void tweak_tcp_big(struct pw_params *p)
{
	p->payload = 10000;
	p->mtu = 576;
}

static void test_drops_and_sizes(void)
{
	struct run r;

	run_scenario(&r, "burst", NULL);
	CHECK(count_drop(r.tl, PW_DROP_QDISC_DROP) > 0, "burst: no QDISC_DROP");
	CHECK(find_tp(r.tl, 0, 0, PW_TP_QDISC_ENQUEUE) >= 0, "burst: the qdisc was never used");
	CHECK(find(r.tl, 0, 0, "net_tx_action", -1) >= 0, "burst: NET_TX never ran the qdisc");
	CHECK_EQ_INT(r.res.bytes_delivered + (uint64_t)count_drop(r.tl, PW_DROP_QDISC_DROP) * 100, 50 * 100);
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "rxdrop", NULL);
	CHECK(find(r.tl, 0, 1, "(NIC) no descriptor", PW_OP_DROP) >= 0, "rxdrop: the RX ring never overflowed");
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "noport", NULL);
	CHECK_EQ_INT(count_drop(r.tl, PW_DROP_NO_SOCKET), 1);
	CHECK(find_tp(r.tl, 0, 1, PW_TP_ICMP_SEND) >= 0, "noport: no ICMP port unreachable");
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "badcsum", NULL);
	CHECK_EQ_INT(count_drop(r.tl, PW_DROP_TCP_CSUM), 1);
	CHECK(find_tp(r.tl, 0, 0, PW_TP_TCP_RETRANSMIT_SKB) >= 0, "badcsum: no retransmission");
	CHECK_EQ_INT(r.res.bytes_delivered, 17);
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "rcvbuf", NULL);
	CHECK(count_drop(r.tl, PW_DROP_SOCKET_RCVBUFF) > 0, "rcvbuf: no SOCKET_RCVBUFF");
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "frag", NULL);
	CHECK_EQ_INT(r.res.frames, 3);
	CHECK_EQ_INT(r.res.bytes_delivered, 4000);
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "frag", tweak_frag_576);
	CHECK_EQ_INT(r.res.frames, 8); /* 552-byte pieces: ceil(4008 / 552) */
	CHECK_EQ_INT(r.res.bytes_delivered, 4000);
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "tcp", tweak_tcp_big);
	CHECK_EQ_INT(r.res.bytes_delivered, 10000);
	CHECK_EQ_INT(r.res.segments, (10000 + 523) / 524); /* MSS 536 less 12 option bytes */
	pw_timeline_destroy(r.tl);

	run_scenario(&r, "ping", NULL);
	CHECK_EQ_INT(r.res.frames, 2);
	CHECK_EQ_INT(count_drop(r.tl, PW_DROP_NO_SOCKET), 1); /* ping_rcv's harmless drop */
	pw_timeline_destroy(r.tl);
}

static void test_bad_params(void)
{
	struct pw_params p;
	char err[256];

	pw_params_defaults(&p, "tcp");
	p.tx_ring = 100;
	CHECK(pw_params_check(&p, err, sizeof(err)) == -1 && strstr(err, "--tx-ring"), "tx_ring 100: %s", err);
	pw_params_defaults(&p, "tcp");
	p.mtu = 40;
	CHECK(pw_params_check(&p, err, sizeof(err)) == -1 && strstr(err, "--mtu"), "mtu 40: %s", err);
	pw_params_defaults(&p, "nope");
	CHECK(pw_params_check(&p, err, sizeof(err)) == -1 && strstr(err, "nope"), "scenario nope: %s", err);
}

int main(void)
{
	test_tcp_sender_geometry();
	test_tx_order();
	test_rx_order_and_geometry();
	test_udp_sender_geometry();
	test_determinism();
	test_random_access();
	test_arp_parks_the_packet();
	test_drops_and_sizes();
	test_bad_params();
	return test_report("test_engine");
}
