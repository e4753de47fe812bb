/* zstream.c: capture files decompressed as they are read (gzip through
 * zlib's inflate, zstd and lz4 through their streaming decoders), and
 * pipes, behind a stdio FILE made with glibc's fopencookie.
 *
 * The cookie keeps the last block of decoded bytes (out[]); stdio's buffer
 * over it is the same size. Offsets are those of the decompressed bytes:
 * out_start is where out[] begins in them, out_pos the stream's position
 * inside it. A seek inside the block is a copy; past it, the decoder runs
 * on; before it, the decoder is restored from a restart point and runs on
 * to the target.
 *
 * The blocks of a regular file are aligned: each but the last holds
 * exactly OUT_SIZE bytes, so out_start is a multiple of OUT_SIZE. This is
 * for glibc, whose fseeko on a cookie FILE always seeks to the target
 * rounded down to a multiple of the buffer size and reads up from there
 * (libio's _IO_file_seekoff, with the position forced unknown by
 * _IO_cookie_seekoff): with aligned blocks that rounded offset is in the
 * block holding the target, and a seek forward never turns into a seek
 * back. (Unbuffered would avoid the rounding, but glibc then reads a
 * cookie one byte per call.) A pipe's blocks are whatever has arrived, so
 * that a live capture is handed on as it comes; a pipe does not seek.
 *
 * gzip goes through inflate rather than gzread to take restart points:
 * inflateCopy() of the state (window included) between two blocks of
 * output, with the compressed offset it had reached. A file of several
 * gzip members (cat a.gz b.gz) is read as one stream; bytes after the
 * last member that do not start another are ignored, as gzip -d does.
 */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "capture/zstream.h"

#define IN_SIZE (64 * 1024)    /* compressed bytes read at a time */
#define OUT_SIZE (128 * 1024)  /* decoded block, and stdio's buffer over it: a power of two */
#define READ_BUFFER (256 * 1024) /* stdio's buffer for an ordinary FILE */
#define CP_MAX 32              /* gzip restart points kept */
#define CP_FIRST (256 * 1024)  /* ... the first this many decoded bytes apart */

enum format { F_PLAIN, F_GZIP, F_ZSTD, F_LZ4 };
static const char *const format_names[] = { NULL, "gzip", "zstd", "lz4" };

/* Allocated one by one and never moved: zlib's state points back to its
 * z_stream and refuses (inflateCopy, inflateEnd) one that has moved. */
struct checkpoint {
	uint64_t in_off;  /* compressed offset the state had consumed up to */
	uint64_t out_off; /* decoded offset it had produced up to */
	z_stream s;
};

struct pw_zstream {
	int fd;
	enum format fmt;
	int rereadable;
	int failed;        /* the decoder stopped on damage: reads fail until a seek back */
	int ended;         /* the decoded data ends at out_start + out_len */
	char why[256];

	/* Compressed input: in[in_pos..in_len) not consumed yet; in[0] is
	 * at offset in_off of the file. */
	uint8_t in[IN_SIZE];
	size_t in_pos, in_len;
	uint64_t in_off;
	int in_eof;

	uint8_t out[OUT_SIZE];
	size_t out_pos, out_len;
	uint64_t out_start;

	z_stream gz;
	int gz_live;       /* gz holds an inflate state */
	int gz_between;    /* a member has ended; another may follow */
	struct checkpoint *cp[CP_MAX];
	unsigned n_cp;
	uint64_t cp_every;

	ZSTD_DStream *zs;
	size_t zs_hint;    /* 0: the last frame ended there */
	LZ4F_dctx *lz;
	size_t lz_hint;
};

/* ---- compressed input ---- */

/* Moves the unread input to the front and reads more after it. 1, 0 at
 * the end of the file, -1 (why set) on a read error. */
static int raw_more(struct pw_zstream *z)
{
	ssize_t r;

	if (z->in_pos > 0) {
		memmove(z->in, z->in + z->in_pos, z->in_len - z->in_pos);
		z->in_off += z->in_pos;
		z->in_len -= z->in_pos;
		z->in_pos = 0;
	}
	if (z->in_len == sizeof(z->in))
		return 1;
	do
		r = read(z->fd, z->in + z->in_len, sizeof(z->in) - z->in_len);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(z->why, sizeof(z->why), "cannot read byte %llu of the file: %s",
			 (unsigned long long)(z->in_off + z->in_len), strerror(errno));
		return -1;
	}
	if (r == 0) {
		z->in_eof = 1;
		return 0;
	}
	z->in_len += (size_t)r;
	return 1;
}

static int raw_rewind(struct pw_zstream *z, uint64_t off)
{
	if (lseek(z->fd, (off_t)off, SEEK_SET) < 0) {
		snprintf(z->why, sizeof(z->why), "cannot go back to byte %llu of the file: %s",
			 (unsigned long long)off, strerror(errno));
		z->failed = 1;
		return -1;
	}
	z->in_off = off;
	z->in_pos = z->in_len = 0;
	z->in_eof = 0;
	return 0;
}

static uint64_t consumed(const struct pw_zstream *z)
{
	return z->in_off + z->in_pos;
}

static void damaged(struct pw_zstream *z, const char *reason)
{
	snprintf(z->why, sizeof(z->why), "the %s data is damaged at byte %llu of the file (%s)",
		 format_names[z->fmt], (unsigned long long)consumed(z), reason);
	z->failed = 1;
}

static void cut_short(struct pw_zstream *z)
{
	snprintf(z->why, sizeof(z->why), "the %s data is cut short: the file ends at byte %llu, inside %s",
		 format_names[z->fmt], (unsigned long long)consumed(z),
		 z->fmt == F_GZIP ? "a gzip member" : "a frame");
	z->failed = 1;
}

/* Whether a fill that has produced this much may wait for more input: a
 * regular file's fill goes on to a whole block; a pipe's hands on what
 * has arrived. */
static int may_wait(const struct pw_zstream *z, size_t produced)
{
	return !produced || z->rereadable;
}

/* The input for a decoder step. 1 with input, 0 at the end of the file
 * (or a pipe that may not wait), -1 on a read error (failed set). */
static int need_input(struct pw_zstream *z, size_t produced)
{
	int r;

	if (z->in_pos < z->in_len)
		return 1;
	if (z->in_eof || !may_wait(z, produced))
		return 0;
	r = raw_more(z);
	if (r < 0)
		z->failed = 1;
	return r;
}

/* ---- decoders: each fills out[0..n) as far as it can and returns the
 * bytes produced, setting ended at the end of the data or failed (with
 * why) on damage. Fewer than n bytes: one of those, or the input of a
 * pipe ran dry after some output. ---- */

static size_t fill_plain(struct pw_zstream *z, uint8_t *out, size_t n)
{
	size_t k = z->in_len - z->in_pos;
	ssize_t r;

	if (k) {
		k = k < n ? k : n;
		memcpy(out, z->in + z->in_pos, k);
		z->in_pos += k;
		return k;
	}
	do
		r = read(z->fd, out, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(z->why, sizeof(z->why), "cannot read the file: %s", strerror(errno));
		z->failed = 1;
		return 0;
	}
	if (r == 0)
		z->ended = 1;
	return (size_t)r;
}

static size_t fill_gzip(struct pw_zstream *z, uint8_t *out, size_t n)
{
	z_stream *s = &z->gz;
	size_t produced = 0;

	while (produced < n) {
		size_t in_before, out_before;
		int rc;

		if (z->gz_between) {
			/* Another member, or the end. */
			while (z->in_len - z->in_pos < 2 && !z->in_eof && may_wait(z, produced))
				if (raw_more(z) < 0) {
					z->failed = 1;
					return produced;
				}
			if (z->in_len - z->in_pos < 2 && !z->in_eof)
				break; /* a pipe: look again at the next fill */
			if (z->in_len - z->in_pos < 2 || z->in[z->in_pos] != 0x1f || z->in[z->in_pos + 1] != 0x8b) {
				z->ended = 1;
				break;
			}
			inflateReset(s);
			z->gz_between = 0;
		}
		rc = need_input(z, produced);
		if (rc < 0)
			break;
		s->next_in = z->in + z->in_pos;
		s->avail_in = (uInt)(z->in_len - z->in_pos);
		s->next_out = out + produced;
		s->avail_out = (uInt)(n - produced);
		in_before = s->avail_in;
		out_before = s->avail_out;
		rc = inflate(s, Z_NO_FLUSH);
		z->in_pos += in_before - s->avail_in;
		produced += out_before - s->avail_out;
		if (rc == Z_STREAM_END) {
			z->gz_between = 1;
			continue;
		}
		if (rc == Z_OK || rc == Z_BUF_ERROR) {
			if (s->avail_in == in_before && s->avail_out == out_before) {
				/* No progress: input is needed. */
				if (z->in_eof) {
					cut_short(z);
					break;
				}
				if (!may_wait(z, produced))
					break;
			}
			continue;
		}
		damaged(z, rc == Z_NEED_DICT ? "it needs a preset dictionary"
			   : rc == Z_MEM_ERROR ? "out of memory"
			   : s->msg ? s->msg : zError(rc));
		break;
	}
	return produced;
}

static size_t fill_zstd(struct pw_zstream *z, uint8_t *out, size_t n)
{
	ZSTD_outBuffer ob = { out, n, 0 };

	while (ob.pos < ob.size) {
		ZSTD_inBuffer ib;
		size_t before = ob.pos, r;
		int rc = need_input(z, ob.pos);

		if (rc < 0)
			break;
		if (rc == 0 && (z->zs_hint == 0 || !z->in_eof)) {
			/* The end, right after a frame; or a pipe's input ran dry. */
			if (z->in_eof)
				z->ended = 1;
			break;
		}
		ib.src = z->in + z->in_pos;
		ib.size = z->in_len - z->in_pos;
		ib.pos = 0;
		r = ZSTD_decompressStream(z->zs, &ob, &ib);
		z->in_pos += ib.pos;
		if (ZSTD_isError(r)) {
			damaged(z, ZSTD_getErrorName(r));
			break;
		}
		z->zs_hint = r;
		if (ib.pos == 0 && ob.pos == before) {
			/* Nothing moved: the file ended inside a frame (with
			 * input left, zstd always takes or gives something). */
			if (z->in_eof && z->in_pos == z->in_len && r != 0)
				cut_short(z);
			else if (z->in_pos < z->in_len)
				damaged(z, "the decoder made no progress");
			break;
		}
	}
	return ob.pos;
}

static size_t fill_lz4(struct pw_zstream *z, uint8_t *out, size_t n)
{
	size_t produced = 0;

	while (produced < n) {
		size_t dst = n - produced, src, r;
		int rc = need_input(z, produced);

		if (rc < 0)
			break;
		if (rc == 0 && (z->lz_hint == 0 || !z->in_eof)) {
			if (z->in_eof)
				z->ended = 1;
			break;
		}
		src = z->in_len - z->in_pos;
		r = LZ4F_decompress(z->lz, out + produced, &dst, z->in + z->in_pos, &src, NULL);
		z->in_pos += src;
		produced += dst;
		if (LZ4F_isError(r)) {
			damaged(z, LZ4F_getErrorName(r));
			break;
		}
		z->lz_hint = r;
		if (src == 0 && dst == 0) {
			if (z->in_eof && z->in_pos == z->in_len && r != 0)
				cut_short(z);
			else if (z->in_pos < z->in_len)
				damaged(z, "the decoder made no progress");
			break;
		}
	}
	return produced;
}

static size_t fill(struct pw_zstream *z, uint8_t *out, size_t n)
{
	switch (z->fmt) {
	case F_GZIP:
		return fill_gzip(z, out, n);
	case F_ZSTD:
		return fill_zstd(z, out, n);
	case F_LZ4:
		return fill_lz4(z, out, n);
	default:
		return fill_plain(z, out, n);
	}
}

/* ---- gzip restart points ---- */

/* Keeps a copy of the inflate state at the end of out[] if the last one
 * is cp_every bytes behind. When all CP_MAX are taken, every other one
 * goes and the spacing doubles: memory stays bounded (CP_MAX copies), and
 * a seek back decodes at most 2/CP_MAX of what has been decoded. */
static void checkpoint(struct pw_zstream *z)
{
	uint64_t at = z->out_start + z->out_len;
	struct checkpoint *c;

	if (z->fmt != F_GZIP || !z->rereadable || z->failed || z->ended || z->gz_between)
		return;
	if (at < (z->n_cp ? z->cp[z->n_cp - 1]->out_off : 0) + z->cp_every)
		return;
	if (z->n_cp == CP_MAX) {
		for (unsigned i = 0; i < CP_MAX / 2; i++) {
			inflateEnd(&z->cp[2 * i]->s);
			free(z->cp[2 * i]);
			z->cp[i] = z->cp[2 * i + 1];
		}
		z->n_cp = CP_MAX / 2;
		z->cp_every *= 2;
		if (at < z->cp[z->n_cp - 1]->out_off + z->cp_every)
			return;
	}
	/* Without it (out of memory), going back starts further back. */
	c = malloc(sizeof(*c));
	if (!c)
		return;
	if (inflateCopy(&c->s, &z->gz) != Z_OK) {
		free(c);
		return;
	}
	c->in_off = consumed(z);
	c->out_off = at;
	z->cp[z->n_cp++] = c;
}

/* Puts the decoder back to a point at or before decoded offset target,
 * with out[] empty there. 0, or -1 with why set. */
static int rewind_to(struct pw_zstream *z, uint64_t target)
{
	struct checkpoint *best = NULL;
	uint64_t in_off = 0, out_off = 0;

	for (unsigned i = 0; i < z->n_cp && z->cp[i]->out_off <= target; i++)
		best = z->cp[i];
	if (best) {
		in_off = best->in_off;
		out_off = best->out_off;
	}
	if (raw_rewind(z, in_off))
		return -1;
	switch (z->fmt) {
	case F_GZIP:
		if (z->gz_live)
			inflateEnd(&z->gz);
		z->gz_live = (best ? inflateCopy(&z->gz, &best->s) : inflateInit2(&z->gz, 16 + MAX_WBITS)) == Z_OK;
		if (!z->gz_live) {
			snprintf(z->why, sizeof(z->why), "out of memory for the gzip decoder");
			z->failed = 1;
			return -1;
		}
		z->gz_between = 0;
		break;
	case F_ZSTD:
		ZSTD_DCtx_reset(z->zs, ZSTD_reset_session_only);
		z->zs_hint = 1;
		break;
	case F_LZ4:
		LZ4F_resetDecompressionContext(z->lz);
		z->lz_hint = 1;
		break;
	default:
		break;
	}
	z->out_start = out_off;
	z->out_pos = z->out_len = 0;
	z->failed = z->ended = 0;
	z->why[0] = '\0';
	return 0;
}

/* Drops out[] and decodes the next block. Bytes in it, 0 at the end, -1 on
 * damage (why set). */
static long refill(struct pw_zstream *z)
{
	z->out_start += z->out_len;
	z->out_pos = z->out_len = 0;
	if (z->ended)
		return 0;
	if (z->failed)
		return -1;
	/* A decoder gives nothing without ending or failing only in a step
	 * that moved its input along; a few steps settle it. */
	for (int tries = 0; z->out_len == 0 && !z->ended && !z->failed; tries++) {
		if (tries == 8) {
			damaged(z, "the decoder makes no progress");
			break;
		}
		z->out_len = fill(z, z->out, sizeof(z->out));
	}
	checkpoint(z);
	if (z->out_len == 0 && z->failed)
		return -1;
	return (long)z->out_len;
}

/* ---- the cookie ---- */

static ssize_t z_read(void *cookie, char *buf, size_t n)
{
	struct pw_zstream *z = cookie;
	size_t done = 0;

	while (done < n) {
		size_t k;

		if (z->out_pos == z->out_len) {
			long r = refill(z);

			if (r < 0) {
				if (done)
					break; /* the error comes with the next read */
				errno = EIO;
				return -1;
			}
			if (r == 0)
				break;
		}
		k = z->out_len - z->out_pos;
		k = k < n - done ? k : n - done;
		memcpy(buf + done, z->out + z->out_pos, k);
		z->out_pos += k;
		done += k;
	}
	return (ssize_t)done;
}

static int z_seek(void *cookie, off64_t *offset, int whence)
{
	struct pw_zstream *z = cookie;
	uint64_t pos = z->out_start + z->out_pos, target;

	if (whence == SEEK_SET && *offset >= 0) {
		target = (uint64_t)*offset;
	} else if (whence == SEEK_CUR && (*offset >= 0 || (uint64_t)-*offset <= pos)) {
		target = pos + (uint64_t)*offset;
	} else {
		/* SEEK_END would need the decoded size: not offered. */
		errno = EINVAL;
		return -1;
	}
	if (target < z->out_start) {
		if (!z->rereadable) {
			errno = ESPIPE;
			return -1;
		}
		if (rewind_to(z, target)) {
			errno = EIO;
			return -1;
		}
	} else if (target > z->out_start + z->out_len && z->n_cp &&
		   z->cp[z->n_cp - 1]->out_off > z->out_start + z->out_len) {
		/* Far ahead, into data decoded before: a restart point between
		 * here and there saves decoding the way. */
		unsigned i = z->n_cp;

		while (i > 0 && z->cp[i - 1]->out_off > target)
			i--;
		if (i > 0 && z->cp[i - 1]->out_off > z->out_start + z->out_len && rewind_to(z, target)) {
			errno = EIO;
			return -1;
		}
	}
	while (target > z->out_start + z->out_len) {
		long r = refill(z);

		if (r <= 0) {
			/* Past the end (nothing seeks there), or damage. */
			errno = r == 0 ? EINVAL : EIO;
			return -1;
		}
	}
	z->out_pos = (size_t)(target - z->out_start);
	*offset = (off64_t)target;
	return 0;
}

static void zstream_free(struct pw_zstream *z)
{
	if (z->gz_live)
		inflateEnd(&z->gz);
	for (unsigned i = 0; i < z->n_cp; i++) {
		inflateEnd(&z->cp[i]->s);
		free(z->cp[i]);
	}
	ZSTD_freeDStream(z->zs);
	if (z->lz)
		LZ4F_freeDecompressionContext(z->lz);
	if (z->fd >= 0)
		close(z->fd);
	free(z);
}

static int z_close(void *cookie)
{
	zstream_free(cookie);
	return 0;
}

/* ---- opening ---- */

/* Formats read here, and those refused with the command that undoes them. */
static enum format format_of(const uint8_t *m, size_t n, const char **refused, const char **tool)
{
	*refused = NULL;
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return F_GZIP;
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return F_ZSTD;
	if (n >= 4 && m[0] == 0x04 && m[1] == 0x22 && m[2] == 0x4d && m[3] == 0x18)
		return F_LZ4;
	if (n >= 4 && m[0] == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X') {
		*refused = "xz";
		*tool = "unxz -k";
	} else if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
		*refused = "bzip2";
		*tool = "bunzip2 -k";
	} else if (n >= 4 && m[0] == 0x02 && m[1] == 0x21 && m[2] == 0x4c && m[3] == 0x18) {
		/* lz4's legacy format, which its frame decoder does not read. */
		*refused = "lz4 (legacy format)";
		*tool = "unlz4";
	}
	return F_PLAIN;
}

static const cookie_io_functions_t z_functions = {
	.read = z_read,
	.seek = z_seek,
	.close = z_close,
};

static int open_decoder(struct pw_zstream *z)
{
	switch (z->fmt) {
	case F_GZIP:
		z->gz_live = inflateInit2(&z->gz, 16 + MAX_WBITS) == Z_OK;
		z->cp_every = CP_FIRST;
		return z->gz_live ? 0 : -1;
	case F_ZSTD:
		z->zs = ZSTD_createDStream();
		z->zs_hint = 1;
		return z->zs && !ZSTD_isError(ZSTD_initDStream(z->zs)) ? 0 : -1;
	case F_LZ4:
		z->lz_hint = 1;
		return LZ4F_isError(LZ4F_createDecompressionContext(&z->lz, LZ4F_VERSION)) ? -1 : 0;
	default:
		return 0;
	}
}

int pw_zopen(const char *path, struct pw_zfile *zf, char *err, size_t errlen)
{
	struct pw_zstream *z;
	const char *refused, *tool = "";
	struct stat st;
	int fd;

	memset(zf, 0, sizeof(*zf));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* Linux opens a directory for reading; reading it would fail. */
	if (fstat(fd, &st) || (S_ISDIR(st.st_mode) && (errno = EISDIR))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	z = calloc(1, sizeof(*z));
	if (!z) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	z->fd = fd;
	z->rereadable = S_ISREG(st.st_mode);
	/* The magic, read (not peeked: a pipe cannot seek back to it). */
	while (z->in_len < 4 && !z->in_eof) {
		if (raw_more(z) < 0) {
			snprintf(err, errlen, "%s: %s", path, z->why);
			zstream_free(z);
			return -1;
		}
	}
	z->fmt = format_of(z->in, z->in_len, &refused, &tool);
	if (refused) {
		snprintf(err, errlen, "%s: compressed with %s; decompress it first (%s %s)", path, refused, tool, path);
		zstream_free(z);
		return -1;
	}
	if (z->fmt == F_PLAIN && z->rereadable) {
		/* An ordinary FILE: nothing to decode, seeks are the kernel's. */
		zf->head_n = z->in_len < sizeof(zf->head) ? z->in_len : sizeof(zf->head);
		memcpy(zf->head, z->in, zf->head_n);
		zf->rereadable = 1;
		if (lseek(fd, 0, SEEK_SET) < 0 || !(zf->fp = fdopen(fd, "rb"))) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			zstream_free(z);
			return -1;
		}
		z->fd = -1;
		zstream_free(z);
		/* Before any read, as setvbuf requires: few read calls for
		 * many small records. */
		setvbuf(zf->fp, NULL, _IOFBF, READ_BUFFER);
		return 0;
	}
	if (open_decoder(z)) {
		snprintf(err, errlen, "%s: out of memory for the %s decoder", path, format_names[z->fmt]);
		zstream_free(z);
		return -1;
	}
	/* The first block, for the head: a pipe may hand it over in pieces. */
	while (z->out_len < sizeof(zf->head) && !z->ended && !z->failed)
		z->out_len += fill(z, z->out + z->out_len, sizeof(z->out) - z->out_len);
	if (z->failed && z->out_len < sizeof(zf->head)) {
		snprintf(err, errlen, "%s: %s", path, z->why);
		zstream_free(z);
		return -1;
	}
	checkpoint(z);
	zf->fp = fopencookie(z, "r", z_functions);
	if (!zf->fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		zstream_free(z);
		return -1;
	}
	/* The size of a block (see the top of the file). */
	setvbuf(zf->fp, NULL, _IOFBF, OUT_SIZE);
	zf->head_n = z->out_len < sizeof(zf->head) ? z->out_len : sizeof(zf->head);
	memcpy(zf->head, z->out, zf->head_n);
	zf->format = format_names[z->fmt];
	zf->rereadable = z->rereadable;
	zf->z = z;
	return 0;
}

const char *pw_zstream_error(const struct pw_zstream *z)
{
	return z && z->failed && z->why[0] ? z->why : NULL;
}
