/* skbuff.c: the two ways an skb's life ends on the timeline, and the
 * software checksum (net/core/skbuff.c; see skbuff.h). */
#include "net/host.h"
#include "net/ip.h"
#include "net/skbuff.h"
#include "proto/csum.h"

void consume_skb(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		 const char *why)
{
	struct step st = STEP_TP(SOCKET, CONSUME, CONSUME_SKB, func, src);

	st.layer = (uint8_t)layer;
	emit(h, skb, st, "%s", why);
	skb_free(skb);
}

void kfree_skb_reason(struct pw_host *h, struct sk_buff *skb, enum pw_drop reason, int layer, const char *func,
		      const char *src, const char *why)
{
	struct step st = STEP_DROP(SOCKET, KFREE_SKB, NONE, func, src);

	st.layer = (uint8_t)layer;
	st.drop = (uint8_t)reason;
	h->mib.drops++;
	emit(h, skb, st, "%s", why);
	skb_free(skb);
}

void skb_free_silent(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		     const char *why)
{
	struct step st = STEP(SOCKET, FREE, func, src);

	st.layer = (uint8_t)layer;
	emit(h, skb, st, "%s", why);
	skb_free(skb);
}

int skb_l4_csum_bad(const struct sk_buff *skb, uint32_t len, uint8_t proto)
{
	const uint8_t *iph = ip_hdr(skb);
	uint32_t pseudo = csum_tcpudp_nofold(ip4_hdr_saddr(iph), ip4_hdr_daddr(iph), len, proto, 0);

	return csum_fold(csum_partial(skb_data(skb), len, pseudo)) != 0;
}
