/* test_scene.c: the view's layout, measured on the scene (no display):
 * arrows move by exactly the bytes the skb operation moved, projection
 * mode keeps every text at least 24 px high at 1920x1080, and text stays
 * on screen. */
#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "test.h"
#include "view/scene.h"

static struct pw_timeline *run(const char *scenario)
{
	struct pw_params p;
	struct pw_result res;
	struct pw_timeline *tl = pw_timeline_create(1);
	char err[256];

	pw_params_defaults(&p, scenario);
	CHECK(pw_engine_run(&p, tl, NULL, NULL, &res, err, sizeof(err)) == 0, "%s: %s", scenario, err);
	return tl;
}

static float arrow_x(const struct pw_scene *sc, int which)
{
	const struct pw_shape *s = pw_scene_find(sc, PW_TAG(PW_TAGK_POINTER, which));

	return s ? s->x + s->w / 2 : -1;
}

/* After an skb_push of 20 bytes (the IPv4 header) the data arrow sits 20
 * bytes' width further left; bytes' width = bar width / bar bytes. */
static void test_push_moves_data_arrow(void)
{
	struct pw_timeline *tl = run("tcp");
	struct pw_scene *sc = pw_scene_create();
	struct pw_scene_opts o = { .w = 1920, .h = 1080, .hover_x = -1, .hover_y = -1, .speed = 2 };
	size_t push = 0;
	float before, after, per_byte;
	const struct pw_shape *bar;

	for (size_t i = 1; i < pw_timeline_count(tl); i++) {
		const struct pw_event *e = pw_timeline_event(tl, i), *p = pw_timeline_event(tl, i - 1);

		if (e->op == PW_OP_PUSH && e->layer == PW_LAYER_IP && p->skb.id == e->skb.id) {
			push = i;
			break;
		}
	}
	CHECK(push > 0, "no skb_push of the IP header in the tcp scenario");
	pw_scene_build(sc, tl, push, 0.0f, &o);
	before = arrow_x(sc, 1);
	pw_scene_build(sc, tl, push, 1.0f, &o);
	after = arrow_x(sc, 1);
	bar = pw_scene_find(sc, PW_TAG(PW_TAGK_SKB_BAR, pw_timeline_event(tl, push)->skb.end));
	CHECK(bar != NULL, "no skb bar at step %zu", push);
	if (bar) {
		per_byte = bar->w / (float)PW_TAG_INDEX(bar->tag);
		CHECK(before - after > 20 * per_byte - 0.5f && before - after < 20 * per_byte + 0.5f,
		      "data arrow moved %.2f px, expected 20 bytes = %.2f px", before - after, 20 * per_byte);
	}
	/* halfway through the tween, halfway there (the easing is symmetric) */
	pw_scene_build(sc, tl, push, 0.5f, &o);
	CHECK(arrow_x(sc, 1) < before - 0.4f * (before - after) && arrow_x(sc, 1) > after + 0.4f * (before - after),
	      "mid-tween data arrow at %.1f, between %.1f and %.1f", arrow_x(sc, 1), before, after);
	pw_scene_destroy(sc);
	pw_timeline_destroy(tl);
}

static void check_text(const struct pw_scene *sc, int w, int h, int min_px, const char *what, size_t step)
{
	int small = 0, outside = 0;

	for (size_t i = 0; i < pw_scene_count(sc); i++) {
		const struct pw_shape *s = pw_scene_shape(sc, i);

		if (s->kind != PW_SHAPE_TEXT || !s->text[0])
			continue;
		if (s->px < min_px && !small++)
			CHECK(0, "%s, step %zu: text '%s' is %u px high, less than %d", what, step, s->text, s->px, min_px);
		if ((s->x < 0 || s->y < 0 || s->x > w || s->y + s->h > h) && !outside++)
			CHECK(0, "%s, step %zu: text '%s' at (%.0f, %.0f) is outside the %dx%d window", what, step, s->text, s->x,
			      s->y, w, h);
	}
	CHECK(!small && !outside, "%s: %d texts too small, %d outside", what, small, outside);
}

/* Lines of text stacked at the same left edge must not touch: in DejaVu,
 * a line's ink runs from about 0.17 em below its top (the tallest
 * letters) to 1.164 em (the descenders), so the upper line's descenders
 * must end above the lower line's tallest letters. Wrapped text (w > 0)
 * is left out: its height depends on the font. */
static void check_stacked(const struct pw_scene *sc, const char *what, size_t step)
{
	size_t n = pw_scene_count(sc);

	for (size_t i = 0; i < n; i++) {
		const struct pw_shape *a = pw_scene_shape(sc, i);

		if (a->kind != PW_SHAPE_TEXT || a->align != PW_ALIGN_LEFT || a->w > 0 || !(a->rgba & 0xff))
			continue;
		for (size_t j = i + 1; j < n; j++) {
			const struct pw_shape *b = pw_scene_shape(sc, j);
			const struct pw_shape *up = a->y <= b->y ? a : b, *low = up == a ? b : a;

			if (b->kind != PW_SHAPE_TEXT || b->align != PW_ALIGN_LEFT || b->w > 0 || !(b->rgba & 0xff) ||
			    fabsf(a->x - b->x) >= 0.5f)
				continue;
			CHECK(up->y + up->px * 1.164f <= low->y + low->px * 0.17f + 0.5f,
			      "%s step %zu: '%s' (y %.1f, %u px) and '%s' (y %.1f, %u px) touch", what, step, up->text,
			      up->y, up->px, low->text, low->y, low->px);
		}
	}
}

static void test_sizes(void)
{
	static const char *const scen[] = { "tcp", "arp", "burst", "frag" };
	struct pw_scene *sc = pw_scene_create();

	for (size_t k = 0; k < sizeof(scen) / sizeof(scen[0]); k++) {
		struct pw_timeline *tl = run(scen[k]);
		size_t n = pw_timeline_count(tl);

		for (size_t step = 0; step < n; step += n / 7 + 1) {
			struct pw_scene_opts o = { .w = 1920, .h = 1080, .projection = 1, .hover_x = -1, .hover_y = -1, .speed = 2 };

			pw_scene_build(sc, tl, step, 1.0f, &o);
			check_text(sc, 1920, 1080, 24, "projection 1920x1080", step);
			check_stacked(sc, "projection 1920x1080", step);
			o.projection = 0;
			o.w = 1280;
			o.h = 720;
			pw_scene_build(sc, tl, step, 1.0f, &o);
			check_text(sc, 1280, 720, 10, "1280x720", step);
			check_stacked(sc, "1280x720", step);
			o.w = 1000; /* a narrow window letterboxes */
			o.h = 1000;
			pw_scene_build(sc, tl, step, 1.0f, &o);
			check_text(sc, 1000, 1000, 8, "1000x1000", step);
		}
		pw_timeline_destroy(tl);
	}
	pw_scene_destroy(sc);
}

/* Static shapes are the same throughout a step's tween; only dynamic ones move. */
static void test_static_layer(void)
{
	static const char *const scen[] = { "udp", "tcp" };
	struct pw_scene *a = pw_scene_create(), *b = pw_scene_create();
	struct pw_scene_opts o = { .w = 1920, .h = 1080, .hover_x = -1, .hover_y = -1, .speed = 2 };
	size_t differ = 0, steps = 0;

	for (size_t k = 0; k < sizeof(scen) / sizeof(scen[0]); k++) {
		struct pw_timeline *tl = run(scen[k]);

		/* Every step: the static shapes, in order, are the same at
		 * the start and the end of its tween (moving shapes may come
		 * and go: a header's name shows once it has room). */
		for (size_t step = 1; step < pw_timeline_count(tl); step++, steps++) {
			size_t i = 0, j = 0, na, nb;

			pw_scene_build(a, tl, step, 0.1f, &o);
			pw_scene_build(b, tl, step, 0.9f, &o);
			na = pw_scene_count(a);
			nb = pw_scene_count(b);
			CHECK(pw_scene_static_key(a) == pw_scene_static_key(b), "%s step %zu: static key changed within the tween",
			      scen[k], step);
			for (;;) {
				while (i < na && pw_scene_shape(a, i)->dynamic)
					i++;
				while (j < nb && pw_scene_shape(b, j)->dynamic)
					j++;
				if (i == na || j == nb)
					break;
				const struct pw_shape *x = pw_scene_shape(a, i++), *y = pw_scene_shape(b, j++);

				if (x->x != y->x || x->y != y->y || x->w != y->w || x->rgba != y->rgba)
					differ++;
			}
			while (i < na && pw_scene_shape(a, i)->dynamic)
				i++;
			while (j < nb && pw_scene_shape(b, j)->dynamic)
				j++;
			CHECK(i == na && j == nb, "%s step %zu: the number of static shapes changed within the tween", scen[k], step);
		}
		pw_timeline_destroy(tl);
	}
	CHECK(differ == 0, "%zu static shapes moved during a tween (over %zu steps)", differ, steps);
	pw_scene_destroy(a);
	pw_scene_destroy(b);
}

static void test_hit(void)
{
	struct pw_timeline *tl = run("tcp");
	struct pw_scene *sc = pw_scene_create();
	struct pw_scene_opts o = { .w = 1920, .h = 1080, .hover_x = -1, .hover_y = -1, .speed = 2 };
	const struct pw_shape *row;

	pw_scene_build(sc, tl, 50, 1.0f, &o);
	row = pw_scene_find(sc, PW_TAG(PW_TAGK_EVENT_ROW, 52));
	CHECK(row != NULL, "no row for event 52 when showing step 50");
	if (row)
		CHECK(pw_scene_hit(sc, (int)(row->x + 20), (int)(row->y + row->h / 2)) == PW_TAG(PW_TAGK_EVENT_ROW, 52),
		      "a click on row 52 hits tag 0x%x", pw_scene_hit(sc, (int)(row->x + 20), (int)(row->y + row->h / 2)));
	/* hovering a hex byte gives a tooltip naming the header */
	row = pw_scene_find(sc, PW_TAG(PW_TAGK_HEX_BYTE, 0));
	if (row) {
		int found = 0;

		o.hover_x = (int)(row->x + 2);
		o.hover_y = (int)(row->y + 2);
		pw_scene_build(sc, tl, 50, 1.0f, &o);
		for (size_t i = 0; i < pw_scene_count(sc); i++)
			if (pw_scene_shape(sc, i)->kind == PW_SHAPE_TEXT && strstr(pw_scene_shape(sc, i)->text, "Ethernet header"))
				found = 1;
		CHECK(found, "hovering byte 0 gives no tooltip naming the Ethernet header");
	}
	pw_scene_destroy(sc);
	pw_timeline_destroy(tl);
}

/* The start screen and a lesson's checkpoint keep projection type large too. */
static void test_menu_and_lesson(void)
{
	struct pw_scene_menu_item items[12];
	struct pw_scene *sc = pw_scene_create();
	struct pw_scene_opts o = { .w = 1920, .h = 1080, .projection = 1, .hover_x = -1, .hover_y = -1, .speed = 2 };
	struct pw_timeline *tl = run("tcp");
	static const char *const options[3] = { "0", "320", "384" };
	struct pw_scene_highlight hl = { .tag_kind = PW_TAGK_POINTER, .index = 1, .host = 0, .slot = -1 };
	struct pw_scene_lesson ls = { .title = "Anatomy", .step = 1, .steps = 5, .text = "skb_reserve moves data and tail.",
				      .hl = &hl, .n_hl = 1, .question = "How long is the packet?", .options = options,
				      .n_options = 3, .chosen = -1, .answer = 0, .explanation = "Nothing is in it yet." };
	size_t outlines = 0, opts = 0;

	memset(items, 0, sizeof(items));
	for (int i = 0; i < 12; i++) {
		items[i].title = "A lesson with a title";
		items[i].level = "beginner";
		items[i].summary = "What it shows, in a sentence long enough to be cut at a word boundary when it is far too "
				   "long for the one line the start screen gives it on a 1920 by 1080 screen.";
		items[i].minutes = 15;
		items[i].progress = "";
	}
	items[3].error = "lessons/x.json: steps[2].question.answer: 5 is not one of the 3 options (0..2)";
	pw_scene_build_menu(sc, items, 12, 3, &o);
	check_text(sc, 1920, 1080, 24, "start screen, projection", 0);
	/* Projection rows are tall: the list scrolls, and says so. */
	if (!pw_scene_find(sc, PW_TAG(PW_TAGK_MENU_ITEM, 11))) {
		int more = 0;

		for (size_t i = 0; i < pw_scene_count(sc); i++)
			more |= pw_scene_shape(sc, i)->kind == PW_SHAPE_TEXT && strstr(pw_scene_shape(sc, i)->text, "more");
		CHECK(more, "the 12th lesson is not on the start screen, and nothing says more lessons follow");
		pw_scene_build_menu(sc, items, 12, 11, &o);
		CHECK(pw_scene_find(sc, PW_TAG(PW_TAGK_MENU_ITEM, 11)) != NULL,
		      "the 12th lesson, selected, is not on the start screen");
		pw_scene_build_menu(sc, items, 12, 3, &o);
	}
	{
		/* The static key follows what is drawn: blackout and new text
		 * on the start screen, a new title on the walk. */
		uint64_t k0 = pw_scene_static_key(sc), k1, k2, k3;

		o.blackout = 1;
		pw_scene_build_menu(sc, items, 12, 3, &o);
		k1 = pw_scene_static_key(sc);
		o.blackout = 0;
		items[0].progress = "done 10/10";
		pw_scene_build_menu(sc, items, 12, 3, &o);
		k2 = pw_scene_static_key(sc);
		items[0].progress = "";
		CHECK(k1 != k0 && k2 != k0, "start screen: static key unchanged by blackout (%d) or new text (%d)", k1 != k0,
		      k2 != k0);
		o.title = "scenario tcp";
		pw_scene_build(sc, tl, 40, 1.0f, &o);
		k3 = pw_scene_static_key(sc);
		o.title = "scenario tcp  ·  no frame of x.pcap matches";
		pw_scene_build(sc, tl, 40, 1.0f, &o);
		k1 = pw_scene_static_key(sc);
		CHECK(k1 != k3, "walk: static key unchanged by a new title");
		pw_scene_build(sc, tl, 40, 0.5f, &o);
		CHECK(pw_scene_static_key(sc) == k1, "walk: static key changed within a tween");
		o.title = NULL;
	}
	o.lesson = &ls;
	pw_scene_build(sc, tl, 40, 1.0f, &o);
	check_text(sc, 1920, 1080, 24, "lesson checkpoint, projection", 40);
	for (size_t i = 0; i < pw_scene_count(sc); i++) {
		outlines += pw_scene_shape(sc, i)->kind == PW_SHAPE_OUTLINE;
		opts += PW_TAG_KIND(pw_scene_shape(sc, i)->tag) == PW_TAGK_OPTION;
	}
	CHECK(opts == 3, "%zu answer buttons for 3 options", opts);
	CHECK(outlines >= 2, "no highlight outline drawn (%zu outlines)", outlines);
	pw_scene_destroy(sc);
	pw_timeline_destroy(tl);
}

int main(void)
{
	test_menu_and_lesson();
	test_push_moves_data_arrow();
	test_sizes();
	test_static_layer();
	test_hit();
	return test_report("test_scene");
}
