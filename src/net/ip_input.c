/* ip_input.c: IPv4 input (net/ipv4/ip_input.c): the checks of
 * ip_rcv_core, the routing decision, and delivery to TCP, UDP or ICMP. */
#include <stdio.h>
#include <string.h>

#include "net/host.h"
#include "net/icmp.h"
#include "net/ip.h"
#include "net/skbuff.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "proto/csum.h"
#include "proto/ip4.h"

static void ip_local_deliver(struct pw_host *h, struct sk_buff *skb);

/* ip_rcv_core's inhdr_error: label. */
static void ip_inhdr_error(struct pw_host *h, struct sk_buff *skb, const struct pw_parse_err *e)
{
	char msg[160];
	size_t n = (size_t)pw_parse_err_format(e, msg, sizeof(msg));

	if (n >= sizeof(msg))
		n = sizeof(msg) - 1;
	snprintf(msg + n, sizeof(msg) - n, ": dropped (IP_INHDR; Ip InHdrErrors).");
	kfree_skb_reason(h, skb, PW_DROP_IP_INHDR, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN, msg);
}

/*
 * ip_rcv_core, after RFC 1122 3.2.1.1-3.2.1.3, in the kernel's order: a
 * datagram is acceptable if
 *   1. the frame was addressed to this host (not PACKET_OTHERHOST);
 *   2. a 20-byte header is there, version 4, IHL at least 5, and the whole
 *      header (IHL) is there: else IP_INHDR (pskb_may_pull failing is a
 *      header error too, not PKT_TOO_SMALL);
 *   3. the header checksum is right: else IP_CSUM;
 *   4. tot_len is at most what arrived (else PKT_TOO_SMALL) and at least
 *      the header (else IP_INHDR).
 * Link padding past tot_len is cut off. Each failure drops with its reason.
 */
void ip_rcv(struct pw_host *h, struct sk_buff *skb)
{
	const uint8_t *iph = skb_data(skb);
	struct ip4_info ip;
	struct pw_parse_err e;
	char msg[160];

	emit(h, skb, STEP(IP, CALL, "ip_list_rcv", SRC_IP_IN),
	     "ip_list_rcv -> ip_rcv_core: an IPv4 packet; the checks of RFC 1122 come first.");
	if (skb->pkt_type == PACKET_OTHERHOST) {
		kfree_skb_reason(h, skb, PW_DROP_OTHERHOST, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN,
				 "The frame was for another host's MAC address: dropped (OTHERHOST).");
		return;
	}
	/* ip4_parse checks tot_len against the header too, which the kernel
	 * does only after the checksum: a bad checksum is told first. */
	if (ip4_parse(skb_data(skb), skb_headlen(skb), &ip, &e) &&
	    !(e.status == PW_PARSE_INVALID && !strcmp(e.field, "tot_len"))) {
		ip_inhdr_error(h, skb, &e);
		return;
	}
	/* From here the 20-byte header, and IHL's worth of it, are there. */
	if (ip_fast_csum(iph, ip4_hdr_len(iph) / 4)) {
		snprintf(msg, sizeof(msg),
			 "ip_fast_csum: the header checksum 0x%04x is wrong: dropped (IP_CSUM; IpExt "
			 "InCsumErrors).",
			 ip4_hdr_check(iph));
		kfree_skb_reason(h, skb, PW_DROP_IP_CSUM, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN, msg);
		return;
	}
	if (ip4_hdr_tot_len(iph) > skb->len) {
		snprintf(msg, sizeof(msg),
			 "truncated: IPv4 total length says %u bytes, %u arrived: dropped (PKT_TOO_SMALL; "
			 "Ip InTruncatedPkts).",
			 ip4_hdr_tot_len(iph), skb->len);
		kfree_skb_reason(h, skb, PW_DROP_PKT_TOO_SMALL, PW_LAYER_IP, "ip_rcv_core", SRC_IP_IN, msg);
		return;
	}
	if (e.status != PW_PARSE_OK) {
		ip_inhdr_error(h, skb, &e);
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

	if (ip4_hdr_frag_off(ip_hdr(skb)) & (IP_MF | IP_OFFSET)) {
		skb = ip_defrag(h, skb);
		if (!skb)
			return;
	}
	iph = ip_hdr(skb);
	ihl = ip4_hdr_len(iph);
	protocol = ip4_hdr_protocol(iph);
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
