/* zstream.h: a capture file as a stdio stream of its bytes, decompressed
 * on the way when the file is gzip, zstd or lz4.
 *
 * libpcap reads captures from a FILE with fread. A plain regular file is
 * given to it as an ordinary FILE. Anything else (a compressed file, a
 * pipe) is a FILE made with fopencookie over a decoder, whose offsets are
 * those of the decompressed bytes: ftello and fseeko work on it as on the
 * decompressed file, which is what the capture index needs. The cost of a
 * seek there:
 *   - forward: the bytes in between are decompressed and dropped;
 *   - back, gzip: from the nearest restart point before the target (a
 *     copy of zlib's state, ~40 KB: at most 32 of them, every 256 KiB of
 *     output at first, spaced twice as far each time they run out), so
 *     at most 1/16th of the data decompressed so far (256 KiB in a file
 *     of up to 8 MiB);
 *   - back, zstd and lz4: from the start of the file, linear in the
 *     offset (their decoders' state cannot be copied);
 *   - back on a pipe: only inside the last block decoded (128 KiB), else
 *     the seek fails with ESPIPE. A pipe is read once.
 * xz and bzip2 are refused with the command that decompresses them.
 */
#ifndef PW_CAPTURE_ZSTREAM_H
#define PW_CAPTURE_ZSTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pw_zstream;

struct pw_zfile {
	FILE *fp;              /* the bytes, decompressed, from offset 0; fclose frees the rest */
	const char *format;    /* "gzip", "zstd", "lz4", or NULL for bytes read as they are */
	int rereadable;        /* a regular file: going back works and path can be opened again */
	uint8_t head[4];       /* the first bytes of the stream (fp has not moved past them) */
	size_t head_n;         /* how many: below 4 only when the stream is that short */
	struct pw_zstream *z;  /* the decoder behind fp, NULL for an ordinary FILE;
				* valid until fclose(fp) */
};

/*
 * Opens path for reading. 0 with *zf filled, or -1 with a one-line
 * sentence in err naming path: it does not exist or cannot be read, it is
 * a directory, it is compressed in a format not read here (with the
 * command that decompresses it), its compressed start is damaged.
 */
int pw_zopen(const char *path, struct pw_zfile *zf, char *err, size_t errlen);

/*
 * Why the stream behind z last failed, without the file name: "the gzip
 * data is damaged at byte 5123 of the file (invalid block type)", "the
 * zstd data is cut short: the file ends at byte 812 inside a frame". NULL
 * if it has not failed, or a seek back has started it again since.
 */
const char *pw_zstream_error(const struct pw_zstream *z);

#endif
