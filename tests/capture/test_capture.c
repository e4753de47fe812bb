/* test_capture.c: the capture reader over files it writes itself: a pcap
 * through libpcap's pcap_dump (frame numbers, nanosecond stamps, the filter,
 * going back and forth by index), hand-made pcapng files (blocks between
 * packets, interfaces with different time resolutions, a second section,
 * two link types), the same files compressed (gzip, zstd, lz4: the same
 * frames, back and forth; a gzip file big enough for restart points), and
 * the damaged, compressed-and-damaged, missing and foreign files, each
 * with its message. */
#include "test.h"

#include <lz4frame.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "capture/capture.h"
/* pcap.h brought <netinet/in.h>, whose IPPROTO_* are also ip4.h's macros. */
#undef IPPROTO_ICMP
#undef IPPROTO_TCP
#undef IPPROTO_UDP
#include "proto/eth.h"
#include "proto/ip4.h"
#include "proto/tcp.h"
#include "proto/udp.h"

#define NFRAMES 10
#define T0 1767225600ull /* 2026-01-01T00:00:00Z */

struct tmp {
	char dir[64];
	char path[40][128];
	int n;
};

static const char *tmp_file(struct tmp *t, const char *name)
{
	char *p = t->path[t->n++];
	size_t k = strlen(t->dir);

	memcpy(p, t->dir, k);
	snprintf(p + k, sizeof(t->path[0]) - k, "/%s", name);
	return p;
}

static void write_bytes(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b, 1, n, f) != n) {
		fprintf(stderr, "test_capture: cannot write %s\n", path);
		exit(1);
	}
	fclose(f);
}

static uint8_t *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long sz;

	if (!f || fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "test_capture: cannot read %s\n", path);
		exit(1);
	}
	b = malloc((size_t)sz + 1);
	if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) {
		fprintf(stderr, "test_capture: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*n = (size_t)sz;
	return b;
}

/* Frame i: UDP for even i, TCP for odd, with i in the payload. */
static uint32_t build_frame(uint8_t *f, int i)
{
	static const uint8_t a[6] = { 2, 0, 0, 0, 0, 1 }, b[6] = { 2, 0, 0, 0, 0, 2 };
	struct ip4_info ip = { .id = (uint16_t)i, .ttl = 64, .saddr = 0xc0000201, .daddr = 0xc0000202 };
	uint32_t l4;

	eth_build(f, b, a, ETH_P_IP);
	if (i % 2 == 0) {
		struct udp_info u = { .source = 1000, .dest = 53, .len = 8 + 4 };

		udp_build(f + 34, &u);
		l4 = 8;
		ip.protocol = IPPROTO_UDP;
	} else {
		struct tcp_info t = { .source = 40000, .dest = 80, .doff = 5, .flags = TCPHDR_ACK };

		tcp_build(f + 34, &t);
		l4 = 20;
		ip.protocol = IPPROTO_TCP;
	}
	put_be32(f + 34 + l4, (uint32_t)i);
	ip.tot_len = (uint16_t)(20 + l4 + 4);
	ip4_build(f + 14, &ip);
	return 34 + l4 + 4;
}

static uint64_t frame_ts(int i)
{
	return (T0 + (uint64_t)i * 3) * 1000000000ull + 123456789ull + (uint64_t)i;
}

static void write_pcap_n(const char *path, int frames)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;

	if (!d) {
		fprintf(stderr, "test_capture: cannot write %s\n", path);
		exit(1);
	}
	for (int i = 1; i <= frames; i++) {
		uint8_t f[128];
		struct pcap_pkthdr h;

		h.caplen = h.len = build_frame(f, i);
		h.ts.tv_sec = (time_t)(frame_ts(i) / 1000000000ull);
		h.ts.tv_usec = (suseconds_t)(frame_ts(i) % 1000000000ull);
		pcap_dump((u_char *)d, &h, f);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

static void write_pcap(const char *path)
{
	write_pcap_n(path, NFRAMES);
}

/* f must be frame i of write_pcap's file. */
static void check_frame(const struct pw_frame *f, int i)
{
	uint8_t want[128];
	uint32_t n = build_frame(want, i);

	CHECK_EQ_INT(f->number, i);
	CHECK(f->ts_ns == frame_ts(i), "frame %d: ts %llu, want %llu", i, (unsigned long long)f->ts_ns,
	      (unsigned long long)frame_ts(i));
	CHECK_EQ_INT(f->linktype, PW_LINKTYPE_ETHERNET);
	CHECK_EQ_INT(f->caplen, n);
	CHECK_EQ_INT(f->len, n);
	CHECK_EQ_INT(f->caplen_file, n);
	CHECK(f->caplen == n && memcmp(f->data, want, n) == 0, "frame %d: bytes differ", i);
}

static void test_pcap(struct tmp *t)
{
	const char *path = tmp_file(t, "ten.pcap");
	struct pw_capture *c;
	struct pw_frame f;
	char err[512];
	int i;

	write_pcap(path);
	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	CHECK_EQ_INT(pw_capture_linktype(c), PW_LINKTYPE_ETHERNET);
	for (i = 1; i <= NFRAMES; i++) {
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
		check_frame(&f, i);
		CHECK_EQ_INT(pw_capture_indexed(c), i);
	}
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 0);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 0);

	/* Back and forth by index; next continues after the frame. */
	CHECK_EQ_INT(pw_capture_frame(c, 5, &f, err, sizeof(err)), 1);
	check_frame(&f, 5);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	check_frame(&f, 6);
	CHECK_EQ_INT(pw_capture_frame(c, 1, &f, err, sizeof(err)), 1);
	check_frame(&f, 1);
	CHECK_EQ_INT(pw_capture_frame(c, 10, &f, err, sizeof(err)), 1);
	check_frame(&f, 10);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 0);
	CHECK_EQ_INT(pw_capture_frame(c, 3, &f, err, sizeof(err)), 1);
	check_frame(&f, 3);
	CHECK_EQ_INT(pw_capture_frame(c, 3, &f, err, sizeof(err)), 1);
	check_frame(&f, 3);
	CHECK_EQ_INT(pw_capture_frame(c, 11, &f, err, sizeof(err)), 0);
	CHECK_EQ_INT(pw_capture_frame(c, 0, &f, err, sizeof(err)), 0);
	for (i = 0; i < 200; i++) {
		int n = 1 + (i * 7) % NFRAMES;

		CHECK_EQ_INT(pw_capture_frame(c, (uint32_t)n, &f, err, sizeof(err)), 1);
		check_frame(&f, n);
	}
	CHECK_EQ_INT(pw_capture_indexed(c), NFRAMES);
	pw_capture_close(c);

	/* Ahead of the index: read forward, then back. */
	c = pw_capture_open(path, "", err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	CHECK_EQ_INT(pw_capture_frame(c, 7, &f, err, sizeof(err)), 1);
	check_frame(&f, 7);
	CHECK_EQ_INT(pw_capture_indexed(c), 7);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	check_frame(&f, 8);
	CHECK_EQ_INT(pw_capture_frame(c, 2, &f, err, sizeof(err)), 1);
	check_frame(&f, 2);
	CHECK_EQ_INT(pw_capture_frame(c, 9, &f, err, sizeof(err)), 1);
	check_frame(&f, 9);
	pw_capture_close(c);
	pw_capture_close(NULL);
}

static void test_filter(struct tmp *t)
{
	const char *path = t->path[0];
	struct pw_capture *c;
	struct pw_frame f;
	char err[512];

	c = pw_capture_open(path, "udp", err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	/* Even frames are UDP; numbers stay those of the file. */
	for (int i = 2; i <= NFRAMES; i += 2) {
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
		check_frame(&f, i);
	}
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 0);
	CHECK_EQ_INT(pw_capture_indexed(c), NFRAMES);
	/* By number, the filter does not apply; next applies it again. */
	CHECK_EQ_INT(pw_capture_frame(c, 3, &f, err, sizeof(err)), 1);
	check_frame(&f, 3);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	check_frame(&f, 4);
	pw_capture_close(c);

	c = pw_capture_open(path, "tcp and dst port 80", err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (c) {
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
		check_frame(&f, 1);
		pw_capture_close(c);
	}

	c = pw_capture_open(path, "udp and", err, sizeof(err));
	CHECK(c == NULL, "a bad filter compiled");
	{
		char want[256];

		snprintf(want, sizeof(want), "%s: filter \"udp and\": ", path);
		CHECK(strncmp(err, want, strlen(want)) == 0 && strlen(err) > strlen(want),
		      "message '%s', want '%s...'", err, want);
	}
	pw_capture_close(c);
}

static void test_damaged(struct tmp *t)
{
	const char *good = t->path[0];
	const char *cut_data = tmp_file(t, "cut-data.pcap");
	const char *cut_head = tmp_file(t, "cut-head.pcap");
	struct pw_capture *c;
	struct pw_frame f;
	char err[512], want[512];
	uint8_t *b;
	size_t n;
	int i;

	b = read_all(good, &n);
	/* The last record loses 10 of its 46 data bytes. */
	write_bytes(cut_data, b, n - 10);
	/* The last record's 16-byte header is cut after 5 bytes. */
	write_bytes(cut_head, b, n - 46 - 16 + 5);
	free(b);

	c = pw_capture_open(cut_data, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	for (i = 1; i < NFRAMES; i++) {
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
		check_frame(&f, i);
	}
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: frame 10: truncated dump file; tried to read 46 captured bytes, "
		 "only got 36", cut_data);
	CHECK(strcmp(err, want) == 0, "message '%s', want '%s'", err, want);
	/* The damage stays where it is; the frames before stay readable. */
	err[0] = '\0';
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), -1);
	CHECK(strcmp(err, want) == 0, "second message '%s'", err);
	CHECK_EQ_INT(pw_capture_frame(c, 4, &f, err, sizeof(err)), 1);
	check_frame(&f, 4);
	CHECK_EQ_INT(pw_capture_frame(c, 10, &f, err, sizeof(err)), -1);
	pw_capture_close(c);

	c = pw_capture_open(cut_head, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	for (i = 1; i < NFRAMES; i++)
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: frame 10: truncated dump file; tried to read 16 header bytes, "
		 "only got 5", cut_head);
	CHECK(strcmp(err, want) == 0, "message '%s', want '%s'", err, want);
	pw_capture_close(c);
}

static void expect_open_fails(const char *path, const char *want)
{
	char err[512];
	struct pw_capture *c = pw_capture_open(path, NULL, err, sizeof(err));

	CHECK(c == NULL, "%s opened", path);
	CHECK(strncmp(err, want, strlen(want)) == 0, "message '%s', want '%s'", err, want);
	pw_capture_close(c);
}

static void test_not_captures(struct tmp *t)
{
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4, 0xe6, 0xd6, 0xb4, 0x46 };
	const char *xzpath = tmp_file(t, "x.pcap.xz");
	const char *empty = tmp_file(t, "empty.pcap");
	const char *text = tmp_file(t, "notes.txt");
	const char *missing = tmp_file(t, "missing.pcap");
	char want[512];

	write_bytes(xzpath, xz, sizeof(xz));
	snprintf(want, sizeof(want), "%s: compressed with xz; decompress it first (unxz -k %s)", xzpath, xzpath);
	expect_open_fails(xzpath, want);

	snprintf(want, sizeof(want), "%s: No such file or directory", missing);
	expect_open_fails(missing, want);

	write_bytes(empty, "", 0);
	snprintf(want, sizeof(want), "%s: empty, too short to be a capture file", empty);
	expect_open_fails(empty, want);

	write_bytes(text, "hello, this is text\n", 20);
	snprintf(want, sizeof(want), "%s: not a capture file: it starts with 68 65 6c 6c", text);
	expect_open_fails(text, want);

	snprintf(want, sizeof(want), "%s: Is a directory", t->dir);
	expect_open_fails(t->dir, want);
}

/* A pcap record claiming more than the snapshot length: libpcap keeps the
 * snapshot; the frame says what the record claimed. */
static void test_caplen_over_snaplen(struct tmp *t)
{
	const char *path = tmp_file(t, "oversnap.pcap");
	uint8_t b[24 + 16 + 150 + 16 + 60];
	struct pw_capture *c;
	struct pw_frame f;
	char err[512];
	uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 100, 1 };
	uint32_t r1[4] = { 1, 0, 150, 150 }, r2[4] = { 2, 0, 60, 60 };

	memcpy(b, hdr, 24);
	memcpy(b + 24, r1, 16);
	memset(b + 40, 0xaa, 150);
	memcpy(b + 190, r2, 16);
	memset(b + 206, 0xbb, 60);
	write_bytes(path, b, sizeof(b));
	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	CHECK_EQ_INT(f.caplen, 100);
	CHECK_EQ_INT(f.caplen_file, 150);
	CHECK_EQ_INT(f.len, 150);
	CHECK_EQ_INT(f.ts_ns, 1000000000ull);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	CHECK_EQ_INT(f.caplen, 60);
	CHECK_EQ_INT(f.caplen_file, 60);
	CHECK_EQ_INT(f.data[0], 0xbb);
	CHECK_EQ_INT(pw_capture_frame(c, 1, &f, err, sizeof(err)), 1);
	CHECK_EQ_INT(f.caplen_file, 150);
	pw_capture_close(c);
}

/* ---- pcapng, made by hand (little-endian) ---- */

struct ng {
	uint8_t b[4096];
	size_t n;
};

static void ng_u32(struct ng *g, uint32_t v)
{
	memcpy(g->b + g->n, &v, 4);
	g->n += 4;
}

static void ng_shb(struct ng *g)
{
	ng_u32(g, 0x0A0D0D0A);
	ng_u32(g, 28);
	ng_u32(g, 0x1A2B3C4D);
	ng_u32(g, 0x00000001); /* version 1.0 */
	ng_u32(g, 0xffffffff); /* section length unknown */
	ng_u32(g, 0xffffffff);
	ng_u32(g, 28);
}

/* An interface; tsresol 6 (microseconds, the default) or 9 or 3. */
static void ng_idb(struct ng *g, uint16_t linktype, uint8_t tsresol)
{
	ng_u32(g, 1);
	ng_u32(g, 32);
	ng_u32(g, linktype);
	ng_u32(g, 65535);
	ng_u32(g, 9 | (1u << 16)); /* if_tsresol, 1 byte */
	ng_u32(g, tsresol);
	ng_u32(g, 0); /* opt_endofopt */
	ng_u32(g, 32);
}

static void ng_epb(struct ng *g, uint32_t ifid, uint64_t ts, uint8_t fill, uint32_t caplen)
{
	uint32_t padded = (caplen + 3) & ~3u;

	ng_u32(g, 6);
	ng_u32(g, 32 + padded);
	ng_u32(g, ifid);
	ng_u32(g, (uint32_t)(ts >> 32));
	ng_u32(g, (uint32_t)ts);
	ng_u32(g, caplen);
	ng_u32(g, caplen);
	memset(g->b + g->n, fill, padded);
	g->n += padded;
	ng_u32(g, 32 + padded);
}

/* A block libpcap does not act on (name resolution, or an unknown type). */
static void ng_other(struct ng *g, uint32_t type)
{
	ng_u32(g, type);
	ng_u32(g, 16);
	ng_u32(g, 0);
	ng_u32(g, 16);
}

static int ng_read(struct pw_capture *c, uint32_t n, int next, uint8_t fill, uint64_t ts_ns)
{
	struct pw_frame f;
	char err[512];
	int rc = next ? pw_capture_next(c, &f, err, sizeof(err)) : pw_capture_frame(c, n, &f, err, sizeof(err));

	CHECK(rc == 1, "frame %u: rc %d: %s", n, rc, rc < 0 ? err : "");
	if (rc != 1)
		return 0;
	CHECK_EQ_INT(f.number, n);
	CHECK(f.data[0] == fill, "frame %u: byte 0x%02x, want 0x%02x", n, f.data[0], fill);
	CHECK(f.ts_ns == ts_ns, "frame %u: ts %llu, want %llu", n, (unsigned long long)f.ts_ns,
	      (unsigned long long)ts_ns);
	return 1;
}

/*
 * Interfaces 0 (microseconds), 1 (nanoseconds), 2 (milliseconds), blocks
 * between the packets. Going back must not make libpcap read interface 1
 * twice: the interface after it would then be numbered 3, and frame 4's
 * stamp would be read in nanoseconds.
 */
static void test_pcapng(struct tmp *t)
{
	const char *path = tmp_file(t, "blocks.pcapng");
	struct ng g = { .n = 0 };
	struct pw_capture *c;
	struct pw_frame f;
	char err[512];

	ng_shb(&g);
	ng_idb(&g, 1, 6);
	ng_epb(&g, 0, 1000005, 0x11, 60);           /* 1: 1 s + 5 us */
	ng_other(&g, 4);                            /* name resolution */
	ng_idb(&g, 1, 9);
	ng_epb(&g, 1, 2000000007ull, 0x22, 61);     /* 2: 2 s + 7 ns */
	ng_epb(&g, 0, 3000000, 0x33, 62);           /* 3: 3 s */
	ng_other(&g, 0x0BAD);                       /* a block type nobody knows */
	ng_idb(&g, 1, 3);
	ng_epb(&g, 2, 4009, 0x44, 63);              /* 4: 4 s + 9 ms */
	ng_epb(&g, 1, 5000000011ull, 0x55, 64);     /* 5: 5 s + 11 ns */
	write_bytes(path, g.b, g.n);

	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	ng_read(c, 1, 1, 0x11, 1000005000ull);
	ng_read(c, 2, 1, 0x22, 2000000007ull);
	ng_read(c, 1, 0, 0x11, 1000005000ull);
	ng_read(c, 2, 1, 0x22, 2000000007ull);
	ng_read(c, 3, 1, 0x33, 3000000000ull);
	ng_read(c, 4, 1, 0x44, 4009000000ull);
	ng_read(c, 5, 1, 0x55, 5000000011ull);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 0);
	for (int i = 0; i < 50; i++) {
		static const uint8_t fill[5] = { 0x11, 0x22, 0x33, 0x44, 0x55 };
		static const uint64_t ts[5] = { 1000005000ull, 2000000007ull, 3000000000ull,
						4009000000ull, 5000000011ull };
		int n = (i * 3) % 5;

		ng_read(c, (uint32_t)n + 1, 0, fill[n], ts[n]);
	}
	ng_read(c, 2, 0, 0x22, 2000000007ull);
	ng_read(c, 3, 1, 0x33, 3000000000ull);
	ng_read(c, 4, 1, 0x44, 4009000000ull);
	pw_capture_close(c);

	/* Two sections (two files put end to end): the second has its own
	 * interface 0, in nanoseconds; going back reopens the file. */
	path = tmp_file(t, "sections.pcapng");
	g.n = 0;
	ng_shb(&g);
	ng_idb(&g, 1, 6);
	ng_epb(&g, 0, 1000001, 0x11, 60);
	ng_shb(&g);
	ng_idb(&g, 1, 9);
	ng_epb(&g, 0, 2000000002ull, 0x22, 60);
	ng_epb(&g, 0, 3000000003ull, 0x33, 60);
	write_bytes(path, g.b, g.n);
	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	ng_read(c, 1, 1, 0x11, 1000001000ull);
	ng_read(c, 2, 1, 0x22, 2000000002ull);
	ng_read(c, 3, 1, 0x33, 3000000003ull);
	ng_read(c, 1, 0, 0x11, 1000001000ull);
	ng_read(c, 3, 0, 0x33, 3000000003ull);
	ng_read(c, 2, 0, 0x22, 2000000002ull);
	ng_read(c, 3, 1, 0x33, 3000000003ull);
	pw_capture_close(c);

	/* A second interface of another link type: libpcap stops there. */
	path = tmp_file(t, "mixed.pcapng");
	g.n = 0;
	ng_shb(&g);
	ng_idb(&g, 1, 6);
	ng_epb(&g, 0, 1, 0x11, 60);
	ng_idb(&g, 0, 6);
	ng_epb(&g, 1, 2, 0x22, 60);
	write_bytes(path, g.b, g.n);
	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	ng_read(c, 1, 1, 0x11, 1000ull);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), -1);
	{
		char want[512];

		snprintf(want, sizeof(want), "%s: frame 2: this pcapng file mixes link types (an interface "
			 "of link type 0 after the first interface's 1", path);
		CHECK(strncmp(err, want, strlen(want)) == 0, "message '%s', want '%s...'", err, want);
	}
	pw_capture_close(c);

	/* Two raw-IP interfaces: libpcap 1.10 refuses the second (it holds its
	 * LINKTYPE_RAW against the first's DLT_RAW); a libpcap without that
	 * quirk reads both. Either way, no crash and a plain message. */
	path = tmp_file(t, "raw2.pcapng");
	g.n = 0;
	ng_shb(&g);
	ng_idb(&g, 101, 6);
	ng_epb(&g, 0, 1, 0x45, 20);
	ng_idb(&g, 101, 6);
	ng_epb(&g, 1, 2, 0x45, 20);
	write_bytes(path, g.b, g.n);
	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (!c)
		return;
	CHECK_EQ_INT(pw_capture_linktype(c), PW_LINKTYPE_RAW);
	ng_read(c, 1, 1, 0x45, 1000ull);
	{
		int rc = pw_capture_next(c, &f, err, sizeof(err));

		CHECK(rc == 1 || strstr(err, "second interface of link type 101, the same as the first's"),
		      "rc %d, message '%s'", rc, rc < 0 ? err : "");
		if (rc == 1)
			CHECK_EQ_INT(f.linktype, PW_LINKTYPE_RAW);
	}
	pw_capture_close(c);
}

/* ---- compressed files ---- */

/* b compressed as one gzip member. */
static uint8_t *gzip_bytes(const uint8_t *b, size_t n, size_t *out_n)
{
	z_stream s = { 0 };
	uLong cap = compressBound((uLong)n) + 64;
	uint8_t *out = malloc(cap);

	if (!out || deflateInit2(&s, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		fprintf(stderr, "test_capture: deflateInit2 failed\n");
		exit(1);
	}
	s.next_in = (Bytef *)b;
	s.avail_in = (uInt)n;
	s.next_out = out;
	s.avail_out = (uInt)cap;
	if (deflate(&s, Z_FINISH) != Z_STREAM_END) {
		fprintf(stderr, "test_capture: deflate failed\n");
		exit(1);
	}
	*out_n = s.total_out;
	deflateEnd(&s);
	return out;
}

/* Writes path's bytes compressed with format ("gz", "zst", "lz4") to a
 * file named after it, and returns that file's name. */
static const char *compress_file(struct tmp *t, const char *path, const char *format)
{
	char name[64];
	size_t n, zn = 0;
	uint8_t *b = read_all(path, &n), *z = NULL;

	snprintf(name, sizeof(name), "%s.%s", strrchr(path, '/') + 1, format);
	if (!strcmp(format, "gz")) {
		z = gzip_bytes(b, n, &zn);
	} else if (!strcmp(format, "zst")) {
		z = malloc(ZSTD_compressBound(n));
		zn = z ? ZSTD_compress(z, ZSTD_compressBound(n), b, n, 3) : 0;
		CHECK(z && !ZSTD_isError(zn), "ZSTD_compress");
	} else {
		z = malloc(LZ4F_compressFrameBound(n, NULL));
		zn = z ? LZ4F_compressFrame(z, LZ4F_compressFrameBound(n, NULL), b, n, NULL) : 0;
		CHECK(z && !LZ4F_isError(zn), "LZ4F_compressFrame");
	}
	path = tmp_file(t, name);
	write_bytes(path, z, zn);
	free(b);
	free(z);
	return path;
}

/* Every frame of write_pcap_n's file with `frames` frames, in order, then
 * back to frame 1, to a middle frame, forward again, at random. */
static void check_compressed_pcap(const char *path, int frames)
{
	struct pw_capture *c;
	struct pw_frame f;
	char err[512];
	int i, ok = 1;

	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open %s: %s", path, err);
	if (!c)
		return;
	CHECK_EQ_INT(pw_capture_linktype(c), PW_LINKTYPE_ETHERNET);
	for (i = 1; i <= frames && ok; i++) {
		ok = pw_capture_next(c, &f, err, sizeof(err)) == 1;
		CHECK(ok, "%s: frame %d: %s", path, i, err);
		if (ok)
			check_frame(&f, i);
	}
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 0);
	CHECK_EQ_INT(pw_capture_frame(c, 1, &f, err, sizeof(err)), 1);
	check_frame(&f, 1);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	check_frame(&f, 2);
	CHECK_EQ_INT(pw_capture_frame(c, (uint32_t)frames / 2, &f, err, sizeof(err)), 1);
	check_frame(&f, frames / 2);
	CHECK_EQ_INT(pw_capture_frame(c, (uint32_t)frames, &f, err, sizeof(err)), 1);
	check_frame(&f, frames);
	CHECK_EQ_INT(pw_capture_frame(c, (uint32_t)frames / 3, &f, err, sizeof(err)), 1);
	check_frame(&f, frames / 3);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	check_frame(&f, frames / 3 + 1);
	for (i = 0; i < 40; i++) {
		int n = 1 + (int)(((unsigned)i * 2654435761u) % (unsigned)frames);

		CHECK(pw_capture_frame(c, (uint32_t)n, &f, err, sizeof(err)) == 1, "%s: frame %d: %s", path, n, err);
		check_frame(&f, n);
	}
	CHECK_EQ_INT(pw_capture_frame(c, (uint32_t)frames + 1, &f, err, sizeof(err)), 0);
	pw_capture_close(c);

	/* Straight to a late frame, then back. */
	c = pw_capture_open(path, "udp", err, sizeof(err));
	CHECK(c != NULL, "open %s: %s", path, err);
	if (!c)
		return;
	CHECK_EQ_INT(pw_capture_frame(c, (uint32_t)frames - 1, &f, err, sizeof(err)), 1);
	check_frame(&f, frames - 1);
	CHECK_EQ_INT(pw_capture_frame(c, 3, &f, err, sizeof(err)), 1);
	check_frame(&f, 3);
	CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
	check_frame(&f, 4);
	pw_capture_close(c);
}

/* Offset of record `frame` (1-based) in a pcap file's bytes. */
static size_t pcap_record_at(const uint8_t *b, int frame)
{
	size_t off = 24;

	for (int i = 1; i < frame; i++) {
		uint32_t caplen;

		memcpy(&caplen, b + off + 8, 4);
		off += 16 + caplen;
	}
	return off;
}

static void test_compressed(struct tmp *t)
{
	static const char *const formats[] = { "gz", "zst", "lz4" };
	const char *ten = t->path[0], *big = tmp_file(t, "big.pcap");
	const int big_frames = 60000; /* 3.2 MB: restart points every MiB */
	char err[512], want[512];
	struct pw_capture *c;
	struct pw_frame f;
	uint8_t *b, *m1, *m2, *z;
	size_t n, n1, n2, k;
	const char *path;
	int i;

	for (k = 0; k < 3; k++)
		check_compressed_pcap(compress_file(t, ten, formats[k]), NFRAMES);
	write_pcap_n(big, big_frames);
	for (k = 0; k < 3; k++)
		check_compressed_pcap(compress_file(t, big, formats[k]), big_frames);

	/* pcapng, blocks between the packets: test_pcapng's walk on the
	 * gzip copy. */
	for (i = 0; i < t->n; i++)
		if (strstr(t->path[i], "/blocks.pcapng"))
			break;
	if (i < t->n) {
		path = compress_file(t, t->path[i], "gz");
		c = pw_capture_open(path, NULL, err, sizeof(err));
		CHECK(c != NULL, "open: %s", err);
		if (c) {
			ng_read(c, 1, 1, 0x11, 1000005000ull);
			ng_read(c, 2, 1, 0x22, 2000000007ull);
			ng_read(c, 1, 0, 0x11, 1000005000ull);
			ng_read(c, 5, 0, 0x55, 5000000011ull);
			ng_read(c, 2, 0, 0x22, 2000000007ull);
			ng_read(c, 3, 1, 0x33, 3000000000ull);
			ng_read(c, 4, 1, 0x44, 4009000000ull);
			CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
			CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 0);
			pw_capture_close(c);
		}
	}

	/* Two gzip members (cat a.gz b.gz), split after frame 7: one stream.
	 * Then the second member damaged at its first block: frames 1 to 7,
	 * and a message naming frame 8 and the byte. */
	b = read_all(ten, &n);
	k = pcap_record_at(b, 8);
	m1 = gzip_bytes(b, k, &n1);
	m2 = gzip_bytes(b + k, n - k, &n2);
	z = malloc(n1 + n2);
	memcpy(z, m1, n1);
	memcpy(z + n1, m2, n2);
	path = tmp_file(t, "members.pcap.gz");
	write_bytes(path, z, n1 + n2);
	check_compressed_pcap(path, NFRAMES);
	z[n1 + 10] |= 0x06; /* BTYPE 3: no such block type */
	path = tmp_file(t, "damaged.pcap.gz");
	write_bytes(path, z, n1 + n2);
	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (c) {
		for (i = 1; i <= 7; i++) {
			CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), 1);
			check_frame(&f, i);
		}
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: frame 8: the gzip data is damaged at byte %zu of the file "
			 "(invalid block type)", path, n1 + 11);
		CHECK(strcmp(err, want) == 0, "message '%s', want '%s'", err, want);
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), -1);
		CHECK(strcmp(err, want) == 0, "second message '%s'", err);
		/* The frames before stay readable; the damage stays. */
		CHECK_EQ_INT(pw_capture_frame(c, 2, &f, err, sizeof(err)), 1);
		check_frame(&f, 2);
		CHECK_EQ_INT(pw_capture_frame(c, 7, &f, err, sizeof(err)), 1);
		check_frame(&f, 7);
		CHECK_EQ_INT(pw_capture_next(c, &f, err, sizeof(err)), -1);
		CHECK(strcmp(err, want) == 0, "message after going back '%s'", err);
		pw_capture_close(c);
	}
	/* Damaged at the very start: the open fails. */
	m1[10] |= 0x06;
	path = tmp_file(t, "bad-start.pcap.gz");
	write_bytes(path, m1, n1);
	snprintf(want, sizeof(want), "%s: the gzip data is damaged at byte 11 of the file (invalid block type)", path);
	expect_open_fails(path, want);
	free(m1);
	free(m2);
	free(z);
	free(b);

	/* Cut short in the middle: the frames before, then a message. */
	b = read_all(big, &n);
	z = gzip_bytes(b, n, &n1);
	path = tmp_file(t, "cut.pcap.gz");
	write_bytes(path, z, n1 / 2);
	c = pw_capture_open(path, NULL, err, sizeof(err));
	CHECK(c != NULL, "open: %s", err);
	if (c) {
		int rc;

		for (i = 1; (rc = pw_capture_next(c, &f, err, sizeof(err))) == 1; i++)
			check_frame(&f, i);
		CHECK_EQ_INT(rc, -1);
		CHECK(i > 100 && i < big_frames, "cut after %d frames", i - 1);
		snprintf(want, sizeof(want), "%s: frame %d: the gzip data is cut short: the file ends at byte %zu, "
			 "inside a gzip member", path, i, n1 / 2);
		CHECK(strcmp(err, want) == 0, "message '%s', want '%s'", err, want);
		CHECK_EQ_INT(pw_capture_frame(c, 1, &f, err, sizeof(err)), 1);
		check_frame(&f, 1);
		pw_capture_close(c);
	}
	free(z);
	free(b);

	/* Empty once decompressed; not a capture once decompressed. */
	z = gzip_bytes((const uint8_t *)"", 0, &n1);
	path = tmp_file(t, "empty.pcap.gz");
	write_bytes(path, z, n1);
	free(z);
	snprintf(want, sizeof(want), "%s: empty once decompressed (gzip), too short to be a capture file", path);
	expect_open_fails(path, want);
	z = gzip_bytes((const uint8_t *)"hello, this is text\n", 20, &n1);
	path = tmp_file(t, "text.gz");
	write_bytes(path, z, n1);
	free(z);
	snprintf(want, sizeof(want), "%s: not a capture file once decompressed (gzip): it starts with 68 65 6c 6c", path);
	expect_open_fails(path, want);
}

int main(void)
{
	struct tmp t = { .n = 0 };

	snprintf(t.dir, sizeof(t.dir), "/tmp/pw-test-capture-XXXXXX");
	if (!mkdtemp(t.dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_pcap(&t);
	test_filter(&t);
	test_damaged(&t);
	test_not_captures(&t);
	test_caplen_over_snaplen(&t);
	test_pcapng(&t);
	test_compressed(&t);
	for (int i = 0; i < t.n; i++)
		unlink(t.path[i]);
	rmdir(t.dir);
	return test_report("test_capture");
}
