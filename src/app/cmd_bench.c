/* cmd_bench.c: `packetwalk bench engine`, the engine's speed and memory
 * (`bench render` is in cmd_render.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "app/cli.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void bench_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk bench engine [--frames N] [--keep-timeline]\n"
		"       packetwalk bench render [OPTIONS]   (see packetwalk bench render --help)\n"
		"\n"
		"Walks N full-size TCP segments (1448-byte payload) from A's send() to B's recv(), through\n"
		"every layer of both hosts, on one core, and prints one JSON object: frames (segments\n"
		"delivered), wire_frames, events, seconds, frames_per_s, events_per_s, peak_rss_kb and\n"
		"timeline_bytes. Without --keep-timeline the events are counted, not stored.\n"
		"  --frames N           segments to walk (default 200000)\n");
}

int cmd_bench(int argc, char **argv)
{
	struct pw_params p;
	struct pw_result res;
	struct pw_timeline *tl;
	uint32_t frames = 200000;
	int keep = 0, rc;
	char err[512];
	double t0, t1;
	size_t mem;

	if (argc >= 2 && !strcmp(argv[1], "render"))
		return cmd_bench_render(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "engine")) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			bench_help(stdout);
			return 0;
		}
		fprintf(stderr, "packetwalk bench: say what to measure: 'packetwalk bench engine' or "
				"'packetwalk bench render'\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--keep-timeline")) {
			keep = 1;
		} else if (!strcmp(argv[i], "--frames") && i + 1 < argc) {
			unsigned long long v;

			if (parse_number(argv[++i], 10000000, &v) || !v) {
				fprintf(stderr, "packetwalk bench: --frames '%s' must be a number from 1 to 10000000\n",
					argv[i]);
				return 2;
			}
			frames = (uint32_t)v;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			bench_help(stdout);
			return 0;
		} else {
			fprintf(stderr, "packetwalk bench: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	pw_params_defaults(&p, "bulk");
	p.count = frames;
	p.payload = 1448;
	tl = pw_timeline_create(keep);
	if (!tl) {
		fprintf(stderr, "packetwalk bench: out of memory\n");
		return 1;
	}
	t0 = now_s();
	rc = pw_engine_run(&p, tl, NULL, NULL, &res, err, sizeof(err));
	t1 = now_s();
	mem = pw_timeline_memory(tl);
	pw_timeline_destroy(tl);
	if (rc) {
		fprintf(stderr, "packetwalk bench: %s\n", err);
		return 1;
	}
	printf("{\"bench\":\"engine\",\"keep_timeline\":%s,\"frames\":%u,\"wire_frames\":%u,\"events\":%llu,"
	       "\"seconds\":%.4f,\"frames_per_s\":%.0f,\"events_per_s\":%.0f,\"peak_rss_kb\":%ld,"
	       "\"timeline_bytes\":%zu}\n",
	       keep ? "true" : "false", res.segments, res.frames, (unsigned long long)res.events, t1 - t0,
	       res.segments / (t1 - t0), (double)res.events / (t1 - t0), peak_rss_kb(), mem);
	return 0;
}
