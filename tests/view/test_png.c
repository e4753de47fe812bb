/* test_png.c: pw_png_write against an independent reader.
 *
 * The reader here shares no code with png.c. It checks the signature, the
 * order of the chunks and every chunk's CRC (computed bit by bit, not with
 * zlib's crc32), and the IHDR fields; then it joins the IDAT data, inflates
 * it with zlib's uncompress2 (which also checks the Adler-32), undoes the
 * row filters, all five of them, whichever the writer chose, and compares
 * every pixel with what was written.
 *
 * The filters the writer does not use are checked too, so that a broken
 * reader cannot pass a broken writer: four small PNGs made by another
 * encoder, one per filter type, must decode to the pixels they were made
 * from.
 *
 * Then: images of one row or pixel, rows with padding in the pitch, rows
 * longer than deflate's window, noise that cannot be compressed (the output
 * must still arrive in bounded IDAT chunks), and a picture shaped like a
 * screenshot, which must come out far smaller than its pixels, so a writer
 * that only stores them fails. And the errors: a file that cannot be
 * created, a write that fails (/dev/full) and bad arguments, each naming
 * the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "test.h"
#include "view/png.h"

/* A writer that streams emits chunks no larger than its buffer; one that
 * collects the whole stream first would go past this on the noise image. */
#define IDAT_LIMIT 65536u

/* What the reader saw, for checks beyond "the pixels are right". */
struct png_seen {
	size_t file_len;
	int idats;
	uint32_t idat_max;
	int filters[5];        /* rows per filter type */
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ------------------------------------------------------------ images */

/* A gradient in each channel, alpha varying across rows, and pad bytes
 * (0xee) after each row when pitch > 4w. */
static uint8_t *make_image(int w, int h, int pitch)
{
	uint8_t *img = malloc((size_t)pitch * (size_t)h);

	if (!img)
		return NULL;
	memset(img, 0xee, (size_t)pitch * (size_t)h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = img + (size_t)y * (size_t)pitch + (size_t)x * 4;

			p[0] = (uint8_t)(x * 255 / (w > 1 ? w - 1 : 1));
			p[1] = (uint8_t)(y * 255 / (h > 1 ? h - 1 : 1));
			p[2] = (uint8_t)((x * 7 + y * 13) & 0xff);
			p[3] = (uint8_t)(255 - (y * 200 / (h > 1 ? h - 1 : 1)) - (x & 1) * 30);
		}
	return img;
}

/* The low byte of each step of the C standard's example rand(), spelled
 * out so the sequence is the same on every libc (the reference PNGs below
 * hold it), and masked. */
static uint8_t *make_noise(int w, int h, uint32_t seed, uint8_t mask)
{
	size_t n = (size_t)w * 4 * (size_t)h;
	uint8_t *img = malloc(n);

	if (!img)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		img[i] = (uint8_t)(seed >> 16) & mask;
	}
	return img;
}

static void fill_rect(uint8_t *img, int w, int x0, int y0, int rw, int rh, uint32_t rgb)
{
	for (int y = y0; y < y0 + rh; y++)
		for (int x = x0; x < x0 + rw; x++) {
			uint8_t *p = img + ((size_t)y * (size_t)w + (size_t)x) * 4;

			p[0] = (uint8_t)(rgb >> 16);
			p[1] = (uint8_t)(rgb >> 8);
			p[2] = (uint8_t)rgb;
			p[3] = 255;
		}
}

/*
 * Something like the view: a dark background, panels with a border, and
 * lines of "text" in two colours, each glyph one of 40 random 6x10
 * bitmaps, in a random order. Opaque, as the renderer's pictures are.
 */
static uint8_t *make_screen(int w, int h)
{
	uint8_t *img = malloc((size_t)w * 4 * (size_t)h);
	uint8_t glyph[40][10];
	uint32_t seed = 7;

	if (!img)
		return NULL;
	for (int g = 0; g < 40; g++)
		for (int r = 0; r < 10; r++) {
			seed = seed * 1103515245u + 12345u;
			glyph[g][r] = (uint8_t)((seed >> 16) & 0x3f);
		}
	fill_rect(img, w, 0, 0, w, h, 0x1e222a);
	for (int py = 8; py + 120 <= h; py += 128)
		for (int px = 8; px + 250 <= w; px += 258) {
			fill_rect(img, w, px, py, 250, 120, 0x3a3f4b);
			fill_rect(img, w, px + 1, py + 1, 248, 118, 0x2b303b);
			for (int ty = py + 6; ty + 10 <= py + 114; ty += 14)
				for (int tx = px + 6; tx + 6 <= px + 244; tx += 7) {
					uint32_t ink = ty % 28 ? 0xd8dee9 : 0xebcb8b;
					int g;

					seed = seed * 1103515245u + 12345u;
					g = (int)(seed >> 16) % 40;
					for (int r = 0; r < 10; r++)
						for (int c = 0; c < 6; c++)
							if (glyph[g][r] >> c & 1)
								fill_rect(img, w, tx + c, ty + r, 1, 1, ink);
				}
		}
	return img;
}

/* ------------------------------------------------------------ reader */

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	if (pa <= pb && pa <= pc)
		return a;
	return pb <= pc ? b : c;
}

/*
 * Undoes the row filters of PNG's filter method 0 (PNG spec section 9):
 * raw holds h rows, each a filter type byte and 4w filtered bytes; out gets
 * the 4w bytes of each row's pixels. a is the byte one pixel to the left,
 * b the one above, c above and left, 0 where there is none. Returns the
 * first row with an unknown filter type, or -1.
 */
static int unfilter(const uint8_t *raw, uint8_t *out, int w, int h, struct png_seen *seen)
{
	size_t n = (size_t)w * 4;

	for (int y = 0; y < h; y++) {
		const uint8_t *in = raw + (size_t)y * (n + 1) + 1;
		uint8_t *cur = out + (size_t)y * n;
		const uint8_t *prev = y ? cur - n : NULL;
		int type = in[-1];

		if (type > 4)
			return y;
		seen->filters[type]++;
		for (size_t i = 0; i < n; i++) {
			int a = i >= 4 ? cur[i - 4] : 0;
			int b = prev ? prev[i] : 0;
			int c = prev && i >= 4 ? prev[i - 4] : 0;
			int pred = 0;

			switch (type) {
			case 1: pred = a; break;
			case 2: pred = b; break;
			case 3: pred = (a + b) / 2; break;
			case 4: pred = paeth(a, b, c); break;
			}
			cur[i] = (uint8_t)(in[i] + pred);
		}
	}
	return -1;
}

/* Walks the chunks of file, checking them, and joins the IDAT data in z.
 * Returns the length of the zlib stream, or 0 if the file cannot be
 * walked. */
static size_t read_chunks(const char *name, const uint8_t *file, size_t len, int w, int h, uint8_t *z,
			  struct png_seen *seen)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t pos = 8, zlen = 0;
	int chunks = 0, seen_iend = 0, crc_bad = 0;

	CHECK(len >= 8 && !memcmp(file, sig, 8), "%s: the 8-byte PNG signature is wrong", name);
	while (pos + 12 <= len && !seen_iend) {
		uint32_t n = be32(file + pos);
		const uint8_t *type = file + pos + 4, *data = file + pos + 8;

		if (n > len - pos - 12) {
			CHECK(0, "%s: chunk %d claims %u bytes, only %zu left", name, chunks, n, len - pos - 12);
			return 0;
		}
		if (crc_bitwise(type, 4 + (size_t)n) != be32(data + n)) {
			crc_bad++;
			fprintf(stderr, "%s: chunk %.4s: CRC %08x, computed %08x\n", name, type, be32(data + n),
				crc_bitwise(type, 4 + (size_t)n));
		}
		if (chunks == 0) {
			CHECK(!memcmp(type, "IHDR", 4), "%s: first chunk: expected IHDR, got %.4s", name, type);
			CHECK_EQ_INT(n, 13);
			if (n == 13) {
				CHECK_EQ_INT(be32(data), w);
				CHECK_EQ_INT(be32(data + 4), h);
				CHECK_EQ_INT(data[8], 8);   /* bit depth */
				CHECK_EQ_INT(data[9], 6);   /* RGBA */
				CHECK_EQ_INT(data[10], 0);
				CHECK_EQ_INT(data[11], 0);
				CHECK_EQ_INT(data[12], 0);
			}
		} else if (!memcmp(type, "IDAT", 4)) {
			memcpy(z + zlen, data, n);
			zlen += n;
			seen->idats++;
			if (n > seen->idat_max)
				seen->idat_max = n;
		} else if (!memcmp(type, "IEND", 4)) {
			CHECK_EQ_INT(n, 0);
			seen_iend = 1;
		} else {
			CHECK(0, "%s: unexpected chunk %.4s", name, type);
		}
		pos += 12 + (size_t)n;
		chunks++;
	}
	CHECK(seen_iend, "%s: no IEND chunk", name);
	CHECK(pos == len, "%s: %zu bytes after IEND", name, len - pos);
	CHECK(crc_bad == 0, "%s: %d chunks with a bad CRC", name, crc_bad);
	CHECK(seen->idats > 0, "%s: no IDAT chunk", name);
	return zlen;
}

static int compare_pixels(const char *name, const uint8_t *px, const uint8_t *img, int w, int h, int pitch)
{
	int mismatches = 0;

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w * 4; x++) {
			uint8_t want = img[(size_t)y * (size_t)pitch + (size_t)x];
			uint8_t got = px[(size_t)y * (size_t)w * 4 + (size_t)x];

			if (want != got && mismatches++ < 5)
				fprintf(stderr, "%s: pixel (%d,%d) byte %d: expected %d, got %d\n", name, x / 4, y,
					x % 4, want, got);
		}
	return mismatches;
}

/*
 * Decodes the PNG in file and compares it with img. Every check names what
 * it expected and what it got; seen says what the file was made of.
 */
static void check_png_data(const char *name, const uint8_t *file, size_t len, const uint8_t *img, int w,
			   int h, int pitch, struct png_seen *seen)
{
	size_t n = (size_t)w * 4, raw_len = (size_t)h * (n + 1), zlen;
	uint8_t *z = malloc(len), *raw = malloc(raw_len), *px = malloc(n * (size_t)h);
	uLongf got = raw_len;
	uLong used;
	int rc, bad_row;

	memset(seen, 0, sizeof(*seen));
	seen->file_len = len;
	CHECK(z && raw && px, "out of memory");
	if (!z || !raw || !px)
		goto out;
	zlen = read_chunks(name, file, len, w, h, z, seen);
	if (!zlen)
		goto out;

	used = zlen;
	rc = uncompress2(raw, &got, z, &used);
	CHECK(rc == Z_OK, "%s: inflating the IDAT data: expected Z_OK, got %d (%s)", name, rc, zError(rc));
	if (rc != Z_OK)
		goto out;
	CHECK(got == raw_len, "%s: the zlib stream holds %lu bytes, the image needs %zu", name,
	      (unsigned long)got, raw_len);
	CHECK(used == zlen, "%s: %lu bytes after the end of the zlib stream", name, (unsigned long)(zlen - used));
	if (got != raw_len)
		goto out;

	bad_row = unfilter(raw, px, w, h, seen);
	CHECK(bad_row < 0, "%s: row %d: filter type %d, expected 0 to 4", name, bad_row,
	      bad_row < 0 ? 0 : raw[(size_t)bad_row * (n + 1)]);
	if (bad_row < 0) {
		int mismatches = compare_pixels(name, px, img, w, h, pitch);

		CHECK(mismatches == 0, "%s: %d bytes differ from the image written", name, mismatches);
	}
out:
	free(px);
	free(raw);
	free(z);
}

/* ------------------------------------------------------------ cases */

/*
 * make_noise(4, 3, 6, 0xe1) as netpbm's pnmtopng (through libpng) wrote it
 * with -force and each of -sub, -up, -avg and -paeth: every row of each
 * file uses that one filter. The mask leaves few enough values that the
 * Paeth predictor meets each of its three ties as well as picking each
 * neighbour outright, and Avg sums odd numbers past 255.
 */
static const uint8_t png_sub[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,
	0x08, 0x06, 0x00, 0x00, 0x00, 0xb4, 0xf4, 0xae, 0xc6, 0x00, 0x00, 0x00,
	0x39, 0x49, 0x44, 0x41, 0x54, 0x08, 0x99, 0x05, 0xc1, 0x01, 0x01, 0x80,
	0x40, 0x08, 0x03, 0x40, 0x96, 0x44, 0x48, 0xa2, 0x26, 0xf1, 0xa3, 0x2c,
	0x0a, 0x36, 0x19, 0x49, 0x9c, 0x49, 0xf4, 0x0e, 0x7d, 0x9b, 0x6a, 0xcc,
	0xec, 0xc1, 0x8d, 0xfc, 0xa0, 0xc4, 0x69, 0x3e, 0xf1, 0x66, 0x2d, 0xeb,
	0x20, 0xa2, 0x53, 0x95, 0xe3, 0x8e, 0x6b, 0x39, 0x55, 0x3f, 0x55, 0x3a,
	0x16, 0x4a, 0xd2, 0x17, 0x57, 0xc9, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
	0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const uint8_t png_up[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,
	0x08, 0x06, 0x00, 0x00, 0x00, 0xb4, 0xf4, 0xae, 0xc6, 0x00, 0x00, 0x00,
	0x3c, 0x49, 0x44, 0x41, 0x54, 0x08, 0x99, 0x63, 0x5a, 0xb0, 0xf0, 0x41,
	0x43, 0x82, 0xe3, 0x43, 0x47, 0xc5, 0x86, 0x87, 0x07, 0x1d, 0x18, 0x12,
	0x0f, 0x30, 0x29, 0xd4, 0x2b, 0x1e, 0x74, 0x88, 0xff, 0xcf, 0x90, 0xe0,
	0xa0, 0xf0, 0x40, 0xb1, 0xe1, 0x41, 0x22, 0x93, 0x43, 0x83, 0x7c, 0x7d,
	0xa3, 0x02, 0x63, 0xbc, 0x03, 0x83, 0x7d, 0xbc, 0x43, 0xc2, 0x7e, 0x06,
	0x00, 0x27, 0x01, 0x13, 0x4c, 0xba, 0x86, 0x3e, 0x96, 0x00, 0x00, 0x00,
	0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const uint8_t png_avg[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,
	0x08, 0x06, 0x00, 0x00, 0x00, 0xb4, 0xf4, 0xae, 0xc6, 0x00, 0x00, 0x00,
	0x3e, 0x49, 0x44, 0x41, 0x54, 0x08, 0x99, 0x01, 0x33, 0x00, 0xcc, 0xff,
	0x03, 0xa0, 0xa1, 0xe0, 0x80, 0x10, 0xf1, 0x71, 0x01, 0xf1, 0x60, 0x71,
	0xa1, 0x30, 0xc0, 0xf1, 0x60, 0x03, 0x70, 0xd0, 0x91, 0x01, 0x10, 0x70,
	0x6f, 0x00, 0x21, 0x30, 0x21, 0x20, 0x01, 0x20, 0x10, 0x71, 0x03, 0xa0,
	0x90, 0x20, 0xa0, 0xd1, 0x20, 0x61, 0x20, 0x70, 0x00, 0xcf, 0x60, 0x10,
	0x40, 0xc0, 0x11, 0x1b, 0x1f, 0x12, 0xd9, 0xdb, 0x4f, 0xdf, 0xd7, 0x00,
	0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const uint8_t png_paeth[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
	0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03,
	0x08, 0x06, 0x00, 0x00, 0x00, 0xb4, 0xf4, 0xae, 0xc6, 0x00, 0x00, 0x00,
	0x3c, 0x49, 0x44, 0x41, 0x54, 0x08, 0x99, 0x05, 0xc1, 0x01, 0x11, 0x80,
	0x30, 0x0c, 0x03, 0xc0, 0xee, 0xae, 0x3e, 0xd6, 0x28, 0x59, 0x9d, 0x80,
	0x93, 0x45, 0x4a, 0x51, 0x02, 0x55, 0x42, 0x9c, 0xc0, 0xbf, 0xd7, 0x25,
	0x3e, 0x35, 0xba, 0x97, 0x71, 0x92, 0x9f, 0xc7, 0x46, 0x27, 0x5f, 0x43,
	0x40, 0x62, 0xd2, 0x93, 0x73, 0x23, 0x86, 0xca, 0xd6, 0xa1, 0xf3, 0xc6,
	0x0f, 0x38, 0xea, 0x14, 0xce, 0xdb, 0x09, 0x0a, 0x5a, 0x00, 0x00, 0x00,
	0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static void reader_filters(void)
{
	static const struct {
		const char *name;
		const uint8_t *png;
		size_t len;
		int filter;
	} refs[] = {
		{ "reference Sub", png_sub, sizeof(png_sub), 1 },
		{ "reference Up", png_up, sizeof(png_up), 2 },
		{ "reference Avg", png_avg, sizeof(png_avg), 3 },
		{ "reference Paeth", png_paeth, sizeof(png_paeth), 4 },
	};
	uint8_t *img = make_noise(4, 3, 6, 0xe1);
	struct png_seen seen;

	CHECK(img != NULL, "out of memory");
	if (!img)
		return;
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		check_png_data(refs[i].name, refs[i].png, refs[i].len, img, 4, 3, 16, &seen);
		CHECK(seen.filters[refs[i].filter] == 3, "%s: expected 3 rows of filter %d, got %d", refs[i].name,
		      refs[i].filter, seen.filters[refs[i].filter]);
	}
	free(img);
}

/* Writes img to dir/name.png, reads it back and checks it; seen says what
 * the file was made of. Returns 0 if the write succeeded. */
static int write_and_check(const char *dir, const char *name, const uint8_t *img, int w, int h, int pitch,
			   struct png_seen *seen)
{
	char path[512], err[512] = "";
	uint8_t *file;
	size_t len;
	int rc;

	memset(seen, 0, sizeof(*seen));
	snprintf(path, sizeof(path), "%s/%s.png", dir, name);
	rc = pw_png_write(path, img, w, h, pitch, err, sizeof(err));
	CHECK(rc == 0, "pw_png_write(%s, %dx%d, pitch %d): expected 0, got %d: %s", path, w, h, pitch, rc, err);
	if (rc)
		return -1;
	file = slurp(path, &len);
	CHECK(file != NULL, "reading %s back failed", path);
	if (file)
		check_png_data(path, file, len, img, w, h, pitch, seen);
	CHECK(seen->idat_max <= IDAT_LIMIT, "%s: an IDAT of %u bytes, expected at most %u", path, seen->idat_max,
	      IDAT_LIMIT);
	free(file);
	unlink(path);
	return 0;
}

static void round_trip(const char *dir, int w, int h, int pad)
{
	char name[64];
	int pitch = w * 4 + pad;
	uint8_t *img = make_image(w, h, pitch);
	struct png_seen seen;

	CHECK(img != NULL, "out of memory");
	if (!img)
		return;
	snprintf(name, sizeof(name), "img-%dx%d-pad%d", w, h, pad);
	write_and_check(dir, name, img, w, h, pitch, &seen);
	free(img);
}

/* Noise: deflate cannot shrink it, so the file is larger than the pixels
 * and must leave in several IDATs, none of them over the limit. */
static void noise(const char *dir)
{
	int w = 300, h = 200;
	uint8_t *img = make_noise(w, h, 42, 0xff);
	struct png_seen seen;

	CHECK(img != NULL, "out of memory");
	if (!img)
		return;
	if (!write_and_check(dir, "noise", img, w, h, w * 4, &seen))
		CHECK(seen.idats > 1, "noise %dx%d: expected several IDATs, got %d of up to %u bytes", w, h,
		      seen.idats, seen.idat_max);
	free(img);
}

/*
 * A screenshot-like picture must compress: a writer that stored its rows
 * would make a file larger than the pixels. A tenth of them is far above
 * what deflate makes of flat panels and repeated glyphs, and far below
 * anything uncompressed.
 */
static void screenshot(const char *dir)
{
	int w = 1040, h = 520;
	size_t raw = (size_t)h * ((size_t)w * 4 + 1);
	uint8_t *img = make_screen(w, h);
	struct png_seen seen;

	CHECK(img != NULL, "out of memory");
	if (!img)
		return;
	if (!write_and_check(dir, "screen", img, w, h, w * 4, &seen))
		CHECK(seen.file_len < raw / 10, "screen %dx%d: %zu bytes, expected under a tenth of the %zu raw",
		      w, h, seen.file_len, raw);
	printf("screen %dx%d: %zu bytes of PNG for %zu of filtered rows\n", w, h, seen.file_len, raw);
	free(img);
}

static void errors(const char *dir)
{
	uint8_t px[16 * 4] = { 0 };
	char err[512], path[512];
	int rc;

	snprintf(path, sizeof(path), "%s/no-such-dir/x.png", dir);
	err[0] = 0;
	rc = pw_png_write(path, px, 4, 4, 16, err, sizeof(err));
	CHECK_EQ_INT(rc, -1);
	CHECK(strstr(err, path) && strstr(err, "cannot create"),
	      "unwritable path: expected a message with 'cannot create' and %s, got '%s'", path, err);

	/* /dev/full accepts the open and fails every write with ENOSPC. */
	if (!access("/dev/full", W_OK)) {
		err[0] = 0;
		rc = pw_png_write("/dev/full", px, 4, 4, 16, err, sizeof(err));
		CHECK_EQ_INT(rc, -1);
		CHECK(strstr(err, "/dev/full") && strstr(err, "write failed"),
		      "/dev/full: expected 'write failed on /dev/full: ...', got '%s'", err);
		CHECK(!access("/dev/full", F_OK), "/dev/full must not be removed after a failed write");
	}

	snprintf(path, sizeof(path), "%s/bad.png", dir);
	err[0] = 0;
	rc = pw_png_write(path, px, 0, 4, 16, err, sizeof(err));
	CHECK_EQ_INT(rc, -1);
	CHECK(strstr(err, path) != NULL, "width 0: expected a message naming %s, got '%s'", path, err);
	err[0] = 0;
	rc = pw_png_write(path, px, 4, 4, 8, err, sizeof(err));
	CHECK_EQ_INT(rc, -1);
	CHECK(strstr(err, "pitch") != NULL, "pitch 8 for width 4: expected a message about the pitch, got '%s'", err);
	CHECK(access(path, F_OK) != 0, "a refused image must not leave %s behind", path);
}

int main(void)
{
	char dir[] = "/tmp/pw-test-png.XXXXXX";

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	reader_filters();
	round_trip(dir, 37, 11, 0);
	round_trip(dir, 37, 11, 12);    /* padded rows */
	round_trip(dir, 1, 1, 0);       /* the smallest image */
	round_trip(dir, 300, 120, 0);
	round_trip(dir, 16383, 1, 0);   /* one row of 65,533 bytes */
	round_trip(dir, 16384, 2, 4);   /* rows longer than deflate's 32 KiB window */
	noise(dir);
	screenshot(dir);
	errors(dir);
	rmdir(dir);
	return test_report("test_png");
}
