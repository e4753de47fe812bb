/* inet_fragment.c: the end of a reassembly queue (net/ipv4/inet_fragment.c). */
#include "net/host.h"
#include "net/ip.h"
#include "net/skbuff.h"

/* inet_frag_kill, then inet_frag_destroy once the last reference goes
 * (after the fragment that killed it is freed, when ip_defrag puts the
 * queue): it leaves the hash table and the fragments it held are purged.
 * The queue was not expired (INET_FRAG_DROP is set by ip_expire only), so
 * inet_frag_rbtree_purge frees them as consumed, not dropped. */
void inet_frag_kill(struct pw_host *h, struct ipq *q)
{
	struct sk_buff *f;

	while ((f = skb_dequeue(&q->frags)))
		consume_skb(h, f, PW_LAYER_IP, "inet_frag_rbtree_purge", SRC_INET_FRAG,
			    "inet_frag_kill takes the queue out of the table and inet_frag_destroy purges the "
			    "fragments it held (consume_skb: the datagram is abandoned, not expired).");
	q->used = 0;
}
