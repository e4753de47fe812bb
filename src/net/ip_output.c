/* ip_output.c: IPv4 output (net/ipv4/ip_output.c): the header, the route,
 * the MTU check and fragmentation, and the hand-off to the neighbour
 * layer (see ip.h). */
#include <string.h>

#include "net/host.h"
#include "net/ip.h"
#include "net/neighbour.h"
#include "net/skbuff.h"
#include "proto/ip4.h"
#include "proto/udp.h"

uint16_t ip_select_ident(struct pw_host *h)
{
	/* ip_idents: a hashed, randomly stepped counter in Linux; the model
	 * steps a generator. */
	h->ip_id_state = h->ip_id_state * 1103515245u + 12345u;
	return (uint16_t)(h->ip_id_state >> 16);
}

void ip_apply_override(const struct pw_host *h, struct ip4_info *ip)
{
	const struct pw_hdr_override *ov = host_hdr_override(h);

	if (!ov || !ov->ip)
		return;
	ip->tos = ov->ip->tos;
	ip->id = ov->ip->id;
	ip->frag_off = ov->ip->frag_off;
	ip->ttl = ov->ip->ttl;
}

int ip_queue_xmit(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, uint8_t protocol, int df,
		  uint16_t id, const char *func)
{
	struct ip4_info ip;
	uint8_t *p;
	char d[16] = "";

	if (h->trace->keep)
		ip4_addr_format(sk->daddr, d);
	emit(h, skb, STEP(IP, CALL, func, SRC_IP_OUT),
	     "%s: the route to %s says it is on the local link, out of eth0.", func, d);
	p = skb_push(skb, IP4_HLEN);
	if (!p) {
		sim_fail(h->sim, "%s", h->pool->err);
		skb_free(skb);
		return PW_ERR_BROKEN;
	}
	skb_reset_network_header(skb);
	memset(&ip, 0, sizeof(ip));
	ip.tot_len = (uint16_t)skb->len;
	ip.id = id;
	ip.frag_off = df ? IP_DF : 0;
	ip.ttl = IPDEFTTL;
	ip.protocol = protocol;
	ip.saddr = sk->saddr;
	ip.daddr = sk->daddr;
	ip_apply_override(h, &ip);
	ip4_build(p, &ip);
	emit(h, skb, STEP(IP, PUSH, func, SRC_IP_OUT),
	     "skb_push(20) and the IPv4 header is written: id %u, %s, TTL %u, protocol %u; network header "
	     "= %u.",
	     ip.id, (ip.frag_off & IP_DF) ? "DF (path MTU discovery)" : "fragments allowed", ip.ttl, protocol,
	     skb->network_header);
	return ip_local_out(h, skb);
}

struct sk_buff *ip_append_data(struct pw_host *h, uint32_t transhdrlen, const uint8_t *data, uint32_t len)
{
	uint32_t total = IP4_HLEN + transhdrlen + len;
	struct sk_buff *skb = alloc_skb(h->pool, total + LL_RESERVED_SPACE + 15);
	uint8_t *p;

	if (!skb) {
		sim_fail(h->sim, "out of memory for a UDP skb");
		return NULL;
	}
	emit(h, skb, STEP(UDP, ALLOC, "sock_alloc_send_skb", SRC_SOCK),
	     "__ip_append_data: sock_alloc_send_skb allocates one linear skb for headers and data (end = "
	     "%u, truesize %u charged to the socket's send buffer).",
	     skb->end, skb->truesize);
	skb_reserve(skb, LL_RESERVED_SPACE);
	emit(h, skb, STEP(UDP, RESERVE, "__ip_append_data", SRC_IP_OUT),
	     "skb_reserve(%u) keeps room for the Ethernet header (LL_RESERVED_SPACE).", LL_RESERVED_SPACE);
	p = skb_put(skb, total);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, IP4_HLEN);
	memcpy(p + IP4_HLEN + transhdrlen, data, len);
	emit(h, skb, STEP(UDP, PUT, "__ip_append_data", SRC_IP_OUT),
	     "skb_put(%u) makes room for the IP header, the UDP header and the payload at once; "
	     "ip_generic_getfrag copies the %u bytes from user memory. Network header %u, transport %u.",
	     total, len, skb->network_header, skb->transport_header);
	return skb;
}

void ip_make_skb(struct pw_host *h, struct sk_buff *skb, struct ip4_info *ip)
{
	int fits = skb->len <= h->mtu;

	ip_apply_override(h, ip);
	ip4_build(skb_network_header(skb), ip);
	emit(h, skb, STEP(IP, HEADER, "__ip_make_skb", SRC_IP_OUT),
	     "__ip_make_skb fills the IPv4 header already in place: id %u, %s, TTL %u, protocol 17.",
	     ip->id, (ip->frag_off & IP_DF) ? "DF" : fits ? "no DF" : "no DF (it must be fragmented)", ip->ttl);
}

/* ip_local_out -> ip_output -> ip_finish_output -> ip_finish_output2. */
int ip_local_out(struct pw_host *h, struct sk_buff *skb)
{
	uint8_t *iph = skb_network_header(skb);
	uint32_t daddr = ip4_hdr_daddr(iph);

	ip4_hdr_set_tot_len(iph, (uint16_t)skb->len);
	ip4_send_check(iph);
	skb->protocol = ETH_P_IP;
	emit(h, skb, STEP(IP, CSUM, "__ip_local_out", SRC_IP_OUT),
	     "__ip_local_out sets tot_len = %u and ip_send_check computes the header checksum 0x%04x in "
	     "software (the IPv4 header checksum is never offloaded).",
	     skb->len, ip4_hdr_check(iph));
	if (skb->len > h->mtu) {
		if (ip4_hdr_frag_off(iph) & IP_DF) {
			kfree_skb_reason(h, skb, PW_DROP_PKT_TOO_BIG, PW_LAYER_IP, "ip_fragment", SRC_IP_OUT,
					 "The packet is larger than the MTU and may not be fragmented (DF): "
					 "dropped, and the sender learns EMSGSIZE.");
			return PW_ERR_DROP;
		}
		emit(h, skb, STEP(IP, CALL, "__ip_finish_output", SRC_IP_OUT),
		     "ip_output -> __ip_finish_output: %u bytes do not fit the %u-byte MTU, so ip_fragment "
		     "splits the datagram.",
		     skb->len, h->mtu);
		return ip_fragment(h, skb, h->mtu);
	}
	emit(h, skb, STEP(IP, CALL, "ip_finish_output2", SRC_IP_OUT),
	     "ip_output -> ip_finish_output2: netfilter POST_ROUTING lets it pass, the packet fits the "
	     "MTU, and the neighbour of the next hop is looked up.");
	return neigh_output(h, daddr, skb);
}

/* ip_do_fragment's slow path: copy each piece into a new skb with its own
 * header. (For UDP, Linux usually builds the pieces already in
 * __ip_append_data and takes the fast path, which reuses them; the bytes
 * on the wire are the same.) */
int ip_fragment(struct pw_host *h, struct sk_buff *skb, uint32_t mtu)
{
	const uint8_t *iph = ip_hdr(skb);
	uint32_t hlen = ip4_hdr_len(iph);
	uint32_t left = skb->len - hlen;
	uint32_t chunk_max = (mtu - hlen) & ~7u;
	uint32_t offset = 0;
	uint32_t daddr = ip4_hdr_daddr(iph);
	int n = 0;

	while (left) {
		uint32_t chunk = left > chunk_max ? chunk_max : left;
		struct sk_buff *f = alloc_skb(h->pool, 16 + hlen + chunk);
		uint8_t *p;
		uint16_t frag_off;

		if (!f) {
			sim_fail(h->sim, "out of memory for a fragment");
			skb_free(skb);
			return PW_ERR_BROKEN;
		}
		skb_reserve(f, 16);
		p = skb_put(f, hlen + chunk);
		skb_reset_network_header(f);
		memcpy(p, iph, hlen);
		skb_copy_bits(skb, hlen + offset, p + hlen, chunk);
		frag_off = (uint16_t)((offset >> 3) | (left > chunk ? IP_MF : 0));
		ip4_hdr_set_frag_off(p, frag_off);
		ip4_hdr_set_tot_len(p, (uint16_t)(hlen + chunk));
		ip4_send_check(p);
		f->protocol = ETH_P_IP;
		f->priority = skb->priority;
		n++;
		emit(h, f, STEP(IP, PUT, "ip_frag_next", SRC_IP_OUT),
		     "Fragment %d: a new skb gets the IP header and payload bytes %u-%u (offset field %u, "
		     "MF %s) with its own header checksum.",
		     n, offset, offset + chunk - 1, offset >> 3, left > chunk ? "set" : "clear");
		offset += chunk;
		left -= chunk;
		if (neigh_output(h, daddr, f) == PW_ERR_BROKEN)
			break;
	}
	consume_skb(h, skb, PW_LAYER_IP, "ip_do_fragment", SRC_IP_OUT,
		    "All fragments are sent: the original datagram's skb is consumed.");
	return PW_OK;
}
