/* test_dissect.c: pw_dissect over every link type it reads, VLAN tags, each
 * transport, IPv6, and every truncated and invalid case with its note.
 * Frames are built with the stack's own builders and dissected from heap
 * copies of exactly caplen bytes, so that AddressSanitizer catches a read
 * past the capture; every copy is checked unchanged afterwards. */
#include "test.h"

#include "proto/dissect.h"

#include <string.h>
#include <sys/socket.h>

/* glibc's inet_ntop is what tshark writes IPv6 addresses with. Declared
 * here because <arpa/inet.h> brings <netinet/in.h>, whose IPPROTO_* enum
 * clashes with ip4.h's macros. */
#define INET6_ADDRSTRLEN 46
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
int inet_pton(int af, const char *src, void *dst);

#define LT_NULL 0
#define LT_ETHERNET 1
#define LT_RAW 101
#define LT_LOOP 108
#define LT_SLL 113
#define LT_IPV4 228
#define LT_SLL2 276

static const uint8_t mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* Dissects a heap copy of exactly caplen bytes and checks it unchanged. */
static void dissect(int linktype, const uint8_t *frame, uint32_t caplen, uint32_t len,
		    struct pw_dissection *d)
{
	uint8_t *copy = malloc(caplen ? caplen : 1);

	if (!copy) {
		fprintf(stderr, "test_dissect: out of memory\n");
		exit(1);
	}
	memcpy(copy, frame, caplen);
	pw_dissect(linktype, caplen ? copy : NULL, caplen, len, d);
	CHECK(memcmp(copy, frame, caplen) == 0, "the dissector changed the frame");
	free(copy);
}

#define EXPECT_NOTE(d, want)                                                               \
	CHECK(strcmp((d)->note, (want)) == 0, "note '%s', want '%s'", (d)->note, (want))
#define EXPECT_WHY(d, want)                                                                \
	CHECK((d)->unwalkable && strcmp((d)->unwalkable, (want)) == 0,                      \
	      "unwalkable '%s', want '%s'", (d)->unwalkable ? (d)->unwalkable : "(walkable)", \
	      (want))
#define EXPECT_WALKABLE(d)                                                                 \
	CHECK(!(d)->unwalkable && !(d)->note[0], "not walkable: '%s' / note '%s'",          \
	      (d)->unwalkable ? (d)->unwalkable : "", (d)->note)

/* ---- frame builders ---- */

static uint32_t put_tcp(uint8_t *p, uint8_t doff, uint8_t flags, uint32_t payload)
{
	struct tcp_info t = { .source = 40000, .dest = 80, .seq = 0x01020304, .ack_seq = 0xa0b0c0d0,
			      .doff = doff, .flags = flags, .window = 501 };

	tcp_build(p, &t);
	memset(p + TCP_HLEN, TCPOPT_NOP, (uint32_t)doff * 4 - TCP_HLEN);
	memset(p + (uint32_t)doff * 4, 'x', payload);
	return (uint32_t)doff * 4 + payload;
}

static uint32_t put_udp(uint8_t *p, uint32_t payload)
{
	struct udp_info u = { .source = 5353, .dest = 53, .len = (uint16_t)(UDP_HLEN + payload) };

	udp_build(p, &u);
	memset(p + UDP_HLEN, 'u', payload);
	return UDP_HLEN + payload;
}

static uint32_t put_icmp(uint8_t *p)
{
	struct icmp_info i = { .type = ICMP_ECHO, .code = 0, .id = 7, .sequence = 1 };

	icmp_build(p, &i);
	memset(p + ICMP_HLEN, 'i', 16);
	icmp_set_checksum(p, ICMP_HLEN + 16);
	return ICMP_HLEN + 16;
}

/* An IPv4 header at p for l4len bytes of protocol proto that follow it. */
static uint32_t put_ip4(uint8_t *p, uint8_t proto, uint32_t l4len, uint16_t frag_off)
{
	struct ip4_info ip = { .tot_len = (uint16_t)(IP4_HLEN + l4len), .id = 0xff67,
			       .frag_off = frag_off, .ttl = 64, .protocol = proto,
			       .saddr = 0xc0000201, .daddr = 0xc0000202 };

	ip4_build(p, &ip);
	return IP4_HLEN;
}

/* IPv4 with TCP (doff 8, 100 bytes of data) after an offset-byte link header. */
static uint32_t ip4_tcp_at(uint8_t *f, uint32_t off)
{
	uint32_t l4 = put_tcp(f + off + IP4_HLEN, 8, TCPHDR_PSH | TCPHDR_ACK, 100);

	put_ip4(f + off, IPPROTO_TCP, l4, IP_DF);
	return off + IP4_HLEN + l4;
}

static uint32_t put_ip6(uint8_t *p, uint8_t nexthdr, uint16_t plen)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0xfe, 0x80, [8] = 0x02, [11] = 0xff, [12] = 0xfe, [15] = 2 };

	put_be32(p, 0x60000000);
	put_be16(p + 4, plen);
	p[6] = nexthdr;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return IP6_HLEN;
}

static uint32_t eth_at(uint8_t *f, uint16_t proto)
{
	eth_build(f, mac_b, mac_a, proto);
	return ETH_HLEN;
}

/* ---- cases ---- */

static void test_eth_tcp(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	uint32_t n = ip4_tcp_at(f, eth_at(f, ETH_P_IP));

	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	CHECK(memcmp(d.eth.src, mac_a, 6) == 0 && memcmp(d.eth.dst, mac_b, 6) == 0, "eth addresses");
	CHECK_EQ_INT(d.eth.proto, ETH_P_IP);
	CHECK_EQ_INT(d.ethertype, ETH_P_IP);
	CHECK_EQ_INT(d.l3_off, 14);
	CHECK_EQ_INT(d.l4_off, 34);
	CHECK_EQ_INT(d.ip.id, 0xff67);
	CHECK_EQ_INT(d.ip.tot_len, 20 + 32 + 100);
	CHECK_EQ_INT(d.ip.saddr, 0xc0000201);
	CHECK_EQ_INT(d.tcp.source, 40000);
	CHECK_EQ_INT(d.tcp.seq, 0x01020304);
	CHECK_EQ_INT(d.tcp.doff, 8);
	CHECK_EQ_INT(d.tcp_flags, TCPHDR_PSH | TCPHDR_ACK);
	CHECK_EQ_INT(d.tcp_payload, 100);
	CHECK_EQ_INT(d.caplen, n);
	CHECK_EQ_INT(d.phdr_len, 0);
	EXPECT_WALKABLE(&d);

	/* The AE (ex-NS) bit and the reserved bits are part of tcp.flags. */
	f[34 + 12] |= 0x01;
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.tcp_flags, 0x100 | TCPHDR_PSH | TCPHDR_ACK);
	CHECK_EQ_INT(d.tcp.flags, TCPHDR_PSH | TCPHDR_ACK);

	/* Link padding after the datagram is not TCP payload. */
	memset(f + n, 0, 20);
	dissect(LT_ETHERNET, f, n + 20, n + 20, &d);
	CHECK_EQ_INT(d.tcp_payload, 100);
	EXPECT_WALKABLE(&d);

	/* Cut by the snapshot length after the headers: read, not walkable. */
	dissect(LT_ETHERNET, f, 80, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	CHECK_EQ_INT(d.tcp_payload, 100);
	EXPECT_NOTE(&d, "");
	EXPECT_WHY(&d, "cut short by the snapshot length: the model walks whole frames");

	/* A total length past the frame on the wire: tcp.len from the frame. */
	put_be16(f + 14 + 2, 1500);
	ip4_send_check(f + 14);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK(d.have & PW_HAVE_TCP, "TCP under a long tot_len");
	CHECK_EQ_INT(d.ip.tot_len, 1500);
	CHECK_EQ_INT(d.tcp_payload, 100);
}

static void test_eth_udp_icmp_arp(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	struct arp_info a = { .op = ARPOP_REQUEST, .sip = 0xc0000201, .tip = 0xc0000202 };
	uint32_t n, l4;

	l4 = put_udp(f + 34, 4);
	put_ip4(f + 14, IPPROTO_UDP, l4, 0);
	eth_at(f, ETH_P_IP);
	n = 34 + l4;
	memset(f + n, 0, 60 - n);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP | PW_HAVE_UDP);
	CHECK_EQ_INT(d.udp.source, 5353);
	CHECK_EQ_INT(d.udp.dest, 53);
	CHECK_EQ_INT(d.udp.len, 12);
	EXPECT_WALKABLE(&d);

	l4 = put_icmp(f + 34);
	put_ip4(f + 14, IPPROTO_ICMP, l4, 0);
	dissect(LT_ETHERNET, f, 34 + l4, 34 + l4, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP | PW_HAVE_ICMP);
	CHECK_EQ_INT(d.icmp.type, ICMP_ECHO);
	CHECK_EQ_INT(d.icmp.sequence, 1);
	EXPECT_WALKABLE(&d);

	eth_at(f, ETH_P_ARP);
	memcpy(a.sha, mac_a, 6);
	arp_build(f + 14, &a);
	memset(f + 42, 0, 18);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_ARP);
	CHECK_EQ_INT(d.arp.op, ARPOP_REQUEST);
	CHECK_EQ_INT(d.arp.tip, 0xc0000202);
	EXPECT_WALKABLE(&d);

	/* ARP for another hardware type: read by tshark, refused by arp_parse. */
	put_be16(f + 14, 6);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH);
	EXPECT_NOTE(&d, "invalid: ARP hrd 6 (must be 1, Ethernet)");
	dissect(LT_ETHERNET, f, 30, 30, &d);
	EXPECT_NOTE(&d, "truncated: ARP header says 28 bytes, 16 captured");
}

static void test_vlan(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	uint32_t n;

	/* One 802.1Q tag, VID 100. */
	eth_at(f, ETH_P_8021Q);
	put_be16(f + 14, 0x2064);
	put_be16(f + 16, ETH_P_IP);
	n = ip4_tcp_at(f, 18);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_VLAN | PW_HAVE_IP | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	CHECK_EQ_INT(d.vlan_id, 100);
	CHECK_EQ_INT(d.eth.proto, ETH_P_8021Q);
	CHECK_EQ_INT(d.ethertype, ETH_P_IP);
	CHECK_EQ_INT(d.l3_off, 18);
	EXPECT_NOTE(&d, "");
	EXPECT_WHY(&d, "VLAN tags are not modelled");

	/* 802.1ad S-tag 200 then C-tag 2001: vlan_id is the C-tag's, as tshark. */
	eth_at(f, 0x88a8);
	put_be16(f + 14, 200);
	put_be16(f + 16, ETH_P_8021Q);
	put_be16(f + 18, 2001);
	put_be16(f + 20, ETH_P_IP);
	n = ip4_tcp_at(f, 22);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK(d.have & PW_HAVE_VLAN, "no VLAN after an S-tag");
	CHECK_EQ_INT(d.vlan_id, 2001);
	CHECK_EQ_INT(d.l3_off, 22);
	CHECK(d.have & PW_HAVE_TCP, "TCP after two tags");

	/* An S-tag alone is walked past without a vlan.id. */
	put_be16(f + 16, ETH_P_IP);
	n = ip4_tcp_at(f, 18);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK(!(d.have & PW_HAVE_VLAN), "an S-tag counted as 802.1Q");
	CHECK(d.have & PW_HAVE_TCP, "TCP after an S-tag");

	/* Old QinQ 0x9100 reads as 802.1Q. */
	eth_at(f, 0x9100);
	put_be16(f + 14, 7);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.vlan_id, 7);

	/* A tag cut after its TCI: the VID is known, the type is not. */
	eth_at(f, ETH_P_8021Q);
	put_be16(f + 14, 0x0fff);
	dissect(LT_ETHERNET, f, 17, 17, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_VLAN);
	CHECK_EQ_INT(d.vlan_id, 4095);
	EXPECT_NOTE(&d, "truncated: 802.1Q tag header says 4 bytes, 3 captured");

	/* An 802.3 length after a tag. */
	put_be16(f + 16, 46);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	EXPECT_NOTE(&d, "802.3 length after a VLAN tag (LLC) is not modelled");
}

static void test_cooked_and_null(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	uint32_t n;

	/* Linux cooked v1: protocol at 14, 16 bytes. */
	memset(f, 0, 16);
	put_be16(f + 2, 1);   /* ARPHRD_ETHER */
	put_be16(f + 14, ETH_P_IP);
	n = ip4_tcp_at(f, 16);
	dissect(LT_SLL, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_IP | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	CHECK_EQ_INT(d.l3_off, 16);
	CHECK_EQ_INT(d.ethertype, ETH_P_IP);
	EXPECT_WALKABLE(&d);
	put_be16(f + 2, 824);
	dissect(LT_SLL, f, n, n, &d);
	EXPECT_NOTE(&d, "Linux cooked netlink (family 2048) is not read");
	put_be16(f + 2, 1);
	put_be16(f + 14, 0x0004);
	dissect(LT_SLL, f, n, n, &d);
	EXPECT_NOTE(&d, "Linux cooked protocol 0x0004 (not an ethertype) is not read");
	dissect(LT_SLL, f, 15, 15, &d);
	EXPECT_NOTE(&d, "truncated: Linux cooked header says 16 bytes, 15 captured");

	/* Linux cooked v2: protocol at 0, 20 bytes. */
	memset(f, 0, 20);
	put_be16(f, ETH_P_IP);
	put_be16(f + 8, 1);
	n = ip4_tcp_at(f, 20);
	dissect(LT_SLL2, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_IP | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	CHECK_EQ_INT(d.l3_off, 20);
	EXPECT_WALKABLE(&d);
	dissect(LT_SLL2, f, 19, 19, &d);
	EXPECT_NOTE(&d, "truncated: Linux cooked v2 header says 20 bytes, 19 captured");

	/* BSD loopback: AF_INET in either byte order for NULL, network order for LOOP. */
	n = ip4_tcp_at(f, 4);
	put_be32(f, 2);
	dissect(LT_NULL, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_IP | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	CHECK_EQ_INT(d.l3_off, 4);
	put_be32(f, 0x02000000);
	dissect(LT_NULL, f, n, n, &d);
	CHECK(d.have & PW_HAVE_TCP, "NULL, family in little-endian order");
	dissect(LT_LOOP, f, n, n, &d);
	EXPECT_NOTE(&d, "loopback address family 33554432 is not read");
	put_be32(f, 2);
	dissect(LT_LOOP, f, n, n, &d);
	CHECK(d.have & PW_HAVE_TCP, "LOOP, AF_INET");
	put_be32(f, 7);
	dissect(LT_NULL, f, n, n, &d);
	EXPECT_NOTE(&d, "loopback address family 7 is not read");
	dissect(LT_NULL, f, 3, 3, &d);
	EXPECT_NOTE(&d, "truncated: loopback header says 4 bytes, 3 captured");
	/* IPv6's families: 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (Darwin). */
	for (uint32_t fam = 24; fam <= 30; fam += 2) {
		n = 4 + put_ip6(f + 4, IPPROTO_UDP, 12);
		n += put_udp(f + n, 4);
		put_be32(f, fam);
		dissect(LT_NULL, f, n, n, &d);
		if (fam == 24 || fam == 28 || fam == 30)
			CHECK(d.have & PW_HAVE_UDP, "family %u: no UDP over IPv6", fam);
		else
			CHECK(!(d.have & PW_HAVE_IP6), "family %u read as IPv6", fam);
	}
}

static void test_raw(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	uint32_t n = ip4_tcp_at(f, 0);

	dissect(LT_RAW, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_IP | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	CHECK_EQ_INT(d.l3_off, 0);
	EXPECT_WALKABLE(&d);
	dissect(LT_IPV4, f, n, n, &d);
	CHECK(d.have & PW_HAVE_TCP, "LINKTYPE_IPV4");
	dissect(12, f, n, n, &d);
	CHECK(d.have & PW_HAVE_TCP, "DLT_RAW 12");
	dissect(14, f, n, n, &d);
	CHECK(d.have & PW_HAVE_TCP, "DLT_RAW 14 (OpenBSD)");

	n = put_ip6(f, IPPROTO_TCP, 52);
	n += put_tcp(f + n, 5, TCPHDR_SYN, 32);
	dissect(LT_RAW, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_IP6 | PW_HAVE_TCP | PW_HAVE_TCP_LEN);
	EXPECT_WHY(&d, "IPv6 is not modelled");
	/* LINKTYPE_IPV4 is IPv4 whatever the nibble says. */
	dissect(LT_IPV4, f, n, n, &d);
	EXPECT_NOTE(&d, "invalid: IPv4 version 6 (must be 4)");

	f[0] = 0x50;
	dissect(LT_RAW, f, n, n, &d);
	EXPECT_NOTE(&d, "raw IP version 5 is neither 4 nor 6");
	dissect(LT_RAW, f, 0, 0, &d);
	EXPECT_NOTE(&d, "truncated: raw IP header says 1 bytes, 0 captured");
	/* A null frame with nothing captured is read as nothing. */
	pw_dissect(LT_ETHERNET, NULL, 0, 60, &d);
	EXPECT_NOTE(&d, "truncated: Ethernet header says 14 bytes, 0 captured");
}

static void test_ip6(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	char s[48];
	uint32_t n;

	n = eth_at(f, ETH_P_IPV6);
	n += put_ip6(f + n, IPPROTO_UDP, 20);
	n += put_udp(f + n, 12);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP6 | PW_HAVE_UDP);
	CHECK_EQ_INT(d.ip6.version, 6);
	CHECK_EQ_INT(d.ip6.payload_len, 20);
	CHECK_EQ_INT(d.ip6.nexthdr, IPPROTO_UDP);
	CHECK_EQ_INT(d.ip6.hop_limit, 64);
	CHECK_EQ_INT(d.l4_off, 54);
	EXPECT_NOTE(&d, "");
	EXPECT_WHY(&d, "IPv6 is not modelled");
	ip6_addr_format(d.ip6.saddr, s);
	CHECK(strcmp(s, "2001:db8::1") == 0, "'%s'", s);
	ip6_addr_format(d.ip6.daddr, s);
	CHECK(strcmp(s, "fe80::200:ff:fe00:2") == 0, "'%s'", s);

	/* TCP over IPv6: tcp.len from the payload length. */
	n = put_ip6(f + 14, IPPROTO_TCP, 20 + 7) + 14;
	n += put_tcp(f + n, 5, TCPHDR_ACK, 7);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK(d.have & PW_HAVE_TCP_LEN, "TCP over IPv6");
	CHECK_EQ_INT(d.tcp_payload, 7);

	put_ip6(f + 14, 58, 8);
	dissect(LT_ETHERNET, f, 62, 62, &d);
	EXPECT_NOTE(&d, "IPv6 next header 58 (ICMPv6) is not read");
	put_ip6(f + 14, 0, 8);
	dissect(LT_ETHERNET, f, 62, 62, &d);
	EXPECT_NOTE(&d, "IPv6 next header 0 (hop-by-hop options) is not read");
	put_ip6(f + 14, IPPROTO_UDP, 0);
	dissect(LT_ETHERNET, f, 62, 62, &d);
	EXPECT_NOTE(&d, "IPv6 payload length 0 (a jumbogram or TSO) is not read");
	dissect(LT_ETHERNET, f, 50, 50, &d);
	EXPECT_NOTE(&d, "truncated: IPv6 header says 40 bytes, 36 captured");
	f[14] = 0x40;
	dissect(LT_ETHERNET, f, 62, 62, &d);
	EXPECT_NOTE(&d, "invalid: IPv6 version 4 (must be 6)");
}

/* RFC 5952 text, the way glibc's inet_ntop (and so tshark) writes it. */
static void test_ip6_format(void)
{
	static const char *const cases[] = {
		"::",         "::1",          "::ffff:1.2.3.4", "::1.2.3.4",        "1:0:0:1::1",
		"1::1:0:0:1", "fe80::",       "2001:db8::1:0:0:1", "0:0:1::",      "1:2:3:4:5:6:7:8",
		"1:0:3:4:5:6:7:8", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "ff02::1:ff00:1",
		"::ffff:0.0.0.0", "::0.2.0.3", "1:2::", "abcd:ef01:2345:6789:abcd:ef01:2345:6789",
	};
	uint32_t seed = 12345;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t a[16];
		char s[48], want[INET6_ADDRSTRLEN];

		CHECK(inet_pton(AF_INET6, cases[i], a) == 1, "inet_pton '%s'", cases[i]);
		ip6_addr_format(a, s);
		inet_ntop(AF_INET6, a, want, sizeof(want));
		CHECK(strcmp(s, want) == 0, "'%s': got '%s', inet_ntop '%s'", cases[i], s, want);
	}
	/* Random addresses with many zero groups. */
	for (int i = 0; i < 2000; i++) {
		uint8_t a[16];
		char s[48], want[INET6_ADDRSTRLEN];

		for (int g = 0; g < 8; g++) {
			seed = seed * 1103515245u + 12345u;
			uint16_t v = (seed >> 16) & 3 ? 0 : (uint16_t)(seed >> 8);

			put_be16(a + 2 * g, v);
		}
		ip6_addr_format(a, s);
		inet_ntop(AF_INET6, a, want, sizeof(want));
		CHECK(strcmp(s, want) == 0, "got '%s', inet_ntop '%s'", s, want);
	}
}

static void test_ip4_cases(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	uint32_t n = ip4_tcp_at(f, eth_at(f, ETH_P_IP));

	/* IHL 3: invalid. */
	f[14] = 0x43;
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH);
	EXPECT_NOTE(&d, "invalid: IPv4 ihl 3 (must be at least 5)");
	CHECK(d.unwalkable == d.note, "a stop is also why the frame cannot be walked");

	/* IHL 15 with 34 bytes captured. */
	f[14] = 0x4f;
	dissect(LT_ETHERNET, f, 48, 48, &d);
	EXPECT_NOTE(&d, "truncated: IPv4 header says 60 bytes, 34 captured");
	dissect(LT_ETHERNET, f, 30, 30, &d);
	EXPECT_NOTE(&d, "truncated: IPv4 header says 20 bytes, 16 captured");

	/* tot_len below the header. */
	ip4_tcp_at(f, 14);
	put_be16(f + 16, 19);
	dissect(LT_ETHERNET, f, n, n, &d);
	EXPECT_NOTE(&d, "invalid: IPv4 tot_len 19 (must be at least ihl*4)");

	/* Not TCP, UDP or ICMP. */
	ip4_tcp_at(f, 14);
	f[14 + 9] = 47;
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP);
	EXPECT_NOTE(&d, "IPv4 protocol 47 (GRE) is not modelled");
	f[14 + 9] = 253;
	dissect(LT_ETHERNET, f, n, n, &d);
	EXPECT_NOTE(&d, "IPv4 protocol 253 is not modelled");

	/* Fragments. */
	ip4_tcp_at(f, 14);
	put_be16(f + 20, IP_MF | 185);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP);
	EXPECT_NOTE(&d, "IPv4 fragment (offset > 0): the transport header is in the first fragment");
	put_be16(f + 20, IP_MF);
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP);
	EXPECT_NOTE(&d, "IPv4 first fragment (MF set): the transport header is read from the "
			"reassembled datagram");
	/* A first fragment captured in part is read as it is, but its
	 * segment length is unknown (tshark shows no tcp.len). */
	dissect(LT_ETHERNET, f, 80, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP | PW_HAVE_TCP);
	EXPECT_NOTE(&d, "");
	EXPECT_WHY(&d, "IPv4 first fragment (MF set): the rest of the datagram is in other frames");

	/* A loose source route: the destination is not the header's. */
	{
		uint8_t g[256];
		uint32_t m;

		eth_at(g, ETH_P_IP);
		m = put_tcp(g + 14 + 28, 5, TCPHDR_SYN, 0);
		put_ip4(g + 14, IPPROTO_TCP, m + 8, 0);
		g[14] = 0x47;
		memcpy(g + 14 + 20, (const uint8_t[]){ 1, 131, 7, 4, 10, 0, 0, 1 }, 8);
		ip4_send_check(g + 14);
		dissect(LT_ETHERNET, g, 14 + 28 + m, 14 + 28 + m, &d);
		CHECK_EQ_INT(d.have, PW_HAVE_ETH);
		EXPECT_NOTE(&d, "IPv4 source route option (LSRR/SSRR) is not modelled: the destination "
				"is the route's last address, not the header's");
		/* An option whose length breaks its definition ends the reading
		 * (tshark reads past it and gives up on the datagram). */
		memcpy(g + 14 + 20, (const uint8_t[]){ 25, 4, 0, 0, 1, 1, 1, 0 }, 8);
		dissect(LT_ETHERNET, g, 14 + 28 + m, 14 + 28 + m, &d);
		CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP);
		EXPECT_NOTE(&d, "invalid: IPv4 option 25 (Quick-Start) has length 4 (must be 8)");
		memcpy(g + 14 + 20, (const uint8_t[]){ 68, 3, 0, 0, 0, 0, 0, 0 }, 8);
		dissect(LT_ETHERNET, g, 14 + 28 + m, 14 + 28 + m, &d);
		EXPECT_NOTE(&d, "invalid: IPv4 option 68 (Timestamp) has length 3 (must be at least 4)");
		/* Past EOL nothing is read; a length that cannot be ends the walk. */
		memcpy(g + 14 + 20, (const uint8_t[]){ 0, 25, 4, 0, 0, 0, 0, 0 }, 8);
		dissect(LT_ETHERNET, g, 14 + 28 + m, 14 + 28 + m, &d);
		CHECK(d.have & PW_HAVE_TCP, "an option after EOL was read");
		/* Other options (here Router Alert) are read past. */
		memcpy(g + 14 + 20, (const uint8_t[]){ 148, 4, 0, 0, 1, 1, 1, 0 }, 8);
		dissect(LT_ETHERNET, g, 14 + 28 + m, 14 + 28 + m, &d);
		CHECK(d.have & PW_HAVE_TCP, "TCP after IPv4 options");
		CHECK_EQ_INT(d.l4_off, 14 + 28);
	}
}

static void test_transport_cases(void)
{
	uint8_t f[256];
	struct pw_dissection d;
	uint32_t n = ip4_tcp_at(f, eth_at(f, ETH_P_IP));

	/* TCP data offset 4: invalid; 15: more than was captured. */
	f[34 + 12] = 0x40;
	dissect(LT_ETHERNET, f, n, n, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH | PW_HAVE_IP);
	EXPECT_NOTE(&d, "invalid: TCP doff 4 (must be at least 5)");
	f[34 + 12] = 0xf0;
	dissect(LT_ETHERNET, f, 34 + 40, 34 + 40, &d);
	EXPECT_NOTE(&d, "truncated: TCP header says 60 bytes, 40 captured");
	dissect(LT_ETHERNET, f, 34 + 10, 34 + 10, &d);
	EXPECT_NOTE(&d, "truncated: TCP header says 20 bytes, 10 captured");

	/* UDP length below 8; UDP cut. */
	put_udp(f + 34, 4);
	put_ip4(f + 14, IPPROTO_UDP, 12, 0);
	put_be16(f + 34 + 4, 4);
	dissect(LT_ETHERNET, f, 46, 46, &d);
	EXPECT_NOTE(&d, "invalid: UDP len 4 (must be at least 8)");
	dissect(LT_ETHERNET, f, 40, 40, &d);
	EXPECT_NOTE(&d, "truncated: UDP header says 8 bytes, 6 captured");

	/* ICMP cut. */
	put_icmp(f + 34);
	put_ip4(f + 14, IPPROTO_ICMP, 24, 0);
	dissect(LT_ETHERNET, f, 38, 38, &d);
	EXPECT_NOTE(&d, "truncated: ICMP header says 8 bytes, 4 captured");

	/* The transport header must lie inside the datagram, not the padding. */
	put_ip4(f + 14, IPPROTO_UDP, 4, 0);
	put_udp(f + 34, 0);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	EXPECT_NOTE(&d, "truncated: UDP header says 8 bytes, 4 captured");
}

static void test_link_types(void)
{
	uint8_t f[64] = { 0 };
	struct pw_dissection d;

	dissect(105, f, 40, 40, &d);
	CHECK_EQ_INT(d.have, 0);
	EXPECT_NOTE(&d, "link type 105 (IEEE 802.11) is not read");
	EXPECT_WHY(&d, "link type 105 (IEEE 802.11) is not read");
	dissect(1234, f, 40, 40, &d);
	EXPECT_NOTE(&d, "link type 1234 is not read");
	/* SunATM records start with a 4-byte pseudo-header tshark leaves out. */
	dissect(123, f, 40, 40, &d);
	CHECK_EQ_INT(d.phdr_len, 4);
	dissect(-1, f, 40, 40, &d);
	EXPECT_NOTE(&d, "link type -1 is not read");

	/* Ethernet: a short header, an 802.3 length, an ethertype not modelled. */
	eth_at(f, ETH_P_IP);
	dissect(LT_ETHERNET, f, 13, 13, &d);
	EXPECT_NOTE(&d, "truncated: Ethernet header says 14 bytes, 13 captured");
	put_be16(f + 12, 46);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH);
	EXPECT_NOTE(&d, "802.3 frame (a length, not an ethertype: LLC) is not modelled");
	put_be16(f + 12, 1501);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	CHECK_EQ_INT(d.have, PW_HAVE_ETH);
	EXPECT_NOTE(&d, "invalid: Ethernet type/length 1501 (a length is at most 1500, a type at least 1536)");
	put_be16(f + 12, 46);
	/* Cisco ISL: the addresses are the inner frame's, not read. */
	memcpy(f, (const uint8_t[]){ 0x01, 0x00, 0x0c, 0x00, 0x00, 0x00 }, 6);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	CHECK_EQ_INT(d.have, 0);
	EXPECT_NOTE(&d, "Cisco ISL (destination 01:00:0c:00:00:xx) is not read");
	eth_at(f, 0x88cc);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	EXPECT_NOTE(&d, "ethertype 0x88cc (LLDP) is not modelled");
	put_be16(f + 12, 0x1234);
	dissect(LT_ETHERNET, f, 60, 60, &d);
	EXPECT_NOTE(&d, "ethertype 0x1234 is not modelled");
}

/* Every prefix of every kind of frame: never a read past caplen (ASan),
 * always a note when the transport was not reached. */
static void test_every_prefix(void)
{
	static const int lts[] = { LT_ETHERNET, LT_SLL, LT_SLL2, LT_NULL, LT_RAW };
	static const uint32_t offs[] = { 14, 16, 20, 4, 0 };
	uint8_t f[256];
	struct pw_dissection d;

	for (size_t k = 0; k < sizeof(lts) / sizeof(lts[0]); k++) {
		uint32_t n;

		memset(f, 0, sizeof(f));
		if (lts[k] == LT_ETHERNET)
			eth_at(f, ETH_P_IP);
		else if (lts[k] == LT_SLL)
			put_be16(f + 14, ETH_P_IP);
		else if (lts[k] == LT_SLL2)
			put_be16(f, ETH_P_IP);
		else if (lts[k] == LT_NULL)
			put_be32(f, 2);
		n = ip4_tcp_at(f, offs[k]);
		for (uint32_t cap = 0; cap <= n; cap++) {
			dissect(lts[k], f, cap, n, &d);
			if (cap < offs[k] + IP4_HLEN + 32)
				CHECK(d.note[0] && !(d.have & PW_HAVE_TCP), "link type %d, %u of %u bytes: "
				      "no note", lts[k], cap, n);
			else
				CHECK(d.have & PW_HAVE_TCP, "link type %d, %u of %u bytes: no TCP",
				      lts[k], cap, n);
		}
	}
}

int main(void)
{
	test_eth_tcp();
	test_eth_udp_icmp_arp();
	test_vlan();
	test_cooked_and_null();
	test_raw();
	test_ip6();
	test_ip6_format();
	test_ip4_cases();
	test_transport_cases();
	test_link_types();
	test_every_prefix();
	return test_report("test_dissect");
}
