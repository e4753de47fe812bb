/* netdevice.h: the device layer (net/core/dev.c, net/core/gro.c) and
 * softirqs (kernel/softirq.c): where the stack meets the driver. */
#ifndef PW_NET_NETDEVICE_H
#define PW_NET_NETDEVICE_H

#include "skb/skb.h"

struct pw_host;

/* What the qdisc layer says of an skb it was given (include/linux/netdevice.h). */
#define NET_XMIT_SUCCESS 0x00
#define NET_XMIT_DROP 0x01 /* dropped: qdisc full */

/* What a driver's ndo_start_xmit answers. */
enum netdev_tx {
	NETDEV_TX_OK = 0x00,   /* the driver owns the skb now */
	NETDEV_TX_BUSY = 0x10, /* no room: the skb is still the caller's, to requeue */
};

#define NET_TX_SOFTIRQ 2
#define NET_RX_SOFTIRQ 3

/* --- dev.c ----------------------------------------------------------------- */

/*
 * dev_queue_xmit - send a whole frame (data at the Ethernet header)
 *
 * Sets the mac header and goes through the qdisc to the driver; in process
 * context, softirqs raised meanwhile run before it returns
 * (local_bh_enable). Consumes skb whatever it returns: NET_XMIT_SUCCESS
 * (sent, or queued in the qdisc) or NET_XMIT_DROP.
 */
int dev_queue_xmit(struct pw_host *h, struct sk_buff *skb);
/* __dev_xmit_skb: bypass an idle qdisc, else enqueue and run it. Consumes
 * skb; returns NET_XMIT_SUCCESS or NET_XMIT_DROP. */
int dev_xmit_skb(struct pw_host *h, struct sk_buff *skb);
/* dev_hard_start_xmit: skb to the driver. NETDEV_TX_OK: the driver owns
 * it; NETDEV_TX_BUSY: it is still the caller's. */
enum netdev_tx dev_hard_start_xmit(struct pw_host *h, struct sk_buff *skb);
/* netif_tx_wake_queue: the driver has room again; NET_TX drains the qdisc. */
void netif_wake_queue(struct pw_host *h);
/* net_tx_action: run the qdisc (the NET_TX softirq). */
void net_tx_action(struct pw_host *h);
/* net_rx_action: poll NAPI until done or out of budget (the NET_RX softirq). */
void net_rx_action(struct pw_host *h);
/* __netif_receive_skb_core: an skb from NAPI (data at the network header)
 * to its protocol handler. Consumes skb. */
void netif_receive_skb_core(struct pw_host *h, struct sk_buff *skb);

/* --- gro.c ----------------------------------------------------------------- */

/* napi_gro_receive with GRO off: skb (from the driver, data at the
 * network header) joins napi->rx_list (gro_normal_one), which goes up
 * the stack once it holds gro_normal_batch skbs. Consumes skb. */
void napi_gro_receive(struct pw_host *h, struct sk_buff *skb);
/* gro_normal_list: the skbs gathered on napi->rx_list go up the stack. */
void gro_normal_list(struct pw_host *h);

/* --- softirq.c ------------------------------------------------------------- */

/* raise_softirq_irqoff: marks vec pending. */
void raise_softirq(struct pw_host *h, int vec);
/* handle_softirqs: runs pending softirqs, lowest vector first (irq_exit,
 * local_bh_enable). Does nothing when already inside one. */
void do_softirq(struct pw_host *h);

#endif
