/* replay_input.h: captured frames as the engine's replay wants them:
 * read through capture/, re-wrapped in Ethernet where the link layer was
 * another one the model can stand in for. */
#ifndef PW_APP_REPLAY_INPUT_H
#define PW_APP_REPLAY_INPUT_H

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

/* pw_replay_next_fn over a capture. */
int replay_input_next(void *ctx, struct pw_replay_frame *f, char *err, size_t errlen);

#endif
