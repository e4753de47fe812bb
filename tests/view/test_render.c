/* test_render.c: the scene renderer on SDL's software renderer, offscreen.
 *
 * Draws into an SDL_Surface through SDL_CreateSoftwareRenderer: no window,
 * no display, no video driver, so it runs the same in CI. Checks:
 *   - a missing font directory is refused with a message naming the file;
 *   - a step of the tcp scenario draws a picture (not the background alone,
 *     anti-aliased text present) and the same step drawn twice gives the
 *     same pixels;
 *   - the static layer is reused: a second frame of the same step, and the
 *     frames of a tween, neither redraw the layer nor render any string;
 *   - the layer brought up to date piece by piece (only where static
 *     shapes changed) gives exactly the pixels of a layer drawn whole, over
 *     steps of several scenarios, tweens, projection mode and a resize
 *     (tolerance 0: both paths draw the same shapes with the same calls);
 *   - the text cache holds only the strings of the picture shown;
 *   - a frame paints every pixel, so the window need not clear it first;
 *   - no two single-line texts overlap, measured with the real fonts, over
 *     steps of every scenario at 1280x720 and 1920x1080, normal and
 *     projection;
 *   - pw_render_text_width measures text.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "test.h"
#include "view/render.h"
#include "view/scene.h"
#include "view/textfit.h"
#include "view/text_check.h"

#ifndef PW_ASSETS_DIR
#define PW_ASSETS_DIR "assets"
#endif
#define FONT_DIR PW_ASSETS_DIR "/fonts"

struct target {
	SDL_Surface *surf;
	SDL_Renderer *ren;
	struct pw_render *r;
	int w, h;
};

/* The metrics of the target opened last: scenes are laid out with the
 * fonts they are drawn with, as in the app. */
static const struct pw_text_measure *cur_measure;

static int target_open(struct target *t, int w, int h)
{
	char err[512];

	memset(t, 0, sizeof(*t));
	t->w = w;
	t->h = h;
	t->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	t->ren = t->surf ? SDL_CreateSoftwareRenderer(t->surf) : NULL;
	CHECK(t->ren != NULL, "SDL_CreateSoftwareRenderer(%dx%d surface): %s", w, h, SDL_GetError());
	if (!t->ren)
		return -1;
	t->r = pw_render_create(t->ren, FONT_DIR, err, sizeof(err));
	CHECK(t->r != NULL, "pw_render_create(%s): expected a renderer, got NULL: %s", FONT_DIR, err);
	cur_measure = t->r ? pw_render_measure(t->r) : NULL;
	return t->r ? 0 : -1;
}

static void target_close(struct target *t)
{
	pw_render_destroy(t->r);
	cur_measure = NULL;
	if (t->ren)
		SDL_DestroyRenderer(t->ren);
	if (t->surf)
		SDL_FreeSurface(t->surf);
	memset(t, 0, sizeof(*t));
}

static void opts_for(struct pw_scene_opts *o, int w, int h, int projection)
{
	memset(o, 0, sizeof(*o));
	o->w = w;
	o->h = h;
	o->projection = projection;
	o->speed = 2.0;
	o->hover_x = o->hover_y = -1;
	o->title = "test";
	o->measure = cur_measure;
}

/* One frame as the app draws it: clear, build, render, flush. */
static void frame(struct target *t, struct pw_scene *sc, const struct pw_timeline *tl, size_t step, float tween,
		  int projection)
{
	struct pw_scene_opts o;

	opts_for(&o, t->w, t->h, projection);
	SDL_SetRenderDrawBlendMode(t->ren, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(t->ren, 0, 0, 0, 255);
	SDL_RenderClear(t->ren);
	pw_scene_build(sc, tl, step, tween, &o);
	pw_render_scene(t->r, sc);
	SDL_RenderFlush(t->ren);
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
	return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
}

/* Pixels that differ between two surfaces of one size; the first one in
 * *fx, *fy. */
static long surface_diff(const SDL_Surface *a, const SDL_Surface *b, int *fx, int *fy)
{
	long n = 0;

	*fx = *fy = -1;
	for (int y = 0; y < a->h; y++)
		for (int x = 0; x < a->w; x++)
			if ((pixel(a, x, y) & 0xffffff) != (pixel(b, x, y) & 0xffffff)) {
				if (!n) {
					*fx = x;
					*fy = y;
				}
				n++;
			}
	return n;
}

static struct pw_timeline *run(const char *scenario, uint32_t payload)
{
	struct pw_params p;
	struct pw_result res;
	struct pw_timeline *tl = pw_timeline_create(1);
	char err[512] = "";
	int rc;

	pw_params_defaults(&p, scenario);
	if (payload)
		p.payload = payload;
	rc = tl ? pw_engine_run(&p, tl, NULL, NULL, &res, err, sizeof(err)) : -1;
	CHECK(rc == 0, "pw_engine_run(%s): expected 0, got %d: %s", scenario, rc, err);
	if (rc) {
		pw_timeline_destroy(tl);
		return NULL;
	}
	return tl;
}

static void test_bad_fonts(void)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *ren = s ? SDL_CreateSoftwareRenderer(s) : NULL;
	char err[512] = "";
	struct pw_render *r;

	if (!ren) {
		CHECK(0, "SDL_CreateSoftwareRenderer: %s", SDL_GetError());
		return;
	}
	r = pw_render_create(ren, "/nonexistent/fonts", err, sizeof(err));
	CHECK(r == NULL, "pw_render_create with no fonts: expected NULL, got a renderer");
	CHECK(strstr(err, "/nonexistent/fonts/DejaVuSans.ttf") != NULL,
	      "pw_render_create with no fonts: expected a message naming /nonexistent/fonts/DejaVuSans.ttf, got '%s'",
	      err);
	pw_render_destroy(r);
	SDL_DestroyRenderer(ren);
	SDL_FreeSurface(s);
}

/* A step draws a real picture, and the layer is reused while the step
 * stays. */
static void test_picture_and_reuse(const struct pw_timeline *tl)
{
	struct target t;
	struct pw_scene *sc = pw_scene_create();
	struct pw_render_stats a, b, c;
	SDL_Surface *first;
	uint32_t bg;
	long not_bg = 0, diff;
	int fx, fy, colours = 0;
	uint8_t *seen = calloc(1 << 18, 1);

	if (!sc || !seen || target_open(&t, 1280, 720)) {
		CHECK(0, "setup failed");
		goto out_early;
	}
	frame(&t, sc, tl, 40, 1.0f, 0);
	bg = pixel(t.surf, t.w - 1, t.h / 2) & 0xffffff;
	for (int y = 0; y < t.h; y++)
		for (int x = 0; x < t.w; x++) {
			uint32_t p = pixel(t.surf, x, y) & 0xffffff;
			/* 18 bits of colour are enough to count shades of text */
			uint32_t k = ((p >> 6) & 0x3f) | ((p >> 14) & 0x3f) << 6 | ((p >> 22) & 0x3f) << 12;

			not_bg += p != bg;
			if (!seen[k]) {
				seen[k] = 1;
				colours++;
			}
		}
	CHECK(not_bg > (long)t.w * t.h / 10,
	      "step 40 at 1280x720: expected more than a tenth of the pixels (%d) to differ from the background "
	      "%06x, got %ld", t.w * t.h / 10, bg, not_bg);
	/* Blended text brings dozens of shades; flat boxes alone, a handful. */
	CHECK(colours > 100, "step 40: expected more than 100 distinct colours (anti-aliased text), got %d", colours);

	first = SDL_DuplicateSurface(t.surf);
	pw_render_get_stats(t.r, &a);
	frame(&t, sc, tl, 40, 1.0f, 0);
	pw_render_get_stats(t.r, &b);
	CHECK_EQ_INT(b.layer_builds, a.layer_builds);
	CHECK_EQ_INT(b.text_misses, a.text_misses);
	CHECK_EQ_INT(b.frames_layered, a.frames_layered + 1);
	CHECK(b.text_hits < a.text_hits + 20,
	      "a repeated frame draws only the dynamic strings: expected fewer than 20 text lookups, got %zu",
	      b.text_hits - a.text_hits);
	diff = first ? surface_diff(first, t.surf, &fx, &fy) : -1;
	CHECK(diff == 0, "the same step drawn twice: expected identical pixels, got %ld differing (first at %d,%d)",
	      diff, fx, fy);

	/* The frames of a tween move dynamic shapes only. */
	for (int k = 1; k <= 30; k++)
		frame(&t, sc, tl, 41, (float)k / 30, 0);
	pw_render_get_stats(t.r, &c);
	CHECK_EQ_INT(c.layer_builds, b.layer_builds + 1);
	CHECK(c.text_misses - b.text_misses < 40,
	      "30 tween frames into step 41: expected the strings of one new step (< 40), got %zu misses",
	      c.text_misses - b.text_misses);
	CHECK_EQ_INT(c.frames_direct, 0);
	SDL_FreeSurface(first);
out_early:
	target_close(&t);
	pw_scene_destroy(sc);
	free(seen);
}

/*
 * The layer updated piece by piece against the layer drawn whole: A keeps
 * its layer from frame to frame, B is flushed before every frame, so it
 * draws its layer from nothing each time.
 */
static void test_partial_matches_full(const struct pw_timeline *tl, const char *name, size_t from, size_t to,
				      int w, int h)
{
	struct target a, b;
	struct pw_scene *sc = pw_scene_create();
	struct pw_render_stats st;
	long bad_frames = 0;
	size_t n = pw_timeline_count(tl);

	if (!sc || target_open(&a, w, h) || target_open(&b, w, h)) {
		CHECK(0, "setup failed");
		goto out;
	}
	if (to >= n)
		to = n - 1;
	for (size_t s = from; s <= to; s++) {
		/* a tween frame now and then, and projection mode for a stretch */
		float tween = s % 5 == 0 ? 0.5f : 1.0f;
		int proj = s >= from + 10 && s < from + 14;
		int fx, fy;
		long d;

		frame(&a, sc, tl, s, tween, proj);
		pw_render_flush(b.r);
		frame(&b, sc, tl, s, tween, proj);
		d = surface_diff(a.surf, b.surf, &fx, &fy);
		if (d && bad_frames++ < 3)
			CHECK(0, "%s step %zu at %dx%d: layer updated in parts vs drawn whole: expected identical pixels, "
				 "got %ld differing (first at %d,%d: %08x vs %08x)",
			      name, s, w, h, d, fx, fy, pixel(a.surf, fx, fy), pixel(b.surf, fx, fy));
	}
	CHECK(bad_frames == 0, "%s: %ld of %zu frames differ", name, bad_frames, to - from + 1);
	pw_render_get_stats(a.r, &st);
	CHECK(st.layer_partial > 0, "%s: expected some layer updates to repaint only what changed, got none of %zu",
	      name, st.layer_builds);
out:
	target_close(&a);
	target_close(&b);
	pw_scene_destroy(sc);
}

/* A resize redraws the layer whole at the new size. */
static void test_resize(const struct pw_timeline *tl)
{
	struct target t;
	struct pw_scene *sc = pw_scene_create();
	struct pw_scene_opts o;
	SDL_Texture *tex = NULL;
	struct pw_render_stats a, b;

	if (!sc || target_open(&t, 1280, 720)) {
		CHECK(0, "setup failed");
		goto out;
	}
	frame(&t, sc, tl, 20, 1.0f, 0);
	pw_render_get_stats(t.r, &a);
	/* Draw into an 800x450 target texture of the same renderer. */
	tex = SDL_CreateTexture(t.ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, 800, 450);
	CHECK(tex != NULL, "SDL_CreateTexture(target 800x450): %s", SDL_GetError());
	if (!tex)
		goto out;
	SDL_SetRenderTarget(t.ren, tex);
	opts_for(&o, 800, 450, 0);
	pw_scene_build(sc, tl, 20, 1.0f, &o);
	pw_render_scene(t.r, sc);
	SDL_RenderFlush(t.ren);
	CHECK(SDL_GetRenderTarget(t.ren) == tex, "pw_render_scene must leave the caller's target texture in place");
	SDL_SetRenderTarget(t.ren, NULL);
	pw_render_get_stats(t.r, &b);
	CHECK_EQ_INT(b.layer_builds, a.layer_builds + 1);
	CHECK_EQ_INT(b.layer_partial, a.layer_partial);
	/* And the same picture as a renderer that only ever drew 800x450. */
	{
		SDL_Surface *got = SDL_CreateRGBSurfaceWithFormat(0, 800, 450, 32, SDL_PIXELFORMAT_ARGB8888);
		struct target u;
		int fx, fy;
		long d;

		SDL_SetRenderTarget(t.ren, tex);
		if (got)
			SDL_RenderReadPixels(t.ren, NULL, SDL_PIXELFORMAT_ARGB8888, got->pixels, got->pitch);
		SDL_SetRenderTarget(t.ren, NULL);
		if (got && !target_open(&u, 800, 450)) {
			frame(&u, sc, tl, 20, 1.0f, 0);
			d = surface_diff(got, u.surf, &fx, &fy);
			CHECK(d == 0, "step 20 at 800x450 drawn into a target texture after 1280x720: expected the pixels of "
				      "a fresh 800x450 renderer, got %ld differing (first at %d,%d)", d, fx, fy);
		}
		target_close(&u);
		SDL_FreeSurface(got);
	}
out:
	if (tex)
		SDL_DestroyTexture(tex);
	target_close(&t);
	pw_scene_destroy(sc);
}

/* Hundreds of steps: the cache keeps the strings of the picture shown, no
 * more (at most one entry per text shape of the scene). */
static void test_cache_bounded(const struct pw_timeline *tl)
{
	struct target t;
	struct pw_scene *sc = pw_scene_create();
	struct pw_render_stats st;
	size_t n = pw_timeline_count(tl), early = 0, most = 0, most_bytes = 0, over = 0, over_step = 0;
	size_t over_texts = 0, over_shapes = 0;

	if (!sc || target_open(&t, 960, 540)) {
		CHECK(0, "setup failed");
		goto out;
	}
	for (size_t s = 0; s < n && s < 400; s++) {
		size_t texts = 0;

		frame(&t, sc, tl, s, 1.0f, 0);
		/* A second frame of the step: the layer stands, and the heap
		 * the step's dropped strings freed is handed back. */
		frame(&t, sc, tl, s, 1.0f, 0);
		pw_render_get_stats(t.r, &st);
		for (size_t i = 0; i < pw_scene_count(sc); i++)
			texts += pw_scene_shape(sc, i)->kind == PW_SHAPE_TEXT;
		if (st.texts_cached > texts && !over++) {
			over_step = s;
			over_texts = st.texts_cached;
			over_shapes = texts;
		}
		if (s == 10)
			early = st.texts_cached;
		if (st.texts_cached > most)
			most = st.texts_cached;
		if (st.text_bytes > most_bytes)
			most_bytes = st.text_bytes;
	}
	pw_render_get_stats(t.r, &st);
	CHECK(!over, "text cache: %zu steps kept strings the picture does not show (first at step %zu: %zu cached, %zu text shapes)",
	      over, over_step, over_texts, over_shapes);
	CHECK(st.text_misses > 2 * most, "400 steps should render many more strings (%zu) than the cache holds (%zu)",
	      st.text_misses, most);
	CHECK(most < 2 * early + 100,
	      "text cache: expected it to stay near one picture's strings (%zu after 10 steps), got up to %zu", early,
	      most);
	CHECK(most_bytes < (size_t)32 << 20, "text cache at 960x540: expected under 32 MiB of textures, got %zu",
	      most_bytes);
	CHECK(st.fonts_open <= 32, "fonts open: expected at most 32, got %zu", st.fonts_open);
	/* glibc's allocator only: AddressSanitizer brings its own, whose
	 * mallinfo2 reports nothing free. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33) && !defined(__SANITIZE_ADDRESS__)
	CHECK(st.heap_trims > 0, "400 steps of dropped strings never handed heap memory back (%zu evictions)",
	      st.text_evictions);
#endif
out:
	target_close(&t);
	pw_scene_destroy(sc);
}

/* Every pixel painted: a frame drawn over garbage is the frame drawn over a
 * cleared target, at 16:9 and letterboxed, walking, blacked out and on the
 * start screen. The garbage is magenta, which no palette uses. */
static long magenta_left(struct target *t, struct pw_scene *sc, const struct pw_timeline *tl, int blackout, int menu)
{
	struct pw_scene_opts o;
	uint32_t m = SDL_MapRGB(t->surf->format, 0xff, 0x00, 0xff);
	struct pw_scene_menu_item item = { .title = "A lesson", .level = "beginner", .summary = "What it shows.",
					   .minutes = 10, .progress = "" };
	long left = 0;

	pw_render_flush(t->r); /* no layer left over from the frame before */
	SDL_FillRect(t->surf, NULL, m);
	opts_for(&o, t->w, t->h, 0);
	o.blackout = blackout;
	SDL_SetRenderDrawColor(t->ren, 0, 0, 0, 255);
	if (menu)
		pw_scene_build_menu(sc, &item, 1, 0, &o);
	else
		pw_scene_build(sc, tl, 30, 1.0f, &o);
	pw_render_scene(t->r, sc);
	SDL_RenderFlush(t->ren);
	for (int y = 0; y < t->h; y++)
		for (int x = 0; x < t->w; x++)
			left += (pixel(t->surf, x, y) & 0xffffff) == (m & 0xffffff);
	return left;
}

static void test_paints_everything(const struct pw_timeline *tl)
{
	static const struct {
		int w, h;
	} sizes[] = { { 960, 540 }, { 1000, 1000 }, { 700, 900 } };
	struct pw_scene *sc = pw_scene_create();

	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]) && sc; z++) {
		struct target t;

		if (target_open(&t, sizes[z].w, sizes[z].h))
			break;
		for (int kind = 0; kind < 4; kind++) {
			long left = magenta_left(&t, sc, tl, kind & 1, kind >> 1);

			CHECK(left == 0, "%dx%d %s%s drawn over magenta: %ld pixels not painted", sizes[z].w, sizes[z].h,
			      kind >> 1 ? "start screen" : "step 30", kind & 1 ? " in blackout" : "", left);
		}
		target_close(&t);
	}
	pw_scene_destroy(sc);
}

static void test_no_overlaps(void)
{
	/* Every scenario, and tcp with full-size segments (page frags). */
	static const struct {
		const char *name;
		uint32_t payload;
	} scen[] = { { "tcp", 0 },   { "tcp", 1448 },  { "udp", 0 },    { "ping", 0 },    { "arp", 0 },   { "frag", 0 },
		     { "burst", 0 }, { "rxdrop", 0 }, { "noport", 0 }, { "badcsum", 0 }, { "rcvbuf", 0 } };
	static const struct {
		int w, h, projection;
	} sizes[] = { { 1024, 768, 0 },  { 1280, 720, 0 },  { 1920, 1080, 0 }, { 3840, 2160, 0 }, { 1024, 768, 1 },
		      { 1280, 720, 1 },  { 1920, 1080, 1 }, { 3840, 2160, 1 }, { 1000, 1000, 0 } };
	struct pw_scene *sc = pw_scene_create();
	int reported = 0;

	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]) && sc; z++) {
		struct target t;
		char what[64];

		if (target_open(&t, 64, 64))
			break;
		snprintf(what, sizeof(what), "%dx%d%s", sizes[z].w, sizes[z].h, sizes[z].projection ? " projection" : "");
		for (size_t k = 0; k < sizeof(scen) / sizeof(scen[0]); k++) {
			struct pw_timeline *tl = run(scen[k].name, scen[k].payload);
			size_t n = tl ? pw_timeline_count(tl) : 0;

			for (size_t step = 0; step < n; step += n / 25 + 1) {
				struct pw_scene_opts o;
				char label[96];

				opts_for(&o, sizes[z].w, sizes[z].h, sizes[z].projection);
				pw_scene_build(sc, tl, step, 1.0f, &o);
				snprintf(label, sizeof(label), "%s/%u %s", scen[k].name, scen[k].payload, what);
				check_texts(t.r, sc, sizes[z].w, sizes[z].h, label, step, &reported);
			}
			pw_timeline_destroy(tl);
		}
		target_close(&t);
	}
	pw_scene_destroy(sc);
}

/* The overlays and the other screens, at every size and in both modes:
 * the help, a long checkpoint answered and not, a paged narration,
 * tooltips over each kind of target, the start screen, the presenter. */
static void test_overlays_fit(void)
{
	static const struct {
		int w, h, projection;
	} sizes[] = { { 1024, 768, 0 },  { 1280, 720, 0 },  { 1920, 1080, 0 }, { 3840, 2160, 0 },
		      { 1024, 768, 1 },  { 1280, 720, 1 },  { 1920, 1080, 1 }, { 3840, 2160, 1 } };
	static const char *const opts[] = {
		"Between data and tail, with skb_put moving tail forward by the length of the copied data",
		"In the headroom, before data, where skb_push will later put each header of the lower layers",
		"In a page fragment of skb_shinfo, which lists page fragments that hold more of the payload",
		"Nowhere yet: the data stays in user memory until the NIC reads it by DMA",
	};
	static const char *const long_text =
		"tcp_sendmsg_locked copies the 17 bytes from user memory into the skb: skb_put moves tail forward "
		"by 17, so the data now sits between data and tail, in the linear part of the buffer, while the "
		"headroom before data waits for the headers that TCP, IP and Ethernet will push in turn. The skb "
		"is queued on sk_write_queue; tcp_push then hands it to tcp_write_xmit, which clones it before "
		"anything goes down the stack, because TCP keeps the original until the ACK arrives.";
	struct pw_timeline *tl = run("tcp", 0);
	struct pw_scene *sc = pw_scene_create();
	struct pw_scene_menu_item items[12];
	char longer[1024];
	int reported = 0;

	snprintf(longer, sizeof(longer), "%s %s", long_text, long_text);
	for (int i = 0; i < 12; i++)
		items[i] = (struct pw_scene_menu_item){
			.title = "Anatomy of an sk_buff: head, data, tail and end, and how each layer moves them",
			.level = "beginner", .summary = long_text, .minutes = 15,
			.progress = i % 2 ? "done, 3 of 4 right" : "", .error = i == 3 ? long_text : NULL };
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]) && sc && tl; z++) {
		struct target t;
		char what[96];
		struct pw_scene_opts o;

		if (target_open(&t, 64, 64))
			break;
		for (int kind = 0; kind < 9; kind++) {
			struct pw_scene_lesson ls = { .title = "Anatomy of an sk_buff", .step = 2, .steps = 12,
						      .text = long_text, .question = long_text, .options = opts,
						      .n_options = 4, .chosen = -1, .answer = 2,
						      .explanation = long_text, .score = 1, .asked = 2 };
			struct pw_scene_presenter pr = { "Now: step 3 of 12", long_text, "Next: a checkpoint", long_text };

			opts_for(&o, sizes[z].w, sizes[z].h, sizes[z].projection);
			switch (kind) {
			case 0: o.help = 1; snprintf(what, sizeof(what), "help"); break;
			case 1: o.lesson = &ls; snprintf(what, sizeof(what), "checkpoint"); break;
			case 2: ls.chosen = 1; o.lesson = &ls; snprintf(what, sizeof(what), "checkpoint answered"); break;
			case 3: ls.question = NULL; ls.text = longer; o.lesson = &ls; o.narration_page = 1;
				snprintf(what, sizeof(what), "narration page 2"); break;
			case 4: o.hover_x = sizes[z].w / 4; o.hover_y = sizes[z].h * 82 / 100;
				snprintf(what, sizeof(what), "tooltip on the hex pane"); break;
			case 5: o.hover_x = sizes[z].w * 3 / 4; o.hover_y = sizes[z].h * 85 / 100;
				snprintf(what, sizeof(what), "tooltip on the event list"); break;
			case 6: o.hover_x = sizes[z].w * 98 / 100; o.hover_y = sizes[z].h * 97 / 100;
				snprintf(what, sizeof(what), "tooltip in the corner"); break;
			case 7: snprintf(what, sizeof(what), "start screen"); break;
			case 8: snprintf(what, sizeof(what), "presenter"); break;
			}
			if (kind == 7)
				pw_scene_build_menu(sc, items, 12, 5, &o);
			else if (kind == 8)
				pw_scene_build_presenter(sc, &pr, &o);
			else
				pw_scene_build(sc, tl, 40, 1.0f, &o);
			if (kind == 3)
				CHECK(pw_scene_narration_pages(sc) >= 2, "%dx%d: a %zu-character narration fits one page",
				      sizes[z].w, sizes[z].h, strlen(long_text));
			snprintf(what + strlen(what), sizeof(what) - strlen(what), " %dx%d%s", sizes[z].w, sizes[z].h,
				 sizes[z].projection ? " projection" : "");
			check_texts(t.r, sc, sizes[z].w, sizes[z].h, what, 40, &reported);
		}
		target_close(&t);
	}
	pw_scene_destroy(sc);
	pw_timeline_destroy(tl);
}

static void test_text_width(void)
{
	struct target t;
	int a, b, m1, m2;

	if (target_open(&t, 64, 64))
		goto out;
	a = pw_render_text_width(t.r, PW_FONT_SANS, 20, "hello");
	b = pw_render_text_width(t.r, PW_FONT_SANS, 20, "hello world");
	CHECK(a > 20 && a < 100, "width of 'hello' at 20 px: expected 20..100, got %d", a);
	CHECK(b > a, "width of 'hello world' (%d) should exceed that of 'hello' (%d)", b, a);
	CHECK_EQ_INT(pw_render_text_width(t.r, PW_FONT_SANS, 20, ""), 0);
	m1 = pw_render_text_width(t.r, PW_FONT_MONO, 20, "iiii");
	m2 = pw_render_text_width(t.r, PW_FONT_MONO, 20, "MMMM");
	CHECK(m1 == m2 && m1 > 0, "monospace: 'iiii' (%d) and 'MMMM' (%d) should be as wide", m1, m2);
	CHECK(pw_render_text_width(t.r, PW_FONT_SANS, 40, "hello") > a,
	      "'hello' at 40 px should be wider than at 20 px (%d)", a);
out:
	target_close(&t);
}

int main(void)
{
	struct pw_timeline *tcp, *burst, *frag;

	/* Nothing here needs a video driver; offscreen keeps SDL away from
	 * any display should something ask for one. */
	SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (SDL_Init(0) || TTF_Init()) {
		fprintf(stderr, "SDL_Init/TTF_Init failed: %s\n", SDL_GetError());
		return 1;
	}
	test_bad_fonts();
	test_text_width();
	test_no_overlaps();
	test_overlays_fit();
	tcp = run("tcp", 0);
	burst = run("burst", 1472);
	frag = run("frag", 0);
	if (tcp) {
		test_picture_and_reuse(tcp);
		test_partial_matches_full(tcp, "tcp", 20, 80, 1280, 720);
		test_resize(tcp);
		test_paints_everything(tcp);
	}
	if (burst) {
		test_partial_matches_full(burst, "burst", 360, 420, 1920, 1080);
		test_cache_bounded(burst);
	}
	if (frag)
		test_partial_matches_full(frag, "frag", 0, 40, 1000, 700);
	pw_timeline_destroy(tcp);
	pw_timeline_destroy(burst);
	pw_timeline_destroy(frag);
	TTF_Quit();
	SDL_Quit();
	return test_report("test_render");
}
