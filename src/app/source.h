/* source.h: what a window or a rendered picture shows: a built-in
 * scenario, or a capture walked through the model, as a kept timeline. */
#ifndef PW_APP_SOURCE_H
#define PW_APP_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

struct source_spec {
	struct pw_params params; /* the scenario, or ring sizes and such for a capture */
	const char *capture;     /* a capture's path, or NULL for the scenario */
	char filter[1024];       /* tcpdump filter for the capture */
	uint32_t frame;          /* --frame N, or 0 for every frame */
};

/*
 * Walks the scenario or the capture into a new timeline that keeps every
 * event, and writes a title for it ("scenario tcp", "x.pcap, port 53").
 * NULL with a sentence in err when the capture cannot be read or the run
 * fails.
 */
struct pw_timeline *source_walk(const struct source_spec *spec, char *title, size_t titlelen, char *err,
				size_t errlen);

/* Adds word to the filter (words are joined by spaces); -1 if too long. */
int source_add_filter(struct source_spec *spec, const char *word);

#endif
