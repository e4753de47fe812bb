/* cmd_render.c: `packetwalk render`, the animated view of one step (or a
 * range of steps) drawn offscreen into PNG files, and `packetwalk bench
 * render`, the view's frame times and memory.
 *
 * Both draw with SDL's software renderer into a surface in memory: no
 * window and no display are needed, so they run on a headless machine,
 * in CI and over ssh, and give the same pixels everywhere. The surface is
 * ARGB8888, the format SDL_ttf's text and the renderer's layer use, so
 * every copy is a straight blit (converted to RGBA only when a PNG is
 * written).
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/lesson_view.h"
#include "app/source.h"
#include "view/png.h"
#include "view/render.h"
#include "view/scene.h"

#ifndef PW_ASSETS_DIR
#define PW_ASSETS_DIR "assets"
#endif

/* Output sizes accepted: a 4K projector fits, a 8192x8192 surface is
 * 256 MiB, which is as far as an offscreen picture should go. */
#define PIC_MIN 16
#define PIC_MAX 8192

/* ------------------------------------------------------------ offscreen */

struct offscreen {
	SDL_Surface *surf;
	SDL_Renderer *ren;
	struct pw_render *r;
	struct pw_scene *sc;
	int w, h;
	int sdl_up, ttf_up;
};

static void offscreen_close(struct offscreen *o)
{
	pw_scene_destroy(o->sc);
	pw_render_destroy(o->r);
	if (o->ren)
		SDL_DestroyRenderer(o->ren);
	if (o->surf)
		SDL_FreeSurface(o->surf);
	if (o->ttf_up)
		TTF_Quit();
	if (o->sdl_up)
		SDL_Quit();
	memset(o, 0, sizeof(*o));
}

/* A w x h software renderer on a surface, with fonts and a scene. Returns
 * 0, or -1 with a sentence in err (o is then closed). */
static int offscreen_open(struct offscreen *o, int w, int h, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->w = w;
	o->h = h;
	/* No subsystem is needed to draw into a surface; SDL_Init(0) only
	 * sets up SDL's bookkeeping, so this works with no display at all. */
	if (SDL_Init(0)) {
		snprintf(err, errlen, "cannot start SDL: %s", SDL_GetError());
		return -1;
	}
	o->sdl_up = 1;
	if (TTF_Init()) {
		snprintf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
		goto fail;
	}
	o->ttf_up = 1;
	o->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!o->surf) {
		snprintf(err, errlen, "cannot make a %dx%d surface: %s", w, h, SDL_GetError());
		goto fail;
	}
	o->ren = SDL_CreateSoftwareRenderer(o->surf);
	if (!o->ren) {
		snprintf(err, errlen, "cannot make a software renderer: %s", SDL_GetError());
		goto fail;
	}
	o->r = pw_render_create(o->ren, PW_ASSETS_DIR "/fonts", err, errlen);
	if (!o->r)
		goto fail;
	o->sc = pw_scene_create();
	if (!o->sc) {
		snprintf(err, errlen, "out of memory for the scene");
		goto fail;
	}
	return 0;
fail:
	offscreen_close(o);
	return -1;
}

/* Sets the ground colour for pw_render_scene. A scene paints every pixel
 * (its first shape is the ground), so a frame of the view needs no clear;
 * frame_clear is the empty frame the benchmark measures against. */
static void frame_ground(struct offscreen *o)
{
	SDL_SetRenderDrawBlendMode(o->ren, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(o->ren, 0, 0, 0, 255);
}

static void frame_clear(struct offscreen *o)
{
	frame_ground(o);
	SDL_RenderClear(o->ren);
}

static void frame_opts(const struct offscreen *o, int projection, const char *title, struct pw_scene_opts *so)
{
	memset(so, 0, sizeof(*so));
	so->w = o->w;
	so->h = o->h;
	so->projection = projection;
	so->speed = 2.0;
	so->hover_x = so->hover_y = -1;
	so->title = title;
	so->measure = pw_render_measure(o->r);
}

/* Writes the surface as a PNG, converting ARGB8888 to the R, G, B, A byte
 * order PNG wants, every pixel opaque. */
static int offscreen_write_png(struct offscreen *o, const char *path, char *err, size_t errlen)
{
	size_t pitch = (size_t)o->w * 4;
	uint8_t *rgba = malloc(pitch * (size_t)o->h);
	int rc;

	if (!rgba) {
		snprintf(err, errlen, "%s: out of memory for a %dx%d image", path, o->w, o->h);
		return -1;
	}
	if (SDL_MUSTLOCK(o->surf))
		SDL_LockSurface(o->surf);
	rc = SDL_ConvertPixels(o->w, o->h, o->surf->format->format, o->surf->pixels, o->surf->pitch,
			       SDL_PIXELFORMAT_RGBA32, rgba, (int)pitch);
	if (SDL_MUSTLOCK(o->surf))
		SDL_UnlockSurface(o->surf);
	if (rc) {
		snprintf(err, errlen, "%s: cannot convert the picture: %s", path, SDL_GetError());
		free(rgba);
		return -1;
	}
	/* The picture is opaque, as the window is; SDL's blending leaves the
	 * alpha of pixels under anti-aliased text a step or two below 255,
	 * which a viewer would show as faintly see-through. */
	for (size_t i = 3; i < pitch * (size_t)o->h; i += 4)
		rgba[i] = 255;
	rc = pw_png_write(path, rgba, o->w, o->h, (int)pitch, err, errlen);
	free(rgba);
	return rc;
}

/* ------------------------------------------------------------- parsing */

/* "WxH" with both from PIC_MIN to PIC_MAX. */
static int parse_size(const char *s, int *w, int *h)
{
	char *end;
	long a, b;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	a = strtol(s, &end, 10);
	if (errno || (*end != 'x' && *end != 'X') || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtol(end + 1, &end, 10);
	if (errno || *end || a < PIC_MIN || a > PIC_MAX || b < PIC_MIN || b > PIC_MAX)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long long v;

	if (parse_number(s, max, &v))
		return -1;
	*out = (unsigned long)v;
	return 0;
}

/* "A..B" with A <= B. */
static int parse_range(const char *s, unsigned long *a, unsigned long *b)
{
	const char *dots = s ? strstr(s, "..") : NULL;
	char first[32];

	if (!dots || (size_t)(dots - s) >= sizeof(first))
		return -1;
	memcpy(first, s, (size_t)(dots - s));
	first[dots - s] = '\0';
	if (parse_ulong(first, 100000000, a) || parse_ulong(dots + 2, 100000000, b) || *a > *b)
		return -1;
	return 0;
}

static int parse_tween(const char *s, float *t)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v >= 0.0 && v <= 1.0))
		return -1;
	*t = (float)v;
	return 0;
}

/* -------------------------------------------------------- the timeline */

/* Takes the options every render subcommand shares: scenario options, -r,
 * --frame and filter words. 1 if argv[*i] was one (consumed), 0 if not,
 * -1 with a sentence in err. */
static int source_option(int argc, char **argv, int *i, struct source_spec *src, char *err, size_t errlen)
{
	int r = scenario_option(argc, argv, i, &src->params, err, errlen);

	if (r)
		return r;
	if (!strcmp(argv[*i], "-r")) {
		if (*i + 1 >= argc) {
			snprintf(err, errlen, "-r needs a capture file");
			return -1;
		}
		src->capture = argv[++*i];
		return 1;
	}
	if (!strcmp(argv[*i], "--frame")) {
		if (parse_frame_option("--frame", *i + 1 < argc ? argv[*i + 1] : NULL, &src->frame, err, errlen))
			return -1;
		*i += 1;
		return 1;
	}
	if (argv[*i][0] != '-') {
		/* The remaining words form the capture filter, as tcpdump takes it. */
		if (source_add_filter(src, argv[*i])) {
			snprintf(err, errlen, "the filter is too long");
			return -1;
		}
		return 1;
	}
	return 0;
}

static int source_check(struct source_spec *src, char *err, size_t errlen)
{
	if ((src->filter[0] || src->frame) && !src->capture) {
		snprintf(err, errlen, "%s needs -r FILE", src->frame ? "--frame" : "a filter expression");
		return -1;
	}
	if (src->capture)
		src->params.scenario = NULL;
	return pw_params_check(&src->params, err, errlen);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* ------------------------------------------------------------- render */

static void render_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk render [SCENARIO OPTIONS] --step N --size WxH -o FILE.png\n"
		"       packetwalk render [SCENARIO OPTIONS] --steps A..B --size WxH -o FILE.png\n"
		"       packetwalk render -r CAPTURE [--frame N] [FILTER] --step N --size WxH -o FILE.png\n"
		"       packetwalk render --lesson FILE --lesson-step N [--answer K] --size WxH -o FILE.png\n"
		"\n"
		"Draws the animated view of a step of the timeline, exactly as the window shows it, into a\n"
		"PNG file. It draws offscreen with SDL's software renderer: no window or display is needed,\n"
		"and the same options give the same pixels. The timeline is built as 'packetwalk trace'\n"
		"builds it, from a scenario or, with -r, from the frames of a capture; with --lesson, from\n"
		"the lesson's own source, drawn at one of its stops as the window plays it.\n"
		"\n"
		"Options:\n"
		"  --step N             the step to draw: its number in the first column of\n"
		"                       'packetwalk trace' with the same options (from 0)\n"
		"  --steps A..B         every step from A to B, one file each: -o out.png gives\n"
		"                       out-0010.png, out-0011.png, ... (the step number, at least four\n"
		"                       digits, after a '-' before the .png; a name without .png gets\n"
		"                       -NNNN.png appended)\n"
		"  --tween T            how far the move into the step has got, 0..1 (default 1: the\n"
		"                       step's final picture; 0: as the previous step left things)\n"
		"  --lesson FILE        draw a stop of a lesson (lessons/*.json): its narration, highlights\n"
		"                       and checkpoint over the step it pauses at\n"
		"  --lesson-step N      with --lesson: the stop to draw, from 1, numbered as the window's\n"
		"                       \"stop N of M\" and 'packetwalk lesson play' number them\n"
		"  --answer K           with --lesson: the stop's checkpoint answered with option K (from 1,\n"
		"                       as the window's keys 1-4), so its explanation shows; checkpoints of\n"
		"                       earlier stops count as answered right\n"
		"  --projection         projection mode: larger type, high contrast\n"
		"  --size WxH           picture size in pixels, %d..%d each (e.g. 1920x1080); the view is\n"
		"                       laid out for 16:9 and letterboxed into other shapes\n"
		"  -o FILE              the PNG file to write (8-bit RGBA)\n"
		"  -r FILE              walk the frames of a capture file (pcap or pcapng, gzip, zstd\n"
		"                       or lz4 compressed or not) instead\n"
		"  --frame N            with -r: walk only frame N\n"
		"  FILTER               with -r: a tcpdump filter expression\n"
		"  -h, --help           this text\n"
		"\n",
		PIC_MIN, PIC_MAX);
	scenario_options_help(out);
	fprintf(out,
		"\n"
		"Exit status: 0 success; 1 the run failed, a lesson has a problem (listed) or a file could\n"
		"not be written (the message names it); 2 bad options, including a step past the end of\n"
		"the timeline or of the lesson and an answer its checkpoint does not have.\n");
}

/* The file for one step of --steps: see render_help. */
static int step_path(char *buf, size_t len, const char *out, size_t step)
{
	size_t n = strlen(out);
	int k;

	if (n >= 4 && !strcasecmp(out + n - 4, ".png"))
		k = snprintf(buf, len, "%.*s-%04zu.png", (int)(n - 4), out, step);
	else
		k = snprintf(buf, len, "%s-%04zu.png", out, step);
	return k < 0 || (size_t)k >= len ? -1 : 0;
}

/* A lesson's stop to draw (--lesson). */
struct render_lesson {
	const char *file;
	unsigned long step, answer; /* from 1; 0 when not given */
	struct pw_lesson *l;
	struct pw_scene_lesson ls;
	struct pw_scene_highlight hl[LESSON_VIEW_MAX_HL];
};

/*
 * Loads the lesson, walks its source into *tl and fills rl->ls as the
 * window shows stop rl->step having answered the earlier checkpoints
 * right and this one with rl->answer; *event is the timeline step the
 * stop pauses at. 0, or the exit status after a message (rl->l is then
 * freed).
 */
static int lesson_stop(struct render_lesson *rl, struct pw_timeline **tl, unsigned long *event)
{
	struct lesson_view_state st = { .chosen = -1 };
	const struct pw_lesson_step *s;
	size_t n;
	int rc = 2; /* a bad value, unless the lesson itself is at fault */
	char err[1024];

	rl->l = pw_lesson_load(rl->file);
	if (!rl->l) {
		fprintf(stderr, "packetwalk render: out of memory\n");
		return 1;
	}
	*tl = lesson_view_walk(rl->l, err, sizeof(err));
	if (!*tl) {
		/* Every problem found, as 'packetwalk lesson check' lists them. */
		if (!pw_lesson_error_count(rl->l))
			fprintf(stderr, "packetwalk render: %s\n", err);
		for (size_t i = 0; i < pw_lesson_error_count(rl->l); i++)
			fprintf(stderr, "%s\n", pw_lesson_error(rl->l, i));
		rc = 1;
		goto fail;
	}
	n = pw_lesson_step_count(rl->l);
	if (rl->step > n) {
		fprintf(stderr, "packetwalk render: --lesson-step %lu is past the end of the lesson: it has %zu step%s, "
				"1 to %zu\n", rl->step, n, n == 1 ? "" : "s", n);
		goto fail;
	}
	s = pw_lesson_step(rl->l, rl->step - 1);
	if (rl->answer && !s->question) {
		char with[256] = "";
		size_t k = 0;

		for (size_t i = 0; i < n && k + 16 < sizeof(with); i++)
			if (pw_lesson_step(rl->l, i)->question)
				k += (size_t)snprintf(with + k, sizeof(with) - k, "%s%zu", k ? ", " : "", i + 1);
		fprintf(stderr, "packetwalk render: --answer: stop %lu of the lesson has no checkpoint (%s%s)\n", rl->step,
			k ? "the stops with one: " : "the lesson has none", with);
		goto fail;
	}
	if (rl->answer && rl->answer > (unsigned long)s->question->n_options) {
		fprintf(stderr, "packetwalk render: --answer %lu: the checkpoint at stop %lu has %d options, 1 to %d\n",
			rl->answer, rl->step, s->question->n_options, s->question->n_options);
		goto fail;
	}
	st.step = rl->step - 1;
	for (size_t i = 0; i < st.step; i++)
		if (pw_lesson_step(rl->l, i)->question)
			st.asked++, st.score++;
	if (rl->answer) {
		st.chosen = (int)rl->answer - 1;
		st.asked++;
		st.score += st.chosen == s->question->answer;
	}
	lesson_view_fill(rl->l, &st, rl->hl, &rl->ls);
	*event = (unsigned long)s->event;
	return 0;
fail:
	pw_timeline_destroy(*tl);
	*tl = NULL;
	pw_lesson_free(rl->l);
	rl->l = NULL;
	return rc;
}

int cmd_render(int argc, char **argv)
{
	struct source_spec src;
	char title[1200];
	struct offscreen off;
	struct pw_timeline *tl;
	struct pw_scene_opts so;
	const char *out = NULL;
	unsigned long a = 0, b = 0;
	int have_step = 0, have_steps = 0, have_source = 0, projection = 0, w = 0, h = 0, rc = 0;
	float tween = 1.0f;
	char err[8192], path[4096];
	size_t n;
	struct render_lesson rl;

	memset(&rl, 0, sizeof(rl));

	memset(&src, 0, sizeof(src));
	scenario_defaults(argc, argv, &src.params);
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int r;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			render_help(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--step")) {
			if (parse_ulong(val, 100000000, &a)) {
				fprintf(stderr, "packetwalk render: --step needs a step number from 0 (got '%s')\n",
					val ? val : "");
				return 2;
			}
			b = a;
			have_step = 1;
			i++;
		} else if (!strcmp(argv[i], "--steps")) {
			if (parse_range(val, &a, &b)) {
				fprintf(stderr, "packetwalk render: --steps needs a range A..B of step numbers with A <= B "
						"(got '%s')\n", val ? val : "");
				return 2;
			}
			have_steps = 1;
			i++;
		} else if (!strcmp(argv[i], "--tween")) {
			if (parse_tween(val, &tween)) {
				fprintf(stderr, "packetwalk render: --tween needs a number from 0 to 1 (got '%s')\n",
					val ? val : "");
				return 2;
			}
			i++;
		} else if (!strcmp(argv[i], "--size")) {
			if (parse_size(val, &w, &h)) {
				fprintf(stderr, "packetwalk render: --size needs WxH with each from %d to %d, e.g. 1920x1080 "
						"(got '%s')\n", PIC_MIN, PIC_MAX, val ? val : "");
				return 2;
			}
			i++;
		} else if (!strcmp(argv[i], "-o")) {
			if (!val || !*val) {
				fprintf(stderr, "packetwalk render: -o needs a file name\n");
				return 2;
			}
			out = val;
			i++;
		} else if (!strcmp(argv[i], "--projection")) {
			projection = 1;
		} else if (!strcmp(argv[i], "--lesson")) {
			if (!val || !*val) {
				fprintf(stderr, "packetwalk render: --lesson needs a lesson file\n");
				return 2;
			}
			rl.file = val;
			i++;
		} else if (!strcmp(argv[i], "--lesson-step")) {
			if (parse_ulong(val, 100000000, &rl.step) || !rl.step) {
				fprintf(stderr, "packetwalk render: --lesson-step needs a stop number from 1, as the window's "
						"\"stop N of M\" (got '%s')\n", val ? val : "");
				return 2;
			}
			i++;
		} else if (!strcmp(argv[i], "--answer")) {
			if (parse_ulong(val, 100, &rl.answer) || !rl.answer) {
				fprintf(stderr, "packetwalk render: --answer needs an option number from 1, as the window's keys "
						"1-4 (got '%s')\n", val ? val : "");
				return 2;
			}
			i++;
		} else if ((r = source_option(argc, argv, &i, &src, err, sizeof(err))) != 0) {
			if (r < 0) {
				fprintf(stderr, "packetwalk render: %s\n", err);
				return 2;
			}
			have_source = 1;
		} else {
			fprintf(stderr, "packetwalk render: unknown option '%s' (see packetwalk render --help)\n", argv[i]);
			return 2;
		}
	}
	if (rl.file || rl.step || rl.answer) {
		if (!rl.file) {
			fprintf(stderr, "packetwalk render: --lesson-step and --answer need --lesson FILE\n");
			return 2;
		}
		if (have_step || have_steps) {
			fprintf(stderr, "packetwalk render: --lesson draws a stop of the lesson: give --lesson-step N, "
					"not --step or --steps\n");
			return 2;
		}
		if (!rl.step) {
			fprintf(stderr, "packetwalk render: say which stop of the lesson to draw: --lesson-step N (from 1)\n");
			return 2;
		}
		if (have_source) {
			fprintf(stderr, "packetwalk render: --lesson walks the lesson's own source: leave out the scenario "
					"options, -r, --frame and the filter\n");
			return 2;
		}
	} else if (have_step == have_steps) {
		fprintf(stderr, "packetwalk render: say which step to draw: --step N or --steps A..B (one of them)\n");
		return 2;
	}
	if (!w) {
		fprintf(stderr, "packetwalk render: say how large the picture is: --size WxH (e.g. 1920x1080)\n");
		return 2;
	}
	if (!out) {
		fprintf(stderr, "packetwalk render: say where to write the picture: -o FILE.png\n");
		return 2;
	}
	if (!rl.file && source_check(&src, err, sizeof(err))) {
		fprintf(stderr, "packetwalk render: %s\n", err);
		return 2;
	}

	if (rl.file) {
		rc = lesson_stop(&rl, &tl, &a);
		if (rc)
			return rc;
		b = a;
	} else {
		tl = source_walk(&src, title, sizeof(title), err, sizeof(err));
		if (!tl) {
			fprintf(stderr, "packetwalk render: %s\n", err);
			return 1;
		}
	}
	n = pw_timeline_count(tl);
	if (b >= n) {
		if (n)
			fprintf(stderr, "packetwalk render: step %lu is past the end of the timeline: it has %zu steps, "
					"0 to %zu\n", b, n, n - 1);
		else
			fprintf(stderr, "packetwalk render: the timeline is empty: no step to draw\n");
		pw_timeline_destroy(tl);
		pw_lesson_free(rl.l);
		return 2;
	}
	if (offscreen_open(&off, w, h, err, sizeof(err))) {
		fprintf(stderr, "packetwalk render: %s\n", err);
		pw_timeline_destroy(tl);
		pw_lesson_free(rl.l);
		return 1;
	}
	if (rl.l) {
		/* The window's title in a lesson is the lesson's. */
		frame_opts(&off, projection, pw_lesson_title(rl.l), &so);
		so.lesson = &rl.ls;
	} else {
		frame_opts(&off, projection, src.capture ? base_name(src.capture) : src.params.scenario, &so);
	}
	for (unsigned long s = a; s <= b; s++) {
		const char *file = out;

		if (have_steps) {
			if (step_path(path, sizeof(path), out, s)) {
				fprintf(stderr, "packetwalk render: the file name %s is too long\n", out);
				rc = 2;
				break;
			}
			file = path;
		}
		frame_ground(&off);
		pw_scene_build(off.sc, tl, s, tween, &so);
		pw_render_scene(off.r, off.sc);
		SDL_RenderFlush(off.ren);
		if (offscreen_write_png(&off, file, err, sizeof(err))) {
			fprintf(stderr, "packetwalk render: %s\n", err);
			rc = 1;
			break;
		}
	}
	offscreen_close(&off);
	pw_timeline_destroy(tl);
	pw_lesson_free(rl.l);
	return rc;
}

/* -------------------------------------------------------- bench render */

#define STEP_FRAMES 30   /* frames per step: a tween of half a second at 60 fps */
#define BENCH_SPAN 64    /* steps the benchmark cycles through */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Resident memory in KiB, from /proc/self/statm (0 where there is none). */
static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = 0;
	fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of v[0..n), which gets sorted. */
static double percentile(double *v, size_t n, double p)
{
	size_t k;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	k = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

/*
 * The busiest step: a full-size frame in the hex pane (an skb of 1400
 * bytes or more with its mac header set) and as many packets as possible
 * waiting in the qdisc bands and the TX ring of either host.
 */
static size_t busiest_step(const struct pw_timeline *tl)
{
	size_t n = pw_timeline_count(tl), best = 0;
	long best_score = -1;

	for (size_t i = 0; i < n; i++) {
		const struct pw_event *e = pw_timeline_event(tl, i);
		long score = e->skb.id && e->skb.len >= 1400 && e->skb.mac >= 0 ? 100000 : 0;

		for (int hst = 0; hst < PW_HOSTS; hst++) {
			const struct pw_occupancy *o = pw_timeline_occupancy(tl, e, hst);

			if (!o)
				continue;
			score += o->len[PW_Q_QDISC_BAND0] + o->len[PW_Q_QDISC_BAND0 + 1] + o->len[PW_Q_QDISC_BAND0 + 2];
			score += o->len[PW_Q_TX_RING];
		}
		if (score > best_score) {
			best_score = score;
			best = i;
		}
	}
	return best;
}

static void bench_render_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk bench render [--size WxH] [--frames N] [--projection] [SCENARIO OPTIONS]\n"
		"\n"
		"Draws N frames of the animated view offscreen with SDL's software renderer and prints one\n"
		"JSON object with the frame times. By default the scenario is burst with 1472-byte\n"
		"datagrams: the benchmark starts at the busiest step (a full-size frame in the hex pane,\n"
		"the qdisc and the TX ring as full as they get) and cycles through the %d steps from there,\n"
		"moving to the next step every %d frames and tweening in between\n"
		"(tween = (frame %% %d + 1) / %d). A frame is what the window does: pw_scene_build,\n"
		"pw_render_scene (which paints every pixel, so nothing is cleared first), SDL_RenderFlush,\n"
		"timed with CLOCK_MONOTONIC. An empty frame (clear and flush only) is timed as many times\n"
		"at the same size, in the same run, as the yardstick.\n"
		"\n"
		"  --size WxH           frame size (default 1920x1080)\n"
		"  --frames N           frames to draw, 1..10000000 (default 3000)\n"
		"  --projection         projection mode\n"
		"\n"
		"JSON keys: bench, size, frames, scenario, step (the first step drawn), shapes (in that step's\n"
		"scene), p50_ms, p95_ms, p99_ms (tween frames: the step did not change), step_p99_ms and\n"
		"step_p50_ms (frames where the step changed; the very first frame, with empty caches, is left\n"
		"out and given as first_frame_ms), empty_p50_ms, empty_p99_ms; the parts of a frame as medians:\n"
		"build_p50_ms, draw_p50_ms (tween frames), step_build_p50_ms, step_draw_p50_ms,\n"
		"layer_ms_per_step (drawing the static layer, text included) and text_ms_per_step (rendering\n"
		"new strings); text_misses, text_evictions, layer_builds, texts_cached, text_cache_kb,\n"
		"heap_trims (times freed heap memory was handed back);\n"
		"rss_kb: resident memory (/proc/self/statm) after 100, 1000, 3000, 10000... frames and at the\n"
		"end; rss_growth_kb: after the run minus after the first 100 frames.\n",
		BENCH_SPAN, STEP_FRAMES, STEP_FRAMES, STEP_FRAMES);
}

int cmd_bench_render(int argc, char **argv)
{
	struct pw_params *p;
	struct source_spec src;
	char title[1200];
	struct offscreen off;
	struct pw_timeline *tl;
	struct pw_scene_opts so;
	struct pw_render_stats st;
	unsigned long frames = 3000;
	int w = 1920, h = 1080, projection = 0, named = 0;
	size_t n, first, lo, span, nstep = 0, ntween = 0, shapes = 0;
	double *tw, *tw_build, *tw_draw, *ts, *ts_build, *ts_draw, *te, first_ms = 0;
	long rss_100 = 0, rss_end;
	/* Resident memory at these frame counts, to show where it levels. */
	static const unsigned long marks[] = { 100, 1000, 3000, 10000, 30000, 100000, 300000, 1000000 };
	long rss_at[sizeof(marks) / sizeof(marks[0])];
	size_t nmarks = 0;
	char err[1024];

	memset(&src, 0, sizeof(src));
	p = &src.params;
	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--scenario") || !strcmp(argv[i], "-s"))
			named = 1;
	if (named) {
		scenario_defaults(argc, argv, p);
	} else {
		pw_params_defaults(p, "burst");
		p->payload = 1472;
	}
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		int r;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			bench_render_help(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--size")) {
			if (parse_size(val, &w, &h)) {
				fprintf(stderr, "packetwalk bench render: --size needs WxH with each from %d to %d (got '%s')\n",
					PIC_MIN, PIC_MAX, val ? val : "");
				return 2;
			}
			i++;
		} else if (!strcmp(argv[i], "--frames")) {
			if (parse_ulong(val, 10000000, &frames) || !frames) {
				fprintf(stderr, "packetwalk bench render: --frames needs a number from 1 to 10000000 (got '%s')\n",
					val ? val : "");
				return 2;
			}
			i++;
		} else if (!strcmp(argv[i], "--projection")) {
			projection = 1;
		} else if ((r = scenario_option(argc, argv, &i, p, err, sizeof(err))) != 0) {
			if (r < 0) {
				fprintf(stderr, "packetwalk bench render: %s\n", err);
				return 2;
			}
		} else {
			fprintf(stderr, "packetwalk bench render: unknown option '%s' (see packetwalk bench render --help)\n",
				argv[i]);
			return 2;
		}
	}
	if (pw_params_check(p, err, sizeof(err))) {
		fprintf(stderr, "packetwalk bench render: %s\n", err);
		return 2;
	}

	tl = source_walk(&src, title, sizeof(title), err, sizeof(err));
	if (!tl) {
		fprintf(stderr, "packetwalk bench render: %s\n", err);
		return 1;
	}
	n = pw_timeline_count(tl);
	if (!n) {
		fprintf(stderr, "packetwalk bench render: the scenario produced no steps\n");
		pw_timeline_destroy(tl);
		return 1;
	}
	first = busiest_step(tl);
	span = n < BENCH_SPAN ? n : BENCH_SPAN;
	lo = first + span > n ? n - span : first;

	/* Every sample array is allocated and touched before the run, so the
	 * memory measured afterwards is the renderer's, not the benchmark's. */
	tw = malloc(7 * (size_t)frames * sizeof(double));
	if (!tw) {
		fprintf(stderr, "packetwalk bench render: out of memory for %lu samples\n", frames);
		pw_timeline_destroy(tl);
		return 1;
	}
	/* Written, not zeroed: the compiler may drop a memset of 0 after an
	 * allocation and leave the pages untouched until the run fills them. */
	for (size_t k = 0; k < 7 * (size_t)frames; k++)
		tw[k] = -1.0;
	tw_build = tw + frames;
	tw_draw = tw_build + frames;
	ts = tw_draw + frames;
	ts_build = ts + frames;
	ts_draw = ts_build + frames;
	te = ts_draw + frames;

	if (offscreen_open(&off, w, h, err, sizeof(err))) {
		fprintf(stderr, "packetwalk bench render: %s\n", err);
		free(tw);
		pw_timeline_destroy(tl);
		return 1;
	}
	frame_opts(&off, projection, p->scenario, &so);

	/* The yardstick first: what a frame costs that draws nothing. */
	for (unsigned long f = 0; f < frames; f++) {
		double t0 = now_ms();

		frame_clear(&off);
		SDL_RenderFlush(off.ren);
		te[f] = now_ms() - t0;
	}

	for (unsigned long f = 0; f < frames; f++) {
		size_t step = lo + (size_t)(f / STEP_FRAMES) % span;
		float tween = (float)(f % STEP_FRAMES + 1) / STEP_FRAMES;
		double t0, t1, t2, t3;

		t0 = now_ms();
		frame_ground(&off);
		t1 = now_ms();
		pw_scene_build(off.sc, tl, step, tween, &so);
		t2 = now_ms();
		pw_render_scene(off.r, off.sc);
		SDL_RenderFlush(off.ren);
		t3 = now_ms();
		if (f == 0) {
			first_ms = t3 - t0;
			shapes = pw_scene_count(off.sc);
		} else if (f % STEP_FRAMES == 0) {
			ts[nstep] = t3 - t0;
			ts_build[nstep] = t2 - t1;
			ts_draw[nstep] = t3 - t2;
			nstep++;
		} else {
			tw[ntween] = t3 - t0;
			tw_build[ntween] = t2 - t1;
			tw_draw[ntween] = t3 - t2;
			ntween++;
		}
		if (f + 1 == 100 || (frames < 100 && f + 1 == frames))
			rss_100 = rss_kb();
		if (nmarks < sizeof(marks) / sizeof(marks[0]) && f + 1 == marks[nmarks])
			rss_at[nmarks++] = rss_kb();
	}
	rss_end = rss_kb();
	pw_render_get_stats(off.r, &st);

	printf("{\"bench\":\"render\",\"size\":\"%dx%d\",\"frames\":%lu,\"scenario\":\"%s\",\"step\":%zu,\"shapes\":%zu,",
	       w, h, frames, p->scenario, first, shapes);
	printf("\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"p99_ms\":%.3f,", percentile(tw, ntween, 50),
	       percentile(tw, ntween, 95), percentile(tw, ntween, 99));
	printf("\"step_p50_ms\":%.3f,\"step_p99_ms\":%.3f,\"first_frame_ms\":%.3f,", percentile(ts, nstep, 50),
	       percentile(ts, nstep, 99), first_ms);
	printf("\"empty_p50_ms\":%.3f,\"empty_p99_ms\":%.3f,", percentile(te, frames, 50), percentile(te, frames, 99));
	printf("\"build_p50_ms\":%.3f,\"draw_p50_ms\":%.3f,\"step_build_p50_ms\":%.3f,"
	       "\"step_draw_p50_ms\":%.3f,",
	       percentile(tw_build, ntween, 50), percentile(tw_draw, ntween, 50),
	       percentile(ts_build, nstep, 50), percentile(ts_draw, nstep, 50));
	printf("\"layer_ms_per_step\":%.3f,\"text_ms_per_step\":%.3f,\"layer_builds\":%zu,\"text_misses\":%zu,"
	       "\"text_evictions\":%zu,\"texts_cached\":%zu,\"text_cache_kb\":%zu,\"heap_trims\":%zu,",
	       st.layer_builds ? st.layer_ms / (double)st.layer_builds : 0.0,
	       st.layer_builds ? st.text_ms / (double)st.layer_builds : 0.0, st.layer_builds, st.text_misses,
	       st.text_evictions, st.texts_cached, st.text_bytes / 1024, st.heap_trims);
	printf("\"rss_kb\":{");
	for (size_t k = 0; k < nmarks; k++)
		printf("\"%lu\":%ld,", marks[k], rss_at[k]);
	printf("\"end\":%ld},\"rss_growth_kb\":%ld}\n", rss_end, rss_end - rss_100);

	offscreen_close(&off);
	free(tw);
	pw_timeline_destroy(tl);
	return 0;
}
