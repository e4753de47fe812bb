/* replay_input.h: captured frames as the engine's replay wants them:
 * read through capture.h, re-wrapped in Ethernet where the link layer was
 * another one the model can stand in for. trace, verify and the window
 * walk captures through it, and so does the replay fuzzer. */
#ifndef PW_CAPTURE_REPLAY_INPUT_H
#define PW_CAPTURE_REPLAY_INPUT_H

#include <stdint.h>

#include "capture/capture.h"
#include "engine/engine.h"

struct replay_input {
	struct pw_capture *cap;
	uint32_t only;        /* --frame N: just that frame (0: every frame) */
	int done;
	uint8_t buf[65536 + 14];
	char skip[256];
};

/*
 * replay_input_next - pw_replay_next_fn over a capture
 * @ctx: a struct replay_input, zeroed, with cap open (and only set for one frame)
 *
 * Returns 1 with *f filled (a frame of another link type re-wrapped in
 * in->buf, or f->skip saying why it cannot be walked), 0 at the end of the
 * capture, -1 with err filled on a damaged file or a --frame that is not
 * there or does not match the filter.
 */
int replay_input_next(void *ctx, struct pw_replay_frame *f, char *err, size_t errlen);

#endif
