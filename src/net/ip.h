/* ip.h: IPv4 (net/ipv4/ip_input.c, ip_output.c, ip_fragment.c,
 * inet_fragment.c).
 *
 * Header fields are read through ip_hdr() and the ip4_hdr_* accessors of
 * proto/ip4.h, once ip_rcv (or the stack that wrote them) has shown the
 * bytes are there.
 */
#ifndef PW_NET_IP_H
#define PW_NET_IP_H

#include <stdint.h>

#include "net/sock.h"
#include "proto/ip4.h"
#include "skb/skb.h"

struct pw_host;

#define MAX_IPQ 4
#define IPDEFTTL 64
#define LL_RESERVED_SPACE 16u /* headroom for the Ethernet header (LL_RESERVED_SPACE) */

/* The IPv4 header of skb, at network_header. */
static inline const uint8_t *ip_hdr(const struct sk_buff *skb) { return skb_network_header(skb); }

/* One IPv4 reassembly queue (struct ipq), keyed like the kernel's. */
struct ipq {
	int used;
	uint32_t saddr, daddr;
	uint16_t id;
	uint8_t protocol;
	struct skb_queue frags; /* kept sorted by offset */
	uint32_t meat, len;     /* bytes held, and the datagram's end as far as known (the
				 * last fragment's end once it is in: last_in) */
	int first_in, last_in;  /* INET_FRAG_FIRST_IN, INET_FRAG_LAST_IN */
};

/* --- ip_output.c ----------------------------------------------------------- */

/*
 * ip_queue_xmit - push and fill the IPv4 header, then send
 * @sk: gives the addresses
 * @skb: data at the L4 header
 * @func: the kernel function doing this here: __ip_queue_xmit for a
 *        connected socket's segments, ip_build_and_send_pkt for a SYN-ACK,
 *        ip_send_unicast_reply for a RST
 *
 * Consumes skb. Returns what ip_local_out returns, or PW_ERR_BROKEN.
 */
int ip_queue_xmit(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, uint8_t protocol, int df,
		  uint16_t id, const char *func);
/*
 * ip_local_out - send an skb whose IPv4 header is written (data at it)
 *
 * Sets tot_len and the header checksum, then fragments or hands over to
 * the neighbour layer. Consumes skb. Returns NET_XMIT_SUCCESS (sent, or
 * parked until the neighbour is resolved), NET_XMIT_DROP (the qdisc dropped
 * it), PW_ERR_DROP (too big with DF set, dropped) or PW_ERR_BROKEN.
 */
int ip_local_out(struct pw_host *h, struct sk_buff *skb);
/* ip_do_fragment's slow path: skb (IP header at data) cut into mtu-sized
 * fragments, each sent on. Consumes skb. Returns 0, or PW_ERR_BROKEN. */
int ip_fragment(struct pw_host *h, struct sk_buff *skb, uint32_t mtu);
/* ip_idents: the id of a datagram that is not on a connected socket. */
uint16_t ip_select_ident(struct pw_host *h);
/* The host's header override (a replay's captured TOS, id, flags, offset
 * and TTL) applied to ip, if there is one. */
void ip_apply_override(const struct pw_host *h, struct ip4_info *ip);
/*
 * ip_append_data - a linear skb for one datagram: a 20-byte IPv4 header,
 * transhdrlen bytes of transport header, then len bytes copied from data
 *
 * The first half of ip_make_skb, as udp_sendmsg's corkless path takes it:
 * headroom for the link header, network header at data, transport header
 * 20 bytes on (both headers still to be written). The caller owns the
 * skb; NULL when memory runs out (the simulation fails).
 */
struct sk_buff *ip_append_data(struct pw_host *h, uint32_t transhdrlen, const uint8_t *data, uint32_t len);
/* __ip_make_skb, the second half: writes the header ip describes (the
 * host's header override applied) at skb's network header. */
void ip_make_skb(struct pw_host *h, struct sk_buff *skb, struct ip4_info *ip);

/* --- ip_input.c ------------------------------------------------------------ */

/*
 * ip_rcv - an IPv4 packet from the device layer (data at the IP header)
 *
 * ip_rcv_core's checks in RFC 1122 order, the route, then delivery to
 * TCP, UDP or ICMP (after reassembly for a fragment). Consumes skb.
 */
void ip_rcv(struct pw_host *h, struct sk_buff *skb);

/* --- ip_fragment.c, inet_fragment.c ------------------------------------------ */

/* ip_defrag: queues the fragment skb (data at its IP header); returns the
 * whole datagram (a new skb, the caller's) once every byte is in, else
 * NULL. Consumes skb either way. */
struct sk_buff *ip_defrag(struct pw_host *h, struct sk_buff *skb);
/* inet_frag_kill + inet_frag_destroy: q leaves the table and the fragments
 * it held are freed (consumed). */
void inet_frag_kill(struct pw_host *h, struct ipq *q);

#endif
