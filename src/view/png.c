/* png.c: an RGBA image as a PNG file, with no library beyond libc.
 *
 * The file is the signature, IHDR (8-bit RGBA, colour type 6, no
 * interlace), one IDAT chunk per deflate block, and IEND. The image data
 * is a zlib stream of "stored" deflate blocks (no compression at all):
 * every row starts with filter byte 0 (None) and is followed by its pixels
 * as they are. Files are about as large as the raw pixels, which is what a
 * screenshot for a test or a slide needs; any PNG reader takes them.
 *
 * The pixels are streamed through one block-sized buffer, so writing a
 * 3840x2160 image needs 64 KiB of memory beyond the image itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "view/png.h"

/* A stored deflate block holds at most 65535 bytes (its LEN is 16 bits). */
#define PNG_BLOCK_MAX 65535u

struct png_out {
	FILE *f;
	int failed;            /* a write failed; errno_saved says why */
	int errno_saved;
	uint32_t crc_table[256];
	uint32_t crc;          /* of the chunk being written */
	uint32_t adler_a, adler_b;
};

/* The CRC-32 of ISO 3309 / ITU-T V.42 that PNG uses (polynomial
 * 0xedb88320, reflected), one table lookup per byte. The table is built per
 * file, which costs 256 short loops: nothing next to the image. */
static void crc_init(struct png_out *o)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		o->crc_table[n] = c;
	}
}

static void crc_update(struct png_out *o, const uint8_t *p, size_t n)
{
	uint32_t c = o->crc;

	for (size_t i = 0; i < n; i++)
		c = o->crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	o->crc = c;
}

/* Adler-32 of the uncompressed data (RFC 1950), the zlib trailer. The sums
 * are reduced every 5552 bytes, the most that cannot overflow 32 bits. */
static void adler_update(struct png_out *o, const uint8_t *p, size_t n)
{
	uint32_t a = o->adler_a, b = o->adler_b;

	while (n) {
		size_t k = n < 5552 ? n : 5552;

		n -= k;
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	o->adler_a = a;
	o->adler_b = b;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void out_raw(struct png_out *o, const void *p, size_t n)
{
	if (o->failed || !n)
		return;
	if (fwrite(p, 1, n, o->f) != n) {
		o->failed = 1;
		o->errno_saved = errno ? errno : EIO;
	}
}

/* Chunk data: written and added to the chunk's CRC. */
static void out_data(struct png_out *o, const void *p, size_t n)
{
	crc_update(o, p, n);
	out_raw(o, p, n);
}

/* A chunk starts with its length (not covered by the CRC) and its type
 * (covered), and ends with the CRC. */
static void chunk_begin(struct png_out *o, const char type[4], uint32_t len)
{
	uint8_t b[4];

	put_be32(b, len);
	out_raw(o, b, 4);
	o->crc = 0xffffffffu;
	out_data(o, type, 4);
}

static void chunk_end(struct png_out *o)
{
	uint8_t b[4];

	put_be32(b, o->crc ^ 0xffffffffu);
	out_raw(o, b, 4);
}

int pw_png_write(const char *path, const uint8_t *rgba, int w, int h, int pitch, char *err, size_t errlen)
{
	static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	struct png_out o;
	uint8_t ihdr[13], hdr[5], block[PNG_BLOCK_MAX];
	uint64_t row_bytes, total, done = 0;
	size_t x = 0; /* position in the current row: 0 is the filter byte */
	int y = 0, regular;
	struct stat st;

	if (!rgba || w <= 0 || h <= 0 || w > (0x7fffffff - 1) / 4 || pitch < w * 4) {
		snprintf(err, errlen, "%s: cannot write a %dx%d image with a row pitch of %d bytes", path, w, h,
			 pitch);
		return -1;
	}
	row_bytes = (uint64_t)w * 4 + 1;
	total = row_bytes * (uint64_t)h;

	memset(&o, 0, sizeof(o));
	crc_init(&o);
	o.adler_a = 1;
	errno = 0;
	o.f = fopen(path, "wb");
	if (!o.f) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	regular = !fstat(fileno(o.f), &st) && S_ISREG(st.st_mode);

	out_raw(&o, signature, sizeof(signature));

	put_be32(ihdr, (uint32_t)w);
	put_be32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;   /* bits per sample */
	ihdr[9] = 6;   /* colour type: truecolour with alpha */
	ihdr[10] = 0;  /* compression: deflate */
	ihdr[11] = 0;  /* filter method 0 (each row names its filter) */
	ihdr[12] = 0;  /* no interlace */
	chunk_begin(&o, "IHDR", sizeof(ihdr));
	out_data(&o, ihdr, sizeof(ihdr));
	chunk_end(&o);

	/*
	 * One IDAT per stored block. The first also carries the zlib header
	 * (CMF 0x78: deflate, 32 KiB window; FLG 0x01 makes CMF*256+FLG a
	 * multiple of 31, no dictionary, "fastest" level), the last the
	 * Adler-32 trailer. Splitting the zlib stream across IDATs at any byte
	 * is allowed: readers concatenate them.
	 */
	while (done < total) {
		uint32_t n = total - done < PNG_BLOCK_MAX ? (uint32_t)(total - done) : PNG_BLOCK_MAX;
		int first = done == 0, last = done + n == total;
		uint32_t len = 5 + n + (first ? 2 : 0) + (last ? 4 : 0);

		/* Gather n bytes of filtered rows: a 0 before each row's pixels. */
		for (uint32_t k = 0; k < n;) {
			if (x == 0) {
				block[k++] = 0;
				x = 1;
				continue;
			}
			size_t take = (size_t)(row_bytes - x);

			if (take > n - k)
				take = n - k;
			memcpy(block + k, rgba + (size_t)y * (size_t)pitch + (x - 1), take);
			k += (uint32_t)take;
			x += take;
			if (x == row_bytes) {
				x = 0;
				y++;
			}
		}
		adler_update(&o, block, n);

		chunk_begin(&o, "IDAT", len);
		if (first) {
			static const uint8_t zhdr[2] = { 0x78, 0x01 };

			out_data(&o, zhdr, 2);
		}
		hdr[0] = last ? 1 : 0; /* BFINAL, BTYPE 00 (stored) */
		hdr[1] = (uint8_t)n;
		hdr[2] = (uint8_t)(n >> 8);
		hdr[3] = (uint8_t)~n;
		hdr[4] = (uint8_t)(~n >> 8);
		out_data(&o, hdr, 5);
		out_data(&o, block, n);
		if (last) {
			uint8_t ad[4];

			put_be32(ad, (o.adler_b << 16) | o.adler_a);
			out_data(&o, ad, 4);
		}
		chunk_end(&o);
		done += n;
		if (o.failed)
			break;
	}

	chunk_begin(&o, "IEND", 0);
	chunk_end(&o);

	if (fflush(o.f) && !o.failed) {
		o.failed = 1;
		o.errno_saved = errno ? errno : EIO;
	}
	if (fclose(o.f) && !o.failed) {
		o.failed = 1;
		o.errno_saved = errno ? errno : EIO;
	}
	if (o.failed) {
		/* A half-written PNG is worse than none: a viewer would show a
		 * truncated picture without saying so. Only a regular file is
		 * removed: the path may name a device or a pipe. */
		if (regular)
			remove(path);
		snprintf(err, errlen, "write failed on %s: %s", path, strerror(o.errno_saved));
		return -1;
	}
	return 0;
}
