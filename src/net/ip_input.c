/* ip_input.c: IPv4 input (net/ipv4/ip_input.c): the checks of
 * ip_rcv_core, the routing decision, and delivery to TCP, UDP or ICMP. */
#include <stdio.h>

#include "net/host.h"
#include "proto/ip4.h"

static void ip_local_deliver(struct pw_host *h, struct sk_buff *skb);

/*
 * ip_rcv_core, after RFC 1122 3.2.1.1-3.2.1.3: a datagram is acceptable if
 *   1. the frame was addressed to this host (not PACKET_OTHERHOST);
 *   2. a 20-byte header is there, version 4, IHL at least 5;
 *   3. the whole header (IHL) is there;
 *   4. the header checksum is right;
 *   5. tot_len is at least the header and at most what arrived.
 * Link padding past tot_len is cut off. Each failure drops with its reason.
 */
void ip_rcv(struct pw_host *h, struct sk_buff *skb)
{
	struct ip4_info ip;
	struct pw_parse_err e;
	char msg[160];
	enum pw_drop reason;

	emit(h, skb, STEP(IP, CALL, "ip_list_rcv", SRC_IP_IN),
	     "ip_list_rcv -> ip_rcv_core: an IPv4 packet; the checks of RFC 1122 come first.");
	if (skb->pkt_type == PACKET_OTHERHOST) {
		kfree_skb_reason(h, skb, PW_DROP_OTHERHOST, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN,
				 "The frame was for another host's MAC address: dropped (OTHERHOST).");
		return;
	}
	if (ip4_parse(skb_data(skb), skb_headlen(skb), &ip, &e)) {
		pw_parse_err_format(&e, msg, sizeof(msg));
		reason = e.status == PW_PARSE_TRUNCATED ? PW_DROP_PKT_TOO_SMALL : PW_DROP_IP_INHDR;
		kfree_skb_reason(h, skb, reason, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN, msg);
		return;
	}
	if (!ip4_csum_ok(skb_data(skb), &ip)) {
		snprintf(msg, sizeof(msg),
			 "ip_fast_csum: the header checksum 0x%04x is wrong: dropped (IP_CSUM; IpExt "
			 "InCsumErrors).",
			 ip.check);
		kfree_skb_reason(h, skb, PW_DROP_IP_CSUM, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN, msg);
		return;
	}
	if (ip.tot_len > skb->len) {
		snprintf(msg, sizeof(msg), "truncated: IPv4 total length says %u bytes, %u arrived: dropped.",
			 ip.tot_len, skb->len);
		kfree_skb_reason(h, skb, PW_DROP_PKT_TOO_SMALL, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN, msg);
		return;
	}
	if (skb->len > ip.tot_len) {
		uint32_t pad = skb->len - ip.tot_len;

		skb_trim(skb, ip.tot_len);
		emit(h, skb, STEP(IP, TRIM, "pskb_trim_rcsum", SRC_IP_IN),
		     "pskb_trim_rcsum cuts the %u bytes of Ethernet padding after tot_len (%u): tail moves "
		     "back.",
		     pad, ip.tot_len);
	}
	skb_set_transport_header(skb, ip.ihl * 4);
	emit(h, skb, STEP(IP, CSUM, "ip_rcv_core", SRC_IP_IN),
	     "Version 4, header %u bytes, checksum right (always checked in software by ip_fast_csum), "
	     "tot_len %u: the transport header is set %u bytes past the network header.",
	     ip.ihl * 4u, ip.tot_len, ip.ihl * 4u);
	/* ip_rcv_finish: early demux or ip_route_input_noref. */
	if (ip.daddr != h->ip && ip.daddr != 0xffffffffu) {
		kfree_skb_reason(h, skb, PW_DROP_IP_INADDRERRORS, PW_LAYER_IP, "ip_rcv_finish", SRC_IP_IN,
				 "The route lookup finds the destination is not a local address and forwarding "
				 "is off: dropped.");
		return;
	}
	emit(h, skb, STEP(IP, CALL, "ip_rcv_finish", SRC_IP_IN),
	     "ip_rcv_finish: netfilter PRE_ROUTING passes and the route says the destination is this "
	     "host: dst_input -> ip_local_deliver.");
	ip_local_deliver(h, skb);
}

static void ip_local_deliver(struct pw_host *h, struct sk_buff *skb)
{
	const uint8_t *iph;
	uint32_t ihl;
	uint8_t protocol;

	if (get_be16(skb_network_header(skb) + 6) & (IP_MF | IP_OFFSET)) {
		skb = ip_defrag(h, skb);
		if (!skb)
			return;
	}
	iph = skb_network_header(skb);
	ihl = (iph[0] & 15u) * 4u;
	protocol = iph[9];
	skb_pull(skb, ihl);
	emit(h, skb, STEP(IP, PULL, "ip_local_deliver_finish", SRC_IP_IN),
	     "ip_local_deliver_finish: __skb_pull(%u) moves data past the IP header to the %s header "
	     "and ip_protocol_deliver_rcu calls its handler.",
	     ihl, protocol == IPPROTO_TCP ? "TCP" : protocol == IPPROTO_UDP ? "UDP" : protocol == IPPROTO_ICMP ? "ICMP" : "unknown");
	switch (protocol) {
	case IPPROTO_TCP:
		tcp_v4_rcv(h, skb);
		break;
	case IPPROTO_UDP:
		udp_rcv(h, skb);
		break;
	case IPPROTO_ICMP:
		icmp_rcv(h, skb);
		break;
	default:
		kfree_skb_reason(h, skb, PW_DROP_IP_NOPROTO, PW_LAYER_IP, "ip_protocol_deliver_rcu", SRC_IP_IN,
				 "No handler for this IP protocol: dropped (IP_NOPROTO).");
	}
}
