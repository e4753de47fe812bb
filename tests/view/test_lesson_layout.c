/* test_lesson_layout.c: every step of every lesson of the course, as the
 * window shows it, fits: its narration (every page of it), its checkpoint
 * before and after an answer, right and wrong, and the presenter window's
 * notes, at 1024x768, 1280x720, 1920x1080 and 3840x2160, in normal and
 * projection mode. "Fits" is text_check.h's rule: no two texts overlap,
 * none leaves its box or the picture, none is under 13 px. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "app/lesson_view.h"
#include "lesson/lesson.h"
#include "test.h"
#include "view/render.h"
#include "view/scene.h"
#include "view/textfit.h"
#include "view/text_check.h"

struct target {
	SDL_Surface *surf;
	SDL_Renderer *ren;
	struct pw_render *r;
};

static int target_open(struct target *t)
{
	char err[512];

	memset(t, 0, sizeof(*t));
	t->surf = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
	t->ren = t->surf ? SDL_CreateSoftwareRenderer(t->surf) : NULL;
	t->r = t->ren ? pw_render_create(t->ren, PW_ASSETS_DIR "/fonts", err, sizeof(err)) : NULL;
	CHECK(t->r != NULL, "a renderer over the bundled fonts: %s", t->ren ? err : SDL_GetError());
	return t->r ? 0 : -1;
}

static void target_close(struct target *t)
{
	pw_render_destroy(t->r);
	if (t->ren)
		SDL_DestroyRenderer(t->ren);
	if (t->surf)
		SDL_FreeSurface(t->surf);
}

static const struct {
	int w, h, projection;
} sizes[] = { { 1024, 768, 0 }, { 1280, 720, 0 }, { 1920, 1080, 0 }, { 3840, 2160, 0 },
	      { 1024, 768, 1 }, { 1280, 720, 1 }, { 1920, 1080, 1 }, { 3840, 2160, 1 } };

static void check_lesson(struct target *t, struct pw_scene *sc, struct pw_lesson *l, int *reported, size_t *built)
{
	char err[512], what[256];
	struct pw_timeline *tl = lesson_view_walk(l, err, sizeof(err));
	size_t n = pw_lesson_step_count(l);

	CHECK(tl != NULL, "%s: cannot be walked: %s", pw_lesson_file(l), err);
	if (!tl)
		return;
	for (size_t k = 0; k < n; k++) {
		const struct pw_lesson_step *st = pw_lesson_step(l, k), *next = pw_lesson_step(l, k + 1);

		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			/* -2: before the answer; then each option picked. */
			int answers = st->question ? st->question->n_options : 0;

			for (int chosen = -1; chosen < answers; chosen++) {
				struct lesson_view_state ls_state = { .step = k, .chosen = chosen, .score = 1, .asked = 2 };
				struct pw_scene_highlight hl[LESSON_VIEW_MAX_HL];
				struct pw_scene_lesson ls;
				struct pw_scene_opts o;
				int pages = 1;

				lesson_view_fill(l, &ls_state, hl, &ls);
				for (int page = 0; page < pages; page++) {
					memset(&o, 0, sizeof(o));
					o.w = sizes[z].w;
					o.h = sizes[z].h;
					o.projection = sizes[z].projection;
					o.speed = 2;
					o.hover_x = o.hover_y = -1;
					o.title = pw_lesson_title(l);
					o.lesson = &ls;
					o.measure = pw_render_measure(t->r);
					o.narration_page = page;
					pw_scene_build(sc, tl, st->event < 0 ? 0 : (size_t)st->event, 1.0f, &o);
					pages = pw_scene_narration_pages(sc);
					snprintf(what, sizeof(what), "%s step %zu%s%d page %d/%d %dx%d%s", pw_lesson_file(l), k + 1,
						 chosen < 0 ? "" : " answered ", chosen < 0 ? 0 : chosen + 1, page + 1, pages,
						 sizes[z].w, sizes[z].h, sizes[z].projection ? " projection" : "");
					check_texts(t->r, sc, sizes[z].w, sizes[z].h, what, (size_t)st->event, reported);
					(*built)++;
				}
			}
		}
		/* The presenter window, at its first size and full screen. */
		for (int big = 0; big < 2; big++) {
			struct pw_scene_presenter pr = { "Now: step 1 of 12",
							 st->notes ? st->notes : "(no presenter notes for this step)",
							 next && next->question ? "Next: a checkpoint" : "Next",
							 next ? next->text : "the end of the lesson" };
			struct pw_scene_opts o = { .w = big ? 1920 : 960, .h = big ? 1080 : 540, .hover_x = -1, .hover_y = -1,
						   .measure = pw_render_measure(t->r) };

			pw_scene_build_presenter(sc, &pr, &o);
			snprintf(what, sizeof(what), "%s step %zu presenter %dx%d", pw_lesson_file(l), k + 1, o.w, o.h);
			check_texts(t->r, sc, o.w, o.h, what, k, reported);
		}
	}
	pw_timeline_destroy(tl);
}

int main(void)
{
	char err[512];
	struct pw_course *course;
	struct pw_scene *sc;
	struct target t;
	int reported = 0;
	size_t built = 0;

	SDL_setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (SDL_Init(0) || TTF_Init()) {
		fprintf(stderr, "SDL_Init/TTF_Init failed: %s\n", SDL_GetError());
		return 1;
	}
	course = pw_course_open(PW_SOURCE_DIR "/lessons", err, sizeof(err));
	CHECK(course != NULL, "the course in lessons/: %s", err);
	sc = pw_scene_create();
	if (course && sc && !target_open(&t)) {
		for (size_t i = 0; i < pw_course_count(course); i++)
			check_lesson(&t, sc, pw_course_lesson(course, i), &reported, &built);
		target_close(&t);
		CHECK(built > 1000, "only %zu pictures of lesson steps were checked", built);
		printf("%zu pictures of %zu lessons' steps checked\n", built, pw_course_count(course));
	}
	pw_scene_destroy(sc);
	pw_course_close(course);
	TTF_Quit();
	SDL_Quit();
	return test_report("test_lesson_layout");
}
