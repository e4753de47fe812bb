/* ip_output.c: IPv4 output (net/ipv4/ip_output.c): the header, the
 * route, the MTU check, and the hand-off to the neighbour layer. */
#include <string.h>

#include "net/host.h"
#include "proto/ip4.h"

#define IPDEFTTL 64

/* ip_idents: ids for datagrams that are not on a connected socket come
 * from a hashed, randomly stepped counter; the model steps a generator. */
uint16_t ip_select_ident(struct pw_host *h)
{
	h->ip_id_state = h->ip_id_state * 1103515245u + 12345u;
	return (uint16_t)(h->ip_id_state >> 16);
}

static void ip_addr(uint32_t a, char *buf) { ip4_addr_format(a, buf); }

void ip_apply_replay(const struct pw_world *w, struct ip4_info *ip)
{
	if (!w->replay_ip)
		return;
	ip->tos = w->replay_ip->tos;
	ip->id = w->replay_ip->id;
	ip->frag_off = w->replay_ip->frag_off;
	ip->ttl = w->replay_ip->ttl;
}

/* func: the kernel function doing this here: __ip_queue_xmit for a
 * connected socket's segments, ip_build_and_send_pkt for a SYN-ACK,
 * ip_send_unicast_reply for a RST. */
int ip_queue_xmit(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, uint8_t protocol, int df,
		  uint16_t id, const char *func)
{
	struct ip4_info ip;
	uint8_t *p;
	char d[16] = "";

	if (h->w->keep)
		ip_addr(sk->daddr, d);
	emit(h, skb, STEP(IP, CALL, func, SRC_IP_OUT),
	     "%s: the route to %s says it is on the local link, out of eth0.", func, d);
	p = skb_push(skb, IP4_HLEN);
	if (!p) {
		world_fail(h->w, "%s", h->w->pool.err);
		skb_free(skb);
		return -1;
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
	ip_apply_replay(h->w, &ip);
	ip4_build(p, &ip);
	emit(h, skb, STEP(IP, PUSH, func, SRC_IP_OUT),
	     "skb_push(20) and the IPv4 header is written: id %u, %s, TTL %u, protocol %u; network header "
	     "= %u.",
	     ip.id, (ip.frag_off & IP_DF) ? "DF (path MTU discovery)" : "fragments allowed", ip.ttl, protocol,
	     skb->network_header);
	return ip_local_out(h, skb);
}

/* ip_local_out -> ip_output -> ip_finish_output -> ip_finish_output2. */
int ip_local_out(struct pw_host *h, struct sk_buff *skb)
{
	uint8_t *iph = skb_network_header(skb);
	uint32_t daddr = get_be32(iph + 16);

	put_be16(iph + 2, (uint16_t)skb->len);
	ip4_send_check(iph);
	skb->protocol = ETH_P_IP;
	emit(h, skb, STEP(IP, CSUM, "__ip_local_out", SRC_IP_OUT),
	     "__ip_local_out sets tot_len = %u and ip_send_check computes the header checksum 0x%04x in "
	     "software (the IPv4 header checksum is never offloaded).",
	     skb->len, get_be16(iph + 10));
	if (skb->len > h->mtu) {
		if (get_be16(iph + 6) & IP_DF) {
			kfree_skb_reason(h, skb, PW_DROP_PKT_TOO_BIG, PW_LAYER_IP, "ip_fragment", SRC_IP_OUT,
					 "The packet is larger than the MTU and may not be fragmented (DF): "
					 "dropped, and the sender learns EMSGSIZE.");
			return -1;
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
 * on the wire are the same.) Consumes skb. */
int ip_fragment(struct pw_host *h, struct sk_buff *skb, uint32_t mtu)
{
	const uint8_t *iph = skb_network_header(skb);
	uint32_t hlen = (iph[0] & 15u) * 4u;
	uint32_t left = skb->len - hlen;
	uint32_t chunk_max = (mtu - hlen) & ~7u;
	uint32_t offset = 0;
	uint32_t daddr = get_be32(iph + 16);
	int n = 0;

	while (left) {
		uint32_t chunk = left > chunk_max ? chunk_max : left;
		struct sk_buff *f = alloc_skb(&h->w->pool, 16 + hlen + chunk);
		uint8_t *p;
		uint16_t frag_off;

		if (!f) {
			world_fail(h->w, "out of memory for a fragment");
			skb_free(skb);
			return -1;
		}
		skb_reserve(f, 16);
		p = skb_put(f, hlen + chunk);
		skb_reset_network_header(f);
		memcpy(p, iph, hlen);
		skb_copy_bits(skb, hlen + offset, p + hlen, chunk);
		frag_off = (uint16_t)((offset >> 3) | (left > chunk ? IP_MF : 0));
		put_be16(p + 6, frag_off);
		put_be16(p + 2, (uint16_t)(hlen + chunk));
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
		if (neigh_output(h, daddr, f) < 0 && h->w->failed)
			break;
	}
	consume_skb(h, skb, PW_LAYER_IP, "ip_do_fragment", SRC_IP_OUT,
		    "All fragments are sent: the original datagram's skb is consumed.");
	return 0;
}
