/* source.c: building the timeline a window or a picture shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/source.h"
#include "capture/replay_input.h"

int source_add_filter(struct source_spec *spec, const char *word)
{
	size_t used = strlen(spec->filter);

	if (used + strlen(word) + 2 > sizeof(spec->filter))
		return -1;
	if (used)
		strcat(spec->filter, " ");
	strcat(spec->filter, word);
	return 0;
}

struct pw_timeline *source_walk(const struct source_spec *spec, char *title, size_t titlelen, char *err,
				size_t errlen)
{
	struct pw_timeline *tl = pw_timeline_create(1);
	struct pw_result res;
	int rc;

	if (!tl) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (spec->capture) {
		struct replay_input *in = calloc(1, sizeof(*in));
		struct pw_replay r = { .next = replay_input_next };
		struct pw_params p = spec->params;
		const char *base = strrchr(spec->capture, '/');

		p.scenario = NULL;
		if (in)
			in->cap = pw_capture_open(spec->capture, spec->filter, err, errlen);
		if (!in || !in->cap) {
			if (!in)
				snprintf(err, errlen, "out of memory");
			free(in);
			pw_timeline_destroy(tl);
			return NULL;
		}
		in->only = spec->frame;
		r.next_ctx = in;
		rc = pw_engine_replay(&p, &r, tl, &res, err, errlen);
		pw_capture_close(in->cap);
		free(in);
		/* A window or a picture of two idle hosts would say nothing;
		 * say why instead (--frame N reports its own misses). */
		if (!rc && !res.walked) {
			if (spec->filter[0])
				snprintf(err, errlen, "no frame of %s matches the filter '%s'", spec->capture, spec->filter);
			else
				snprintf(err, errlen, "%s holds no frames", spec->capture);
			rc = -1;
		}
		snprintf(title, titlelen, "%s%s%s%s", base ? base + 1 : spec->capture, spec->filter[0] ? ", " : "",
			 spec->filter, spec->frame ? " (one frame)" : "");
	} else {
		rc = pw_engine_run(&spec->params, tl, NULL, NULL, &res, err, errlen);
		snprintf(title, titlelen, "scenario %s", spec->params.scenario);
	}
	if (!rc && res.live_skbs) {
		snprintf(err, errlen, "internal error: %u skbs were never freed", res.live_skbs);
		rc = -1;
	}
	if (rc) {
		pw_timeline_destroy(tl);
		return NULL;
	}
	return tl;
}
