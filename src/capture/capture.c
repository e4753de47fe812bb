/* capture.c: capture files read through libpcap's offline reader (pcap and
 * pcapng, nanosecond stamps), a tcpdump filter applied frame by frame, and
 * an index of where each frame's record starts so that a reader can go back.
 *
 * The index holds offsets, not frames: 4 bytes a frame (the low half of
 * the offset) plus one small mark each time the high half changes, that
 * is once every 4 GiB of file. Memory is the index and libpcap's one
 * record buffer, whatever the size of the file.
 *
 * Going back. libpcap reads records with stdio from its FILE (pcap_file),
 * so after pcap_next_ex, ftello() is where the next record starts, and an
 * fseeko() to an indexed offset makes the next pcap_next_ex read that
 * record again. For pcap that is all: records follow each other. pcapng
 * has other blocks between packets (interface descriptions, statistics,
 * name resolution, section headers), and libpcap acts on them as it reads
 * them: an interface block read twice is added twice, which shifts the
 * numbering of the interfaces after it, and a section header clears the
 * interface list. So for pcapng the indexed offset is where the reading of
 * that frame began (the blocks before it included) and going back skips,
 * by their length words, the non-packet blocks between that offset and
 * the packet, all of which libpcap has already seen. That is only right
 * while libpcap's interface list is the one the packet was read with,
 * which holds within one section; a file with a second section header
 * (concatenated pcapng files) is instead reopened and read forward to the
 * frame, which is linear in the frame number but always correct.
 *
 * Compressed files (gzip, zstd, lz4) and pipes come through zstream.c as
 * a FILE of the decompressed bytes with the same ftello/fseeko, so all of
 * the above holds for them, offsets being those of the decompressed data;
 * what a seek back costs there is said in zstream.h. A pipe is read once:
 * going back to a frame already passed is refused with a message.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "capture/capture.h"
#include "capture/zstream.h"

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_PB 2u   /* obsolete packet block */
#define PCAPNG_SPB 3u  /* simple packet block */
#define PCAPNG_EPB 6u  /* enhanced packet block */
#define PCAPNG_BLOCK_MIN 12u /* type, length, trailing length */

/* From frame `frame` on, offsets have `hi` as their high 32 bits. */
struct hi_mark {
	uint32_t frame;
	uint32_t hi;
};

struct pw_capture {
	pcap_t *p;
	FILE *fp;              /* libpcap's stream; pcap_close closes it */
	struct pw_zstream *z;  /* the decoder behind fp (NULL: an ordinary file); pcap_close frees it */
	const char *zformat;   /* "gzip", "zstd", "lz4", or NULL */
	int rereadable;        /* a regular file, not a pipe: it can be read again */
	char *path;
	int linktype;          /* LINKTYPE_* of the first interface */
	int pcapng;
	uint32_t rec_hdr;      /* pcap: bytes of record header before the data */
	struct bpf_program prog;
	int have_prog;
	const struct pcap_pkthdr *hdr; /* of the record last read, for the filter */

	/* The index: frame n (1-based) starts at ((uint64_t)hi << 32) | lo[n - 1]. */
	uint32_t *lo;
	uint32_t n_indexed;    /* frames 1..n_indexed have known offsets */
	uint32_t lo_cap;
	struct hi_mark *hi;
	uint32_t n_hi, hi_cap;
	uint64_t first_off;    /* where frame 1's reading starts */
	uint64_t hw_off;       /* where the reading after frame n_indexed starts */
	int seekable;          /* ftello works (a regular file, not a pipe) */

	uint32_t cur;          /* number of the frame last read; 0 before the first */
	int linear;            /* libpcap has read every block from the start, in order,
				* with no seek: its state is right for whatever comes next */
	uint64_t next_off;     /* where reading frame cur + 1 starts */
	int at_end;            /* the end of the file follows frame n_indexed */
	uint32_t damaged_at;   /* frame whose reading failed, 0 if none */
	char damage[PCAP_ERRBUF_SIZE + 4352]; /* the path, the frame, libpcap's reason */

	/* pcapng: block headers checked for a second section up to here. */
	uint64_t sections_checked;
	int multi_section;
	uint64_t read_end;     /* the furthest libpcap's reading has gone: past the last
				* frame when it met the end or damage after blocks it
				* acted on (a section header, interfaces) */
};

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

/*
 * libpcap answers in DLT_ values; a few differ from the LINKTYPE_ values
 * in files. DLT_RAW is 12 here and 14 on OpenBSD: libpcap passes a file's
 * 14 through as DLT 14, and both mean raw IP (as tshark reads them).
 */
static int linktype_of_dlt(int dlt)
{
	switch (dlt) {
	case DLT_RAW:
	case 14:
		return PW_LINKTYPE_RAW;
	case DLT_ATM_RFC1483:
		return 100;
	case DLT_SLIP_BSDOS:
		return 102;
	case DLT_PPP_BSDOS:
		return 103;
	case DLT_ATM_CLIP:
		return 106;
	default:
		return dlt;
	}
}

static uint32_t swap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

/* ---- the index ---- */

static int index_push(struct pw_capture *c, uint64_t off)
{
	uint32_t hi = (uint32_t)(off >> 32);

	if (c->n_indexed == c->lo_cap) {
		uint32_t cap = c->lo_cap ? c->lo_cap * 2 : 4096;
		uint32_t *lo;

		if (cap < c->lo_cap)
			return -1;
		lo = realloc(c->lo, (size_t)cap * sizeof(*lo));
		if (!lo)
			return -1;
		c->lo = lo;
		c->lo_cap = cap;
	}
	if (c->n_hi == 0 ? hi != 0 : c->hi[c->n_hi - 1].hi != hi) {
		if (c->n_hi == c->hi_cap) {
			uint32_t cap = c->hi_cap ? c->hi_cap * 2 : 8;
			struct hi_mark *m = realloc(c->hi, (size_t)cap * sizeof(*m));

			if (!m)
				return -1;
			c->hi = m;
			c->hi_cap = cap;
		}
		c->hi[c->n_hi].frame = c->n_indexed + 1;
		c->hi[c->n_hi].hi = hi;
		c->n_hi++;
	}
	c->lo[c->n_indexed++] = (uint32_t)off;
	return 0;
}

/* Offset of indexed frame n: the last mark at or before n gives the high
 * half (binary search; there is one mark per 4 GiB). */
static uint64_t index_get(const struct pw_capture *c, uint32_t n)
{
	uint32_t lo = 0, hi = c->n_hi, hipart = 0;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->hi[mid].frame <= n)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0)
		hipart = c->hi[lo - 1].hi;
	return ((uint64_t)hipart << 32) | c->lo[n - 1];
}

/* ---- reading ---- */

/*
 * Says why reading frame n failed, once in the terms libpcap used and,
 * for the one refusal a user meets on valid files, in plain words.
 */
static void note_damage(struct pw_capture *c, uint32_t n, const char *why)
{
	unsigned int type;

	/* libpcap says only "error reading dump file" when the decoder failed. */
	if (pw_zstream_error(c->z)) {
		snprintf(c->damage, sizeof(c->damage), "%s: frame %u: %s", c->path, n, pw_zstream_error(c->z));
	} else if (sscanf(why, "an interface has a type %u different", &type) == 1 && (int)type == c->linktype) {
		/* libpcap 1.10 holds the new interface's LINKTYPE_ value against
		 * the DLT_ value it gave the first, which differ for raw IP. */
		snprintf(c->damage, sizeof(c->damage),
			 "%s: frame %u: libpcap refuses this pcapng file's second interface of link type "
			 "%u, the same as the first's (it compares it with the DLT_ value %d it uses for "
			 "the first), so reading stops here",
			 c->path, n, type, pcap_datalink(c->p));
	} else if (sscanf(why, "an interface has a type %u different", &type) == 1) {
		const char *name = pcap_datalink_val_to_description(pcap_datalink(c->p));

		snprintf(c->damage, sizeof(c->damage),
			 "%s: frame %u: this pcapng file mixes link types (an interface of link type %u "
			 "after the first interface's %d%s%s); libpcap reads one link type per file, "
			 "so reading stops here",
			 c->path, n, type, c->linktype, name ? ", " : "", name ? name : "");
	} else if (!strncmp(why, "an interface has a snapshot length", 34)) {
		snprintf(c->damage, sizeof(c->damage),
			 "%s: frame %u: this pcapng file has interfaces with different snapshot "
			 "lengths; libpcap reads one per file, so reading stops here (%s)",
			 c->path, n, why);
	} else {
		snprintf(c->damage, sizeof(c->damage), "%s: frame %u: %s", c->path, n, why);
	}
	c->damaged_at = n;
}

/*
 * Reads the record at the stream's position as frame cur + 1, indexing
 * it if it is new. 1, 0 at the end of the file, -1 (err set) on damage.
 */
static int read_record(struct pw_capture *c, struct pw_frame *f, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t n = c->cur + 1;
	uint64_t start = c->next_off;
	int rc;

	if (c->damaged_at && n == c->damaged_at) {
		set_err(err, errlen, c->damage);
		return -1;
	}
	if (n > c->n_indexed && c->at_end)
		return 0;
	if (n == 0) {
		/* 2^32 frames: the numbering would wrap. */
		snprintf(c->damage, sizeof(c->damage), "%s: more than %u frames", c->path, UINT32_MAX);
		set_err(err, errlen, c->damage);
		return -1;
	}

	rc = pcap_next_ex(c->p, &h, &data);
	if (c->seekable) {
		off_t pos = ftello(c->fp);

		if (pos > 0 && (uint64_t)pos > c->read_end)
			c->read_end = (uint64_t)pos;
	}
	if (rc == PCAP_ERROR_BREAK) {
		/* The end of the file (libpcap's offline reader says so this way). */
		if (n > c->n_indexed)
			c->at_end = 1;
		return 0;
	}
	if (rc != 1) {
		note_damage(c, n, pcap_geterr(c->p));
		set_err(err, errlen, c->damage);
		return -1;
	}
	if (n > c->n_indexed) {
		if (index_push(c, c->next_off)) {
			snprintf(c->damage, sizeof(c->damage), "%s: frame %u: out of memory for the frame index",
				 c->path, n);
			set_err(err, errlen, c->damage);
			return -1;
		}
	}
	c->cur = n;
	if (c->seekable) {
		off_t pos = ftello(c->fp);

		if (pos < 0) {
			c->seekable = 0;
		} else {
			c->next_off = (uint64_t)pos;
			if (n == c->n_indexed)
				c->hw_off = c->next_off;
		}
	}
	c->hdr = h;
	f->number = n;
	/* With nanosecond precision libpcap puts nanoseconds in tv_usec. */
	f->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
	f->linktype = c->linktype;
	f->caplen = h->caplen;
	f->len = h->len;
	f->caplen_file = h->caplen;
	/* libpcap keeps only the snapshot length of a longer pcap record; its
	 * size in the file says what the record claimed. */
	if (!c->pcapng && c->seekable && h->caplen == (bpf_u_int32)pcap_snapshot(c->p) &&
	    c->next_off - start > (uint64_t)c->rec_hdr + h->caplen &&
	    c->next_off - start - c->rec_hdr <= UINT32_MAX)
		f->caplen_file = (uint32_t)(c->next_off - start - c->rec_hdr);
	f->data = data;
	return 1;
}

/* ---- going back ---- */

/* fseeko, and the error flag a damaged compressed stream may have left
 * cleared, since libpcap reads a short read with it set as an error. */
static int seek_raw(struct pw_capture *c, uint64_t off)
{
	if (fseeko(c->fp, (off_t)off, SEEK_SET) != 0)
		return -1;
	clearerr(c->fp);
	return 0;
}

static int seek_to(struct pw_capture *c, uint64_t off, char *err, size_t errlen)
{
	if (seek_raw(c, off)) {
		const char *why = pw_zstream_error(c->z);

		snprintf(err, errlen, "%s: cannot seek to offset %llu%s: %s", c->path, (unsigned long long)off,
			 c->zformat ? " of the decompressed data" : "", why ? why : strerror(errno));
		return -1;
	}
	return 0;
}

/* Reads one pcapng block header (type, total length) at the stream's
 * position, in the file's byte order. 0, or -1 at the end or on a length
 * that cannot be a block. */
static int pcapng_block_header(struct pw_capture *c, uint32_t *type, uint32_t *len)
{
	uint32_t w[2];

	if (fread(w, sizeof(w[0]), 2, c->fp) != 2)
		return -1;
	if (w[0] == PCAPNG_SHB) {
		/* Same in both byte orders; its length follows the file's. */
		*type = PCAPNG_SHB;
	} else {
		*type = pcap_is_swapped(c->p) ? swap32(w[0]) : w[0];
	}
	*len = pcap_is_swapped(c->p) ? swap32(w[1]) : w[1];
	if (*len < PCAPNG_BLOCK_MIN || *len % 4)
		return -1;
	return 0;
}

/*
 * Whether the blocks read so far include a second section header. Walks
 * block headers once, from where the last call stopped, up to where
 * libpcap's reading has gone (read_end), not just to the last frame: a
 * section header after the last frame, met on the way to the end or to
 * damage, has reset libpcap's interfaces as well.
 */
static int pcapng_multi_section(struct pw_capture *c)
{
	uint64_t off = c->sections_checked;

	while (!c->multi_section && off < c->read_end) {
		uint32_t type, len;

		if (seek_raw(c, off) || pcapng_block_header(c, &type, &len)) {
			/* Unreadable headers: be safe and read forward. */
			c->multi_section = 1;
			break;
		}
		if (type == PCAPNG_SHB && off > 0)
			c->multi_section = 1;
		off += len;
	}
	c->sections_checked = off;
	return c->multi_section;
}

/* From a pcapng frame's indexed offset, past the blocks libpcap has
 * already acted on, to the packet block itself. */
static int pcapng_skip_to_packet(struct pw_capture *c, uint64_t off, char *err, size_t errlen)
{
	for (;;) {
		uint32_t type, len;

		if (seek_to(c, off, err, errlen))
			return -1;
		if (pcapng_block_header(c, &type, &len)) {
			snprintf(err, errlen, "%s: the block at offset %llu, read before, is no longer readable",
				 c->path, (unsigned long long)off);
			return -1;
		}
		if (type == PCAPNG_EPB || type == PCAPNG_SPB || type == PCAPNG_PB)
			return seek_to(c, off, err, errlen);
		off += len;
	}
}

/* Reads frames and drops them until the next read is frame n. */
static int read_forward_to(struct pw_capture *c, uint32_t n, char *err, size_t errlen)
{
	struct pw_frame f;

	while (c->cur + 1 < n) {
		int rc = read_record(c, &f, err, errlen);

		if (rc == 0)
			snprintf(err, errlen, "%s: frame %u is no longer in the file", c->path, c->cur + 1);
		if (rc != 1)
			return -1;
	}
	return 0;
}

/* Reopens the file and reads forward so that the next read is frame n
 * (n <= n_indexed + 1): the way back when seeking cannot be trusted. */
static int reopen_at(struct pw_capture *c, uint32_t n, char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pw_zfile zf;
	pcap_t *p;

	if (pw_zopen(c->path, &zf, err, errlen))
		return -1;
	p = pcap_fopen_offline_with_tstamp_precision(zf.fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		fclose(zf.fp);
		snprintf(err, errlen, "%s: %s", c->path, errbuf);
		return -1;
	}
	pcap_close(c->p);
	c->p = p;
	c->fp = pcap_file(p);
	c->z = zf.z;
	c->linear = 1;
	c->cur = 0;
	c->next_off = c->first_off;
	return read_forward_to(c, n, err, errlen);
}

/* Makes frame n (1 <= n <= n_indexed + 1) the next one read. */
static int position_at(struct pw_capture *c, uint32_t n, char *err, size_t errlen)
{
	uint64_t off;

	/* The next frame anyway: pcap records follow each other; pcapng
	 * needs a skip only if libpcap's reading was moved before. */
	if (n == c->cur + 1 && (!c->pcapng || c->linear || n > c->n_indexed))
		return 0;
	/* Forward in a pcapng file libpcap has read in order from the start
	 * (just opened, or reopened): let it go on reading every block. */
	if (c->pcapng && c->linear && n > c->cur)
		return read_forward_to(c, n, err, errlen);
	/* Everything below seeks, or opens the file again. */
	if (!c->rereadable) {
		snprintf(err, errlen, "%s: frame %u was read already, and a pipe cannot be read again", c->path, n);
		return -1;
	}
	if (!c->seekable)
		return reopen_at(c, n, err, errlen);
	if (n > c->n_indexed) {
		/* Into the part not read yet: libpcap must see its blocks. */
		off = c->hw_off;
		if (seek_to(c, off, err, errlen))
			return -1;
	} else {
		off = index_get(c, n);
		if (c->pcapng) {
			if (pcapng_multi_section(c))
				return reopen_at(c, n, err, errlen);
			if (pcapng_skip_to_packet(c, off, err, errlen))
				return -1;
			c->linear = 0;
		} else if (seek_to(c, off, err, errlen)) {
			return -1;
		}
	}
	c->cur = n - 1;
	c->next_off = off;
	return 0;
}

/* ---- the interface ---- */

struct pw_capture *pw_capture_open(const char *path, const char *filter, char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE], once[32] = "";
	struct pw_capture *c;
	struct pw_zfile zf;
	const uint8_t *magic;
	off_t pos;

	if (!path) {
		set_err(err, errlen, "(null): no file name");
		return NULL;
	}
	/* The magic comes from the stream's first bytes, not from reading the
	 * file and seeking back: a pipe cannot seek, and a compressed file's
	 * magic is the compressor's. */
	if (pw_zopen(path, &zf, err, errlen))
		return NULL;
	magic = zf.head;
	if (zf.format)
		snprintf(once, sizeof(once), " once decompressed (%s)", zf.format);
	if (zf.head_n < sizeof(zf.head)) {
		snprintf(err, errlen, "%s: %s%s, too short to be a capture file", path,
			 zf.head_n == 0 ? "empty" : "a few bytes", once);
		fclose(zf.fp);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c)
		c->path = strdup(path);
	if (!c || !c->path) {
		snprintf(err, errlen, "%s: out of memory", path);
		if (c)
			free(c);
		fclose(zf.fp);
		return NULL;
	}
	errbuf[0] = '\0';
	c->p = pcap_fopen_offline_with_tstamp_precision(zf.fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!c->p) {
		const char *why = pw_zstream_error(zf.z);

		if (why)
			snprintf(err, errlen, "%s: %s", path, why);
		else if (strstr(errbuf, "unknown file format"))
			snprintf(err, errlen,
				 "%s: not a capture file%s: it starts with %02x %02x %02x %02x; pcap starts "
				 "with a1 b2 c3 d4 (or a1 b2 3c 4d, either byte order), pcapng with 0a 0d 0d 0a",
				 path, once, magic[0], magic[1], magic[2], magic[3]);
		else
			snprintf(err, errlen, "%s: %s", path, errbuf);
		fclose(zf.fp);
		free(c->path);
		free(c);
		return NULL;
	}
	c->fp = pcap_file(c->p);
	c->z = zf.z;
	c->zformat = zf.format;
	c->rereadable = zf.rereadable;
	c->linear = 1;
	c->linktype = linktype_of_dlt(pcap_datalink(c->p));
	c->pcapng = magic[0] == 0x0a && magic[1] == 0x0d && magic[2] == 0x0d && magic[3] == 0x0a;
	/* Kuznetzov's patched pcap (magic a1b2cd34) has 24-byte record headers. */
	c->rec_hdr = (magic[0] == 0xa1 && magic[1] == 0xb2 && magic[2] == 0xcd && magic[3] == 0x34) ||
			     (magic[0] == 0x34 && magic[1] == 0xcd && magic[2] == 0xb2 && magic[3] == 0xa1)
		     ? 24 : 16;
	pos = ftello(c->fp);
	c->seekable = pos >= 0;
	c->first_off = c->next_off = c->hw_off = pos >= 0 ? (uint64_t)pos : 0;

	if (filter && *filter) {
		if (pcap_compile(c->p, &c->prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "%s: filter \"%s\": %s", path, filter, pcap_geterr(c->p));
			pw_capture_close(c);
			return NULL;
		}
		c->have_prog = 1;
	}
	return c;
}

void pw_capture_close(struct pw_capture *c)
{
	if (!c)
		return;
	if (c->have_prog)
		pcap_freecode(&c->prog);
	if (c->p)
		pcap_close(c->p);
	free(c->lo);
	free(c->hi);
	free(c->path);
	free(c);
}

int pw_capture_linktype(const struct pw_capture *c)
{
	return c->linktype;
}

int pw_capture_next(struct pw_capture *c, struct pw_frame *f, char *err, size_t errlen)
{
	for (;;) {
		int rc;

		/* pcapng frames already indexed are re-read past the blocks
		 * between them (see the top of the file). */
		if (c->pcapng && !c->linear && c->cur < c->n_indexed &&
		    position_at(c, c->cur + 1, err, errlen))
			return -1;
		rc = read_record(c, f, err, errlen);
		if (rc != 1)
			return rc;
		if (!c->have_prog)
			return 1;
		if (pcap_offline_filter(&c->prog, c->hdr, f->data))
			return 1;
	}
}

int pw_capture_matches(const struct pw_capture *c, const struct pw_frame *f)
{
	return !c->have_prog || !c->hdr || pcap_offline_filter(&c->prog, c->hdr, f->data) != 0;
}

int pw_capture_frame(struct pw_capture *c, uint32_t n, struct pw_frame *f, char *err, size_t errlen)
{
	if (n == 0)
		return 0;
	if (n > c->n_indexed) {
		if (c->at_end)
			return 0;
		if (position_at(c, c->n_indexed + 1, err, errlen))
			return -1;
		/* Forward through the part of the file not read yet. */
		while (c->cur + 1 < n) {
			int rc = read_record(c, f, err, errlen);

			if (rc != 1)
				return rc;
		}
		return read_record(c, f, err, errlen);
	}
	if (position_at(c, n, err, errlen))
		return -1;
	return read_record(c, f, err, errlen);
}

uint32_t pw_capture_indexed(const struct pw_capture *c)
{
	return c->n_indexed;
}
