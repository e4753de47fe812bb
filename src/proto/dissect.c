/* dissect.c: a captured frame read layer by layer with the stack's own
 * header parsers (eth_parse, ip4_parse, tcp_parse, udp_parse, icmp_parse,
 * arp_parse, ip6_parse), saying where and why the reading stopped and
 * whether the stack model could walk the frame.
 *
 * The link-layer encapsulations the stack itself never builds (802.1Q tags,
 * Linux cooked headers, the BSD loopback family word) have no parser in
 * proto/; they are a length check and one or two big-endian fields each,
 * read here through wire.h's getters. Every other header goes through the
 * parser the receive path calls, so a disagreement with tshark is a finding
 * about the stack's parser, not about a second copy of it.
 *
 * The frame is read, never written. Each layer's window is the captured
 * bytes left, and, once the IP header has vouched for a total length the
 * frame holds, only the datagram (as ip_rcv_core trims link padding with
 * pskb_trim_rcsum, and as tshark narrows its buffer).
 */
#include "proto/dissect.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* LINKTYPE_* values (www.tcpdump.org/linktypes.html) read here. The DLT
 * values 12 and 14 are what libpcap hands back for raw IP on Linux and
 * OpenBSD; they are accepted as raw too so that a caller passing a DLT
 * instead of a LINKTYPE still gets the frame read. */
#define LT_NULL 0
#define LT_ETHERNET 1
#define LT_DLT_RAW 12
#define LT_DLT_RAW_OPENBSD 14
#define LT_RAW 101
#define LT_LOOP 108
#define LT_LINUX_SLL 113
#define LT_IPV4 228
#define LT_IPV6 229
#define LT_LINUX_SLL2 276

#define SLL_HLEN 16
#define SLL2_HLEN 20
#define NULL_HLEN 4
#define VLAN_HLEN 4
#define ETH_P_8021AD 0x88A8
#define ETH_P_QINQ_OLD 0x9100  /* pre-standard QinQ; tshark reads it as 802.1Q */
#define ETH_P_802_3_MAX 1500   /* up to here the Ethernet "type" is an 802.3 length */
#define ETH_P_TYPE_MIN 0x0600  /* from here it is an ethertype; between, neither */
#define ARPHRD_FRAD 770
#define ARPHRD_IEEE80211_RADIOTAP 803
#define ARPHRD_NETLINK 824

struct name {
	unsigned int value;
	const char *text;
};

static const struct name linktype_names[] = {
	{ 3, "AX.25" },         { 6, "Token Ring" },       { 7, "ARCNET" },
	{ 8, "SLIP" },          { 9, "PPP" },              { 10, "FDDI" },
	{ 50, "PPP in HDLC" },  { 51, "PPPoE" },           { 104, "Cisco HDLC" },
	{ 105, "IEEE 802.11" }, { 107, "Frame Relay" },    { 113, "Linux cooked" },
	{ 117, "pflog" },       { 119, "802.11 Prism" },   { 127, "802.11 radiotap" },
	{ 129, "ARCNET Linux" }, { 138, "Apple IP over IEEE 1394" },
	{ 139, "MTP2 with pseudo-header" }, { 143, "DOCSIS" },
	{ 147, "user 0" },      { 163, "802.11 AVS" },     { 165, "BACnet MS/TP" },
	{ 166, "PPP with direction" }, { 187, "Bluetooth HCI H4" },
	{ 189, "USB Linux" },   { 192, "PPI" },            { 195, "IEEE 802.15.4" },
	{ 197, "ERF" },         { 201, "Bluetooth HCI H4 with phdr" },
	{ 204, "PPP with direction" }, { 215, "IEEE 802.15.4 non-ASK PHY" },
	{ 220, "USB Linux mmapped" }, { 227, "SocketCAN" },
	{ 230, "IEEE 802.15.4 no FCS" },
	{ 231, "D-Bus" },       { 235, "DVB-CI" },         { 239, "nflog" },
	{ 240, "Netanalyzer" }, { 247, "IP over InfiniBand" },
	{ 249, "USB Linux mmapped" }, { 253, "netlink" },
	{ 254, "Bluetooth Linux monitor" }, { 256, "PKTAP" },
	{ 258, "EPON" },        { 263, "Bluetooth LE LL" }, { 264, "Wireshark upper PDU" },
	{ 281, "DSA tag" },     { 0, NULL },
};

static const struct name ethertype_names[] = {
	{ 0x0200, "Xerox PUP" }, { 0x0600, "XNS IDP" }, { 0x0842, "Wake-on-LAN" },
	{ 0x22f0, "AVTP" },     { 0x22f3, "TRILL" },   { 0x6002, "DEC MOP" },
	{ 0x6003, "DECnet" },   { 0x6004, "DEC LAT" }, { 0x8035, "RARP" },
	{ 0x809b, "AppleTalk" }, { 0x80f3, "AARP" },   { 0x8137, "IPX" },
	{ 0x8204, "QNX Qnet" }, { 0x86dd, "IPv6" },    { 0x8808, "Ethernet flow control" },
	{ 0x8809, "slow protocols (LACP)" }, { 0x8819, "CobraNet" },
	{ 0x8847, "MPLS" },     { 0x8848, "MPLS multicast" }, { 0x8863, "PPPoE discovery" },
	{ 0x8864, "PPPoE session" }, { 0x887b, "HomePlug" }, { 0x888e, "EAPOL" },
	{ 0x8892, "PROFINET" }, { 0x889a, "HyperSCSI" }, { 0x88a2, "ATA over Ethernet" },
	{ 0x88a4, "EtherCAT" }, { 0x88b5, "local experimental" },
	{ 0x88b6, "local experimental" }, { 0x88b8, "GOOSE" }, { 0x88ba, "IEC 61850 SV" },
	{ 0x88cc, "LLDP" },     { 0x88cd, "SERCOS III" }, { 0x88e1, "HomePlug AV" },
	{ 0x88e3, "MRP" },      { 0x88e5, "MACsec" },  { 0x88e7, "802.1ah PBB" },
	{ 0x88f7, "PTP" },      { 0x88f8, "NC-SI" },   { 0x88fb, "PRP" },
	{ 0x8902, "CFM" },      { 0x8906, "FCoE" },    { 0x8914, "FIP" },
	{ 0x891d, "TTEthernet" }, { 0x892f, "HSR" },   { 0x893a, "IEEE 1905.1" },
	{ 0x8947, "GeoNetworking" }, { 0x9000, "loopback (CTP)" }, { 0, NULL },
};

static const struct name ipproto_names[] = {
	{ 0, "hop-by-hop options" }, { 1, "ICMP" },   { 2, "IGMP" },    { 4, "IP-in-IP" },
	{ 6, "TCP" },           { 8, "EGP" },      { 9, "IGP" },      { 17, "UDP" },
	{ 27, "RDP" },          { 33, "DCCP" },    { 41, "IPv6" },    { 43, "IPv6 routing header" },
	{ 44, "IPv6 fragment header" }, { 46, "RSVP" }, { 47, "GRE" }, { 50, "ESP" },
	{ 51, "AH" },           { 58, "ICMPv6" },  { 59, "no next header" },
	{ 60, "IPv6 destination options" }, { 88, "EIGRP" }, { 89, "OSPF" },
	{ 94, "IPIP (KA9Q)" },  { 97, "EtherIP" }, { 98, "ENCAP" },   { 103, "PIM" },
	{ 108, "IPComp" },      { 112, "VRRP" },   { 113, "PGM" },    { 115, "L2TP" },
	{ 124, "IS-IS" },       { 132, "SCTP" },   { 133, "Fibre Channel" },
	{ 135, "mobility header" }, { 136, "UDP-Lite" }, { 137, "MPLS in IP" },
	{ 139, "HIP" },         { 140, "shim6" },  { 143, "Ethernet" }, { 0, NULL },
};

/*
 * Link types whose records start with a capture pseudo-header (metadata
 * from the capturing host, not bytes of the frame): wiretap takes it off,
 * so tshark's frame.len and frame.cap_len leave it out. ERF's varies with
 * its extension headers and is not counted here.
 */
static uint32_t pseudo_header_len(int linktype)
{
	switch (linktype) {
	case 204: /* PPP with direction */
		return 1;
	case 245: /* NFC LLCP */
		return 2;
	case 123: /* SunATM */
	case 139: /* MTP2 with pseudo-header */
	case 201: /* Bluetooth HCI H4 with pseudo-header */
	case 254: /* Bluetooth Linux monitor */
		return 4;
	case 196: /* SITA */
	case 209: /* Linux I2C */
		return 5;
	case 144: /* Linux IrDA */
	case 177: /* Linux LAPD */
		return 16;
	default:
		return 0;
	}
}

static const char *name_of(const struct name *t, unsigned int value)
{
	for (; t->text; t++)
		if (t->value == value)
			return t->text;
	return NULL;
}

/* Dissection stops here: the reason becomes the note and, since a frame
 * the dissector cannot read is one the model cannot walk, the reason for
 * that too. Only frames that stop pay for the formatting. */
static void stop(struct pw_dissection *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void stop(struct pw_dissection *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->note, sizeof(d->note), fmt, ap);
	va_end(ap);
	d->unwalkable = d->note;
}

static void stop_parse(struct pw_dissection *d, const struct pw_parse_err *e)
{
	pw_parse_err_format(e, d->note, sizeof(d->note));
	d->unwalkable = d->note;
}

/* The frame is read in full but the model cannot walk it: the first reason
 * found is kept (a later stop() replaces it with the stop reason). */
static void not_walkable(struct pw_dissection *d, const char *why)
{
	if (!d->unwalkable)
		d->unwalkable = why;
}

/* A layer too short for its fixed header, said the way the parsers say it. */
static void stop_short(struct pw_dissection *d, const char *proto, uint32_t need, uint32_t have)
{
	struct pw_parse_err e;

	pw_parse_truncated(&e, proto, "header", need, have);
	stop_parse(d, &e);
}

/*
 * The bytes a layer starting at off may read: what was captured, less
 * what lies past the end of the enclosing datagram (end is an offset in
 * the frame).
 */
static uint32_t window(const struct pw_dissection *d, uint32_t off, uint32_t end)
{
	uint32_t lim = d->caplen < end ? d->caplen : end;

	return lim > off ? lim - off : 0;
}

/*
 * Where a datagram starting at off with header-declared size dlen ends, as
 * tshark sets it: at off + dlen when the frame on the wire holds that much,
 * at the end of the frame otherwise (the length lies, or the IP layer sits
 * inside an error message). tcp.len follows from it.
 */
static uint32_t datagram_end(const struct pw_dissection *d, uint32_t off, uint32_t dlen)
{
	uint32_t reported = d->len > off ? d->len - off : 0;

	return off + (dlen <= reported ? dlen : reported);
}

/* What follows the network header is not read: say what it is. */
static void stop_protocol(struct pw_dissection *d, uint8_t proto)
{
	const char *n = name_of(ipproto_names, proto);

	if (d->have & PW_HAVE_IP6)
		stop(d, "IPv6 next header %u%s%s%s is not read", proto, n ? " (" : "", n ? n : "", n ? ")" : "");
	else
		stop(d, "IPv4 protocol %u%s%s%s is not modelled", proto, n ? " (" : "", n ? n : "",
		     n ? ")" : "");
}

/*
 * The transport header at off, in a datagram that ends at end (an offset
 * in the frame). ICMP here is ICMP for IPv4 only (icmp_ok); ICMPv6 is
 * another protocol.
 */
static void dissect_transport(struct pw_dissection *d, const uint8_t *frame, uint8_t proto,
			      uint32_t off, uint32_t end, int icmp_ok)
{
	uint32_t have = window(d, off, end);
	const uint8_t *p = frame + off;
	struct pw_parse_err e;

	d->l4_off = off;
	switch (proto) {
	case IPPROTO_TCP:
		if (tcp_parse(p, have, &d->tcp, &e)) {
			stop_parse(d, &e);
			return;
		}
		d->have |= PW_HAVE_TCP;
		/* tcp.flags is the 12 bits after the data offset: the 8 flags
		 * tcp_parse keeps, plus AE (ex-NS) and three reserved bits,
		 * which tcp_parse has proved captured (20 bytes at least). */
		d->tcp_flags = (uint16_t)(((p[12] & 0x0f) << 8) | d->tcp.flags);
		/* As tshark, which does not guess a fragment's segment length. */
		if (!(d->have & PW_HAVE_IP) || !(d->ip.frag_off & IP_MF)) {
			d->have |= PW_HAVE_TCP_LEN;
			d->tcp_payload = end - off - (uint32_t)d->tcp.doff * 4;
		}
		break;
	case IPPROTO_UDP:
		if (udp_parse(p, have, &d->udp, &e)) {
			stop_parse(d, &e);
			return;
		}
		d->have |= PW_HAVE_UDP;
		break;
	case IPPROTO_ICMP:
		if (!icmp_ok)
			goto other;
		if (icmp_parse(p, have, &d->icmp, &e)) {
			stop_parse(d, &e);
			return;
		}
		d->have |= PW_HAVE_ICMP;
		break;
	default:
	other:
		stop_protocol(d, proto);
		return;
	}
}

/*
 * Whether the options of a parsed IPv4 header (hlen bytes, all captured)
 * hold a loose or strict source route. The walk is lenient on purpose (it
 * steps over EOL as over NOP and stops only at a length that cannot be),
 * so that it finds every route a stricter reader could find.
 */
static int ip4_source_routed(const uint8_t *iph, uint32_t hlen)
{
	uint32_t i = IP4_HLEN;

	while (i < hlen) {
		uint8_t kind = iph[i], len;

		if (kind == 0 || kind == 1) {
			i++;
			continue;
		}
		if (hlen - i < 2)
			return 0;
		len = iph[i + 1];
		if (len < 2 || len > hlen - i)
			return 0;
		if (kind == 131 || kind == 137)
			return 1;
		i += len;
	}
	return 0;
}

/*
 * The IPv4 options whose definition fixes their length, or a least length
 * (as tshark's table has them, from RFC 791, 1108, 1393, 1770, 2113, 4782
 * and the CIPSO draft). Other kinds have no rule beyond the length byte.
 */
struct ip4_opt_rule {
	uint8_t kind;
	uint8_t fixed;   /* the length, or 0 */
	uint8_t least;   /* the least length, or 0 */
	const char *name;
};

static const struct ip4_opt_rule ip4_opt_rules[] = {
	{ 7, 0, 3, "Record Route" },
	{ 11, 4, 0, "MTU Probe" },
	{ 12, 4, 0, "MTU Reply" },
	{ 25, 8, 0, "Quick-Start" },
	{ 68, 0, 4, "Timestamp" },
	{ 82, 12, 0, "Traceroute" },
	{ 130, 0, 3, "Security" },
	{ 131, 0, 3, "Loose Source Route" },
	{ 133, 0, 3, "Extended Security" },
	{ 134, 0, 10, "CIPSO" },
	{ 136, 4, 0, "Stream ID" },
	{ 137, 0, 3, "Strict Source Route" },
	{ 148, 4, 0, "Router Alert" },
	{ 149, 0, 6, "Selective Directed Broadcast" },
};

/*
 * Walks the options of a parsed IPv4 header (hlen bytes, all captured) as
 * far as tshark does (to EOL, or to a length that cannot be) and returns
 * the rule the first option breaks, its length in *len_out, or NULL.
 * tshark reads such an option past its end, which aborts the rest of its
 * reading of the datagram: the transport is then left unread here too.
 */
static const struct ip4_opt_rule *ip4_bad_option(const uint8_t *iph, uint32_t hlen, uint8_t *len_out)
{
	uint32_t i = IP4_HLEN;

	while (i < hlen) {
		uint8_t kind = iph[i], len;

		if (kind == 0)
			return NULL;
		if (kind == 1) {
			i++;
			continue;
		}
		if (hlen - i < 2)
			return NULL;
		len = iph[i + 1];
		if (len < 2 || len > hlen - i)
			return NULL;
		for (size_t k = 0; k < sizeof(ip4_opt_rules) / sizeof(ip4_opt_rules[0]); k++) {
			const struct ip4_opt_rule *r = &ip4_opt_rules[k];

			if (r->kind == kind && ((r->fixed && len != r->fixed) || len < r->least)) {
				*len_out = len;
				return r;
			}
		}
		i += len;
	}
	return NULL;
}

/*
 * IPv4 as ip_rcv_core checks it (ip4_parse); then what keeps the transport
 * from being read here: a source route (the header's destination is not
 * the datagram's), a fragment (one with an offset has no transport header;
 * a first fragment's is read from the reassembled datagram, which one
 * frame does not hold), an option whose length breaks its definition.
 */
static void dissect_ip4(struct pw_dissection *d, const uint8_t *frame, uint32_t off)
{
	struct pw_parse_err e;
	uint32_t hlen, end;

	d->l3_off = off;
	if (ip4_parse(frame + off, d->caplen - off, &d->ip, &e)) {
		stop_parse(d, &e);
		return;
	}
	hlen = (uint32_t)d->ip.ihl * 4;
	/* With a source route, the datagram's destination is the route's last
	 * address (tshark's ip.dst, and where Linux's ip_options_rcv_srr sends
	 * it), not the header's daddr: the model has no such routing, and the
	 * IPv4 layer is left unclaimed rather than given two destinations. */
	if (hlen > IP4_HLEN && ip4_source_routed(frame + off, hlen)) {
		stop(d, "IPv4 source route option (LSRR/SSRR) is not modelled: the destination is the "
			"route's last address, not the header's");
		return;
	}
	d->have |= PW_HAVE_IP;
	end = datagram_end(d, off, d->ip.tot_len);
	if (d->ip.frag_off & IP_OFFSET) {
		stop(d, "IPv4 fragment (offset > 0): the transport header is in the first fragment");
		return;
	}
	if (d->ip.frag_off & IP_MF) {
		/* tshark queues a first fragment captured whole for reassembly
		 * and reads its transport only from the reassembled datagram;
		 * one captured in part it reads as it is, and so do we. */
		if ((uint64_t)off + d->ip.tot_len <= d->caplen) {
			stop(d, "IPv4 first fragment (MF set): the transport header is read from "
				"the reassembled datagram");
			return;
		}
		not_walkable(d, "IPv4 first fragment (MF set): the rest of the datagram is in other "
				"frames");
	}
	if (end < off + hlen) {
		/* The wire frame is shorter than the header it carries. */
		stop_short(d, "IPv4", hlen, d->len > off ? d->len - off : 0);
		return;
	}
	if (hlen > IP4_HLEN) {
		uint8_t olen;
		const struct ip4_opt_rule *r = ip4_bad_option(frame + off, hlen, &olen);

		if (r) {
			stop(d, "invalid: IPv4 option %u (%s) has length %u (must be %s%u)", r->kind, r->name,
			     olen, r->fixed ? "" : "at least ", r->fixed ? r->fixed : r->least);
			return;
		}
	}
	dissect_transport(d, frame, d->ip.protocol, off + hlen, end, 1);
	/* tshark's expert note, for a datagram the frame cannot hold. The
	 * layers stay claimed (tshark reads them to the frame's end) and the
	 * model walks the frame to ip_rcv_core, which drops it. */
	if (!d->note[0] && d->len - off < d->ip.tot_len)
		snprintf(d->note, sizeof(d->note), "IPv4 total length exceeds packet length: %u bytes, %u in the frame",
			 d->ip.tot_len, d->len - off);
}

/*
 * IPv6's fixed header; then TCP or UDP when they follow it directly. The
 * model has no IPv6, so this is for reading only.
 */
static void dissect_ip6(struct pw_dissection *d, const uint8_t *frame, uint32_t off)
{
	struct pw_parse_err e;
	uint32_t end;

	d->l3_off = off;
	if (ip6_parse(frame + off, d->caplen - off, &d->ip6, &e)) {
		stop_parse(d, &e);
		return;
	}
	d->have |= PW_HAVE_IP6;
	not_walkable(d, "IPv6 is not modelled");
	if (d->ip6.payload_len == 0) {
		stop(d, "IPv6 payload length 0 (a jumbogram or TSO) is not read");
		return;
	}
	/* Extension headers have no parser here, nor ICMPv6. */
	if (d->ip6.nexthdr != IPPROTO_TCP && d->ip6.nexthdr != IPPROTO_UDP) {
		stop_protocol(d, d->ip6.nexthdr);
		return;
	}
	end = datagram_end(d, off, (uint32_t)d->ip6.payload_len + IP6_HLEN);
	if (end < off + IP6_HLEN) {
		stop_short(d, "IPv6", IP6_HLEN, d->len > off ? d->len - off : 0);
		return;
	}
	dissect_transport(d, frame, d->ip6.nexthdr, off + IP6_HLEN, end, 0);
}

static void dissect_arp(struct pw_dissection *d, const uint8_t *frame, uint32_t off)
{
	struct pw_parse_err e;

	d->l3_off = off;
	if (arp_parse(frame + off, d->caplen - off, &d->arp, &e)) {
		stop_parse(d, &e);
		return;
	}
	d->have |= PW_HAVE_ARP;
}

/* The network layer named by an ethertype, at off. */
static void dissect_network(struct pw_dissection *d, const uint8_t *frame, uint16_t type, uint32_t off)
{
	const char *n;

	d->ethertype = type;
	switch (type) {
	case ETH_P_IP:
		dissect_ip4(d, frame, off);
		return;
	case ETH_P_IPV6:
		dissect_ip6(d, frame, off);
		return;
	case ETH_P_ARP:
		dissect_arp(d, frame, off);
		return;
	}
	n = name_of(ethertype_names, type);
	stop(d, "ethertype 0x%04x%s%s%s is not modelled", type, n ? " (" : "", n ? n : "", n ? ")" : "");
}

/* Raw IP: the version nibble says which (what tshark's raw dissector does). */
static void dissect_raw(struct pw_dissection *d, const uint8_t *frame)
{
	uint8_t version;

	if (d->caplen < 1) {
		stop_short(d, "raw IP", 1, 0);
		return;
	}
	version = frame[0] >> 4;
	if (version == 4)
		dissect_network(d, frame, ETH_P_IP, 0);
	else if (version == 6)
		dissect_network(d, frame, ETH_P_IPV6, 0);
	else
		stop(d, "raw IP version %u is neither 4 nor 6", version);
}

/*
 * Ethernet II, then any 802.1Q (0x8100), 802.1ad (0x88a8) or old QinQ
 * (0x9100) tags. vlan_id is the first 802.1Q tag's VID: tshark reads an
 * 802.1ad S-tag as ieee8021ad.svid, not vlan.id, and the C-tag after it as
 * vlan.id.
 */
static void dissect_eth(struct pw_dissection *d, const uint8_t *frame)
{
	struct pw_parse_err e;
	uint32_t off = ETH_HLEN;
	uint16_t type;

	if (eth_parse(frame, d->caplen, &d->eth, &e)) {
		stop_parse(d, &e);
		return;
	}
	type = d->eth.proto;
	/* Cisco ISL wraps a whole frame behind a header that looks like an
	 * 802.3 one with this destination prefix; its Ethernet addresses are
	 * the inner frame's (tshark reads them there), not these. */
	if (type <= ETH_P_802_3_MAX && (frame[0] == 0x01 || frame[0] == 0x0c) && frame[1] == 0x00 &&
	    frame[2] == 0x0c && frame[3] == 0x00 && frame[4] == 0x00) {
		stop(d, "Cisco ISL (destination 01:00:0c:00:00:xx) is not read");
		return;
	}
	d->have |= PW_HAVE_ETH;
	if (type <= ETH_P_802_3_MAX) {
		stop(d, "802.3 frame (a length, not an ethertype: LLC) is not modelled");
		return;
	}
	if (type < ETH_P_TYPE_MIN) {
		stop(d, "invalid: Ethernet type/length %u (a length is at most 1500, a type at least 1536)",
		     type);
		return;
	}
	while (type == ETH_P_8021Q || type == ETH_P_8021AD || type == ETH_P_QINQ_OLD) {
		/* The VID is in the tag's first two bytes: known even if the
		 * type after it was not captured. */
		if (d->caplen - off >= 2 && type != ETH_P_8021AD && !(d->have & PW_HAVE_VLAN)) {
			d->have |= PW_HAVE_VLAN;
			d->vlan_id = get_be16(frame + off) & 0x0fff;
		}
		if (d->caplen - off < VLAN_HLEN) {
			stop_short(d, type == ETH_P_8021AD ? "802.1ad tag" : "802.1Q tag", VLAN_HLEN,
				   d->caplen - off);
			return;
		}
		type = get_be16(frame + off + 2);
		off += VLAN_HLEN;
		not_walkable(d, "VLAN tags are not modelled");
	}
	if (type <= ETH_P_802_3_MAX) {
		stop(d, "802.3 length after a VLAN tag (LLC) is not modelled");
		return;
	}
	dissect_network(d, frame, type, off);
}

/*
 * Linux cooked v1 (16 bytes, protocol at 14) and v2 (20 bytes, protocol
 * at 0). The protocol is an ethertype unless the device type says it is
 * something else (a netlink family, an 802.11 frame) or it is one of the
 * small LINUX_SLL_P_* values (802.2, CAN, ...). On an IP GRE device it is
 * GRE's protocol type, which is an ethertype too.
 */
static void dissect_sll(struct pw_dissection *d, const uint8_t *frame, int v2)
{
	uint32_t hlen = v2 ? SLL2_HLEN : SLL_HLEN;
	uint16_t hatype, proto;

	if (d->caplen < hlen) {
		stop_short(d, v2 ? "Linux cooked v2" : "Linux cooked", hlen, d->caplen);
		return;
	}
	hatype = get_be16(frame + (v2 ? 8 : 2));
	proto = get_be16(frame + (v2 ? 0 : 14));
	switch (hatype) {
	case ARPHRD_NETLINK:
		stop(d, "Linux cooked netlink (family %u) is not read", proto);
		return;
	case ARPHRD_IEEE80211_RADIOTAP:
	case ARPHRD_FRAD:
		stop(d, "Linux cooked device type %u is not read", hatype);
		return;
	}
	if (proto <= ETH_P_802_3_MAX) {
		stop(d, "Linux cooked protocol 0x%04x (not an ethertype) is not read", proto);
		return;
	}
	dissect_network(d, frame, proto, hlen);
}

/*
 * BSD loopback: a 4-byte address family, in the capturing host's byte
 * order for NULL (so both are tried: a family fits in the low 16 bits),
 * in network order for LOOP. IPv6's family differs between the BSDs.
 */
static void dissect_null(struct pw_dissection *d, const uint8_t *frame, int loop)
{
	uint32_t family;

	if (d->caplen < NULL_HLEN) {
		stop_short(d, "loopback", NULL_HLEN, d->caplen);
		return;
	}
	family = get_be32(frame);
	if (!loop && (family & 0xffff0000u))
		family = ((family & 0xff) << 24) | ((family & 0xff00) << 8) | ((family >> 8) & 0xff00) |
			 (family >> 24);
	switch (family) {
	case 2:
		dissect_network(d, frame, ETH_P_IP, NULL_HLEN);
		return;
	case 24:
	case 28:
	case 30:
		dissect_network(d, frame, ETH_P_IPV6, NULL_HLEN);
		return;
	}
	stop(d, "loopback address family %u is not read", family);
}

void pw_dissect(int linktype, const uint8_t *frame, uint32_t caplen, uint32_t len, struct pw_dissection *d)
{
	static const uint8_t nothing[1];
	const char *n;

	/* Offsets are added to frame below; never to a null pointer. */
	if (!frame) {
		frame = nothing;
		caplen = 0;
	}

	/* Only what the printers look at is reset: the header structs are
	 * valid exactly when their PW_HAVE_* bit is set. */
	d->have = 0;
	d->linktype = linktype;
	d->caplen = caplen;
	d->len = len;
	d->vlan_id = 0;
	d->ethertype = 0;
	d->l3_off = 0;
	d->l4_off = 0;
	d->tcp_payload = 0;
	d->tcp_flags = 0;
	d->phdr_len = 0;
	d->note[0] = '\0';
	d->unwalkable = NULL;

	switch (linktype) {
	case LT_ETHERNET:
		dissect_eth(d, frame);
		break;
	case LT_LINUX_SLL:
		dissect_sll(d, frame, 0);
		break;
	case LT_LINUX_SLL2:
		dissect_sll(d, frame, 1);
		break;
	case LT_NULL:
		dissect_null(d, frame, 0);
		break;
	case LT_LOOP:
		dissect_null(d, frame, 1);
		break;
	case LT_RAW:
	case LT_DLT_RAW:
	case LT_DLT_RAW_OPENBSD:
		dissect_raw(d, frame);
		break;
	case LT_IPV4:
		dissect_network(d, frame, ETH_P_IP, 0);
		break;
	case LT_IPV6:
		dissect_network(d, frame, ETH_P_IPV6, 0);
		break;
	default:
		d->phdr_len = pseudo_header_len(linktype);
		n = linktype < 0 ? NULL : name_of(linktype_names, (unsigned int)linktype);
		stop(d, "link type %d%s%s%s is not read", linktype, n ? " (" : "", n ? n : "", n ? ")" : "");
		return;
	}
	/* The model walks whole frames: one cut by the snapshot length lacks
	 * the bytes the stack would checksum and copy. */
	if (caplen < len && !d->unwalkable)
		d->unwalkable = "cut short by the snapshot length: the model walks whole frames";
}
