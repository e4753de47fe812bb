/* skbuff.c: skb queues and the two ways an skb's life ends on the timeline. */
#include "net/host.h"
#include "proto/csum.h"

void skb_queue_tail(struct skb_queue *q, struct sk_buff *skb)
{
	skb->next = NULL;
	if (q->tail)
		q->tail->next = skb;
	else
		q->head = skb;
	q->tail = skb;
	q->len++;
	q->bytes += skb->truesize;
}

struct sk_buff *skb_dequeue(struct skb_queue *q)
{
	struct sk_buff *skb = q->head;

	if (!skb)
		return NULL;
	q->head = skb->next;
	if (!q->head)
		q->tail = NULL;
	skb->next = NULL;
	q->len--;
	q->bytes -= skb->truesize;
	return skb;
}

void skb_queue_purge(struct skb_queue *q)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(q)))
		skb_free(skb);
}

/* consume_skb: the skb did its job. Fires skb:consume_skb. */
void consume_skb(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		 const char *why)
{
	struct step st = STEP_TP(SOCKET, CONSUME, CONSUME_SKB, func, src);

	st.layer = (uint8_t)layer;
	emit(h, skb, st, "%s", why);
	skb_free(skb);
}

/* kfree_skb_reason: the packet is dropped, with the kernel's reason. */
void kfree_skb_reason(struct pw_host *h, struct sk_buff *skb, enum pw_drop reason, int layer, const char *func,
		      const char *src, const char *why)
{
	struct step st = STEP_DROP(SOCKET, KFREE_SKB, NONE, func, src);

	st.layer = (uint8_t)layer;
	st.drop = (uint8_t)reason;
	h->w->res.drops++;
	emit(h, skb, st, "%s", why);
	skb_free(skb);
}

/* Freed with no tracepoint: __kfree_skb after an ACK, or the NAPI cache. */
void skb_free_silent(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		     const char *why)
{
	struct step st = STEP(SOCKET, FREE, func, src);

	st.layer = (uint8_t)layer;
	emit(h, skb, st, "%s", why);
	skb_free(skb);
}

/* skb_checksum_complete for TCP and UDP: sums len bytes from data (the L4
 * header) with the pseudo-header of the IPv4 header at network_header.
 * Returns 1 if the checksum is wrong. */
int skb_l4_csum_bad(const struct sk_buff *skb, uint32_t len, uint8_t proto)
{
	const uint8_t *iph = skb_network_header(skb);
	uint32_t pseudo = csum_tcpudp_nofold(get_be32(iph + 12), get_be32(iph + 16), len, proto, 0);

	return csum_fold(csum_partial(skb_data(skb), len, pseudo)) != 0;
}
