/* igb.h: a NIC and its driver, modelled on Intel's igb with one queue pair
 * (see igb.c for who owns which part of a ring). */
#ifndef PW_NIC_IGB_H
#define PW_NIC_IGB_H

#include <stdint.h>

#include "net/netdevice.h"
#include "skb/skb.h"

struct pw_host;

#define RX_BUFSZ 2048u   /* one receive buffer (half a page) */
#define IGB_SKB_PAD 192u /* headroom the NIC leaves before a received frame */

/* One descriptor ring. */
struct igb_ring {
	uint32_t size;
	uint32_t ntu, ntc, hw; /* next_to_use, next_to_clean, the NIC's head */
	struct sk_buff **skb;  /* TX: skb owned by each descriptor */
	uint8_t **buf;         /* RX: the 2048-byte buffer posted in each descriptor */
	uint32_t *len;         /* RX: length written back by the NIC */
	uint8_t *csum_err;     /* RX: the NIC's checksum verdict, per descriptor */
};

/* Allocates both rings (sizes are powers of two) and posts all but one RX
 * buffer, as igb_alloc_rx_buffers does at ifup. 0, or -1 when memory runs
 * out (what was allocated is freed by igb_ring_free). */
int igb_ring_init(struct pw_host *h, uint32_t tx_size, uint32_t rx_size);
/* Frees the rings and every skb still in the TX ring. */
void igb_ring_free(struct pw_host *h);
/*
 * igb_xmit_frame - ndo_start_xmit
 *
 * NETDEV_TX_OK: the ring owns skb until the NIC has sent it and
 * igb_clean_tx_irq frees it. NETDEV_TX_BUSY: no descriptor free, the queue
 * is stopped, and skb is still the caller's.
 */
enum netdev_tx igb_xmit_frame(struct pw_host *h, struct sk_buff *skb);
int igb_tx_has_room(const struct pw_host *h);
/* NAPI poll: clean the TX ring, then up to budget RX frames; returns work done. */
int igb_poll(struct pw_host *h, int budget);
/* The NIC's port on the wire (a sim_port rx function on the host): a
 * frame arrives. Takes frame. */
void igb_wire_rx(void *host, uint8_t *frame, uint32_t len);

#endif
