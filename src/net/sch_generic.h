/* sch_generic.h: the pfifo_fast qdisc and its run loop
 * (net/sched/sch_generic.c). */
#ifndef PW_NET_SCH_GENERIC_H
#define PW_NET_SCH_GENERIC_H

#include "skb/skb.h"

struct pw_host;

/* pfifo_fast_enqueue: skb into the band its priority maps to. Consumes
 * skb: NET_XMIT_SUCCESS (queued) or NET_XMIT_DROP (band full, dropped). */
int pfifo_fast_enqueue(struct pw_host *h, struct sk_buff *skb);
/* dequeue_skb: the first skb of the lowest non-empty band (the caller's), or NULL. */
struct sk_buff *pfifo_fast_dequeue(struct pw_host *h);
int qdisc_is_empty(const struct pw_host *h);
/* sch_direct_xmit: skb to the driver with the TX lock held. Consumes skb:
 * 0 sent, 1 the driver was busy and skb went back to the qdisc's head. */
int sch_direct_xmit(struct pw_host *h, struct sk_buff *skb);
/* __qdisc_run: send until the qdisc is empty, the driver stops the queue,
 * or the quota is used (then NET_TX goes on later). */
void qdisc_run(struct pw_host *h);

#endif
