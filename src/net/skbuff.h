/* skbuff.h: the two ways an skb's life ends on the timeline, and the
 * software checksum (net/core/skbuff.c, include/linux/skbuff.h).
 *
 * An skb the stack is done with ends through exactly one of these; each
 * records its event (the first two under the kernel's tracepoints) and
 * frees the skb. The caller owns skb before the call and nothing after.
 */
#ifndef PW_NET_SKBUFF_H
#define PW_NET_SKBUFF_H

#include <stdint.h>

#include "skb/skb.h"
#include "timeline/names.h"

struct pw_host;

/* consume_skb: the skb did its job (skb:consume_skb). layer, func and src
 * say who frees it; why is the sentence. */
void consume_skb(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		 const char *why);
/* kfree_skb_reason: the packet is dropped for reason (skb:kfree_skb) and
 * the host's drop counter grows. */
void kfree_skb_reason(struct pw_host *h, struct sk_buff *skb, enum pw_drop reason, int layer, const char *func,
		      const char *src, const char *why);
/* __kfree_skb, or the NAPI cache: freed with no tracepoint. */
void skb_free_silent(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		     const char *why);

/* skb_checksum_complete for TCP and UDP: 1 if the checksum over len bytes
 * from data (the L4 header), with the pseudo-header of the IPv4 header at
 * network_header, is wrong. Reads only; skb stays the caller's. */
int skb_l4_csum_bad(const struct sk_buff *skb, uint32_t len, uint8_t proto);

#endif
