/* test_csum.c: the Internet checksum against RFC 1071, real headers and a
 * slow reference that folds after every word. */
#include "test.h"

#include "proto/csum.h"
#include "proto/ip4.h"
#include "proto/tcp.h"
#include "proto/wire.h"

#include <string.h>

/* The textbook loop: 16-bit ones' complement add, carry folded every step. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i < len; i += 2) {
		uint32_t w = (uint32_t)p[i] << 8;

		if (i + 1 < len)
			w |= p[i + 1];
		s += w;
		s = (s & 0xffff) + (s >> 16);
	}
	return (uint16_t)(~s & 0xffff);
}

static void test_rfc1071(void)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint32_t s = csum_partial(b, sizeof(b), 0);

	/* RFC 1071 section 3: the sum is 2ddf0, folded ddf2. A partial sum is
	 * only defined modulo 0xffff, so compare it that way. */
	CHECK_EQ_INT(s % 0xffff, 0x2ddf0 % 0xffff);
	CHECK_EQ_INT(csum_fold(s), 0x220d);
	CHECK_EQ_INT(0xffff - csum_fold(s), 0xddf2);
	CHECK_EQ_INT(csum_fold(0), 0xffff);
	CHECK_EQ_INT(csum_partial(b, 0, 0), 0);
	CHECK_EQ_INT(csum_partial(b, 0, 1234), 1234);
}

static void test_odd(void)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03 };

	/* The odd byte is the high byte of a last word: 0102 + 0300. */
	CHECK_EQ_INT(csum_partial(b, 3, 0), 0x0402);
	CHECK_EQ_INT(csum_partial(b, 1, 0), 0x0100);
	CHECK_EQ_INT(csum_fold(csum_partial(b, 3, 0)), 0xfbfd);
	CHECK_EQ_INT(csum_fold(csum_partial(b, 3, 0)), ref_csum(b, 3));
	/* An odd byte continued with its even-aligned successor as one call. */
	CHECK_EQ_INT(csum_partial(b + 2, 1, csum_partial(b, 2, 0)), csum_partial(b, 3, 0));
}

static void test_carries(void)
{
	static uint8_t ff[4000];
	static const uint8_t two[] = { 0xff, 0xff };
	uint32_t s;

	memset(ff, 0xff, sizeof(ff));
	s = csum_partial(ff, sizeof(ff), 0);
	/* 2000 * 0xffff is 0 in ones' complement: negative zero, stored as 0. */
	CHECK_EQ_INT(csum_fold(s), 0);
	CHECK_EQ_INT(csum_fold(s), ref_csum(ff, sizeof(ff)));
	CHECK_EQ_INT(csum_fold(csum_partial(ff, 3999, 0)), ref_csum(ff, 3999));
	/* A 32-bit partial sum near overflow must be continued, not wrapped. */
	s = csum_partial(two, 2, 0xffffffffu);
	CHECK_EQ_INT(s, 0xffff);
	CHECK_EQ_INT(csum_fold(0xffffffffu), 0);
	CHECK_EQ_INT(csum_fold(0x0001fffeu), 0);
	CHECK_EQ_INT(csum_fold(0x0000fffeu), 0x0001);
	s = csum_tcpudp_nofold(0xffffffffu, 0xffffffffu, 0xffff, 0xff, 0xffffffffu);
	/* Every 0xffff part is 0 modulo 0xffff: only the protocol's 0xff is left. */
	CHECK_EQ_INT(csum_fold(s), 0xff00);
}

static void test_ipv4_header(void)
{
	uint8_t iph[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
			  0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	CHECK_EQ_INT(ip_fast_csum(iph, 5), 0);
	iph[10] = 0;
	iph[11] = 0;
	CHECK_EQ_INT(ip_fast_csum(iph, 5), 0xb861);
	CHECK_EQ_INT(ref_csum(iph, sizeof(iph)), 0xb861);
}

static void test_tcp_pseudo(void)
{
	/* A Linux SYN from 192.0.2.1:40000 to 198.51.100.7:80, checksum worked
	 * out independently (Python) as 0x5790; with 3 payload bytes "abc", 0x932a. */
	const uint32_t saddr = 0xc0000201, daddr = 0xc6336407;
	struct tcp_info t = { .source = 40000, .dest = 80, .seq = 0x12345678, .doff = 10,
			      .flags = TCPHDR_SYN, .window = 64240 };
	struct tcp_opts o = { .mss_set = 1, .mss = 1460, .sack_perm = 1, .ts_set = 1,
			      .ts_val = 0x01020304, .wscale_set = 1, .wscale = 7 };
	uint8_t seg[43];
	uint16_t check;
	unsigned int hlen;

	tcp_build(seg, &t);
	hlen = TCP_HLEN + tcp_options_write(seg + TCP_HLEN, &o);
	CHECK_EQ_INT(hlen, 40);
	check = csum_tcpudp_magic(saddr, daddr, hlen, IPPROTO_TCP, csum_partial(seg, hlen, 0));
	CHECK_EQ_INT(check, 0x5790);
	put_be16(seg + TCP_CHECK_OFFSET, check);
	/* The receiver's check: sum including the field folds to 0. */
	CHECK_EQ_INT(csum_fold(csum_tcpudp_nofold(saddr, daddr, hlen, IPPROTO_TCP,
						  csum_partial(seg, hlen, 0))), 0);

	memcpy(seg + hlen, "abc", 3);
	put_be16(seg + TCP_CHECK_OFFSET, 0);
	check = csum_tcpudp_magic(saddr, daddr, hlen + 3, IPPROTO_TCP,
				  csum_partial(seg, hlen + 3, 0));
	CHECK_EQ_INT(check, 0x932a);
	put_be16(seg + TCP_CHECK_OFFSET, check);
	CHECK_EQ_INT(csum_tcpudp_magic(saddr, daddr, hlen + 3, IPPROTO_TCP,
				       csum_partial(seg, hlen + 3, 0)), 0);
	/* A flipped payload bit no longer verifies. */
	seg[hlen] ^= 0x01;
	CHECK(csum_tcpudp_magic(saddr, daddr, hlen + 3, IPPROTO_TCP,
				csum_partial(seg, hlen + 3, 0)) != 0, "corrupted segment verified");
}

static void test_split(void)
{
	uint8_t buf[1501];
	size_t i, k;
	int mismatches = 0;

	/* Irregular bytes, high bits set often, so that words carry. */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)((i * 151 + (i >> 4) * 29 + 0x80) & 0xff);
	for (k = 0; k <= sizeof(buf); k += 2) {
		uint32_t two = csum_partial(buf + k, sizeof(buf) - k, csum_partial(buf, k, 0));

		if (two != csum_partial(buf, sizeof(buf), 0))
			mismatches++;
	}
	CHECK_EQ_INT(mismatches, 0);
	CHECK_EQ_INT(csum_fold(csum_partial(buf, sizeof(buf), 0)), ref_csum(buf, sizeof(buf)));
	CHECK_EQ_INT(csum_fold(csum_partial(buf, 1500, 0)), ref_csum(buf, 1500));
}

int main(void)
{
	test_rfc1071();
	test_odd();
	test_carries();
	test_ipv4_header();
	test_tcp_pseudo();
	test_split();
	return test_report("test_csum");
}
