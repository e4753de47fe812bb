/* cmd_dissect.c: `packetwalk dissect`, a capture file read frame by frame
 * with the stack's own header parsers and printed as NDJSON under tshark's
 * field names and formats, so that the two can be held side by side.
 *
 * Speed matters here (the target is tcpdump's pace): each line is built by
 * hand in a byte buffer, no printf per field, and written out in large
 * chunks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "capture/capture.h"
#include "proto/dissect.h"

/* Output is gathered here and written in chunks of about this size. */
#define OUT_CHUNK (1u << 20)
/* Longest line: 36 fields of at most 46 characters plus their keys, and
 * the note with every byte escaped to 6. */
#define LINE_MAX_BYTES 4096

static void dissect_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk dissect -r FILE [FILTER...]\n"
		"\n"
		"Reads a capture file (pcap or pcapng; Ethernet with 802.1Q/802.1ad tags, Linux cooked\n"
		"v1 and v2, raw IP, BSD loopback) with the header parsers of the stack model, and prints\n"
		"one JSON object per frame (NDJSON). FILTER is a tcpdump filter expression (the rest of\n"
		"the arguments, joined by spaces); frames keep their numbers in the file. FILE may be\n"
		"gzip, zstd or lz4 compressed (read as it is, as tshark does), or a pipe (FIFO).\n"
		"\n"
		"Options:\n"
		"  -r, --read FILE   the capture file to read (required)\n"
		"  -h, --help        this text\n"
		"\n"
		"Keys, in this order, named and formatted as `tshark -T fields -e KEY` prints them, every\n"
		"value a string; a field the frame does not have is left out:\n"
		"  frame.number frame.len frame.cap_len eth.src eth.dst eth.type vlan.id ip.version\n"
		"  ip.hdr_len ip.len ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.ttl ip.proto\n"
		"  ip.checksum ip.src ip.dst ipv6.src ipv6.dst ipv6.nxt tcp.srcport tcp.dstport\n"
		"  tcp.seq_raw tcp.ack_raw tcp.hdr_len tcp.flags tcp.window_size_value tcp.len\n"
		"  udp.srcport udp.dstport udp.length icmp.type icmp.code arp.opcode\n"
		"Then \"note\", only when reading stopped early (why: \"truncated: IPv4 header says 60\n"
		"bytes, 34 captured\", \"IPv4 protocol 47 (GRE) is not modelled\", ...) or when the model\n"
		"cannot walk the frame (\"IPv6 is not modelled\", \"VLAN tags are not modelled\", ...),\n"
		"or when a record claims more bytes than the file's snapshot length (libpcap keeps the\n"
		"snapshot; frame.cap_len is what the record claims, as tshark shows it).\n"
		"ip.frag_offset is in 8-byte units, as tshark 4.0 shows it; tcp.flags is the 12 flag bits.\n"
		"\n"
		"Exit status: 0 success; 1 the file cannot be opened or is damaged (the frames before\n"
		"the damage are printed, then one line on stderr names the file, the frame and the\n"
		"reason), or the filter does not compile; 2 bad options.\n");
}

/* ---- hand-rolled formatting: each returns the end of what it wrote ---- */

#define PUT_LIT(b, s) (memcpy((b), (s), sizeof(s) - 1), (b) + sizeof(s) - 1)
/* ,"key":" ... the value follows, then PUT_END closes the string. */
#define PUT_KEY(b, k) PUT_LIT(b, ",\"" k "\":\"")
#define PUT_END(b) (*(b) = '"', (b) + 1)

static char *put_u32(char *b, uint32_t v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*b++ = tmp[--n];
	return b;
}

static const char hexdig[] = "0123456789abcdef";

/* "0x%04x", as tshark prints 16-bit hex fields. */
static char *put_hex16(char *b, uint16_t v)
{
	b[0] = '0';
	b[1] = 'x';
	b[2] = hexdig[(v >> 12) & 0xf];
	b[3] = hexdig[(v >> 8) & 0xf];
	b[4] = hexdig[(v >> 4) & 0xf];
	b[5] = hexdig[v & 0xf];
	return b + 6;
}

static char *put_mac(char *b, const uint8_t a[ETH_ALEN])
{
	for (int i = 0; i < ETH_ALEN; i++) {
		if (i)
			*b++ = ':';
		*b++ = hexdig[a[i] >> 4];
		*b++ = hexdig[a[i] & 0xf];
	}
	return b;
}

static char *put_ip4(char *b, uint32_t a)
{
	b = put_u32(b, a >> 24);
	*b++ = '.';
	b = put_u32(b, (a >> 16) & 0xff);
	*b++ = '.';
	b = put_u32(b, (a >> 8) & 0xff);
	*b++ = '.';
	return put_u32(b, a & 0xff);
}

static char *put_ip6(char *b, const uint8_t a[16])
{
	char tmp[48];
	size_t n;

	ip6_addr_format(a, tmp);
	n = strlen(tmp);
	memcpy(b, tmp, n);
	return b + n;
}

/* The note as JSON string content: quotes, backslashes and control bytes
 * escaped (it can quote nothing from the frame, but stay safe). */
static char *put_json_text(char *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			*b++ = '\\';
			*b++ = (char)ch;
		} else if (ch < 0x20) {
			b = PUT_LIT(b, "\\u00");
			*b++ = hexdig[ch >> 4];
			*b++ = hexdig[ch & 0xf];
		} else {
			*b++ = (char)ch;
		}
	}
	return b;
}

/* One frame's object, keys in the documented order. */
static char *put_frame(char *b, const struct pw_frame *f, const struct pw_dissection *d)
{
	b = PUT_LIT(b, "{\"frame.number\":\"");
	b = put_u32(b, f->number);
	b = PUT_END(b);
	/* As tshark counts them: without a capture pseudo-header, and with
	 * the captured length the record claims even where libpcap kept less
	 * (the note then says so). */
	b = PUT_KEY(b, "frame.len");
	b = PUT_END(put_u32(b, f->len >= d->phdr_len ? f->len - d->phdr_len : f->len));
	b = PUT_KEY(b, "frame.cap_len");
	b = PUT_END(put_u32(b, f->caplen_file >= d->phdr_len ? f->caplen_file - d->phdr_len
							       : f->caplen_file));

	if (d->have & PW_HAVE_ETH) {
		b = PUT_KEY(b, "eth.src");
		b = PUT_END(put_mac(b, d->eth.src));
		b = PUT_KEY(b, "eth.dst");
		b = PUT_END(put_mac(b, d->eth.dst));
		/* Up to 1500 the field is an 802.3 length (tshark's eth.len), and
		 * up to 1535 neither a length nor a type: no eth.type. */
		if (d->eth.proto >= 0x0600) {
			b = PUT_KEY(b, "eth.type");
			b = PUT_END(put_hex16(b, d->eth.proto));
		}
	}
	if (d->have & PW_HAVE_VLAN) {
		b = PUT_KEY(b, "vlan.id");
		b = PUT_END(put_u32(b, d->vlan_id));
	}
	if (d->have & PW_HAVE_IP) {
		const struct ip4_info *ip = &d->ip;

		b = PUT_KEY(b, "ip.version");
		b = PUT_END(put_u32(b, ip->version));
		b = PUT_KEY(b, "ip.hdr_len");
		b = PUT_END(put_u32(b, (uint32_t)ip->ihl * 4));
		b = PUT_KEY(b, "ip.len");
		b = PUT_END(put_u32(b, ip->tot_len));
		b = PUT_KEY(b, "ip.id");
		b = PUT_END(put_hex16(b, ip->id));
		b = PUT_KEY(b, "ip.flags.df");
		*b++ = (ip->frag_off & IP_DF) ? '1' : '0';
		b = PUT_END(b);
		b = PUT_KEY(b, "ip.flags.mf");
		*b++ = (ip->frag_off & IP_MF) ? '1' : '0';
		b = PUT_END(b);
		/* tshark 4.0 shows the offset field itself, in 8-byte units. */
		b = PUT_KEY(b, "ip.frag_offset");
		b = PUT_END(put_u32(b, ip->frag_off & IP_OFFSET));
		b = PUT_KEY(b, "ip.ttl");
		b = PUT_END(put_u32(b, ip->ttl));
		b = PUT_KEY(b, "ip.proto");
		b = PUT_END(put_u32(b, ip->protocol));
		b = PUT_KEY(b, "ip.checksum");
		b = PUT_END(put_hex16(b, ip->check));
		b = PUT_KEY(b, "ip.src");
		b = PUT_END(put_ip4(b, ip->saddr));
		b = PUT_KEY(b, "ip.dst");
		b = PUT_END(put_ip4(b, ip->daddr));
	} else if (d->have & PW_HAVE_IP6) {
		/* tshark's IPv6 dissector fills ip.version too. */
		b = PUT_KEY(b, "ip.version");
		b = PUT_END(put_u32(b, d->ip6.version));
	}
	if (d->have & PW_HAVE_IP6) {
		b = PUT_KEY(b, "ipv6.src");
		b = PUT_END(put_ip6(b, d->ip6.saddr));
		b = PUT_KEY(b, "ipv6.dst");
		b = PUT_END(put_ip6(b, d->ip6.daddr));
		b = PUT_KEY(b, "ipv6.nxt");
		b = PUT_END(put_u32(b, d->ip6.nexthdr));
	}
	if (d->have & PW_HAVE_TCP) {
		const struct tcp_info *t = &d->tcp;

		b = PUT_KEY(b, "tcp.srcport");
		b = PUT_END(put_u32(b, t->source));
		b = PUT_KEY(b, "tcp.dstport");
		b = PUT_END(put_u32(b, t->dest));
		b = PUT_KEY(b, "tcp.seq_raw");
		b = PUT_END(put_u32(b, t->seq));
		b = PUT_KEY(b, "tcp.ack_raw");
		b = PUT_END(put_u32(b, t->ack_seq));
		b = PUT_KEY(b, "tcp.hdr_len");
		b = PUT_END(put_u32(b, (uint32_t)t->doff * 4));
		b = PUT_KEY(b, "tcp.flags");
		b = PUT_END(put_hex16(b, d->tcp_flags));
		b = PUT_KEY(b, "tcp.window_size_value");
		b = PUT_END(put_u32(b, t->window));
		if (d->have & PW_HAVE_TCP_LEN) {
			b = PUT_KEY(b, "tcp.len");
			b = PUT_END(put_u32(b, d->tcp_payload));
		}
	}
	if (d->have & PW_HAVE_UDP) {
		b = PUT_KEY(b, "udp.srcport");
		b = PUT_END(put_u32(b, d->udp.source));
		b = PUT_KEY(b, "udp.dstport");
		b = PUT_END(put_u32(b, d->udp.dest));
		b = PUT_KEY(b, "udp.length");
		b = PUT_END(put_u32(b, d->udp.len));
	}
	if (d->have & PW_HAVE_ICMP) {
		b = PUT_KEY(b, "icmp.type");
		b = PUT_END(put_u32(b, d->icmp.type));
		b = PUT_KEY(b, "icmp.code");
		b = PUT_END(put_u32(b, d->icmp.code));
	}
	if (d->have & PW_HAVE_ARP) {
		b = PUT_KEY(b, "arp.opcode");
		b = PUT_END(put_u32(b, d->arp.op));
	}
	/* Why fields are missing, or why the model cannot walk what is there. */
	if (f->caplen_file > f->caplen) {
		b = PUT_KEY(b, "note");
		b = PUT_LIT(b, "the record says ");
		b = put_u32(b, f->caplen_file);
		b = PUT_LIT(b, " bytes captured, more than the file's snapshot length: libpcap kept the first ");
		b = put_u32(b, f->caplen);
		if (d->note[0]) {
			b = PUT_LIT(b, "; ");
			b = put_json_text(b, d->note);
		}
		b = PUT_END(b);
	} else if (d->note[0] || d->unwalkable) {
		b = PUT_KEY(b, "note");
		b = PUT_END(put_json_text(b, d->note[0] ? d->note : d->unwalkable));
	}
	return PUT_LIT(b, "}\n");
}

struct out {
	FILE *f;
	char *buf;
	size_t len;
	int failed;
};

static void out_flush(struct out *o)
{
	if (o->len && !o->failed && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->failed = 1;
	o->len = 0;
}

/* Joins argv[from..argc) with single spaces, as tcpdump reads its
 * expression. NULL on allocation failure; "" if there is nothing. */
static char *join_args(int argc, char **argv, int from)
{
	size_t n = 1;
	char *s, *p;

	for (int i = from; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = malloc(n);
	if (!s)
		return NULL;
	p = s;
	for (int i = from; i < argc; i++) {
		size_t k = strlen(argv[i]);

		if (i > from)
			*p++ = ' ';
		memcpy(p, argv[i], k);
		p += k;
	}
	*p = '\0';
	return s;
}

int cmd_dissect(int argc, char **argv)
{
	const char *path = NULL;
	char err[4608];
	struct pw_capture *c;
	struct pw_dissection *d;
	struct pw_frame f;
	struct out o = { stdout, NULL, 0, 0 };
	char *filter;
	int i, rc, status = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			dissect_help(stdout);
			return 0;
		}
		if (!strcmp(a, "-r") || !strcmp(a, "--read")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "packetwalk dissect: %s needs a file name\n", a);
				return 2;
			}
			path = argv[++i];
			continue;
		}
		if (!strncmp(a, "--read=", 7)) {
			path = a + 7;
			continue;
		}
		if (!strncmp(a, "-r", 2) && a[2]) {
			path = a + 2;
			continue;
		}
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] == '-') {
			fprintf(stderr, "packetwalk dissect: unknown option '%s' (see packetwalk dissect --help)\n",
				a);
			return 2;
		}
		/* The filter expression starts here and takes the rest. */
		break;
	}
	if (!path || !*path) {
		fprintf(stderr, "packetwalk dissect: -r FILE is required (see packetwalk dissect --help)\n");
		return 2;
	}

	filter = join_args(argc, argv, i);
	d = malloc(sizeof(*d));
	o.buf = malloc(OUT_CHUNK + LINE_MAX_BYTES);
	if (!filter || !d || !o.buf) {
		fprintf(stderr, "packetwalk dissect: out of memory\n");
		free(filter);
		free(d);
		free(o.buf);
		return 1;
	}
	c = pw_capture_open(path, filter, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "%s\n", err);
		free(filter);
		free(d);
		free(o.buf);
		return 1;
	}

	while ((rc = pw_capture_next(c, &f, err, sizeof(err))) == 1) {
		pw_dissect(f.linktype, f.data, f.caplen, f.len, d);
		o.len = (size_t)(put_frame(o.buf + o.len, &f, d) - o.buf);
		if (o.len >= OUT_CHUNK) {
			out_flush(&o);
			if (o.failed)
				break;
		}
	}
	out_flush(&o);
	if (rc < 0) {
		/* The frames before the damage are out; then say where it is. */
		fflush(stdout);
		fprintf(stderr, "%s\n", err);
		status = 1;
	}
	if (fflush(stdout) != 0 || o.failed || ferror(stdout)) {
		fprintf(stderr, "packetwalk dissect: writing the output: %s\n", strerror(errno));
		status = 1;
	}
	pw_capture_close(c);
	free(filter);
	free(d);
	free(o.buf);
	return status;
}
