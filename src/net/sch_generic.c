/* sch_generic.c: the pfifo_fast qdisc and the qdisc run loop
 * (net/sched/sch_generic.c; see sch_generic.h). */
#include "net/host.h"
#include "net/netdevice.h"
#include "net/sch_generic.h"
#include "net/skbuff.h"

/* sch_default_prio2band: skb->priority (TC_PRIO_*) to band. */
static const uint8_t prio2band[16] = { 1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 };

/* dev_tx_weight: packets one qdisc run may send before it yields. */
#define DEV_TX_WEIGHT 64

int qdisc_is_empty(const struct pw_host *h)
{
	return !h->band[0].len && !h->band[1].len && !h->band[2].len;
}

int pfifo_fast_enqueue(struct pw_host *h, struct sk_buff *skb)
{
	int band = prio2band[skb->priority & 15];
	struct step st = STEP_TP(QDISC, ENQUEUE, QDISC_ENQUEUE, "pfifo_fast_enqueue", SRC_SCH);

	if (h->band[band].len >= h->qdisc_limit) {
		h->mib.qdisc_drops++;
		kfree_skb_reason(h, skb, PW_DROP_QDISC_DROP, PW_LAYER_QDISC, "pfifo_fast_enqueue", SRC_SCH,
				 "pfifo_fast band full: the ring for this band already holds its limit, so "
				 "qdisc_drop_cpu frees the skb (QDISC_DROP) and tc -s qdisc counts it dropped.");
		return NET_XMIT_DROP;
	}
	skb_queue_tail(&h->band[band], skb);
	st.queue = (int8_t)(PW_Q_QDISC_BAND0 + band);
	emit(h, skb, st,
	     "pfifo_fast_enqueue puts the skb in band %d (priority %u maps to band %d through the "
	     "priomap); it waits there because the device queue is busy.",
	     band, skb->priority, band);
	return NET_XMIT_SUCCESS;
}

struct sk_buff *pfifo_fast_dequeue(struct pw_host *h)
{
	for (int band = 0; band < 3; band++) {
		struct sk_buff *skb = skb_dequeue(&h->band[band]);

		if (skb) {
			struct step st = STEP_TP(QDISC, DEQUEUE, QDISC_DEQUEUE, "dequeue_skb", SRC_SCH);

			st.queue = (int8_t)(PW_Q_QDISC_BAND0 + band);
			emit(h, skb, st,
			     "dequeue_skb takes the skb from band %d: pfifo_fast always empties band 0 "
			     "before 1 before 2.",
			     band);
			return skb;
		}
	}
	return NULL;
}

int sch_direct_xmit(struct pw_host *h, struct sk_buff *skb)
{
	struct step st = STEP(QDISC, ENQUEUE, "dev_requeue_skb", SRC_SCH);
	int band;

	if (dev_hard_start_xmit(h, skb) == NETDEV_TX_OK)
		return 0;
	/* NETDEV_TX_BUSY: dev_requeue_skb puts it back at the head. */
	band = prio2band[skb->priority & 15];
	skb_queue_head(&h->band[band], skb);
	st.queue = (int8_t)(PW_Q_QDISC_BAND0 + band);
	emit(h, skb, st,
	     "The driver answered NETDEV_TX_BUSY: dev_requeue_skb puts the skb back at the head "
	     "of the qdisc to retry when the ring has room.");
	return 1;
}

/* __qdisc_run: send until the qdisc is empty, the driver stops the queue,
 * or the quota is used up (then NET_TX finishes the job later). */
void qdisc_run(struct pw_host *h)
{
	int quota = DEV_TX_WEIGHT;
	int sent = 0;

	while (!h->txq_stopped && !qdisc_is_empty(h)) {
		struct sk_buff *skb;

		if (quota-- <= 0) {
			emit(h, NULL, STEP(QDISC, CALL, "__qdisc_run", SRC_SCH),
			     "__qdisc_run used its quota of %d packets: __netif_schedule leaves the rest to "
			     "the NET_TX softirq so other work can run.",
			     DEV_TX_WEIGHT);
			raise_softirq(h, NET_TX_SOFTIRQ);
			return;
		}
		skb = pfifo_fast_dequeue(h);
		if (!skb)
			break;
		sent++;
		if (sch_direct_xmit(h, skb))
			break;
	}
	if (sent && qdisc_is_empty(h))
		emit(h, NULL, STEP_TP(QDISC, CALL, QDISC_DEQUEUE, "dequeue_skb", SRC_SCH),
		     "dequeue_skb finds the qdisc empty (qdisc_dequeue with packets=0): the run ends.");
	else if (h->txq_stopped && !qdisc_is_empty(h))
		emit(h, NULL, STEP(QDISC, CALL, "qdisc_restart", SRC_SCH),
		     "The driver has stopped the TX queue (ring nearly full): the remaining packets wait "
		     "in the qdisc until TX completions wake it.");
}
