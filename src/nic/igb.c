/* igb.c: a NIC and its driver, modelled on Intel's igb
 * (drivers/net/ethernet/intel/igb/igb_main.c) with one queue pair.
 *
 * DOC: Ring ownership
 * Each ring is an array of descriptors with three indices. The driver
 * writes at next_to_use (ntu) and cleans at next_to_clean (ntc); the NIC
 * works at its head (hw).
 *   TX: [ntc, hw) are sent and wait to be cleaned, [hw, ntu) wait for the
 *       NIC; the rest are free for the driver.
 *   RX: [ntc, hw) hold frames the NIC has written, [hw, ntu) are empty
 *       buffers posted to the NIC; one slot always stays unposted so that
 *       ntu == hw means "nothing posted", as in igb.
 * The NIC's work (DMA, the wire, interrupts) runs as timers on the
 * simulator's clock; the driver's work runs in the contexts Linux runs it
 * in: ndo_start_xmit under the caller, the interrupt handler in hardirq,
 * igb_poll in the NET_RX softirq.
 */
#include <stdlib.h>
#include <string.h>

#include "net/host.h"
#include "net/netdevice.h"
#include "net/skbuff.h"
#include "nic/igb.h"
#include "proto/csum.h"
#include "proto/ip4.h"
#include "proto/tcp.h"
#include "proto/udp.h"

#define IRQ_LATENCY_NS 1000    /* MSI-X write to handler entry */
#define DOORBELL_LATENCY_NS 300 /* tail write reaching the NIC over PCIe */
#define IGB_RX_BUFFER_WRITE 16 /* refill after this many cleaned */
#define DESC_NEEDED 2          /* linear part and one fragment */

static uint32_t ring_used(const struct igb_ring *r) { return (r->ntu - r->ntc) & (r->size - 1); }
static uint32_t ring_next(const struct igb_ring *r, uint32_t i) { return (i + 1) & (r->size - 1); }

int igb_ring_init(struct pw_host *h, uint32_t tx_size, uint32_t rx_size)
{
	h->tx.size = tx_size;
	h->rx.size = rx_size;
	h->tx.skb = calloc(tx_size, sizeof(*h->tx.skb));
	h->rx.buf = calloc(rx_size, sizeof(*h->rx.buf));
	h->rx.len = calloc(rx_size, sizeof(*h->rx.len));
	h->rx.csum_err = calloc(rx_size, 1);
	if (!h->tx.skb || !h->rx.buf || !h->rx.len || !h->rx.csum_err)
		return -1;
	for (uint32_t i = 0; i < rx_size; i++) {
		h->rx.buf[i] = calloc(1, RX_BUFSZ);
		if (!h->rx.buf[i])
			return -1;
	}
	/* igb_alloc_rx_buffers at ifup: all but one descriptor posted. */
	h->rx.ntu = rx_size - 1;
	return 0;
}

void igb_ring_free(struct pw_host *h)
{
	if (h->tx.skb)
		for (uint32_t i = 0; i < h->tx.size; i++)
			skb_free(h->tx.skb[i]);
	if (h->rx.buf)
		for (uint32_t i = 0; i < h->rx.size; i++)
			free(h->rx.buf[i]);
	free(h->tx.skb);
	free(h->rx.buf);
	free(h->rx.len);
	free(h->rx.csum_err);
}

int igb_tx_has_room(const struct pw_host *h)
{
	return h->tx.size - 1 - ring_used(&h->tx) >= DESC_NEEDED;
}

static void igb_msix_ring(struct pw_host *h);
static void nic_tx_start(struct pw_host *h);

static void igb_irq_timer(void *h) { igb_msix_ring(h); }
static void nic_tx_start_timer(void *h) { nic_tx_start(h); }

/* The NIC needs to interrupt: at once, or as interrupt moderation allows. */
static void nic_raise_irq(struct pw_host *h)
{
	uint64_t t = sim_now(h->sim) + IRQ_LATENCY_NS;
	uint64_t itr = (uint64_t)h->itr_us * 1000;

	enum pw_ctx prev = h->ctx;

	if (h->irq_masked || h->irq_pending)
		return;
	if (h->last_irq_ns && t < h->last_irq_ns + itr)
		t = h->last_irq_ns + itr;
	h->irq_pending = 1;
	h->ctx = PW_CTX_HARDWARE;
	emit(h, NULL, STEP(NIC, IRQ, "(NIC) MSI-X", SRC_HW),
	     "The NIC signals an interrupt (MSI-X message)%s.",
	     itr ? "; interrupt moderation (ITR) may hold it back a little" : "");
	h->ctx = prev;
	sim_timer_add(h->sim, t, igb_irq_timer, h);
}

enum netdev_tx igb_xmit_frame(struct pw_host *h, struct sk_buff *skb)
{
	struct igb_ring *r = &h->tx;
	uint32_t first = r->ntu;
	uint32_t count = skb->data_len ? 2 : 1;

	if (h->tx.size - 1 - ring_used(r) < count) {
		h->txq_stopped = 1;
		emit(h, skb, STEP_Q(DRIVER, CALL, NONE, TX_RING, "igb_maybe_stop_tx", SRC_IGB),
		     "The TX ring has no free descriptor: the driver stops the queue and answers "
		     "NETDEV_TX_BUSY.");
		return NETDEV_TX_BUSY;
	}
	r->skb[first] = skb;
	for (uint32_t i = 0; i < count; i++)
		r->ntu = ring_next(r, r->ntu);
	emit(h, skb, STEP_Q(DRIVER, ENQUEUE, NONE, TX_RING, "igb_xmit_frame_ring", SRC_IGB),
	     "igb_xmit_frame_ring: tx_buffer_info[%u].skb = skb; the ring now owns it until the NIC "
	     "has sent it.",
	     first);
	if (skb->data_len)
		emit(h, skb, STEP_Q(DRIVER, DMA, NONE, TX_RING, "igb_tx_map", SRC_IGB),
		     "igb_tx_map: dma_map_single maps the %u header bytes at data, skb_frag_dma_map the "
		     "%u-byte fragment: descriptors %u and %u, EOP|RS on the last.%s",
		     skb_headlen(skb), skb->data_len, first, ring_next(r, first),
		     skb->ip_summed == CHECKSUM_PARTIAL ? " A context descriptor asks the NIC to fill "
							  "in the checksum (CHECKSUM_PARTIAL)."
							: "");
	else
		emit(h, skb, STEP_Q(DRIVER, DMA, NONE, TX_RING, "igb_tx_map", SRC_IGB),
		     "igb_tx_map: dma_map_single maps the %u bytes at data for the NIC: descriptor %u, "
		     "EOP|RS.%s",
		     skb->len, first,
		     skb->ip_summed == CHECKSUM_PARTIAL ? " A context descriptor asks the NIC to fill "
							  "in the checksum (CHECKSUM_PARTIAL)."
							: "");
	if (!igb_tx_has_room(h)) {
		h->txq_stopped = 1;
		emit(h, NULL, STEP_Q(DRIVER, CALL, NONE, TX_RING, "igb_maybe_stop_tx", SRC_IGB),
		     "Fewer than %d descriptors are left: igb_maybe_stop_tx stops the TX queue "
		     "(netif_stop_subqueue) before the ring overflows.",
		     DESC_NEEDED);
	}
	emit(h, NULL, STEP_Q(DRIVER, DOORBELL, NONE, TX_RING, "igb_tx_map", SRC_IGB),
	     "Doorbell: writel(next_to_use=%u, tx_ring->tail) tells the NIC new descriptors are ready.",
	     r->ntu);
	if (!h->nic_tx_busy) {
		h->nic_tx_busy = 1;
		sim_timer_add(h->sim, sim_now(h->sim) + DOORBELL_LATENCY_NS, nic_tx_start_timer, h);
	}
	return NETDEV_TX_OK;
}

/* The NIC fills in a CHECKSUM_PARTIAL checksum: ones' complement sum from
 * csum_start to the end, folded, stored at csum_start + csum_offset. */
static void nic_tx_checksum(uint8_t *frame, uint32_t len, uint32_t start, uint32_t offset)
{
	uint16_t c;

	if (start + offset + 2 > len)
		return;
	c = csum_fold(csum_partial(frame + start, len - start, 0));
	put_be16(frame + start + offset, c);
}

static void nic_tx_done(void *host);

/* The NIC takes the next descriptor's frame and puts it on the wire. */
static void nic_tx_start(struct pw_host *h)
{
	struct sim_wire *wire = h->wire;
	struct igb_ring *r = &h->tx;
	struct sk_buff *skb;
	enum pw_ctx prev = h->ctx;
	uint32_t len, wire_len, n;
	uint8_t *frame;
	uint64_t ser_ns;

	if (r->hw == r->ntu) {
		h->nic_tx_busy = 0;
		return;
	}
	skb = r->skb[r->hw];
	if (!skb) { /* second descriptor of a frame already sent */
		r->hw = ring_next(r, r->hw);
		nic_tx_start(h);
		return;
	}
	h->ctx = PW_CTX_HARDWARE;
	h->nic_tx_busy = 1;
	len = skb->len;
	wire_len = len < ETH_ZLEN ? ETH_ZLEN : len;
	frame = calloc(1, wire_len);
	if (!frame) {
		sim_fail(h->sim, "out of memory for a frame on the wire");
		h->ctx = prev;
		return;
	}
	skb_copy_bits(skb, 0, frame, len);
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		nic_tx_checksum(frame, len, skb->csum_start - skb->data, skb->csum_offset);
	emit(h, skb, STEP_Q(NIC, DMA, NONE, TX_RING, "(NIC) DMA read", SRC_HW),
	     "The NIC DMA-reads descriptor %u and the %u bytes it points to%s%s.", r->hw, len,
	     skb->ip_summed == CHECKSUM_PARTIAL ? ", and computes the L4 checksum itself (TX offload)" : "",
	     len < ETH_ZLEN ? "; it pads the frame to the 60-byte Ethernet minimum" : "");
	n = sim_wire_frame(wire);
	if (sim_wire_corrupts(wire, n))
		frame[wire_len - 1] ^= 0xff;
	ser_ns = sim_wire_tx_ns(wire, wire_len);
	emit(h, skb, STEP(WIRE, WIRE, "(wire)", SRC_HW),
	     "Frame %u, %u bytes, goes on the wire to %s (%llu ns at %u Mbit/s)%s.", n, wire_len,
	     sim_wire_peer_name(wire, h->port), (unsigned long long)ser_ns, wire->mbps,
	     sim_wire_corrupts(wire, n) ? "; its last byte was flipped before the Ethernet FCS was computed (--corrupt, "
					  "as bad memory on the path would do), so only the IP or TCP/UDP checksum can tell"
					: "");
	frame = host_frame_on_wire(h, frame, &wire_len);
	sim_wire_deliver(wire, h->port, sim_now(h->sim) + ser_ns, frame, wire_len);
	sim_timer_add(h->sim, sim_now(h->sim) + ser_ns, nic_tx_done, h);
	h->ctx = prev;
}

/* The last bit is out: the descriptor is written back. */
static void nic_tx_done(void *host)
{
	struct pw_host *h = host;
	struct igb_ring *r = &h->tx;
	enum pw_ctx prev = h->ctx;

	h->ctx = PW_CTX_HARDWARE;
	r->hw = ring_next(r, r->hw);
	while (r->hw != r->ntu && !r->skb[r->hw])
		r->hw = ring_next(r, r->hw);
	emit(h, NULL, STEP_Q(NIC, DMA, NONE, TX_RING, "(NIC) descriptor write-back", SRC_HW),
	     "The frame is out: the NIC writes the DD (descriptor done) bit back into the TX ring.");
	nic_raise_irq(h);
	h->nic_tx_busy = 0;
	if (r->hw != r->ntu) {
		h->nic_tx_busy = 1;
		nic_tx_start(h);
	}
	h->ctx = prev;
}

enum { RX_CSUM_NONE = 0, RX_CSUM_GOOD, RX_CSUM_BAD };

/* What the NIC's receive checksum engine reports in the descriptor:
 * RX_CSUM_BAD if the IPv4 header or the TCP/UDP checksum is wrong,
 * RX_CSUM_GOOD if a TCP/UDP checksum was verified, RX_CSUM_NONE for
 * fragments and other protocols (nothing the NIC can vouch for). */
static int nic_rx_csum_status(const uint8_t *frame, uint32_t len)
{
	struct ip4_info ip;
	struct pw_parse_err e;
	const uint8_t *p = frame + ETH_HLEN;
	uint32_t l4len, hl;

	if (len < ETH_HLEN + IP4_HLEN || eth_hdr_proto(frame) != ETH_P_IP)
		return RX_CSUM_NONE;
	if (ip4_parse(p, len - ETH_HLEN, &ip, &e) || !ip4_csum_ok(p, &ip))
		return RX_CSUM_BAD;
	hl = ip.ihl * 4u;
	if (ip.frag_off & (IP_MF | IP_OFFSET) || ip.tot_len > len - ETH_HLEN)
		return RX_CSUM_NONE;
	if (ip.protocol != IPPROTO_TCP && ip.protocol != IPPROTO_UDP)
		return RX_CSUM_NONE;
	l4len = ip.tot_len - hl;
	if (ip.protocol == IPPROTO_UDP && (l4len < UDP_HLEN || udp_hdr_check(p + hl) == 0))
		return RX_CSUM_NONE; /* no UDP checksum */
	return csum_fold(csum_partial(p + hl, l4len, csum_tcpudp_nofold(ip.saddr, ip.daddr, l4len, ip.protocol, 0)))
		       ? RX_CSUM_BAD
		       : RX_CSUM_GOOD;
}

void igb_wire_rx(void *host, uint8_t *frame, uint32_t len)
{
	struct pw_host *h = host;
	struct igb_ring *r = &h->rx;
	enum pw_ctx prev = h->ctx;
	uint32_t slot;

	h->ctx = PW_CTX_HARDWARE;
	if (len < ETH_HLEN || (memcmp(frame, h->mac, ETH_ALEN) && !eth_is_broadcast(frame))) {
		emit(h, NULL, STEP(NIC, CALL, "(NIC) MAC filter", SRC_HW),
		     "The destination MAC is neither ours nor broadcast: the NIC ignores the frame.");
		goto out;
	}
	if (r->hw == r->ntu) {
		h->mib.rx_missed_errors++;
		h->mib.drops++;
		emit(h, NULL, STEP_Q(NIC, DROP, NONE, RX_RING, "(NIC) no descriptor", SRC_HW),
		     "No empty buffer is posted in the RX ring: the NIC drops the %u-byte frame in "
		     "hardware. No skb exists, so no drop reason or tracepoint: only the rx_missed_errors "
		     "counter (now %u) tells.",
		     len, h->mib.rx_missed_errors);
		goto out;
	}
	slot = r->hw;
	if (len > RX_BUFSZ - IGB_SKB_PAD - SKB_SHINFO_SIZE)
		len = RX_BUFSZ - IGB_SKB_PAD - SKB_SHINFO_SIZE; /* jumbo frames span buffers: not modelled */
	memcpy(r->buf[slot] + IGB_SKB_PAD, frame, len);
	r->len[slot] = len;
	r->csum_err[slot] = (uint8_t)nic_rx_csum_status(frame, len);
	r->hw = ring_next(r, r->hw);
	emit(h, NULL, STEP_Q(NIC, DMA, NONE, RX_RING, "(NIC) DMA write", SRC_HW),
	     "The NIC checks the FCS, strips it, and DMA-writes the %u-byte frame into the buffer of "
	     "RX descriptor %u (at offset %u), then writes back its length and the DD bit%s.",
	     len, slot, IGB_SKB_PAD, r->csum_err[slot] == RX_CSUM_BAD ? "; its checksum engine flags a bad checksum" : "");
	nic_raise_irq(h);
out:
	free(frame);
	h->ctx = prev;
}

/* igb_msix_ring: the interrupt handler. It only schedules NAPI. */
static void igb_msix_ring(struct pw_host *h)
{
	enum pw_ctx prev = h->ctx;

	h->irq_pending = 0;
	if (h->irq_masked)
		return;
	h->ctx = PW_CTX_HARDIRQ;
	h->last_irq_ns = sim_now(h->sim);
	emit(h, NULL, STEP_TP(DRIVER, IRQ, IRQ_HANDLER_ENTRY, "igb_msix_ring", SRC_IGB),
	     "irq_handler_entry: igb_msix_ring runs in hard interrupt context. It does no packet work "
	     "itself.");
	h->napi_scheduled = 1;
	h->irq_masked = 1;
	emit(h, NULL, STEP_Q(DEV, ENQUEUE, NONE, POLL_LIST, "____napi_schedule", SRC_DEV),
	     "napi_schedule: NAPI_STATE_SCHED is set and the queue's NAPI struct joins this CPU's "
	     "poll_list; the vector stays masked while NAPI polls.");
	raise_softirq(h, NET_RX_SOFTIRQ);
	emit(h, NULL, STEP_TP(DRIVER, IRQ, IRQ_HANDLER_EXIT, "igb_msix_ring", SRC_IGB),
	     "irq_handler_exit: on the way out, irq_exit runs the pending softirq.");
	do_softirq(h);
	h->ctx = prev;
}

static void igb_clean_tx_irq(struct pw_host *h)
{
	struct igb_ring *r = &h->tx;

	while (r->ntc != r->hw) {
		struct sk_buff *skb = r->skb[r->ntc];
		uint32_t i = r->ntc;

		r->skb[i] = NULL;
		r->ntc = ring_next(r, r->ntc);
		if (!skb)
			continue;
		if (skb->data_len) /* the fragment's descriptor is done too */
			r->ntc = ring_next(r, r->ntc);
		emit(h, skb, STEP_Q(DRIVER, DEQUEUE, NONE, TX_RING, "igb_clean_tx_irq", SRC_IGB),
		     "igb_clean_tx_irq: descriptor %u is done; dma_unmap and the skb leaves the ring.", i);
		consume_skb(h, skb, PW_LAYER_DRIVER, "napi_consume_skb", SRC_SKBUFF,
			    "napi_consume_skb frees the sent skb (consume_skb: not a drop).");
	}
	if (h->txq_stopped && h->tx.size - 1 - ring_used(r) >= 2 * DESC_NEEDED)
		netif_wake_queue(h);
}

static void igb_alloc_rx_buffers(struct pw_host *h)
{
	struct igb_ring *r = &h->rx;
	uint32_t target = (r->ntc - 1) & (r->size - 1);
	uint32_t n = (target - r->ntu) & (r->size - 1);

	if (!n)
		return;
	r->ntu = target;
	emit(h, NULL, STEP_Q(DRIVER, DOORBELL, NONE, RX_RING, "igb_alloc_rx_buffers", SRC_IGB),
	     "igb_alloc_rx_buffers posts %u buffer(s) back to the NIC (the half pages are reused) and "
	     "writes next_to_use=%u to the RX tail register.",
	     n, r->ntu);
}

static void igb_clean_rx_irq(struct pw_host *h, int budget, int *work)
{
	struct igb_ring *r = &h->rx;
	uint32_t cleaned = 0;

	while (*work < budget && r->ntc != r->hw) {
		uint32_t i = r->ntc;
		uint32_t len = r->len[i];
		struct sk_buff *skb = build_skb(h->pool, r->buf[i], RX_BUFSZ);

		if (!skb) {
			sim_fail(h->sim, "out of memory building a receive skb");
			return;
		}
		r->ntc = ring_next(r, r->ntc);
		(*work)++;
		cleaned++;
		emit(h, skb, STEP_Q(DRIVER, ALLOC, NONE, RX_RING, "napi_build_skb", SRC_SKBUFF),
		     "igb_clean_rx_irq: descriptor %u has DD set. napi_build_skb wraps an sk_buff around "
		     "its 2048-byte buffer: no copy; end = %u leaves room for skb_shared_info.",
		     i, skb->end);
		skb_reserve(skb, IGB_SKB_PAD);
		emit(h, skb, STEP(DRIVER, RESERVE, "igb_build_skb", SRC_IGB),
		     "skb_reserve(%u): data and tail move past the headroom the NIC left before the frame.",
		     IGB_SKB_PAD);
		skb_put(skb, len);
		emit(h, skb, STEP(DRIVER, PUT, "igb_build_skb", SRC_IGB),
		     "__skb_put(%u): tail moves past the frame the NIC wrote; len = %u.", len, skb->len);
		if (r->csum_err[i] == RX_CSUM_BAD) {
			skb->ip_summed = CHECKSUM_NONE;
			h->mib.rx_csum_err++;
			emit(h, skb, STEP(DRIVER, CSUM, "igb_rx_checksum", SRC_IGB),
			     "igb_rx_checksum: the NIC reported a checksum error; ip_summed stays "
			     "CHECKSUM_NONE so the stack checks in software (rx_csum_err counts it).");
		} else if (r->csum_err[i] == RX_CSUM_NONE) {
			skb->ip_summed = CHECKSUM_NONE;
			emit(h, skb, STEP(DRIVER, CSUM, "igb_rx_checksum", SRC_IGB),
			     "igb_rx_checksum: no TCP or UDP checksum the NIC could verify (another protocol, "
			     "or a fragment), so ip_summed = CHECKSUM_NONE.");
		} else {
			skb->ip_summed = CHECKSUM_UNNECESSARY;
			emit(h, skb, STEP(DRIVER, CSUM, "igb_rx_checksum", SRC_IGB),
			     "igb_rx_checksum: the NIC verified the checksums, so ip_summed = "
			     "CHECKSUM_UNNECESSARY and the stack will not sum the bytes again.");
		}
		/* eth_type_trans */
		skb_reset_mac_header(skb);
		{
			const uint8_t *eh = skb_data(skb);

			skb->protocol = eth_hdr_proto(eh);
			skb->pkt_type = eth_is_broadcast(eh) ? PACKET_BROADCAST
				       : memcmp(eh, h->mac, ETH_ALEN) ? PACKET_OTHERHOST : PACKET_HOST;
		}
		skb_pull(skb, ETH_HLEN);
		emit(h, skb, STEP(DRIVER, PULL, "eth_type_trans", SRC_ETH),
		     "eth_type_trans: mac header at offset %u, skb_pull(14) moves data to the network "
		     "header; protocol 0x%04x, pkt_type %s.",
		     skb->mac_header, skb->protocol,
		     skb->pkt_type == PACKET_BROADCAST ? "PACKET_BROADCAST" : "PACKET_HOST");
		napi_gro_receive(h, skb);
		if (cleaned >= IGB_RX_BUFFER_WRITE) {
			igb_alloc_rx_buffers(h);
			cleaned = 0;
		}
	}
	igb_alloc_rx_buffers(h);
}

int igb_poll(struct pw_host *h, int budget)
{
	int work = 0;

	emit(h, NULL, STEP(DRIVER, POLL, "igb_poll", SRC_IGB),
	     "igb_poll (budget %d) cleans the TX ring first, then receives.", budget);
	igb_clean_tx_irq(h);
	igb_clean_rx_irq(h, budget, &work);
	gro_normal_list(h);
	if (work < budget) {
		h->napi_scheduled = 0;
		h->irq_masked = 0;
		emit(h, NULL, STEP_Q(DRIVER, CALL, NONE, POLL_LIST, "napi_complete_done", SRC_DEV),
		     "napi_complete_done: less work than budget, so NAPI leaves the poll_list and "
		     "igb_ring_irq_enable unmasks the interrupt.");
		if (h->rx.hw != h->rx.ntc || h->tx.hw != h->tx.ntc)
			nic_raise_irq(h);
	}
	return work;
}
