/* capture.h: reading capture files (pcap and pcapng, through libpcap),
 * compressed or not (gzip, zstd, lz4, read as tshark reads them), from a
 * file or a pipe.
 *
 * A capture is opened once and read forwards; an index of frame offsets,
 * built as frames are read, lets a reader go back to any frame already
 * seen without keeping the frames themselves (in a compressed file, the
 * offsets are in the decompressed data and going back decompresses again
 * from a restart point: see zstream.h; a pipe cannot go back). Nothing
 * here aborts or prints: every problem comes back as a sentence naming
 * the file and, where there is one, the frame.
 */
#ifndef PW_CAPTURE_CAPTURE_H
#define PW_CAPTURE_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/* LINKTYPE_* values (www.tcpdump.org/linktypes.html) the dissector reads. */
#define PW_LINKTYPE_NULL 0
#define PW_LINKTYPE_ETHERNET 1
#define PW_LINKTYPE_RAW 101
#define PW_LINKTYPE_LOOP 108
#define PW_LINKTYPE_LINUX_SLL 113
#define PW_LINKTYPE_IPV4 228
#define PW_LINKTYPE_LINUX_SLL2 276

struct pw_frame {
	uint32_t number;      /* 1-based position in the file, counted before any filter */
	uint64_t ts_ns;       /* timestamp, nanoseconds since the epoch */
	int linktype;         /* LINKTYPE_* of the interface the frame was captured on */
	uint32_t caplen;      /* bytes in data */
	uint32_t len;         /* bytes on the wire */
	uint32_t caplen_file; /* captured length the record claims: above caplen when it
			       * passes the file's snapshot length, where libpcap keeps
			       * the first caplen bytes and skips the rest (pcap only;
			       * libpcap refuses such pcapng records as damage) */
	const uint8_t *data;  /* valid until the next call on the capture */
};

struct pw_capture;

/*
 * Opens path. filter, if not NULL or empty, is a pcap-filter expression
 * (tcpdump's syntax) that selects frames. Returns NULL with a one-line
 * sentence in err naming the file and the reason: it does not exist, it is
 * a directory, it is not a capture (bad magic, before or after
 * decompression), it is compressed with xz or bzip2 (say so and how to
 * decompress), its compressed data is damaged from the start, the filter
 * does not compile (libpcap's message). A pipe (FIFO) blocks here until
 * its writer opens it, as any reader of a FIFO does.
 */
struct pw_capture *pw_capture_open(const char *path, const char *filter, char *err, size_t errlen);
/* Closes and frees. Accepts NULL. */
void pw_capture_close(struct pw_capture *c);

/* The link type of the file's first interface. */
int pw_capture_linktype(const struct pw_capture *c);

/*
 * The next frame that passes the filter: 1 with *f filled, 0 at the end of
 * the file, -1 when the file is damaged (cut in the middle of a record, a
 * record length that lies, compressed data damaged or cut short): err
 * then names the file and the frame number, and the frames read before
 * stay valid.
 */
int pw_capture_next(struct pw_capture *c, struct pw_frame *f, char *err, size_t errlen);

/*
 * Frame number n (1-based, as pw_frame.number), whether or not it passes
 * the filter: 1 with *f filled, 0 if the file has fewer frames, -1 on a
 * damaged file, or a frame already passed in a pipe. Uses the index for
 * frames already passed (constant time in an uncompressed file; in a
 * compressed one, the decompression from a restart point, see zstream.h),
 * reads forward otherwise. After it, pw_capture_next continues after n.
 * (A pcapng file of several sections, concatenated files, is reopened and
 * read forward to go back: linear in n, see capture.c.)
 */
int pw_capture_frame(struct pw_capture *c, uint32_t n, struct pw_frame *f, char *err, size_t errlen);

/* 1 if f, the frame last read, passes the capture's filter (or there is none). */
int pw_capture_matches(const struct pw_capture *c, const struct pw_frame *f);

/* Frames indexed so far (all of them once the end has been reached). */
uint32_t pw_capture_indexed(const struct pw_capture *c);

#endif
