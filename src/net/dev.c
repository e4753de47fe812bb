/* dev.c: the device layer (net/core/dev.c): dev_queue_xmit on the way
 * out, softirqs, and __netif_receive_skb_core on the way in. */
#include "net/host.h"
#include "proto/eth.h"

static const char *const softirq_vec_names[] = { "HI", "TIMER", "NET_TX", "NET_RX" };

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

void raise_softirq(struct pw_host *h, int vec)
{
	h->softirq_pending |= 1u << vec;
	emit(h, NULL, STEP_TP(DEV, RAISE, SOFTIRQ_RAISE, "raise_softirq_irqoff", SRC_SOFTIRQ),
	     "softirq_raise vec=%d [%s]: the %s softirq is marked pending; it runs when this context "
	     "ends (irq_exit or local_bh_enable).",
	     vec, softirq_vec_names[vec], softirq_vec_names[vec]);
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
static void net_tx_action(struct pw_host *h)
{
	emit(h, NULL, STEP(QDISC, CALL, "net_tx_action", SRC_DEV),
	     "net_tx_action runs the qdiscs on this CPU's output_queue: qdisc_run sends what waited.");
	qdisc_run(h);
}



/* handle_softirqs: lowest vector first, until nothing is pending. */
void do_softirq(struct pw_host *h)
{
	enum pw_ctx prev = h->ctx;

	if (h->in_softirq)
		return;
	h->in_softirq = 1;
	while (h->softirq_pending & ((1u << NET_TX_SOFTIRQ) | (1u << NET_RX_SOFTIRQ))) {
		int vec = (h->softirq_pending & (1u << NET_TX_SOFTIRQ)) ? NET_TX_SOFTIRQ : NET_RX_SOFTIRQ;

		h->softirq_pending &= ~(1u << vec);
		h->ctx = vec == NET_TX_SOFTIRQ ? PW_CTX_NET_TX : PW_CTX_NET_RX;
		emit(h, NULL, STEP_TP(DEV, SOFTIRQ, SOFTIRQ_ENTRY, "handle_softirqs", SRC_SOFTIRQ),
		     "softirq_entry vec=%d [%s]: the kernel runs the pending %s softirq.", vec,
		     softirq_vec_names[vec], softirq_vec_names[vec]);
		if (vec == NET_TX_SOFTIRQ)
			net_tx_action(h);
		else
			net_rx_action(h);
		emit(h, NULL, STEP_TP(DEV, SOFTIRQ, SOFTIRQ_EXIT, "handle_softirqs", SRC_SOFTIRQ),
		     "softirq_exit vec=%d [%s].", vec, softirq_vec_names[vec]);
	}
	h->in_softirq = 0;
	h->ctx = prev;
}

/* __netif_receive_skb_core and the protocol handlers (ptype_base). */
static void netif_receive_skb_core(struct pw_host *h, struct sk_buff *skb)
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

/* gro_normal_list: hand the batch gathered during the poll up the stack. */
void gro_normal_list(struct pw_host *h)
{
	struct sk_buff *skb;

	if (!h->napi_rx_list.len)
		return;
	emit(h, NULL, STEP(DEV, CALL, "gro_normal_list", SRC_GRO),
	     "gro_normal_list passes the %u skb(s) gathered on napi->rx_list up the stack, one by one.",
	     h->napi_rx_list.len);
	while ((skb = skb_dequeue(&h->napi_rx_list)))
		netif_receive_skb_core(h, skb);
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
