/* test_png.c: pw_png_write against an independent reader.
 *
 * The reader here shares no code with png.c: it checks the signature, the
 * order of the chunks and every chunk's CRC (computed bit by bit, not from
 * a table), the IHDR fields, then takes the zlib stream apart by hand
 * (header, stored blocks with LEN and NLEN, Adler-32) and compares every
 * pixel with what was written. Images of one block and of several blocks,
 * and rows with padding in the pitch, are covered; so are the errors: a
 * file that cannot be created, a write that fails (/dev/full) and bad
 * arguments, each naming the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "view/png.h"

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

/* A test image: a gradient in each channel, alpha varying across rows,
 * and pad bytes (0xee) after each row when pitch > 4w. */
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

/*
 * Reads path back and compares it with img. Every check names what it
 * expected and what it got.
 */
static void check_png(const char *path, const uint8_t *img, int w, int h, int pitch)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t len, pos = 8, zlen = 0, raw_len = (size_t)h * ((size_t)w * 4 + 1), got = 0;
	uint8_t *file = slurp(path, &len), *z = NULL, *raw = NULL;
	int chunks = 0, seen_iend = 0, crc_bad = 0, blocks = 0, final_seen = 0, mismatches = 0;

	CHECK(file != NULL, "reading %s back failed", path);
	if (!file)
		return;
	CHECK(len >= 8 && !memcmp(file, sig, 8), "%s: the 8-byte PNG signature is wrong", path);
	z = malloc(len);
	raw = malloc(raw_len);
	if (!z || !raw)
		goto out;

	while (pos + 12 <= len && !seen_iend) {
		uint32_t n = be32(file + pos);
		const uint8_t *type = file + pos + 4, *data = file + pos + 8;

		if (n > len - pos - 12) {
			CHECK(0, "%s: chunk %d claims %u bytes, only %zu left", path, chunks, n, len - pos - 12);
			goto out;
		}
		if (crc_bitwise(type, 4 + (size_t)n) != be32(data + n)) {
			crc_bad++;
			fprintf(stderr, "%s: chunk %.4s: CRC %08x, computed %08x\n", path, type, be32(data + n),
				crc_bitwise(type, 4 + (size_t)n));
		}
		if (chunks == 0) {
			CHECK(!memcmp(type, "IHDR", 4), "%s: first chunk: expected IHDR, got %.4s", path, type);
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
		} else if (!memcmp(type, "IEND", 4)) {
			CHECK_EQ_INT(n, 0);
			seen_iend = 1;
		} else {
			CHECK(0, "%s: unexpected chunk %.4s", path, type);
		}
		pos += 12 + (size_t)n;
		chunks++;
	}
	CHECK(seen_iend, "%s: no IEND chunk", path);
	CHECK(pos == len, "%s: %zu bytes after IEND", path, len - pos);
	CHECK(crc_bad == 0, "%s: %d chunks with a bad CRC", path, crc_bad);

	/* The zlib stream: header, stored blocks, Adler-32. */
	CHECK(zlen >= 2 + 5 + 4, "%s: zlib stream of %zu bytes is too short", path, zlen);
	if (zlen < 2 + 5 + 4)
		goto out;
	CHECK((z[0] & 0x0f) == 8, "%s: zlib CM: expected 8 (deflate), got %d", path, z[0] & 0x0f);
	CHECK(((unsigned)z[0] << 8 | z[1]) % 31 == 0, "%s: zlib FCHECK: CMF*256+FLG %u is not a multiple of 31",
	      path, (unsigned)z[0] << 8 | z[1]);
	CHECK(!(z[1] & 0x20), "%s: zlib FDICT set", path);
	pos = 2;
	while (!final_seen) {
		unsigned bl, nbl;

		if (pos + 5 > zlen) {
			CHECK(0, "%s: deflate stream ends inside a block header at %zu", path, pos);
			goto out;
		}
		final_seen = z[pos] & 1;
		CHECK((z[pos] >> 1 & 3) == 0, "%s: block %d: BTYPE expected 0 (stored), got %d", path, blocks,
		      z[pos] >> 1 & 3);
		bl = z[pos + 1] | (unsigned)z[pos + 2] << 8;
		nbl = z[pos + 3] | (unsigned)z[pos + 4] << 8;
		CHECK((bl ^ 0xffff) == nbl, "%s: block %d: NLEN %04x is not ~LEN %04x", path, blocks, nbl, bl);
		pos += 5;
		if (bl > zlen - pos || bl > raw_len - got) {
			CHECK(0, "%s: block %d of %u bytes overruns the stream or the image", path, blocks, bl);
			goto out;
		}
		memcpy(raw + got, z + pos, bl);
		got += bl;
		pos += bl;
		blocks++;
	}
	CHECK_EQ_INT(got, raw_len);
	CHECK(zlen - pos == 4, "%s: expected the 4-byte Adler-32 after the last block, %zu bytes left", path,
	      zlen - pos);
	if (zlen - pos == 4 && got == raw_len) {
		uint32_t a = 1, b = 0;

		for (size_t i = 0; i < raw_len; i++) {
			a = (a + raw[i]) % 65521;
			b = (b + a) % 65521;
		}
		CHECK(be32(z + pos) == (b << 16 | a), "%s: Adler-32 expected %08x, got %08x", path, b << 16 | a,
		      be32(z + pos));
	}
	CHECK_EQ_INT(blocks, (raw_len + 65534) / 65535);
	if (got != raw_len)
		goto out;

	for (int y = 0; y < h; y++) {
		const uint8_t *row = raw + (size_t)y * ((size_t)w * 4 + 1);

		if (row[0] != 0 && mismatches++ < 5)
			fprintf(stderr, "%s: row %d: filter byte %d, expected 0\n", path, y, row[0]);
		for (int x = 0; x < w * 4; x++)
			if (row[1 + x] != img[(size_t)y * (size_t)pitch + (size_t)x] && mismatches++ < 5)
				fprintf(stderr, "%s: pixel (%d,%d) byte %d: expected %d, got %d\n", path, x / 4, y,
					x % 4, img[(size_t)y * (size_t)pitch + (size_t)x], row[1 + x]);
	}
	CHECK(mismatches == 0, "%s: %d bytes differ from the image written", path, mismatches);
out:
	free(raw);
	free(z);
	free(file);
}

static void round_trip(const char *dir, int w, int h, int pad)
{
	char path[512], err[512] = "";
	int pitch = w * 4 + pad;
	uint8_t *img = make_image(w, h, pitch);
	int rc;

	snprintf(path, sizeof(path), "%s/img-%dx%d.png", dir, w, h);
	CHECK(img != NULL, "out of memory");
	if (!img)
		return;
	rc = pw_png_write(path, img, w, h, pitch, err, sizeof(err));
	CHECK(rc == 0, "pw_png_write(%s, %dx%d, pitch %d): expected 0, got %d: %s", path, w, h, pitch, rc, err);
	if (!rc)
		check_png(path, img, w, h, pitch);
	unlink(path);
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
	round_trip(dir, 37, 11, 0);     /* one block */
	round_trip(dir, 37, 11, 12);    /* padded rows */
	round_trip(dir, 1, 1, 0);       /* the smallest image */
	round_trip(dir, 300, 120, 0);   /* 144,120 bytes: three blocks */
	round_trip(dir, 16383, 1, 0);   /* one row of exactly 65,533 bytes + filter byte */
	round_trip(dir, 16384, 2, 4);   /* rows longer than a block */
	errors(dir);
	rmdir(dir);
	return test_report("test_png");
}
