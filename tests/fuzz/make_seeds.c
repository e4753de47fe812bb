/* make_seeds.c: the fuzz harnesses' seed corpora, made from the tree.
 *
 * Usage: fuzz_seeds SOURCE_DIR OUT_DIR [EXTRA_CAPTURE_DIR...]
 *
 * Writes OUT_DIR/capture, OUT_DIR/replay, OUT_DIR/dissect and OUT_DIR/lesson:
 *   capture, replay: every capture of SOURCE_DIR/captures as it is, and
 *     the same frames written again in the other shapes the reader takes:
 *     pcapng (one section, and two sections back to back), pcap with
 *     microsecond stamps and in big-endian byte order, and pcaps of the
 *     link types the replay re-wraps (Linux cooked v1 and v2, raw IP,
 *     raw IPv4, BSD loopback in both byte orders);
 *   dissect: the first frames of every capture, as they are and
 *     re-wrapped in each link type the dissector reads, with an 802.1Q
 *     tag, with two tags (802.1ad then 802.1Q), and as IPv6 (the IPv4
 *     transport behind an IPv6 header), each behind fuzz_dissect's two
 *     header bytes;
 *   lesson: the course's lessons.
 * Captures from the EXTRA directories (the shared corpus of tcpdump's
 * and Wireshark's test captures, when there is one) join capture and
 * replay (those up to 64 KiB and 16 KiB) and give dissect seeds of their
 * first frames; an EXTRA directory that does not exist is skipped.
 * Nothing is written into the source tree.
 * Exit status: 0, or 1 when something could not be read or written.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/capture.h"
#include "fuzz.h"
#include "proto/dissect.h"

#define MAX_FRAMES 256     /* frames of one capture written again */
#define DISSECT_FRAMES 4   /* frames of one capture made into dissect seeds */
#define MAX_CAPTURE (64 * 1024)
#define MAX_REPLAY (16 * 1024)

struct frame {
	uint64_t ts_ns;
	uint32_t caplen, len;
	uint8_t *data;
};

struct capture {
	int linktype;
	uint32_t n;
	struct frame f[MAX_FRAMES];
};

static const char *out_dir;
static int failed;
static unsigned written;

/* ---- writing ---- */

static void put16(uint8_t *p, uint16_t v, int be)
{
	p[be ? 0 : 1] = (uint8_t)(v >> 8);
	p[be ? 1 : 0] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v, int be)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static FILE *open_out(const char *sub, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, sub, name);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "fuzz_seeds: %s: %s\n", path, strerror(errno));
		failed = 1;
	}
	return f;
}

static void close_out(FILE *f, const char *name)
{
	if (fclose(f) != 0) {
		fprintf(stderr, "fuzz_seeds: %s: %s\n", name, strerror(errno));
		failed = 1;
	}
	written++;
}

static void write_blob(const char *sub, const char *name, const void *a, size_t alen, const void *b, size_t blen)
{
	FILE *f = open_out(sub, name);

	if (!f)
		return;
	if (fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen)) {
		fprintf(stderr, "fuzz_seeds: %s: write failed\n", name);
		failed = 1;
	}
	close_out(f, name);
}

/* pcap: nanosecond stamps unless micro, little-endian unless be. */
static void write_pcap(const char *sub, const char *name, const struct capture *c, int micro, int be)
{
	uint8_t h[24];
	FILE *f = open_out(sub, name);

	if (!f)
		return;
	put32(h, micro ? 0xa1b2c3d4u : 0xa1b23c4du, be);
	put16(h + 4, 2, be);
	put16(h + 6, 4, be);
	put32(h + 8, 0, be);
	put32(h + 12, 0, be);
	put32(h + 16, 262144, be);
	put32(h + 20, (uint32_t)c->linktype, be);
	fwrite(h, 1, sizeof(h), f);
	for (uint32_t i = 0; i < c->n; i++) {
		const struct frame *fr = &c->f[i];
		uint8_t r[16];

		put32(r, (uint32_t)(fr->ts_ns / 1000000000u), be);
		put32(r + 4, (uint32_t)(fr->ts_ns % 1000000000u / (micro ? 1000u : 1u)), be);
		put32(r + 8, fr->caplen, be);
		put32(r + 12, fr->len, be);
		fwrite(r, 1, sizeof(r), f);
		fwrite(fr->data, 1, fr->caplen, f);
	}
	if (ferror(f)) {
		fprintf(stderr, "fuzz_seeds: %s: write failed\n", name);
		failed = 1;
	}
	close_out(f, name);
}

/* One pcapng section: SHB, an IDB with nanosecond resolution, EPBs. */
static void pcapng_section(FILE *f, const struct capture *c)
{
	static const uint8_t zero[4];
	uint8_t b[32];

	put32(b, 0x0a0d0d0au, 0);
	put32(b + 4, 28, 0);
	put32(b + 8, 0x1a2b3c4du, 0);
	put16(b + 12, 1, 0);
	put16(b + 14, 0, 0);
	put32(b + 16, 0xffffffffu, 0); /* section length unknown */
	put32(b + 20, 0xffffffffu, 0);
	put32(b + 24, 28, 0);
	fwrite(b, 1, 28, f);

	put32(b, 1, 0); /* IDB */
	put32(b + 4, 32, 0);
	put16(b + 8, (uint16_t)c->linktype, 0);
	put16(b + 10, 0, 0);
	put32(b + 12, 262144, 0);
	put16(b + 16, 9, 0); /* if_tsresol: 10^-9 */
	put16(b + 18, 1, 0);
	b[20] = 9;
	b[21] = b[22] = b[23] = 0;
	put32(b + 24, 0, 0); /* opt_endofopt */
	put32(b + 28, 32, 0);
	fwrite(b, 1, 32, f);

	for (uint32_t i = 0; i < c->n; i++) {
		const struct frame *fr = &c->f[i];
		uint32_t pad = (4 - fr->caplen % 4) % 4, total = 32 + fr->caplen + pad;

		put32(b, 6, 0);
		put32(b + 4, total, 0);
		put32(b + 8, 0, 0);
		put32(b + 12, (uint32_t)(fr->ts_ns >> 32), 0);
		put32(b + 16, (uint32_t)fr->ts_ns, 0);
		put32(b + 20, fr->caplen, 0);
		put32(b + 24, fr->len, 0);
		fwrite(b, 1, 28, f);
		fwrite(fr->data, 1, fr->caplen, f);
		fwrite(zero, 1, pad, f);
		put32(b, total, 0);
		fwrite(b, 1, 4, f);
	}
}

static void write_pcapng(const char *sub, const char *name, const struct capture *c, int sections)
{
	FILE *f = open_out(sub, name);

	if (!f)
		return;
	for (int s = 0; s < sections; s++)
		pcapng_section(f, c);
	if (ferror(f)) {
		fprintf(stderr, "fuzz_seeds: %s: write failed\n", name);
		failed = 1;
	}
	close_out(f, name);
}

/* ---- re-wrapping an Ethernet frame ---- */

enum wrap { W_SLL, W_SLL2, W_RAW, W_DLT_RAW, W_IPV4, W_NULL, W_LOOP, W_VLAN, W_QINQ, W_COUNT };
static const struct {
	const char *name;
	int linktype;
} wraps[W_COUNT] = {
	[W_SLL] = { "sll", PW_LINKTYPE_LINUX_SLL },   [W_SLL2] = { "sll2", PW_LINKTYPE_LINUX_SLL2 },
	[W_RAW] = { "raw", PW_LINKTYPE_RAW },         [W_DLT_RAW] = { "dlt12", 12 },
	[W_IPV4] = { "ipv4", PW_LINKTYPE_IPV4 },      [W_NULL] = { "null", PW_LINKTYPE_NULL },
	[W_LOOP] = { "loop", PW_LINKTYPE_LOOP },      [W_VLAN] = { "vlan", PW_LINKTYPE_ETHERNET },
	[W_QINQ] = { "qinq", PW_LINKTYPE_ETHERNET },
};

/* The frame's bytes in another link layer, into out (at least caplen +
 * 24 bytes); its length, or 0 when that link layer cannot carry it. */
static uint32_t rewrap(enum wrap w, const struct frame *fr, uint8_t *out)
{
	uint16_t type;
	uint32_t n = fr->caplen - ETH_HLEN, h;

	if (fr->caplen < ETH_HLEN)
		return 0;
	type = get_be16(fr->data + 12);
	if (type != ETH_P_IP && type != ETH_P_ARP && type != ETH_P_IPV6)
		return 0;
	switch (w) {
	case W_SLL:
		h = 16;
		memset(out, 0, h);
		put16(out + 2, 1, 1); /* ARPHRD_ETHER */
		put16(out + 4, 6, 1);
		memcpy(out + 6, fr->data + 6, 6);
		put16(out + 14, type, 1);
		break;
	case W_SLL2:
		h = 20;
		memset(out, 0, h);
		put16(out, type, 1);
		put32(out + 4, 2, 1); /* ifindex */
		put16(out + 8, 1, 1);
		out[11] = 6;
		memcpy(out + 12, fr->data + 6, 6);
		break;
	case W_RAW:
	case W_DLT_RAW:
	case W_IPV4:
		if (type == ETH_P_ARP || (w == W_IPV4 && type != ETH_P_IP))
			return 0;
		h = 0;
		break;
	case W_NULL:
	case W_LOOP:
		if (type == ETH_P_ARP)
			return 0;
		h = 4;
		put32(out, type == ETH_P_IP ? 2 : 30, w == W_LOOP);
		break;
	case W_VLAN:
		memcpy(out, fr->data, 12);
		put16(out + 12, ETH_P_8021Q, 1);
		put16(out + 14, 100, 1);
		put16(out + 16, type, 1);
		h = 18;
		break;
	default: /* W_QINQ */
		memcpy(out, fr->data, 12);
		put16(out + 12, 0x88a8, 1);
		put16(out + 14, 10, 1);
		put16(out + 16, ETH_P_8021Q, 1);
		put16(out + 18, 100, 1);
		put16(out + 20, type, 1);
		h = 22;
		break;
	}
	memcpy(out + h, fr->data + ETH_HLEN, n);
	return h + n;
}

/* An Ethernet IPv4 frame carrying TCP or UDP made into IPv6: the same
 * transport behind a 40-byte header. 0 when the frame is not one. */
static uint32_t to_ipv6(const struct frame *fr, uint8_t *out)
{
	static const uint8_t doc_prefix[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct pw_dissection d;
	uint32_t l4;

	pw_dissect(PW_LINKTYPE_ETHERNET, fr->data, fr->caplen, fr->len, &d);
	if (!(d.have & (PW_HAVE_TCP | PW_HAVE_UDP)) || !(d.have & PW_HAVE_IP) || d.l3_off != ETH_HLEN)
		return 0;
	l4 = fr->caplen - d.l4_off;
	memcpy(out, fr->data, 12);
	put16(out + 12, ETH_P_IPV6, 1);
	memset(out + 14, 0, 40);
	out[14] = 0x60;
	put16(out + 18, (uint16_t)l4, 1);
	out[20] = d.ip.protocol;
	out[21] = 64;
	memcpy(out + 22, doc_prefix, sizeof(doc_prefix)); /* 2001:db8::1 */
	out[37] = 1;
	memcpy(out + 38, doc_prefix, sizeof(doc_prefix)); /* 2001:db8::2 */
	out[53] = 2;
	memcpy(out + 54, fr->data + d.l4_off, l4);
	return 54 + l4;
}

/* ---- reading ---- */

static void free_capture(struct capture *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		free(c->f[i].data);
	c->n = 0;
}

/* The first frames of path (what libpcap reads of it). 0, or -1. */
static int read_capture(const char *path, struct capture *c)
{
	char err[1024];
	struct pw_capture *cap = pw_capture_open(path, NULL, err, sizeof(err));
	struct pw_frame f;

	c->n = 0;
	if (!cap)
		return -1;
	c->linktype = pw_capture_linktype(cap);
	while (c->n < MAX_FRAMES && pw_capture_next(cap, &f, err, sizeof(err)) == 1) {
		struct frame *fr = &c->f[c->n];

		fr->data = malloc(f.caplen ? f.caplen : 1);
		if (!fr->data)
			break;
		memcpy(fr->data, f.data, f.caplen);
		fr->ts_ns = f.ts_ns;
		fr->caplen = f.caplen;
		fr->len = f.len;
		c->n++;
	}
	pw_capture_close(cap);
	return 0;
}

static void dissect_seed(const char *base, uint32_t i, const char *how, int linktype, const uint8_t *frame,
			 uint32_t caplen)
{
	int sel = fuzz_linktype_byte(linktype);
	uint8_t head[2];
	char name[512];

	if (sel < 0 || caplen > 65535)
		return;
	head[0] = (uint8_t)sel;
	head[1] = 0; /* whole frame on the wire */
	snprintf(name, sizeof(name), "%s-%u%s%s", base, i + 1, how[0] ? "-" : "", how);
	write_blob("dissect", name, head, sizeof(head), frame, caplen);
}

/* Every seed one capture of the tree gives. */
static void seeds_of_capture(const char *path, const char *base, int own)
{
	static struct capture c, w;
	static uint8_t buf[65536 + 64];
	char name[512];
	struct stat st;

	if (read_capture(path, &c)) {
		if (own) {
			fprintf(stderr, "fuzz_seeds: %s cannot be read\n", path);
			failed = 1;
		}
		return;
	}
	if (!own && stat(path, &st) == 0) {
		/* The file itself, as found (damaged ones included: hostile by design). */
		FILE *in = fopen(path, "rb");
		size_t n = in ? fread(buf, 1, sizeof(buf), in) : 0;

		if (in)
			fclose(in);
		snprintf(name, sizeof(name), "shared-%s", base);
		if (n && (size_t)st.st_size <= MAX_CAPTURE)
			write_blob("capture", name, buf, n, NULL, 0);
		if (n && (size_t)st.st_size <= MAX_REPLAY)
			write_blob("replay", name, buf, n, NULL, 0);
	}
	for (uint32_t i = 0; i < c.n && i < DISSECT_FRAMES; i++) {
		dissect_seed(own ? base : name, i, "", c.linktype, c.f[i].data, c.f[i].caplen);
		if (!own || c.linktype != PW_LINKTYPE_ETHERNET)
			continue;
		for (int k = 0; k < W_COUNT; k++) {
			uint32_t n = rewrap((enum wrap)k, &c.f[i], buf);

			if (n)
				dissect_seed(base, i, wraps[k].name, wraps[k].linktype, buf, n);
		}
		{
			uint32_t n = to_ipv6(&c.f[i], buf);

			if (n) {
				dissect_seed(base, i, "ipv6", PW_LINKTYPE_ETHERNET, buf, n);
				dissect_seed(base, i, "raw-ipv6", 229, buf + ETH_HLEN, n - ETH_HLEN);
			}
		}
	}
	if (!own) {
		free_capture(&c);
		return;
	}
	/* The same frames in the other file shapes. */
	{
		static const char *const subs[] = { "capture", "replay" };

		for (int s = 0; s < 2; s++) {
			snprintf(name, sizeof(name), "%s.pcapng", base);
			write_pcapng(subs[s], name, &c, 1);
			snprintf(name, sizeof(name), "%s.2sections.pcapng", base);
			write_pcapng(subs[s], name, &c, 2);
			snprintf(name, sizeof(name), "%s.usec.pcap", base);
			write_pcap(subs[s], name, &c, 1, 0);
			snprintf(name, sizeof(name), "%s.be.pcap", base);
			write_pcap(subs[s], name, &c, 0, 1);
		}
	}
	if (c.linktype == PW_LINKTYPE_ETHERNET) {
		for (int k = 0; k < W_COUNT; k++) {
			w.linktype = wraps[k].linktype;
			w.n = 0;
			for (uint32_t i = 0; i < c.n; i++) {
				uint32_t n = rewrap((enum wrap)k, &c.f[i], buf);

				if (!n)
					continue;
				w.f[w.n] = c.f[i];
				w.f[w.n].data = malloc(n);
				if (!w.f[w.n].data)
					break;
				memcpy(w.f[w.n].data, buf, n);
				w.f[w.n].len = c.f[i].len - c.f[i].caplen + n;
				w.f[w.n].caplen = n;
				w.n++;
			}
			if (w.n) {
				snprintf(name, sizeof(name), "%s.%s.pcap", base, wraps[k].name);
				write_pcap("replay", name, &w, 0, 0);
				write_pcap("capture", name, &w, 0, 0);
			}
			free_capture(&w);
		}
	}
	free_capture(&c);
}

/* ---- walking directories ---- */

static int is_capture_name(const char *n)
{
	size_t len = strlen(n);

	if (n[0] == '.' || (len > 4 && !strcmp(n + len - 4, ".tsv")) || (len > 3 && !strcmp(n + len - 3, ".md")) ||
	    (len > 3 && !strcmp(n + len - 3, ".sh")))
		return 0;
	return 1;
}

static void each_file(const char *dir, int recurse, void (*fn)(const char *path, const char *name, void *ctx),
		      void *ctx)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		fprintf(stderr, "fuzz_seeds: %s: %s\n", dir, strerror(errno));
		failed = 1;
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		if (names[i]->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) < sizeof(path) &&
		    stat(path, &st) == 0) {
			if (S_ISREG(st.st_mode))
				fn(path, names[i]->d_name, ctx);
			else if (S_ISDIR(st.st_mode) && recurse)
				each_file(path, recurse - 1, fn, ctx);
		}
		free(names[i]);
	}
	free(names);
}

static void own_capture(const char *path, const char *name, void *ctx)
{
	size_t len = strlen(name);

	if (!(len > 5 && !strcmp(name + len - 5, ".pcap")) && !(len > 7 && !strcmp(name + len - 7, ".pcapng")))
		return;
	{
		FILE *in = fopen(path, "rb");
		static uint8_t buf[1 << 20];
		size_t n = in ? fread(buf, 1, sizeof(buf), in) : 0;

		if (in)
			fclose(in);
		write_blob("capture", name, buf, n, NULL, 0);
		write_blob("replay", name, buf, n, NULL, 0);
	}
	seeds_of_capture(path, name, 1);
}

static void extra_capture(const char *path, const char *name, void *ctx)
{
	char base[512];
	const char *parent = ctx;

	if (!is_capture_name(name))
		return;
	snprintf(base, sizeof(base), "%s-%s", parent, name);
	seeds_of_capture(path, base, 0);
}

static void lesson_file(const char *path, const char *name, void *ctx)
{
	size_t len = strlen(name);
	static char buf[1 << 20];

	if (len > 5 && !strcmp(name + len - 5, ".json")) {
		FILE *in = fopen(path, "rb");
		size_t n = in ? fread(buf, 1, sizeof(buf), in) : 0;

		if (in)
			fclose(in);
		write_blob("lesson", name, buf, n, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	static const char *const subs[] = { "capture", "replay", "dissect", "lesson" };
	char path[4096];

	if (argc < 3) {
		fprintf(stderr, "usage: fuzz_seeds SOURCE_DIR OUT_DIR [EXTRA_CAPTURE_DIR...]\n");
		return 2;
	}
	out_dir = argv[2];
	mkdir(out_dir, 0777);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", out_dir, subs[i]);
		if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "fuzz_seeds: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	snprintf(path, sizeof(path), "%s/captures", argv[1]);
	each_file(path, 0, own_capture, NULL);
	snprintf(path, sizeof(path), "%s/lessons", argv[1]);
	each_file(path, 0, lesson_file, NULL);
	for (int i = 3; i < argc; i++) {
		struct dirent **names;
		int n = scandir(argv[i], &names, NULL, alphasort);

		/* EXTRA/sub/file: seeds named sub-file. A corpus that is not
		 * there is no error: the shared one is optional. */
		if (n < 0) {
			printf("fuzz_seeds: %s: %s (skipped)\n", argv[i], strerror(errno));
			continue;
		}
		for (int k = 0; k < n; k++) {
			struct stat st;

			if (names[k]->d_name[0] != '.' &&
			    (size_t)snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]->d_name) < sizeof(path) &&
			    stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				each_file(path, 0, extra_capture, names[k]->d_name);
			free(names[k]);
		}
		free(names);
	}
	printf("fuzz_seeds: %u seeds in %s\n", written, out_dir);
	return failed;
}
