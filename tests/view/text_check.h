/* text_check.h: what every text of a built scene must be, checked with
 * the fonts it is drawn with. Shared by the view's tests; include after
 * test.h and view/render.h. */
#ifndef PW_TESTS_VIEW_TEXT_CHECK_H
#define PW_TESTS_VIEW_TEXT_CHECK_H

#include <math.h>
#include <stdlib.h>

/* The ink of a single-line text: its measured width, and in DejaVu from
 * 0.17 em below its top (the tallest letters) to 1.164 em (descenders). */
static SDL_FRect ink_box(struct pw_render *r, const struct pw_shape *s)
{
	float w = (float)pw_render_text_width(r, s->font, s->px, s->text);
	float x = s->align == PW_ALIGN_CENTER ? s->x - w / 2 : s->align == PW_ALIGN_RIGHT ? s->x - w : s->x;

	return (SDL_FRect){ x, s->y + 0.17f * s->px, w, (1.164f - 0.17f) * s->px };
}

static int boxes_overlap(const SDL_FRect *a, const SDL_FRect *b)
{
	const float slack = 1.0f; /* anti-aliased edges may touch */

	return a->x + a->w > b->x + slack && b->x + b->w > a->x + slack && a->y + a->h > b->y + slack &&
	       b->y + b->h > a->y + slack;
}

/*
 * Every text of a built scene, as drawn: none under the size floor
 * (PW_TEXT_MIN_PX), none out of the picture (the 16:9 area, letterboxed)
 * or its own box, no two overlapping. A text some later overlay panel
 * covers is not there to check: the scene leaves such texts out.
 */
static void check_texts(struct pw_render *r, struct pw_scene *sc, int w, int h, const char *what, size_t step,
			int *reported)
{
	size_t n = pw_scene_count(sc), nt = 0;
	/* The picture: 16:9 letterboxed at the sides of a wider window; the
	 * whole height of a taller one (up to twice 16:9's). */
	float k = fminf((float)w / PW_SCENE_DESIGN_W, (float)h / PW_SCENE_DESIGN_H);
	float dh = (float)h / k > 2 * PW_SCENE_DESIGN_H ? 2 * PW_SCENE_DESIGN_H : (float)h / k;
	float px0 = ((float)w - PW_SCENE_DESIGN_W * k) / 2, py0 = ((float)h - dh * k) / 2;
	float pw = PW_SCENE_DESIGN_W * k, ph = dh * k;
	const struct pw_shape **txt = malloc(n * sizeof(*txt) + 1);
	SDL_FRect *box = malloc(n * sizeof(*box) + 1);

	if (!txt || !box) {
		CHECK(0, "out of memory");
		free(txt);
		free(box);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pw_shape *a = pw_scene_shape(sc, i);

		if (a->kind != PW_SHAPE_TEXT || !(a->rgba & 0xff) || !a->text[0])
			continue;
		txt[nt] = a;
		box[nt++] = ink_box(r, a);
	}
	for (size_t i = 0; i < nt && *reported <= 20; i++) {
		const struct pw_shape *a = txt[i];
		SDL_FRect ba = box[i];

		CHECK(a->w == 0, "%s step %zu: '%s' is left to the renderer to wrap (w %.0f): the scene must lay it out",
		      what, step, a->text, a->w);
		if (a->px < PW_TEXT_MIN_PX) {
			CHECK(0, "%s step %zu: '%s' is %u px, under the %d px floor", what, step, a->text, a->px,
			      PW_TEXT_MIN_PX);
			++*reported;
		}
		if (ba.x < px0 - 1 || ba.x + ba.w > px0 + pw + 1 || ba.y < py0 - 1 || ba.y + ba.h > py0 + ph + 1) {
			CHECK(0, "%s step %zu: '%s' (%.0f,%.0f %.0fx%.0f) runs off the %.0fx%.0f picture", what, step, a->text,
			      ba.x, ba.y, ba.w, ba.h, pw, ph);
			++*reported;
		}
		if (a->bw > 0 && (ba.x < a->bx - 1 || ba.x + ba.w > a->bx + a->bw + 1 || ba.y < a->by - 1 ||
				  ba.y + ba.h > a->by + a->bh + 1)) {
			CHECK(0, "%s step %zu: '%s' (%.0f,%.0f %.0fx%.0f) leaves its box (%.0f,%.0f %.0fx%.0f)", what, step,
			      a->text, ba.x, ba.y, ba.w, ba.h, a->bx, a->by, a->bw, a->bh);
			++*reported;
		}
		for (size_t j = i + 1; j < nt; j++) {
			if (!boxes_overlap(&ba, &box[j]))
				continue;
			CHECK(0, "%s step %zu: '%s' (%.0f,%.0f %.0fx%.0f) overlaps '%s' (%.0f,%.0f %.0fx%.0f)", what, step,
			      a->text, ba.x, ba.y, ba.w, ba.h, txt[j]->text, box[j].x, box[j].y, box[j].w, box[j].h);
			if (++*reported > 20)
				break;
		}
	}
	free(txt);
	free(box);
}


#endif
