/* dev.c: the device layer (net/core/dev.c): dev_queue_xmit and the
 * hand-off to the driver on the way out, net_rx_action and
 * __netif_receive_skb_core on the way in (see netdevice.h). */
#include "net/host.h"
#include "net/ip.h"
#include "net/neighbour.h"
#include "net/netdevice.h"
#include "net/sch_generic.h"
#include "net/skbuff.h"
#include "nic/igb.h"
#include "proto/eth.h"

int dev_queue_xmit(struct pw_host *h, struct sk_buff *skb)
{
	int rc;

	skb_reset_mac_header(skb);
	emit(h, skb, STEP_TP(DEV, CALL, NET_DEV_QUEUE, "__dev_queue_xmit", SRC_DEV),
	     "__dev_queue_xmit: the mac header is set where data points (offset %u); net_dev_queue "
	     "sees the whole %u-byte frame. Bottom halves are off (rcu_read_lock_bh) until it returns.",
	     skb->mac_header, skb->len);
	rc = dev_xmit_skb(h, skb);
	/* rcu_read_unlock_bh: local_bh_enable runs softirqs raised meanwhile. */
	if (h->ctx == PW_CTX_PROCESS && h->softirq_pending)
		do_softirq(h);
	return rc;
}

/* __dev_xmit_skb: bypass an idle qdisc, else enqueue and run it. */
int dev_xmit_skb(struct pw_host *h, struct sk_buff *skb)
{
	int rc;

	if (qdisc_is_empty(h) && !h->txq_stopped) {
		emit(h, skb, STEP(QDISC, CALL, "__dev_xmit_skb", SRC_DEV),
		     "The pfifo_fast qdisc is empty and the TX queue is running, so TCQ_F_CAN_BYPASS "
		     "skips it: no qdisc_enqueue, straight to sch_direct_xmit.");
		sch_direct_xmit(h, skb);
		return NET_XMIT_SUCCESS;
	}
	rc = pfifo_fast_enqueue(h, skb);
	qdisc_run(h);
	return rc;
}

/* dev_hard_start_xmit -> xmit_one -> netdev_start_xmit. */
enum netdev_tx dev_hard_start_xmit(struct pw_host *h, struct sk_buff *skb)
{
	uint32_t len = skb->len;
	enum netdev_tx rc;

	emit(h, skb, STEP_TP(DEV, CALL, NET_DEV_START_XMIT, "dev_hard_start_xmit", SRC_DEV),
	     "dev_hard_start_xmit hands the %u-byte frame to the driver (xmit_one; AF_PACKET taps "
	     "such as tcpdump get their copy here).",
	     len);
	rc = igb_xmit_frame(h, skb);
	if (rc == NETDEV_TX_OK)
		emit(h, NULL, STEP_TP(DEV, CALL, NET_DEV_XMIT, "dev_hard_start_xmit", SRC_DEV),
		     "net_dev_xmit: the driver took the frame (rc=NETDEV_TX_OK, len %u).", len);
	return rc;
}

/* netif_tx_wake_queue: the driver has room again. */
void netif_wake_queue(struct pw_host *h)
{
	h->txq_stopped = 0;
	emit(h, NULL, STEP(DRIVER, CALL, "netif_tx_wake_queue", SRC_DEV),
	     "The ring has room again: netif_tx_wake_queue restarts the TX queue%s.",
	     qdisc_is_empty(h) ? "" : " and __netif_schedule asks NET_TX to drain the qdisc");
	if (!qdisc_is_empty(h))
		raise_softirq(h, NET_TX_SOFTIRQ);
}

/* net_tx_action: run the qdiscs that asked for it. */
void net_tx_action(struct pw_host *h)
{
	emit(h, NULL, STEP(QDISC, CALL, "net_tx_action", SRC_DEV),
	     "net_tx_action runs the qdiscs on this CPU's output_queue: qdisc_run sends what waited.");
	qdisc_run(h);
}



/* __netif_receive_skb_core and the protocol handlers (ptype_base). */
void netif_receive_skb_core(struct pw_host *h, struct sk_buff *skb)
{
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	emit(h, skb, STEP_Q(DEV, DEQUEUE, NETIF_RECEIVE_SKB, NAPI_RX_LIST, "__netif_receive_skb_core", SRC_DEV),
	     "__netif_receive_skb_core: netif_receive_skb sees len %u (the frame less its 14-byte "
	     "Ethernet header); the network header is set at data, offset %u.",
	     skb->len, skb->network_header);
	switch (skb->protocol) {
	case ETH_P_IP:
		ip_rcv(h, skb);
		break;
	case ETH_P_ARP:
		arp_rcv(h, skb);
		break;
	default:
		kfree_skb_reason(h, skb, PW_DROP_UNHANDLED_PROTO, PW_LAYER_DEV, "__netif_receive_skb_core", SRC_DEV,
				 "No protocol handler is registered for this ethertype: the skb is dropped.");
	}
}

/* netdev_budget: packets one net_rx_action may take across all polls. */
#define NETDEV_BUDGET 300

/* net_rx_action: poll every NAPI instance on this CPU's poll_list. */
void net_rx_action(struct pw_host *h)
{
	int budget = NETDEV_BUDGET;

	emit(h, NULL, STEP(DEV, CALL, "net_rx_action", SRC_DEV),
	     "net_rx_action takes this CPU's poll_list; it may handle %d packets in all before it "
	     "yields.",
	     NETDEV_BUDGET);
	while (h->napi_scheduled && budget > 0) {
		int weight = (int)h->napi_weight;
		int work = igb_poll(h, weight);

		emit(h, NULL, STEP_TP(DEV, POLL, NAPI_POLL, "__napi_poll", SRC_DEV),
		     "napi_poll: igb_poll returned work=%d of budget=%d%s.", work, weight,
		     work < weight ? "; NAPI is complete and the interrupt is enabled again"
				   : "; the budget is used up, so NAPI stays scheduled and polls again");
		budget -= work;
		if (work < weight)
			break;
	}
	if (h->napi_scheduled) {
		emit(h, NULL, STEP(DEV, CALL, "net_rx_action", SRC_DEV),
		     "net_rx_action used its budget with work left: it raises NET_RX again (time_squeeze) "
		     "and returns.");
		raise_softirq(h, NET_RX_SOFTIRQ);
	}
}
