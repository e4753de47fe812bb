/* png.c: an RGBA image as a compressed PNG file.
 *
 * Pictures of the view are mostly flat panels and the same few colours of
 * text, which deflate shrinks sixty-fold: a 1920x1080 render takes about
 * 130 KB rather than the 8 MB of its pixels, small enough to keep a
 * numbered sequence of steps for slides, or screenshots in the repository
 * without recompressing them first.
 *
 * The rows go to deflate one at a time straight from the caller's image,
 * and its output leaves as an IDAT chunk each time a 32 KiB buffer fills,
 * so no copy of the image is made: beyond the image, writing a 3840x2160
 * picture needs deflate's own state (about 256 KiB) and that buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define ZLIB_CONST
#include <zlib.h>

#include "view/png.h"

/*
 * Level 6, zlib's default. On a 1920x1080 render level 1 makes the file
 * half as large again in half the time, and level 9 saves another 9% in
 * three and a half times the time: 6 is where the curve bends.
 */
#define PNG_ZLEVEL 6

/* The most deflate output one IDAT carries. Readers join the chunks, so
 * the size only trades memory against 12 bytes of chunk framing. */
#define PNG_IDAT_MAX 32768u

struct png_out {
	FILE *f;
	int failed;            /* a write failed (errno_saved) or deflate did (zerr) */
	int errno_saved;
	const char *zerr;
	z_stream z;            /* its next_out points into idat */
	uint8_t idat[PNG_IDAT_MAX];
};

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
	errno = 0; /* so a short write without a reason reads as EIO */
	if (fwrite(p, 1, n, o->f) != n) {
		o->failed = 1;
		o->errno_saved = errno ? errno : EIO;
	}
}

/*
 * A chunk is its length, its type, its data and the CRC-32 of type and
 * data (zlib's crc32 is the same ISO 3309 CRC). n is at most PNG_IDAT_MAX,
 * well inside the uInt crc32 takes.
 */
static void out_chunk(struct png_out *o, const char type[4], const uint8_t *data, uInt n)
{
	uint8_t b[4];
	uLong crc = crc32(0, (const Bytef *)type, 4);

	if (n)
		crc = crc32(crc, data, n);
	put_be32(b, n);
	out_raw(o, b, 4);
	out_raw(o, type, 4);
	out_raw(o, data, n);
	put_be32(b, (uint32_t)crc);
	out_raw(o, b, 4);
}

/* Writes what deflate has put in the buffer as one IDAT and empties it. */
static void idat_flush(struct png_out *o)
{
	out_chunk(o, "IDAT", o->idat, PNG_IDAT_MAX - o->z.avail_out);
	o->z.next_out = o->idat;
	o->z.avail_out = PNG_IDAT_MAX;
}

/*
 * Runs deflate until it has taken all of its input (Z_NO_FLUSH) or ended
 * the stream (Z_FINISH), writing an IDAT whenever the buffer fills and the
 * last, shorter one at the end. With room in the buffer on every call,
 * deflate can only answer Z_OK or Z_STREAM_END; anything else is a fault.
 */
static void z_pump(struct png_out *o, int flush)
{
	int rc;

	do {
		rc = deflate(&o->z, flush);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			o->failed = 1;
			o->zerr = o->z.msg ? o->z.msg : zError(rc);
			return;
		}
		if (!o->z.avail_out || rc == Z_STREAM_END)
			idat_flush(o);
	} while (!o->failed && (flush == Z_FINISH ? rc != Z_STREAM_END : o->z.avail_in > 0));
}

static void z_feed(struct png_out *o, const uint8_t *p, uInt n)
{
	o->z.next_in = p;
	o->z.avail_in = n;
	z_pump(o, Z_NO_FLUSH);
}

/*
 * The image data: each row is a filter byte and the row's pixels.
 *
 * Every row uses filter 0 (None). Filters turn smooth gradients into small
 * numbers, and the view has almost none: its panels are flat and its text
 * repeats the same glyphs, repeats deflate finds best in the pixels as they
 * are. On the tcp scenario's step 40 at 1920x1080, level 6, None gave
 * 131 KB; Up 159 KB, Sub 165 KB, Paeth 158 KB, and libpng's per-row choice
 * (least sum of absolute differences over all five) 154 KB at a pass per
 * filter. Other steps and projection mode rank the same; only past 8126
 * pixels, where a row no longer fits in deflate's 32 KiB window, does Up
 * win, by 4% at 8192. None also needs no buffer: each row goes to deflate
 * from the image itself.
 */
static void write_rows(struct png_out *o, const uint8_t *rgba, int w, int h, int pitch)
{
	static const uint8_t filter_none = 0;

	for (int y = 0; y < h && !o->failed; y++) {
		z_feed(o, &filter_none, 1);
		z_feed(o, rgba + (size_t)y * (size_t)pitch, (uInt)w * 4);
	}
	if (!o->failed)
		z_pump(o, Z_FINISH);
}

static void write_header(struct png_out *o, int w, int h)
{
	static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint8_t ihdr[13];

	out_raw(o, signature, sizeof(signature));
	put_be32(ihdr, (uint32_t)w);
	put_be32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;   /* bits per sample */
	ihdr[9] = 6;   /* colour type: truecolour with alpha */
	ihdr[10] = 0;  /* compression: deflate */
	ihdr[11] = 0;  /* filter method 0 (each row names its filter) */
	ihdr[12] = 0;  /* no interlace */
	out_chunk(o, "IHDR", ihdr, sizeof(ihdr));
}

/* Closes the file, keeping the first failure: a full disk often shows only
 * when the last buffered bytes are flushed. */
static void out_close(struct png_out *o)
{
	errno = 0;
	if (fflush(o->f) && !o->failed) {
		o->failed = 1;
		o->errno_saved = errno ? errno : EIO;
	}
	if (fclose(o->f) && !o->failed) {
		o->failed = 1;
		o->errno_saved = errno ? errno : EIO;
	}
}

int pw_png_write(const char *path, const uint8_t *rgba, int w, int h, int pitch, char *err, size_t errlen)
{
	struct png_out o;
	struct stat st;
	int regular, rc;

	if (!rgba || w <= 0 || h <= 0 || w > (0x7fffffff - 1) / 4 || pitch < w * 4) {
		snprintf(err, errlen, "%s: cannot write a %dx%d image with a row pitch of %d bytes", path, w, h,
			 pitch);
		return -1;
	}
	memset(&o, 0, sizeof(o));
	/* Before the file is created, so running out of memory leaves none. */
	rc = deflateInit(&o.z, PNG_ZLEVEL);
	if (rc != Z_OK) {
		snprintf(err, errlen, "cannot compress %s: %s", path, o.z.msg ? o.z.msg : zError(rc));
		return -1;
	}
	o.z.next_out = o.idat;
	o.z.avail_out = PNG_IDAT_MAX;

	errno = 0;
	o.f = fopen(path, "wb");
	if (!o.f) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		deflateEnd(&o.z);
		return -1;
	}
	regular = !fstat(fileno(o.f), &st) && S_ISREG(st.st_mode);

	write_header(&o, w, h);
	write_rows(&o, rgba, w, h, pitch);
	out_chunk(&o, "IEND", NULL, 0);
	out_close(&o);
	deflateEnd(&o.z);

	if (o.failed) {
		/* A half-written PNG is worse than none: a viewer would show a
		 * truncated picture without saying so. Only a regular file is
		 * removed: the path may name a device or a pipe. */
		if (regular)
			remove(path);
		if (o.zerr)
			snprintf(err, errlen, "cannot compress %s: %s", path, o.zerr);
		else
			snprintf(err, errlen, "write failed on %s: %s", path, strerror(o.errno_saved));
		return -1;
	}
	return 0;
}
