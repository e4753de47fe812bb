/* test_replay.c: the model's own frames, replayed, must be rebuilt byte
 * for byte by the same send path; and a replay walks each frame up to the
 * receiver's socket without the receiver answering. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "test.h"

#define MAX_FRAMES 256

struct frames {
	uint32_t n, next;
	uint8_t *bytes[MAX_FRAMES];
	uint32_t len[MAX_FRAMES];
	/* what the replay saw */
	uint32_t identical, different, unsupported, rebuilt;
	char why[256];
};

static void keep_frame(void *ctx, const struct pw_wire_frame *f)
{
	struct frames *fs = ctx;

	if (fs->n == MAX_FRAMES)
		return;
	fs->bytes[fs->n] = malloc(f->len);
	memcpy(fs->bytes[fs->n], f->bytes, f->len);
	fs->len[fs->n++] = f->len;
}

static int next_frame(void *ctx, struct pw_replay_frame *f, char *err, size_t errlen)
{
	struct frames *fs = ctx;

	(void)err;
	(void)errlen;
	if (fs->next == fs->n)
		return 0;
	memset(f, 0, sizeof(*f));
	f->number = fs->next + 1;
	f->bytes = fs->bytes[fs->next];
	f->caplen = f->len = fs->len[fs->next];
	fs->next++;
	return 1;
}

static void on_rebuilt(void *ctx, const struct pw_replay_frame *f, const uint8_t *rebuilt, uint32_t len,
		       const char *why)
{
	struct frames *fs = ctx;

	fs->rebuilt++;
	if (!rebuilt) {
		fs->unsupported++;
		snprintf(fs->why, sizeof(fs->why), "frame %u: %s", f->number, why);
		return;
	}
	if (len == f->caplen && !memcmp(rebuilt, f->bytes, len))
		fs->identical++;
	else {
		fs->different++;
		for (uint32_t i = 0; i < len && i < f->caplen; i++)
			if (rebuilt[i] != f->bytes[i]) {
				snprintf(fs->why, sizeof(fs->why), "frame %u differs at byte %u: 0x%02x, rebuilt 0x%02x",
					 f->number, i, f->bytes[i], rebuilt[i]);
				break;
			}
	}
}

static void replay_scenario(const char *name, uint32_t expect_frames)
{
	struct pw_params p;
	struct pw_result res;
	struct frames fs;
	struct pw_timeline *tl = pw_timeline_create(1);
	struct pw_replay r = { .next = next_frame, .next_ctx = &fs, .rebuilt_fn = on_rebuilt, .rebuilt_ctx = &fs };
	char err[256] = "";
	int rc;

	memset(&fs, 0, sizeof(fs));
	pw_params_defaults(&p, name);
	rc = pw_engine_run(&p, tl, keep_frame, &fs, &res, err, sizeof(err));
	CHECK(rc == 0, "%s: %s", name, err);
	CHECK(fs.n == expect_frames, "%s: %u frames on the wire, expected %u", name, fs.n, expect_frames);
	pw_timeline_destroy(tl);

	tl = pw_timeline_create(1);
	pw_params_defaults(&p, NULL);
	rc = pw_engine_replay(&p, &r, tl, &res, err, sizeof(err));
	CHECK(rc == 0, "replay of %s: %s", name, err);
	CHECK(fs.rebuilt == fs.n, "%s: %u frames reported, %u replayed", name, fs.rebuilt, fs.n);
	CHECK(fs.identical == fs.n, "%s: %u of %u frames rebuilt identical (%u different, %u not rebuilt; %s)", name,
	      fs.identical, fs.n, fs.different, fs.unsupported, fs.why);
	CHECK(res.live_skbs == 0, "%s replay leaked %u skbs", name, res.live_skbs);
	/* The receiver only listens: the wire carries exactly the captured frames. */
	CHECK(res.frames == fs.n, "%s replay: %u frames on the model's wire for %u captured", name, res.frames, fs.n);
	pw_timeline_destroy(tl);
	for (uint32_t i = 0; i < fs.n; i++)
		free(fs.bytes[i]);
}

int main(void)
{
	replay_scenario("tcp", 8);
	replay_scenario("udp", 2);
	replay_scenario("ping", 2);
	replay_scenario("arp", 4);
	replay_scenario("noport", 2);
	replay_scenario("frag", 3);
	replay_scenario("burst", 24);
	return test_report("test_replay");
}
