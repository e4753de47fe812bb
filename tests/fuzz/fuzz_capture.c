/* fuzz_capture.c: the capture reader (capture/capture.h) on a whole file.
 *
 * The input is the file. It is opened (with a tcpdump filter one time in
 * four, chosen by the input's size), read to its end or its damage, and
 * then a few frames already read are asked for again by number: each
 * must come back with the same number and bytes as the first time, and
 * the next read after it must be the next frame the filter keeps. The
 * index, the pcapng block skipping and the reopen for several sections
 * are the code that going back runs.
 */
#include <string.h>

#include "capture/capture.h"
#include "fuzz.h"

/* Frames remembered for the way back; later frames are read, not kept. */
#define KEEP 4096

struct seen {
	uint32_t number;
	uint64_t hash;
};

static const char *const filters[] = { "udp", "tcp port 80 or icmp", "arp or (ip[6:2] & 0x3fff != 0)",
				       "vlan and ip" };

static uint64_t frame_hash(const struct pw_frame *f)
{
	uint64_t h = fuzz_hash(FUZZ_HASH_INIT, f->data, f->caplen);

	h = fuzz_hash(h, &f->caplen, sizeof(f->caplen));
	h = fuzz_hash(h, &f->len, sizeof(f->len));
	h = fuzz_hash(h, &f->ts_ns, sizeof(f->ts_ns));
	return fuzz_hash(h, &f->linktype, sizeof(f->linktype));
}

static void check_frame(const struct pw_capture *c, const struct pw_frame *f)
{
	FUZZ_CHECK(f->number >= 1, "frame number %u", f->number);
	FUZZ_CHECK(f->caplen == 0 || f->data != NULL, "frame %u: %u bytes at NULL", f->number, f->caplen);
	FUZZ_CHECK(f->caplen_file >= f->caplen, "frame %u: caplen_file %u below caplen %u", f->number,
		   f->caplen_file, f->caplen);
	FUZZ_CHECK(f->linktype == pw_capture_linktype(c), "frame %u: link type %d, the file's %d", f->number,
		   f->linktype, pw_capture_linktype(c));
	FUZZ_CHECK(f->number <= pw_capture_indexed(c), "frame %u read but only %u indexed", f->number,
		   pw_capture_indexed(c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen seen[KEEP];
	const char *path = fuzz_file(data, size);
	const char *filter = size % 4 == 3 ? filters[(size / 4) % (sizeof(filters) / sizeof(filters[0]))] : NULL;
	char err[1024] = "";
	struct pw_capture *c = pw_capture_open(path, filter, err, sizeof(err));
	struct pw_frame f;
	uint32_t n_seen = 0, last = 0, total = 0;
	int rc, damaged;

	if (!c) {
		FUZZ_CHECK(fuzz_str(err, sizeof(err), "open's error") > 0, "open failed with no sentence");
		return 0;
	}
	while ((rc = pw_capture_next(c, &f, err, sizeof(err))) == 1) {
		check_frame(c, &f);
		FUZZ_CHECK(f.number > last, "frame %u after frame %u", f.number, last);
		FUZZ_CHECK(pw_capture_matches(c, &f), "frame %u read but does not match the filter", f.number);
		last = f.number;
		total++;
		if (n_seen < KEEP)
			seen[n_seen++] = (struct seen){ f.number, frame_hash(&f) };
	}
	damaged = rc < 0;
	if (damaged)
		FUZZ_CHECK(fuzz_str(err, sizeof(err), "next's error") > 0, "damage with no sentence");
	FUZZ_CHECK(rc == 0 || rc == -1, "pw_capture_next returned %d", rc);
	FUZZ_CHECK(pw_capture_indexed(c) >= last, "%u indexed, frame %u read", pw_capture_indexed(c), last);

	/* Past the end: nothing, once the end was reached without damage. */
	if (!damaged) {
		rc = pw_capture_frame(c, pw_capture_indexed(c) + 1, &f, err, sizeof(err));
		FUZZ_CHECK(rc == 0, "frame %u of %u: returned %d (%s)", pw_capture_indexed(c) + 1,
			   pw_capture_indexed(c), rc, rc < 0 ? err : "a frame");
	}
	FUZZ_CHECK(pw_capture_frame(c, 0, &f, err, sizeof(err)) == 0, "frame 0 exists");

	/* Back to a few frames already seen: the last, the first, one the
	 * input picks, and the one after it, in that order (going back and
	 * forth over the index). */
	if (n_seen) {
		uint32_t picks[4] = { n_seen - 1, 0, (uint32_t)(data[size / 2] * 131u) % n_seen, 0 };

		picks[3] = picks[2] + 1 < n_seen ? picks[2] + 1 : picks[2];
		for (int k = 0; k < 4; k++) {
			const struct seen *s = &seen[picks[k]];

			rc = pw_capture_frame(c, s->number, &f, err, sizeof(err));
			FUZZ_CHECK(rc == 1, "going back to frame %u: returned %d (%s)", s->number, rc,
				   rc < 0 ? err : "no frame");
			check_frame(c, &f);
			FUZZ_CHECK(f.number == s->number, "asked for frame %u, got %u", s->number, f.number);
			FUZZ_CHECK(frame_hash(&f) == s->hash, "frame %u read again is not the frame read first",
				   s->number);
			/* The reading goes on after it, with the filter. */
			if (picks[k] + 1 < n_seen && (k == 1 || k == 2)) {
				const struct seen *nx = &seen[picks[k] + 1];

				rc = pw_capture_next(c, &f, err, sizeof(err));
				FUZZ_CHECK(rc == 1, "after going back to frame %u the next read returned %d (%s)",
					   s->number, rc, rc < 0 ? err : "the end");
				FUZZ_CHECK(f.number == nx->number && frame_hash(&f) == nx->hash,
					   "after going back to frame %u the next read is frame %u, not %u", s->number,
					   f.number, nx->number);
			}
		}
	}
	pw_capture_close(c);
	return 0;
}
