/* test_proto.c: header build/parse round trips and every truncated and
 * invalid case, parsed from heap copies of exactly caplen bytes so that
 * AddressSanitizer catches any read past the capture. */
#include "test.h"

#include "proto/arp.h"
#include "proto/csum.h"
#include "proto/eth.h"
#include "proto/icmp.h"
#include "proto/ip4.h"
#include "proto/tcp.h"
#include "proto/udp.h"
#include "proto/wire.h"

#include <string.h>

#define MAX_EXACT 256
static uint8_t *exact_bufs[MAX_EXACT];
static uint8_t *exact_orig[MAX_EXACT];
static size_t exact_len[MAX_EXACT];
static int n_exact;

/* A heap copy of exactly n bytes for a parser, plus a pristine twin so the
 * end of the run can tell whether any parser wrote to its input. */
static const uint8_t *exact(const uint8_t *src, size_t n)
{
	uint8_t *p = malloc(n ? n : 1), *q = malloc(n ? n : 1);

	if (!p || !q || n_exact == MAX_EXACT) {
		fprintf(stderr, "test_proto: out of test buffers\n");
		exit(1);
	}
	memcpy(p, src, n);
	memcpy(q, src, n);
	exact_bufs[n_exact] = p;
	exact_orig[n_exact] = q;
	exact_len[n_exact] = n;
	n_exact++;
	return p;
}

static void exact_release(void)
{
	int i, modified = 0;

	for (i = 0; i < n_exact; i++) {
		if (memcmp(exact_bufs[i], exact_orig[i], exact_len[i]) != 0)
			modified++;
		free(exact_bufs[i]);
		free(exact_orig[i]);
	}
	CHECK_EQ_INT(modified, 0);
	CHECK(n_exact > 50, "only %d parses ran", n_exact);
	n_exact = 0;
}

static const char *fmt_err(const struct pw_parse_err *e)
{
	static char buf[160];

	pw_parse_err_format(e, buf, sizeof(buf));
	return buf;
}

/* rc must be -1 with e's status and message exactly as given. */
#define EXPECT_ERR(rc, e, st, msg)                                                         \
	do {                                                                               \
		CHECK_EQ_INT((rc), -1);                                                    \
		CHECK_EQ_INT((e).status, (st));                                            \
		CHECK(strcmp(fmt_err(&(e)), (msg)) == 0, "message '%s', want '%s'",        \
		      fmt_err(&(e)), (msg));                                               \
	} while (0)

#define EXPECT_OK(rc, e)                                                                   \
	do {                                                                               \
		CHECK_EQ_INT((rc), 0);                                                     \
		CHECK((e).status == PW_PARSE_OK, "status %d: '%s'", (int)(e).status,       \
		      fmt_err(&(e)));                                                      \
	} while (0)

static const uint8_t mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t mac_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void test_err_format(void)
{
	struct pw_parse_err e = { 0 };
	char buf[64];
	int n;

	CHECK_EQ_INT(pw_parse_truncated(&e, "IPv4", "ihl", 60, 34), -1);
	n = pw_parse_err_format(&e, buf, sizeof(buf));
	CHECK(strcmp(buf, "truncated: IPv4 header says 60 bytes, 34 captured") == 0, "'%s'", buf);
	CHECK_EQ_INT(n, strlen(buf));
	CHECK_EQ_INT(pw_parse_invalid(&e, "IPv4", "ihl", 3, "must be at least 5"), -1);
	n = pw_parse_err_format(&e, buf, sizeof(buf));
	CHECK(strcmp(buf, "invalid: IPv4 ihl 3 (must be at least 5)") == 0, "'%s'", buf);
	CHECK_EQ_INT(n, strlen(buf));
	/* A short buffer holds a cut message; the count is what landed. */
	n = pw_parse_err_format(&e, buf, 8);
	CHECK(strcmp(buf, "invalid") == 0, "'%s'", buf);
	CHECK_EQ_INT(n, 7);
	CHECK_EQ_INT(pw_parse_err_format(&e, buf, 0), 0);
	/* A NULL e is allowed: the parse still fails. */
	CHECK_EQ_INT(pw_parse_truncated(NULL, "TCP", "doff", 60, 20), -1);
}

static void test_eth(void)
{
	uint8_t f[ETH_HLEN];
	struct eth_info info;
	struct pw_parse_err e;
	char s[18];

	eth_build(f, mac_bcast, mac_a, ETH_P_ARP);
	CHECK(memcmp(f, mac_bcast, 6) == 0 && memcmp(f + 6, mac_a, 6) == 0, "eth addresses");
	CHECK(f[12] == 0x08 && f[13] == 0x06, "ethertype bytes %02x %02x", f[12], f[13]);
	memset(&info, 0, sizeof(info));
	EXPECT_OK(eth_parse(exact(f, ETH_HLEN), ETH_HLEN, &info, &e), e);
	CHECK(memcmp(info.dst, mac_bcast, 6) == 0, "parsed dst");
	CHECK(memcmp(info.src, mac_a, 6) == 0, "parsed src");
	CHECK_EQ_INT(info.proto, ETH_P_ARP);
	CHECK(eth_is_broadcast(info.dst), "broadcast not detected");
	CHECK(!eth_is_broadcast(info.src), "unicast seen as broadcast");

	EXPECT_ERR(eth_parse(exact(f, 13), 13, &info, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: Ethernet header says 14 bytes, 13 captured");
	EXPECT_ERR(eth_parse(exact(f, 0), 0, &info, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: Ethernet header says 14 bytes, 0 captured");

	eth_addr_format(mac_a, s);
	CHECK(strcmp(s, "02:00:00:00:00:01") == 0, "'%s'", s);
	eth_addr_format((const uint8_t[]){ 0xde, 0xad, 0xbe, 0xef, 0x0a, 0xff }, s);
	CHECK(strcmp(s, "de:ad:be:ef:0a:ff") == 0, "'%s'", s);
}

static void ip4_sample(uint8_t *p)
{
	struct ip4_info in = { .tos = 0x10, .tot_len = 60, .id = 0x1c46, .frag_off = IP_DF,
			       .ttl = 64, .protocol = IPPROTO_TCP, .saddr = 0xc0000201,
			       .daddr = 0xc6336407 };

	ip4_build(p, &in);
}

static void test_ip4(void)
{
	uint8_t h[64];
	struct ip4_info info;
	struct pw_parse_err e;

	memset(h, 0, sizeof(h));
	ip4_sample(h);
	CHECK_EQ_INT(h[0], 0x45);
	CHECK_EQ_INT(ip_fast_csum(h, 5), 0);
	memset(&info, 0, sizeof(info));
	EXPECT_OK(ip4_parse(exact(h, 20), 20, &info, &e), e);
	CHECK_EQ_INT(info.version, 4);
	CHECK_EQ_INT(info.ihl, 5);
	CHECK_EQ_INT(info.tos, 0x10);
	CHECK_EQ_INT(info.tot_len, 60);
	CHECK_EQ_INT(info.id, 0x1c46);
	CHECK_EQ_INT(info.frag_off, IP_DF);
	CHECK_EQ_INT(info.ttl, 64);
	CHECK_EQ_INT(info.protocol, IPPROTO_TCP);
	CHECK_EQ_INT(info.check, get_be16(h + 10));
	CHECK_EQ_INT(info.saddr, 0xc0000201);
	CHECK_EQ_INT(info.daddr, 0xc6336407);
	CHECK(ip4_csum_ok(h, &info), "built header fails its checksum");
	h[8] = 63; /* a hop without ip_decrease_ttl's checksum update */
	CHECK(!ip4_csum_ok(h, &info), "stale checksum accepted");
	ip4_send_check(h);
	CHECK(ip4_csum_ok(h, &info), "ip4_send_check did not fix the checksum");

	/* The kernel's own example header. */
	{
		static const uint8_t k[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40,
					     0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8,
					     0x00, 0xc7 };
		uint8_t b[20];
		struct ip4_info in = { .tot_len = 0x73, .frag_off = IP_DF, .ttl = 64,
				       .protocol = IPPROTO_UDP, .saddr = 0xc0a80001,
				       .daddr = 0xc0a800c7 };

		ip4_build(b, &in);
		CHECK(memcmp(b, k, 20) == 0, "ip4_build differs from the reference header");
		EXPECT_OK(ip4_parse(exact(k, 20), 20, &info, &e), e);
		CHECK_EQ_INT(info.check, 0xb861);
		CHECK(ip4_csum_ok(k, &info), "reference header checksum");
	}

	/* A header with one option word: parsed and checksummed over 24 bytes. */
	ip4_sample(h);
	h[0] = 0x46;
	put_be32(h + 20, 0x01010100); /* NOP NOP NOP EOL */
	ip4_send_check(h);
	EXPECT_OK(ip4_parse(exact(h, 24), 24, &info, &e), e);
	CHECK_EQ_INT(info.ihl, 6);
	CHECK(ip4_csum_ok(h, &info), "ihl 6 checksum");

	/* tot_len above caplen is the caller's business. */
	ip4_sample(h);
	put_be16(h + 2, 1500);
	EXPECT_OK(ip4_parse(exact(h, 20), 20, &info, &e), e);
	CHECK_EQ_INT(info.tot_len, 1500);

	/* 1. Fewer than 20 bytes. */
	ip4_sample(h);
	EXPECT_ERR(ip4_parse(exact(h, 19), 19, &info, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: IPv4 header says 20 bytes, 19 captured");
	EXPECT_ERR(ip4_parse(exact(h, 0), 0, &info, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: IPv4 header says 20 bytes, 0 captured");
	/* Step 1 comes before step 2: a bad version in 19 bytes is truncated. */
	h[0] = 0x65;
	EXPECT_ERR(ip4_parse(exact(h, 19), 19, &info, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: IPv4 header says 20 bytes, 19 captured");

	/* 2. Version and ihl. */
	h[0] = 0x65;
	EXPECT_ERR(ip4_parse(exact(h, 20), 20, &info, &e), e, PW_PARSE_INVALID,
		   "invalid: IPv4 version 6 (must be 4)");
	h[0] = 0x63; /* version first, then ihl */
	EXPECT_ERR(ip4_parse(exact(h, 20), 20, &info, &e), e, PW_PARSE_INVALID,
		   "invalid: IPv4 version 6 (must be 4)");
	h[0] = 0x43;
	EXPECT_ERR(ip4_parse(exact(h, 20), 20, &info, &e), e, PW_PARSE_INVALID,
		   "invalid: IPv4 ihl 3 (must be at least 5)");
	CHECK(e.field && strcmp(e.field, "ihl") == 0, "field '%s'", e.field ? e.field : "(null)");
	CHECK_EQ_INT(e.value, 3);
	h[0] = 0x40;
	EXPECT_ERR(ip4_parse(exact(h, 20), 20, &info, &e), e, PW_PARSE_INVALID,
		   "invalid: IPv4 ihl 0 (must be at least 5)");

	/* 3. The header the ihl announces is not all captured. */
	h[0] = 0x4f;
	put_be16(h + 2, 10); /* also a bad tot_len: step 3 must win */
	EXPECT_ERR(ip4_parse(exact(h, 34), 34, &info, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: IPv4 header says 60 bytes, 34 captured");
	CHECK_EQ_INT(e.value, 60);
	CHECK_EQ_INT(e.have, 34);
	h[0] = 0x46;
	EXPECT_ERR(ip4_parse(exact(h, 23), 23, &info, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: IPv4 header says 24 bytes, 23 captured");

	/* 4. tot_len shorter than the header. */
	ip4_sample(h);
	put_be16(h + 2, 19);
	EXPECT_ERR(ip4_parse(exact(h, 20), 20, &info, &e), e, PW_PARSE_INVALID,
		   "invalid: IPv4 tot_len 19 (must be at least ihl*4)");
	h[0] = 0x46;
	put_be16(h + 2, 20);
	EXPECT_ERR(ip4_parse(exact(h, 24), 24, &info, &e), e, PW_PARSE_INVALID,
		   "invalid: IPv4 tot_len 20 (must be at least ihl*4)");
	put_be16(h + 2, 24);
	EXPECT_OK(ip4_parse(exact(h, 24), 24, &info, &e), e);
}

static void test_ip4_addr(void)
{
	static const char *const bad[] = {
		"", "1", "1.2.3", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.4.", "1.2.3.4.5",
		"256.0.0.1", "1.2.3.256", "1.2.3.1000", "1.2.3.4x", "1.2.3.4 ", " 1.2.3.4",
		"1.2.3.-4", "+1.2.3.4", "01.2.3.4", "1.2.3.00", "a.b.c.d", "4294967297.0.0.1",
		"1.2.3.99999999999999999999",
	};
	char s[16];
	uint32_t a;
	size_t i;

	ip4_addr_format(0xc0000201, s);
	CHECK(strcmp(s, "192.0.2.1") == 0, "'%s'", s);
	ip4_addr_format(0xffffffff, s);
	CHECK(strcmp(s, "255.255.255.255") == 0, "'%s'", s);
	ip4_addr_format(0, s);
	CHECK(strcmp(s, "0.0.0.0") == 0, "'%s'", s);

	a = 0;
	CHECK_EQ_INT(ip4_addr_parse("192.0.2.1", &a), 0);
	CHECK_EQ_INT(a, 0xc0000201);
	CHECK_EQ_INT(ip4_addr_parse("255.255.255.255", &a), 0);
	CHECK_EQ_INT(a, 0xffffffff);
	CHECK_EQ_INT(ip4_addr_parse("0.0.0.0", &a), 0);
	CHECK_EQ_INT(a, 0);
	CHECK_EQ_INT(ip4_addr_parse("10.0.100.7", &a), 0);
	CHECK_EQ_INT(a, 0x0a006407);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = 0x12345678;
		CHECK(ip4_addr_parse(bad[i], &a) == -1, "'%s' accepted", bad[i]);
		CHECK(a == 0x12345678, "'%s' wrote the address", bad[i]);
	}
	CHECK_EQ_INT(ip4_addr_parse(NULL, &a), -1);
}

static void test_tcp_build_parse(void)
{
	static const uint8_t syn_opts[] = { 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
					    0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0x00, 0x00,
					    0x01, 0x03, 0x03, 0x07 };
	static const uint8_t ts_opts[] = { 0x01, 0x01, 0x08, 0x0a, 0x00, 0x0f, 0x42, 0x41,
					   0xde, 0xad, 0xbe, 0xef };
	struct tcp_opts o = { .mss_set = 1, .mss = 1460, .sack_perm = 1, .ts_set = 1,
			      .ts_val = 1000000, .ts_ecr = 0, .wscale_set = 1, .wscale = 7 };
	struct tcp_info t = { .source = 40000, .dest = 80, .seq = 0x12345678, .ack_seq = 0,
			      .doff = 10, .flags = TCPHDR_SYN, .window = 64240, .urg_ptr = 0 };
	struct tcp_info out;
	struct pw_parse_err e;
	uint8_t seg[60];
	unsigned int n;

	memset(seg, 0xee, sizeof(seg));
	tcp_build(seg, &t);
	CHECK_EQ_INT(seg[12], 0xa0);
	CHECK_EQ_INT(seg[13], TCPHDR_SYN);
	CHECK_EQ_INT(get_be16(seg + TCP_CHECK_OFFSET), 0);
	CHECK_EQ_INT(tcp_options_size(&o), 20);
	n = tcp_options_write(seg + TCP_HLEN, &o);
	CHECK_EQ_INT(n, 20);
	CHECK(memcmp(seg + TCP_HLEN, syn_opts, sizeof(syn_opts)) == 0, "SYN option bytes differ");

	memset(&out, 0xcc, sizeof(out));
	EXPECT_OK(tcp_parse(exact(seg, 40), 40, &out, &e), e);
	CHECK_EQ_INT(out.source, 40000);
	CHECK_EQ_INT(out.dest, 80);
	CHECK_EQ_INT(out.seq, 0x12345678);
	CHECK_EQ_INT(out.ack_seq, 0);
	CHECK_EQ_INT(out.doff, 10);
	CHECK_EQ_INT(out.flags, TCPHDR_SYN);
	CHECK_EQ_INT(out.window, 64240);
	CHECK_EQ_INT(out.check, 0);
	CHECK_EQ_INT(out.urg_ptr, 0);
	CHECK_EQ_INT(out.opts.mss_set, 1);
	CHECK_EQ_INT(out.opts.mss, 1460);
	CHECK_EQ_INT(out.opts.sack_perm, 1);
	CHECK_EQ_INT(out.opts.ts_set, 1);
	CHECK_EQ_INT(out.opts.ts_val, 1000000);
	CHECK_EQ_INT(out.opts.ts_ecr, 0);
	CHECK_EQ_INT(out.opts.wscale_set, 1);
	CHECK_EQ_INT(out.opts.wscale, 7);

	/* An established segment: timestamps only, NOP NOP TS. */
	memset(&o, 0, sizeof(o));
	o.ts_set = 1;
	o.ts_val = 1000001;
	o.ts_ecr = 0xdeadbeef;
	t.doff = 8;
	t.flags = TCPHDR_ACK | TCPHDR_PSH;
	t.ack_seq = 0xfffffff0;
	t.urg_ptr = 0x1234;
	tcp_build(seg, &t);
	CHECK_EQ_INT(tcp_options_size(&o), 12);
	n = tcp_options_write(seg + TCP_HLEN, &o);
	CHECK_EQ_INT(n, 12);
	CHECK(memcmp(seg + TCP_HLEN, ts_opts, sizeof(ts_opts)) == 0, "TS option bytes differ");
	memset(&out, 0xcc, sizeof(out));
	EXPECT_OK(tcp_parse(exact(seg, 32), 32, &out, &e), e);
	CHECK_EQ_INT(out.flags, TCPHDR_ACK | TCPHDR_PSH);
	CHECK_EQ_INT(out.ack_seq, 0xfffffff0);
	CHECK_EQ_INT(out.urg_ptr, 0x1234);
	CHECK_EQ_INT(out.opts.ts_set, 1);
	CHECK_EQ_INT(out.opts.ts_val, 1000001);
	CHECK_EQ_INT(out.opts.ts_ecr, 0xdeadbeef);
	CHECK_EQ_INT(out.opts.mss_set, 0);
	CHECK_EQ_INT(out.opts.sack_perm, 0);
	CHECK_EQ_INT(out.opts.wscale_set, 0);

	/* The other layouts: SACK without timestamps, MSS and window only, nothing. */
	memset(&o, 0, sizeof(o));
	o.sack_perm = 1;
	CHECK_EQ_INT(tcp_options_write(seg + TCP_HLEN, &o), 4);
	CHECK(memcmp(seg + TCP_HLEN, "\x01\x01\x04\x02", 4) == 0, "NOP NOP SACK_PERM");
	memset(&o, 0, sizeof(o));
	o.mss_set = 1;
	o.mss = 536;
	o.wscale_set = 1;
	o.wscale = 14;
	CHECK_EQ_INT(tcp_options_size(&o), 8);
	CHECK_EQ_INT(tcp_options_write(seg + TCP_HLEN, &o), 8);
	CHECK(memcmp(seg + TCP_HLEN, "\x02\x04\x02\x18\x01\x03\x03\x0e", 8) == 0, "MSS + WS");
	memset(&o, 0, sizeof(o));
	CHECK_EQ_INT(tcp_options_size(&o), 0);
	CHECK_EQ_INT(tcp_options_write(seg + TCP_HLEN, &o), 0);

	/* Header without options. */
	t.doff = 5;
	tcp_build(seg, &t);
	EXPECT_OK(tcp_parse(exact(seg, 20), 20, &out, &e), e);
	CHECK_EQ_INT(out.doff, 5);
	CHECK_EQ_INT(out.opts.ts_set | out.opts.mss_set | out.opts.sack_perm | out.opts.wscale_set, 0);
}

/* A TCP header of doff words whose options are the given bytes. */
static size_t tcp_with_opts(uint8_t *seg, unsigned int doff, const uint8_t *opts, size_t n)
{
	struct tcp_info t = { .source = 1, .dest = 2, .doff = (uint8_t)doff, .flags = TCPHDR_SYN };

	tcp_build(seg, &t);
	memset(seg + TCP_HLEN, 0, doff * 4 - TCP_HLEN);
	memcpy(seg + TCP_HLEN, opts, n);
	return doff * 4;
}

static void test_tcp_errors(void)
{
	struct tcp_info t = { .source = 1, .dest = 2, .doff = 5 };
	struct tcp_info out;
	struct pw_parse_err e;
	uint8_t seg[60];
	size_t len;

	tcp_build(seg, &t);
	EXPECT_ERR(tcp_parse(exact(seg, 19), 19, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: TCP header says 20 bytes, 19 captured");
	seg[12] = 0x40;
	EXPECT_ERR(tcp_parse(exact(seg, 20), 20, &out, &e), e, PW_PARSE_INVALID,
		   "invalid: TCP doff 4 (must be at least 5)");
	seg[12] = 0x00;
	EXPECT_ERR(tcp_parse(exact(seg, 20), 20, &out, &e), e, PW_PARSE_INVALID,
		   "invalid: TCP doff 0 (must be at least 5)");
	seg[12] = 0xf0;
	EXPECT_ERR(tcp_parse(exact(seg, 20), 20, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: TCP header says 60 bytes, 20 captured");
	seg[12] = 0x60;
	EXPECT_ERR(tcp_parse(exact(seg, 23), 23, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: TCP header says 24 bytes, 23 captured");

	/* Hostile options end the walk, never the parse, never a read past doff*4. */
	len = tcp_with_opts(seg, 6, (const uint8_t[]){ 0x02, 0x00, 0x05, 0xb4 }, 4);
	memset(&out, 0xcc, sizeof(out));
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.mss_set, 0);

	len = tcp_with_opts(seg, 6, (const uint8_t[]){ 0x08, 0x01, 0x02, 0x04 }, 4);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.ts_set, 0);
	CHECK_EQ_INT(out.opts.mss_set, 0);

	/* Length 255 after a good MSS: the MSS is kept, the walk stops. */
	len = tcp_with_opts(seg, 7, (const uint8_t[]){ 0x02, 0x04, 0x05, 0xb4, 0x08, 0xff, 0, 0 }, 8);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.mss_set, 1);
	CHECK_EQ_INT(out.opts.mss, 1460);
	CHECK_EQ_INT(out.opts.ts_set, 0);

	/* A timestamp that would run 7 bytes past the header. */
	len = tcp_with_opts(seg, 6, (const uint8_t[]){ 0x01, 0x08, 0x0a, 0x00 }, 4);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.ts_set, 0);

	/* A kind in the last byte with no room for its length. */
	len = tcp_with_opts(seg, 6, (const uint8_t[]){ 0x01, 0x01, 0x01, 0x02 }, 4);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.mss_set, 0);

	/* Options ending exactly at the header end are fine. */
	len = tcp_with_opts(seg, 6, (const uint8_t[]){ 0x02, 0x04, 0x02, 0x18 }, 4);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.mss_set, 1);
	CHECK_EQ_INT(out.opts.mss, 536);

	/* EOL ends the list: what follows is padding, not an option. */
	len = tcp_with_opts(seg, 7, (const uint8_t[]){ 0x00, 0x02, 0x04, 0x05, 0xb4 }, 5);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.mss_set, 0);

	/* A known kind with the wrong length is skipped, the walk goes on. */
	len = tcp_with_opts(seg, 7, (const uint8_t[]){ 0x02, 0x03, 0x00, 0x03, 0x03, 0x07, 0x01, 0x01 },
			    8);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.mss_set, 0);
	CHECK_EQ_INT(out.opts.wscale_set, 1);
	CHECK_EQ_INT(out.opts.wscale, 7);

	/* Unknown kinds (and SACK blocks) are stepped over by their length. */
	len = tcp_with_opts(seg, 8,
			    (const uint8_t[]){ 0x05, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 0xfe, 0x02 }, 12);
	EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
	CHECK_EQ_INT(out.opts.ts_set | out.opts.mss_set | out.opts.sack_perm | out.opts.wscale_set, 0);

	/* Forty bytes of NOPs, and forty bytes of 0xff kinds with length 0xff. */
	{
		uint8_t nops[40], junk[40];

		memset(nops, TCPOPT_NOP, sizeof(nops));
		memset(junk, 0xff, sizeof(junk));
		len = tcp_with_opts(seg, 15, nops, sizeof(nops));
		EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
		len = tcp_with_opts(seg, 15, junk, sizeof(junk));
		EXPECT_OK(tcp_parse(exact(seg, len), len, &out, &e), e);
		CHECK_EQ_INT(out.opts.ts_set | out.opts.mss_set | out.opts.sack_perm |
				     out.opts.wscale_set,
			     0);
	}
}

static void test_udp(void)
{
	struct udp_info in = { .source = 5353, .dest = 53, .len = 12, .check = 0xabcd };
	struct udp_info out;
	struct pw_parse_err e;
	uint8_t d[12];

	udp_build(d, &in);
	CHECK(memcmp(d, "\x14\xe9\x00\x35\x00\x0c\xab\xcd", 8) == 0, "UDP bytes");
	memset(&out, 0, sizeof(out));
	EXPECT_OK(udp_parse(exact(d, 8), 8, &out, &e), e);
	CHECK_EQ_INT(out.source, 5353);
	CHECK_EQ_INT(out.dest, 53);
	CHECK_EQ_INT(out.len, 12);
	CHECK_EQ_INT(out.check, 0xabcd);

	/* A real checksum over pseudo-header, header and payload. */
	in.check = 0;
	udp_build(d, &in);
	memcpy(d + 8, "ping", 4);
	in.check = csum_tcpudp_magic(0xc0000201, 0xc0000202, 12, IPPROTO_UDP, csum_partial(d, 12, 0));
	put_be16(d + UDP_CHECK_OFFSET, in.check);
	CHECK_EQ_INT(csum_tcpudp_magic(0xc0000201, 0xc0000202, 12, IPPROTO_UDP, csum_partial(d, 12, 0)),
		     0);

	EXPECT_ERR(udp_parse(exact(d, 7), 7, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: UDP header says 8 bytes, 7 captured");
	put_be16(d + 4, 7);
	EXPECT_ERR(udp_parse(exact(d, 8), 8, &out, &e), e, PW_PARSE_INVALID,
		   "invalid: UDP len 7 (must be at least 8)");
	put_be16(d + 4, 8);
	EXPECT_OK(udp_parse(exact(d, 8), 8, &out, &e), e);
	put_be16(d + 4, 1000); /* more than captured: the caller decides */
	EXPECT_OK(udp_parse(exact(d, 8), 8, &out, &e), e);
	CHECK_EQ_INT(out.len, 1000);
}

static void test_icmp(void)
{
	struct icmp_info in = { .type = ICMP_ECHO, .code = 0, .id = 0x4242, .sequence = 7 };
	struct icmp_info out;
	struct pw_parse_err e;
	uint8_t d[13];

	icmp_build(d, &in);
	CHECK(memcmp(d, "\x08\x00\x00\x00\x42\x42\x00\x07", 8) == 0, "ICMP bytes");
	memcpy(d + 8, "hello", 5); /* odd length on purpose */
	icmp_set_checksum(d, sizeof(d));
	CHECK(get_be16(d + 2) != 0, "checksum not stored");
	CHECK_EQ_INT(csum_fold(csum_partial(d, sizeof(d), 0)), 0);
	memset(&out, 0, sizeof(out));
	EXPECT_OK(icmp_parse(exact(d, sizeof(d)), sizeof(d), &out, &e), e);
	CHECK_EQ_INT(out.type, ICMP_ECHO);
	CHECK_EQ_INT(out.code, 0);
	CHECK_EQ_INT(out.check, get_be16(d + 2));
	CHECK_EQ_INT(out.id, 0x4242);
	CHECK_EQ_INT(out.sequence, 7);
	/* Setting it again over a filled-in field gives the same value. */
	{
		uint16_t c = get_be16(d + 2);

		icmp_set_checksum(d, sizeof(d));
		CHECK_EQ_INT(get_be16(d + 2), c);
	}

	in.type = ICMP_ECHOREPLY;
	icmp_build(d, &in);
	EXPECT_OK(icmp_parse(exact(d, 8), 8, &out, &e), e);
	CHECK_EQ_INT(out.type, ICMP_ECHOREPLY);
	CHECK_EQ_INT(out.id, 0x4242);

	/* Errors carry no id or sequence. */
	in = (struct icmp_info){ .type = ICMP_DEST_UNREACH, .code = ICMP_PORT_UNREACH };
	icmp_build(d, &in);
	EXPECT_OK(icmp_parse(exact(d, 8), 8, &out, &e), e);
	CHECK_EQ_INT(out.type, ICMP_DEST_UNREACH);
	CHECK_EQ_INT(out.code, ICMP_PORT_UNREACH);
	CHECK_EQ_INT(out.id, 0);
	CHECK_EQ_INT(out.sequence, 0);

	EXPECT_ERR(icmp_parse(exact(d, 7), 7, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: ICMP header says 8 bytes, 7 captured");
}

static void test_arp(void)
{
	struct arp_info in = { .op = ARPOP_REQUEST, .sip = 0xc0000201, .tip = 0xc0000202 };
	struct arp_info out;
	struct pw_parse_err e;
	uint8_t d[64];
	static const uint8_t want[ARP_HLEN] = { 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
						0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc0, 0x00,
						0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
						0xc0, 0x00, 0x02, 0x02 };

	memcpy(in.sha, mac_a, ETH_ALEN);
	memset(d, 0, sizeof(d));
	arp_build(d, &in);
	CHECK(memcmp(d, want, ARP_HLEN) == 0, "ARP request bytes");
	memset(&out, 0, sizeof(out));
	EXPECT_OK(arp_parse(exact(d, ARP_HLEN), ARP_HLEN, &out, &e), e);
	CHECK_EQ_INT(out.hrd, ARPHRD_ETHER);
	CHECK_EQ_INT(out.pro, ETH_P_IP);
	CHECK_EQ_INT(out.hln, 6);
	CHECK_EQ_INT(out.pln, 4);
	CHECK_EQ_INT(out.op, ARPOP_REQUEST);
	CHECK(memcmp(out.sha, mac_a, 6) == 0, "sha");
	CHECK_EQ_INT(out.sip, 0xc0000201);
	CHECK(memcmp(out.tha, "\0\0\0\0\0\0", 6) == 0, "tha");
	CHECK_EQ_INT(out.tip, 0xc0000202);

	/* The reply, with the sizes the info leaves at zero still written. */
	in.op = ARPOP_REPLY;
	memcpy(in.sha, mac_b, ETH_ALEN);
	memcpy(in.tha, mac_a, ETH_ALEN);
	in.sip = 0xc0000202;
	in.tip = 0xc0000201;
	arp_build(d, &in);
	EXPECT_OK(arp_parse(exact(d, ARP_HLEN), ARP_HLEN, &out, &e), e);
	CHECK_EQ_INT(out.op, ARPOP_REPLY);
	CHECK(memcmp(out.tha, mac_a, 6) == 0, "reply tha");
	CHECK(memcmp(out.sha, mac_b, 6) == 0, "reply sha");
	CHECK_EQ_INT(out.hln, 6);

	EXPECT_ERR(arp_parse(exact(d, 7), 7, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: ARP header says 8 bytes, 7 captured");
	EXPECT_ERR(arp_parse(exact(d, 27), 27, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: ARP header says 28 bytes, 27 captured");

	/* hln 8: first the addresses it announces must be captured, then it is
	 * refused, since only 6-byte hardware addresses are walked. */
	d[4] = 8;
	EXPECT_ERR(arp_parse(exact(d, 28), 28, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: ARP header says 32 bytes, 28 captured");
	EXPECT_ERR(arp_parse(exact(d, 32), 32, &out, &e), e, PW_PARSE_INVALID,
		   "invalid: ARP hln 8 (must be 6)");
	d[4] = 6;
	d[5] = 16;
	EXPECT_ERR(arp_parse(exact(d, 52), 52, &out, &e), e, PW_PARSE_INVALID,
		   "invalid: ARP pln 16 (must be 4)");
	/* The largest announcement: 8 + 2 * (255 + 255) without overflow. */
	d[4] = 0xff;
	d[5] = 0xff;
	EXPECT_ERR(arp_parse(exact(d, 64), 64, &out, &e), e, PW_PARSE_TRUNCATED,
		   "truncated: ARP header says 1028 bytes, 64 captured");
	d[4] = 6;
	d[5] = 4;
	put_be16(d, 6); /* IEEE 802 */
	EXPECT_ERR(arp_parse(exact(d, 28), 28, &out, &e), e, PW_PARSE_INVALID,
		   "invalid: ARP hrd 6 (must be 1, Ethernet)");
	put_be16(d, ARPHRD_ETHER);
	put_be16(d + 2, ETH_P_IPV6);
	EXPECT_ERR(arp_parse(exact(d, 28), 28, &out, &e), e, PW_PARSE_INVALID,
		   "invalid: ARP pro 34525 (must be 2048 = 0x0800, IPv4)");
}

int main(void)
{
	test_err_format();
	test_eth();
	test_ip4();
	test_ip4_addr();
	test_tcp_build_parse();
	test_tcp_errors();
	test_udp();
	test_icmp();
	test_arp();
	exact_release();
	return test_report("test_proto");
}
