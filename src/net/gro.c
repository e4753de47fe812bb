/* gro.c: the receive batch NAPI hands up (net/core/gro.c), with GRO off:
 * napi_gro_receive passes every skb through unmerged (GRO_NORMAL). */
#include "net/host.h"
#include "net/netdevice.h"

#define GRO_NORMAL_BATCH 8 /* gro_normal_batch */

void napi_gro_receive(struct pw_host *h, struct sk_buff *skb)
{
	emit(h, skb, STEP_TP(DEV, CALL, NAPI_GRO_RECEIVE_ENTRY, "napi_gro_receive", SRC_GRO),
	     "napi_gro_receive: GRO is off on this device, so the skb is not merged (GRO_NORMAL).");
	skb_queue_tail(&h->napi_rx_list, skb);
	emit(h, skb, STEP_Q(DEV, ENQUEUE, NONE, NAPI_RX_LIST, "gro_normal_one", SRC_GRO),
	     "gro_normal_one adds the skb to napi->rx_list; the list goes up the stack when it holds "
	     "8 (gro_normal_batch) or when the poll ends.");
	if (h->napi_rx_list.len >= GRO_NORMAL_BATCH)
		gro_normal_list(h);
}

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
