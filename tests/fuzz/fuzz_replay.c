/* fuzz_replay.c: `packetwalk trace -r FILE` and `verify -r FILE` as one
 * library call.
 *
 * The input is the capture file. It goes the way trace takes it:
 * pw_capture_open, replay_input_next (re-wrapping other link types in
 * Ethernet), pw_engine_replay into a timeline that keeps every event and
 * is read and reset after each frame, as trace prints and forgets; the
 * frames on the model's wire are read as --pcap-out would write them,
 * and each rebuilt frame is compared with the captured one as verify
 * does. One input in five walks just one frame, as --frame N does.
 *
 * Checked: every event names things that exist (its host, context,
 * layer, op, tracepoint, drop reason and queue within their lists, its
 * strings readable, its skb bytes readable), every frame on the wire is
 * readable, a frame not rebuilt says why, and at the end no skb is left
 * alive (res.live_skbs, which trace reports as an internal error).
 */
#include <stdlib.h>
#include <string.h>

#include "capture/replay_input.h"
#include "fuzz.h"
#include "proto/dissect.h"
#include "proto/fields.h"
#include "timeline/timeline.h"

static volatile uint64_t sink; /* what the reads add up to, so that none is left out */

static void check_events(void *ctx, struct pw_timeline *tl)
{
	for (size_t i = 0; i < pw_timeline_count(tl); i++) {
		const struct pw_event *e = pw_timeline_event(tl, i);
		const uint8_t *bytes;
		uint32_t len;

		FUZZ_CHECK(e != NULL, "event %zu of %zu is NULL", i, pw_timeline_count(tl));
		FUZZ_CHECK(e->host < PW_HOSTS && e->skb_host < PW_HOSTS, "event %u: host %u", e->i, e->host);
		FUZZ_CHECK(e->ctx < PW_CTX_COUNT && e->layer < PW_LAYER_COUNT && e->op < PW_OP_COUNT &&
				   e->tp < PW_TP_COUNT && e->drop < PW_DROP_COUNT,
			   "event %u: a name out of its list", e->i);
		FUZZ_CHECK(e->queue >= -1 && e->queue < PW_Q_COUNT, "event %u: queue %d", e->i, e->queue);
		fuzz_str(e->func, 256, "event func");
		fuzz_str(e->src, 256, "event src");
		fuzz_str(e->text, 65536, "event text");
		bytes = pw_timeline_bytes(tl, e, &len);
		if (e->skb.id) {
			FUZZ_CHECK(e->skb.data <= e->skb.tail && e->skb.tail <= e->skb.end,
				   "event %u: skb %u data %d tail %d end %d", e->i, e->skb.id, e->skb.data, e->skb.tail,
				   e->skb.end);
			if (len)
				sink += fuzz_hash(FUZZ_HASH_INIT, bytes, len);
		}
		FUZZ_CHECK(pw_timeline_occupancy(tl, e, 0) && pw_timeline_occupancy(tl, e, 1),
			   "event %u: no occupancy", e->i);
	}
	pw_timeline_reset(tl);
}

static void on_wire(void *ctx, const struct pw_wire_frame *f)
{
	FUZZ_CHECK(f->len > 0 && f->bytes, "wire frame %u: %u bytes at %p", f->number, f->len, (const void *)f->bytes);
	FUZZ_CHECK(f->from_host == 0 || f->from_host == 1, "wire frame %u from host %d", f->number, f->from_host);
	sink += fuzz_hash(FUZZ_HASH_INIT, f->bytes, f->len);
}

/* verify's comparison (cmd_verify.c): the packet's bytes, and the field
 * of the first that differs. */
static void on_rebuilt(void *ctx, const struct pw_replay_frame *f, const uint8_t *rebuilt, uint32_t len,
		       const char *why_not)
{
	struct pw_dissection d;
	uint32_t end;

	if (!rebuilt) {
		fuzz_str(why_not, 4096, "why a frame was not rebuilt");
		return;
	}
	FUZZ_CHECK(len > 0, "frame %u rebuilt into 0 bytes", f->number);
	pw_dissect(PW_LINKTYPE_ETHERNET, f->bytes, f->caplen, f->len, &d);
	end = (d.have & PW_HAVE_ARP) ? d.l3_off + ARP_HLEN : d.l3_off + d.ip.tot_len;
	if (end > f->caplen)
		end = f->caplen;
	for (uint32_t i = 0; i < end && i < len; i++)
		if (rebuilt[i] != f->bytes[i]) {
			fuzz_str(pw_field_at(&d, i), 64, "field name");
			break;
		}
	sink += fuzz_hash(FUZZ_HASH_INIT, rebuilt, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct replay_input in; /* 64 KiB: once, not per input */
	const char *path = fuzz_file(data, size);
	struct pw_replay r = { .next = replay_input_next, .next_ctx = &in, .frame_fn = on_wire,
			       .rebuilt_fn = on_rebuilt, .frame_done = check_events };
	struct pw_params p;
	struct pw_result res;
	struct pw_timeline *tl;
	char err[1024] = "";
	int rc;

	memset(&in, 0, sizeof(in));
	in.cap = pw_capture_open(path, NULL, err, sizeof(err));
	if (!in.cap)
		return 0;
	in.only = size % 5 == 4 ? 1 + (uint32_t)(size / 5) % 3 : 0;
	pw_params_defaults(&p, NULL);
	tl = pw_timeline_create(1);
	FUZZ_CHECK(tl != NULL, "no memory for a timeline");
	memset(&res, 0, sizeof(res));
	rc = pw_engine_replay(&p, &r, tl, &res, err, sizeof(err));
	check_events(NULL, tl);
	if (rc)
		FUZZ_CHECK(fuzz_str(err, sizeof(err), "replay's error") > 0, "replay failed with no sentence");
	FUZZ_CHECK(res.live_skbs == 0, "%u skbs were never freed", res.live_skbs);
	FUZZ_CHECK(res.unsupported <= res.walked, "%u frames not walked of %u read", res.unsupported, res.walked);
	pw_timeline_destroy(tl);
	pw_capture_close(in.cap);
	return 0;
}
