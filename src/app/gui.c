/* gui.c: the window: SDL's four phases (init, event, iterate, quit) around
 * the view. The app owns the timeline and the view state (step, tween,
 * play, modes); the scene lays out, the renderer draws. With no display it
 * prints the timeline instead, so the app command never fails on a
 * headless machine. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/lesson_view.h"
#include "app/source.h"
#include "app/window.h"
#include "lesson/lesson.h"
#include "view/render.h"
#include "view/scene.h"

#ifndef PW_ASSETS_DIR
#define PW_ASSETS_DIR "assets"
#endif

#define TWEEN_MS 350.0 /* one step's motion */

struct gui {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct pw_render *render;
	struct pw_scene *scene;
	struct pw_timeline *tl;
	char title[1200];
	char message[600]; /* a problem to show, e.g. a dropped file that would not open */
	size_t step;
	double tween;   /* 0..1 of the motion into step */
	int dir;        /* 1 forward, -1 backward, 0 at rest */
	int playing;
	double speed;   /* steps per second while playing */
	double play_acc;
	int projection, help, blackout;
	struct window_fs fs;
	int debug_window; /* PW_DEBUG_WINDOW: print what the window is after each change */
	int mouse_x, mouse_y, dragging;
	struct source_spec spec;

	/* The narration's page: it turns before "next" moves on, and goes back
	 * to the first page whenever what is narrated changes (page_of). */
	int page;
	struct page_key { int mode, walking, finished; size_t step, lstep; } page_of;
	struct page_key built; /* what the scene's narration_pages were counted for */

	/* the course: a start screen, then a lesson played over the walk */
	enum { MODE_FREE, MODE_MENU, MODE_LESSON } mode;
	struct pw_course *course;
	size_t selected;
	struct pw_lesson *lesson; /* owned by the course */
	size_t lstep;             /* the lesson step shown */
	size_t target;            /* the event the walk is heading for */
	int walking;
	double walk_factor;       /* how much faster than a step's motion the walk goes */
	int chosen;               /* the answer picked at this step, -1 before */
	int score, asked, finished;
	char progress[64][64];    /* per lesson, shown on the start screen */
	struct pw_scene_highlight hl[LESSON_VIEW_MAX_HL];

	/* the presenter window: notes and the next step, on a second screen */
	SDL_Window *pwin;
	SDL_Renderer *pren;
	struct pw_render *prender;
	struct pw_scene *pscene;
};

static size_t steps(const struct gui *g) { return pw_timeline_count(g->tl); }

/* --- narration pages ----------------------------------------------------- */

static struct page_key page_key_now(const struct gui *g)
{
	struct page_key k = { (int)g->mode, g->walking, g->finished, g->step, g->lstep };

	return k;
}

static int page_key_eq(struct page_key a, struct page_key b)
{
	return a.mode == b.mode && a.walking == b.walking && a.finished == b.finished && a.step == b.step &&
	       a.lstep == b.lstep;
}

/* Back to the first page whenever the step (or the lesson's) has changed,
 * however it changed: a key, a click, the player, a walk. */
static void page_sync(struct gui *g)
{
	struct page_key k = page_key_now(g);

	if (!page_key_eq(k, g->page_of)) {
		g->page = 0;
		g->page_of = k;
	}
}

/* Turns to the narration's next page; 1 if there was one. The page count
 * is the last drawn scene's, so it is only trusted while that scene
 * narrated what is shown now (two keys can come before one redraw). */
static int page_next(struct gui *g)
{
	page_sync(g);
	if (!page_key_eq(g->page_of, g->built) || g->page + 1 >= pw_scene_narration_pages(g->scene))
		return 0;
	g->page++;
	return 1;
}

static int page_prev(struct gui *g)
{
	page_sync(g);
	if (g->page <= 0)
		return 0;
	g->page--;
	return 1;
}

static void go_to(struct gui *g, size_t step)
{
	size_t n = steps(g);

	if (!n)
		return;
	if (step >= n)
		step = n - 1;
	if (step == g->step + 1) {
		g->step = step;
		g->tween = 0;
		g->dir = 1;
	} else if (step + 1 == g->step) {
		/* Back one: the same motion played in reverse, then rest there. */
		g->dir = -1;
		g->tween = g->dir == -1 && g->tween < 1 ? g->tween : 1;
	} else {
		g->step = step;
		g->tween = 1;
		g->dir = 0;
	}
}

static void lesson_walk(struct gui *g);

static void advance(struct gui *g, double ms)
{
	if (g->dir > 0) {
		/* A lesson walking to its next stop moves six times faster. */
		g->tween += ms / TWEEN_MS * (g->walking ? g->walk_factor : g->playing && g->speed > 2.5 ? g->speed / 2.5 : 1);
		if (g->tween >= 1) {
			g->tween = 1;
			g->dir = 0;
		}
	} else if (g->dir < 0) {
		g->tween -= ms / TWEEN_MS;
		if (g->tween <= 0) {
			if (g->step)
				g->step--;
			g->tween = 1;
			g->dir = 0;
		}
	}
	if (g->walking)
		lesson_walk(g);
	if (g->playing && !g->dir) {
		g->play_acc += ms * g->speed / 1000.0;
		if (g->play_acc >= 1) {
			g->play_acc = 0;
			if (g->step + 1 < steps(g))
				go_to(g, g->step + 1);
			else
				g->playing = 0;
		}
	}
}

static void open_capture(struct gui *g, const char *path)
{
	struct source_spec spec = g->spec;
	char title[sizeof(g->title)], err[512];
	struct pw_timeline *tl;

	spec.capture = path;
	spec.filter[0] = '\0';
	spec.frame = 0;
	tl = source_walk(&spec, title, sizeof(title), err, sizeof(err));
	if (!tl || !pw_timeline_count(tl)) {
		/* Keep what is shown; say why the file was not opened. */
		snprintf(g->message, sizeof(g->message), "%s", tl ? "the capture has no frame to walk" : err);
		pw_timeline_destroy(tl);
		return;
	}
	pw_timeline_destroy(g->tl);
	g->tl = tl;
	snprintf(g->title, sizeof(g->title), "%s", title);
	g->message[0] = '\0';
	g->step = 0;
	g->tween = 1;
	g->dir = 0;
	g->playing = 0;
}

static void scrub_to(struct gui *g, int x)
{
	const struct pw_shape *s = pw_scene_find(g->scene, PW_TAG(PW_TAGK_SCRUBBER, 0));
	size_t n = steps(g);

	if (s && n > 1 && s->w > 0) {
		double f = (x - s->x) / s->w;

		f = f < 0 ? 0 : f > 1 ? 1 : f;
		go_to(g, (size_t)(f * (double)(n - 1) + 0.5));
	}
}

static void lesson_start(struct gui *g, size_t i);
static void lesson_next(struct gui *g);
static void lesson_go(struct gui *g, size_t k, int walk);
static void lesson_answer(struct gui *g, int option);
static void toggle_presenter(struct gui *g);

/* Keys of the start screen and of a lesson; 1 if handled, else -1. */
static int mode_key(struct gui *g, SDL_Keycode k)
{
	if (g->mode == MODE_MENU) {
		size_t n = pw_course_count(g->course);

		switch (k) {
		case SDLK_UP:
		case SDLK_PAGEUP:
			if (g->selected)
				g->selected--;
			return 1;
		case SDLK_DOWN:
		case SDLK_PAGEDOWN:
			if (g->selected + 1 < n)
				g->selected++;
			return 1;
		case SDLK_RETURN:
		case SDLK_RIGHT:
		case SDLK_SPACE:
			lesson_start(g, g->selected);
			return 1;
		case SDLK_e:
			g->mode = MODE_FREE;
			return 1;
		case SDLK_ESCAPE:
		case SDLK_q:
			return 0;
		}
		return -1;
	}
	if (g->mode != MODE_LESSON)
		return -1;
	switch (k) {
	case SDLK_RIGHT:
	case SDLK_PAGEDOWN:
	case SDLK_RETURN:
	case SDLK_DOWN:
	case SDLK_SPACE:
		lesson_next(g);
		return 1;
	case SDLK_LEFT:
	case SDLK_PAGEUP:
	case SDLK_UP:
		if (!g->finished && !g->walking && page_prev(g))
			return 1;
		g->finished = 0;
		if (g->lstep)
			lesson_go(g, g->lstep - 1, 0);
		return 1;
	case SDLK_1:
	case SDLK_2:
	case SDLK_3:
	case SDLK_4:
		lesson_answer(g, (int)(k - SDLK_1));
		return 1;
	case SDLK_KP_1:
	case SDLK_KP_2:
	case SDLK_KP_3:
	case SDLK_KP_4:
		lesson_answer(g, (int)(k - SDLK_KP_1));
		return 1;
	case SDLK_ESCAPE:
		g->mode = MODE_MENU;
		g->walking = 0;
		return 1;
	case SDLK_HOME:
	case SDLK_END:
		return 1; /* a lesson goes stop by stop */
	}
	return -1;
}

static int handle_key(struct gui *g, SDL_Keycode k)
{
	size_t n = steps(g);
	int m;

	if (k == SDLK_n) {
		toggle_presenter(g);
		return 1;
	}
	if (!g->help && (m = mode_key(g, k)) >= 0)
		return m;
	switch (k) {
	case SDLK_ESCAPE:
	case SDLK_q:
		if (g->help) {
			g->help = 0;
			break;
		}
		return 0;
	case SDLK_SPACE:
		g->playing = !g->playing;
		g->play_acc = 0;
		break;
	case SDLK_RIGHT:
	case SDLK_PAGEDOWN:
	case SDLK_RETURN:
	case SDLK_DOWN:
		if (g->dir > 0) { /* a second press finishes the motion first */
			g->tween = 1;
			g->dir = 0;
		} else if (!page_next(g) && g->step + 1 < n) {
			go_to(g, g->step + 1);
		}
		break;
	case SDLK_LEFT:
	case SDLK_PAGEUP:
	case SDLK_UP:
		if (g->dir < 0) {
			g->tween = 0;
			advance(g, 0);
		} else if (!page_prev(g) && g->step > 0) {
			go_to(g, g->step - 1);
		}
		break;
	case SDLK_HOME:
		go_to(g, 0);
		break;
	case SDLK_END:
		go_to(g, n ? n - 1 : 0);
		break;
	case SDLK_PLUS:
	case SDLK_EQUALS:
	case SDLK_KP_PLUS:
		g->speed = g->speed * 1.5 > 40 ? 40 : g->speed * 1.5;
		break;
	case SDLK_MINUS:
	case SDLK_KP_MINUS:
		g->speed = g->speed / 1.5 < 0.25 ? 0.25 : g->speed / 1.5;
		break;
	case SDLK_f:
	case SDLK_F11:
		if (window_set_fullscreen(&g->fs, g->win, !window_is_fullscreen(&g->fs, g->win)))
			snprintf(g->message, sizeof(g->message), "full screen: %s", SDL_GetError());
		break;
	case SDLK_p:
		g->projection = !g->projection;
		break;
	case SDLK_b:
		g->blackout = !g->blackout;
		break;
	case SDLK_h:
	case SDLK_SLASH:
	case SDLK_QUESTION:
		g->help = !g->help;
		break;
	}
	return 1;
}

static void handle_click(struct gui *g, int x, int y)
{
	uint32_t tag = pw_scene_hit(g->scene, x, y);

	switch (PW_TAG_KIND(tag)) {
	case PW_TAGK_MENU_ITEM:
		if (g->mode == MODE_MENU)
			lesson_start(g, PW_TAG_INDEX(tag));
		break;
	case PW_TAGK_OPTION:
		lesson_answer(g, (int)PW_TAG_INDEX(tag));
		break;
	case PW_TAGK_EVENT_ROW:
		go_to(g, PW_TAG_INDEX(tag));
		break;
	case PW_TAGK_SCRUBBER:
		g->dragging = 1;
		scrub_to(g, x);
		break;
	case PW_TAGK_BUTTON:
		g->playing = !g->playing;
		break;
	}
}


/* --- lessons ----------------------------------------------------------- */

static const struct pw_lesson_step *cur_lstep(const struct gui *g)
{
	return g->lesson ? pw_lesson_step(g->lesson, g->lstep) : NULL;
}

/* Sets off towards lesson step k: the walk plays the events up to its
 * pause point quickly, then stops there. */
static void lesson_go(struct gui *g, size_t k, int walk)
{
	const struct pw_lesson_step *st = pw_lesson_step(g->lesson, k);

	if (!st || st->event < 0)
		return;
	g->lstep = k;
	g->chosen = -1;
	g->target = (size_t)st->event;
	if (walk && g->target > g->step) {
		/* Every event on the way is shown, but a long way takes at most
		 * about 2.5 s, so the class does not wait. */
		g->walking = 1;
		g->playing = 0;
		g->walk_factor = (double)(g->target - g->step) * TWEEN_MS / 2500.0;
		if (g->walk_factor < 6)
			g->walk_factor = 6;
	} else {
		g->walking = 0;
		go_to(g, g->target);
	}
}

static void lesson_start(struct gui *g, size_t i)
{
	struct pw_lesson *l = pw_course_lesson(g->course, i);
	struct pw_timeline *tl;
	char err[512];

	tl = lesson_view_walk(l, err, sizeof(err));
	if (!tl) {
		snprintf(g->message, sizeof(g->message), "%s", err);
		return;
	}
	pw_timeline_destroy(g->tl);
	g->tl = tl;
	snprintf(g->title, sizeof(g->title), "%s", pw_lesson_title(l));
	g->message[0] = '\0';
	g->lesson = l;
	g->mode = MODE_LESSON;
	g->selected = i;
	g->score = g->asked = g->finished = 0;
	g->step = 0;
	g->tween = 1;
	g->dir = 0;
	lesson_go(g, 0, 0); /* the first stop at once; later ones are walked to */
}

static void lesson_answer(struct gui *g, int option)
{
	const struct pw_lesson_step *st = cur_lstep(g);

	if (!st || !st->question || g->walking || g->chosen >= 0 || option < 0 || option >= st->question->n_options)
		return;
	g->chosen = option;
	g->asked++;
	g->score += option == st->question->answer;
}

static void lesson_next(struct gui *g)
{
	const struct pw_lesson_step *st = cur_lstep(g);

	if (g->walking) { /* a press during the walk: arrive at once */
		g->walking = 0;
		go_to(g, g->target);
		return;
	}
	if (page_next(g))
		return; /* the rest of this stop's narration first */
	if (st && st->question && g->chosen < 0)
		return; /* the walk waits for an answer */
	if (g->lstep + 1 < pw_lesson_step_count(g->lesson)) {
		lesson_go(g, g->lstep + 1, 1);
	} else if (!g->finished) {
		g->finished = 1;
		if (g->selected < sizeof(g->progress) / sizeof(g->progress[0]))
			snprintf(g->progress[g->selected], sizeof(g->progress[0]), "done · %d of %d right", g->score,
				 (int)pw_lesson_question_count(g->lesson));
	} else {
		g->mode = MODE_MENU;
	}
}

static void lesson_walk(struct gui *g)
{
	if (!g->walking || g->dir)
		return;
	if (g->step < g->target)
		go_to(g, g->step + 1);
	else
		g->walking = 0;
}

static void fill_lesson(struct gui *g, struct pw_scene_lesson *ls)
{
	struct lesson_view_state st = {
		.step = g->lstep,
		.chosen = g->chosen,
		.score = g->score,
		.asked = g->asked,
		.walking = g->walking,
		.finished = g->finished,
	};

	lesson_view_fill(g->lesson, &st, g->hl, ls);
}

static void draw_menu(struct gui *g, struct pw_scene_opts *o)
{
	struct pw_scene_menu_item items[64];
	size_t n = pw_course_count(g->course);

	if (n > 64)
		n = 64;
	for (size_t i = 0; i < n; i++) {
		struct pw_lesson *l = pw_course_lesson(g->course, i);
		int lv = pw_lesson_level(l);

		items[i].title = pw_lesson_title(l) ? pw_lesson_title(l) : pw_lesson_file(l);
		items[i].level = lv >= 0 && lv < PW_LEVEL_COUNT ? pw_lesson_level_names[lv] : "";
		items[i].summary = pw_lesson_summary(l);
		items[i].error = pw_lesson_ok(l) ? NULL : pw_lesson_error(l, 0);
		items[i].minutes = pw_lesson_minutes(l);
		items[i].progress = g->progress[i];
	}
	pw_scene_build_menu(g->scene, items, n, g->selected, o);
}

/* The presenter window: this step's notes and what comes next. */
static void draw_presenter(struct gui *g)
{
	const struct pw_lesson_step *st = cur_lstep(g), *next = g->lesson ? pw_lesson_step(g->lesson, g->lstep + 1) : NULL;
	struct pw_scene_presenter pr;
	struct pw_scene_opts o = { 0 };
	char head[160];

	if (!g->pren)
		return;
	SDL_GetRendererOutputSize(g->pren, &o.w, &o.h);
	o.hover_x = o.hover_y = -1;
	o.measure = pw_render_measure(g->prender);
	snprintf(head, sizeof(head), "Now: step %zu of %zu", g->lstep + 1, g->lesson ? pw_lesson_step_count(g->lesson) : 0);
	pr.now = head;
	pr.notes = st ? (st->notes ? st->notes : "(no presenter notes for this step)") : "Choose a lesson.";
	pr.next_title = next && next->question ? "Next: a checkpoint" : "Next";
	pr.next = next ? next->text : "the end of the lesson";
	pw_scene_build_presenter(g->pscene, &pr, &o);
	pw_render_scene(g->prender, g->pscene);
	SDL_RenderPresent(g->pren);
}

static void toggle_presenter(struct gui *g)
{
	char err[256];

	if (g->pwin) {
		pw_scene_destroy(g->pscene);
		pw_render_destroy(g->prender);
		SDL_DestroyRenderer(g->pren);
		SDL_DestroyWindow(g->pwin);
		g->pwin = NULL;
		g->pren = NULL;
		g->prender = NULL;
		g->pscene = NULL;
		return;
	}
	/* On a second display when there is one: the lecturer's screen. */
	g->pwin = SDL_CreateWindow("packetwalk: presenter",
				   SDL_WINDOWPOS_CENTERED_DISPLAY(SDL_GetNumVideoDisplays() > 1 ? 1 : 0),
				   SDL_WINDOWPOS_CENTERED_DISPLAY(SDL_GetNumVideoDisplays() > 1 ? 1 : 0), 960, 540,
				   SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
	g->pren = g->pwin ? SDL_CreateRenderer(g->pwin, -1, 0) : NULL;
	g->prender = g->pren ? pw_render_create(g->pren, PW_ASSETS_DIR "/fonts", err, sizeof(err)) : NULL;
	g->pscene = pw_scene_create();
	if (!g->prender || !g->pscene) {
		snprintf(g->message, sizeof(g->message), "no presenter window: %s", SDL_GetError());
		if (g->pwin)
			toggle_presenter(g);
	}
}

static void draw(struct gui *g)
{
	struct pw_scene_opts o = { 0 };
	char title[sizeof(g->title) + sizeof(g->message) + 8];

	SDL_GetRendererOutputSize(g->ren, &o.w, &o.h);
	o.measure = pw_render_measure(g->render);
	o.projection = g->projection;
	o.help = g->help;
	o.blackout = g->blackout;
	o.playing = g->playing;
	o.speed = g->speed;
	o.hover_x = g->mouse_x;
	o.hover_y = g->mouse_y;
	snprintf(title, sizeof(title), "%s%s%s", g->title, g->message[0] ? "  ·  " : "", g->message);
	o.title = title;
	page_sync(g);
	o.narration_page = g->page;
	g->built = g->page_of;
	if (g->mode == MODE_MENU) {
		draw_menu(g, &o);
	} else {
		struct pw_scene_lesson ls;

		if (g->mode == MODE_LESSON) {
			fill_lesson(g, &ls);
			o.lesson = &ls;
		}
		pw_scene_build(g->scene, g->tl, g->step, (float)g->tween, &o);
	}
	pw_render_scene(g->render, g->scene);
	SDL_RenderPresent(g->ren);
	draw_presenter(g);
}

/* Mouse positions come in window points; the scene is in output pixels. */
static void to_pixels(struct gui *g, int *x, int *y)
{
	int ww, wh, pw, ph;

	SDL_GetWindowSize(g->win, &ww, &wh);
	SDL_GetRendererOutputSize(g->ren, &pw, &ph);
	if (ww > 0 && wh > 0) {
		*x = *x * pw / ww;
		*y = *y * ph / wh;
	}
}

static void log_window(struct gui *g, const char *why)
{
	char buf[512];

	window_describe(g->win, g->ren, buf, sizeof(buf));
	fprintf(stderr, "packetwalk: window (%s): %s\n", why, buf);
}

static int run(struct gui *g)
{
	Uint64 last = SDL_GetPerformanceCounter();
	int running = 1;

	while (running) {
		SDL_Event ev;
		int busy = g->dir || g->playing || g->dragging;
		Uint64 now;

		/* At rest, sleep until something happens: no busy loop. */
		if (busy ? SDL_PollEvent(&ev) : SDL_WaitEventTimeout(&ev, 500)) {
			do {
				switch (ev.type) {
				case SDL_QUIT:
					running = 0;
					break;
				case SDL_KEYDOWN:
					running = handle_key(g, ev.key.keysym.sym);
					if (g->debug_window && (ev.key.keysym.sym == SDLK_f || ev.key.keysym.sym == SDLK_F11))
						log_window(g, g->fs.on ? "full screen" : "windowed");
					break;
				case SDL_MOUSEMOTION:
					g->mouse_x = ev.motion.x;
					g->mouse_y = ev.motion.y;
					to_pixels(g, &g->mouse_x, &g->mouse_y);
					if (g->dragging)
						scrub_to(g, g->mouse_x);
					break;
				case SDL_MOUSEBUTTONDOWN:
					if (ev.button.button == SDL_BUTTON_LEFT) {
						int x = ev.button.x, y = ev.button.y;

						to_pixels(g, &x, &y);
						handle_click(g, x, y);
					}
					break;
				case SDL_MOUSEBUTTONUP:
					g->dragging = 0;
					break;
				case SDL_MOUSEWHEEL:
					if (ev.wheel.y < 0 && g->step + 1 < steps(g))
						go_to(g, g->step + 1);
					else if (ev.wheel.y > 0 && g->step)
						go_to(g, g->step - 1);
					break;
				case SDL_WINDOWEVENT:
					/* A new size needs nothing more: draw() lays the picture
					 * out for the renderer's output size every frame, and
					 * this event has woken the loop to draw. */
					if (ev.window.event == SDL_WINDOWEVENT_LEAVE)
						g->mouse_x = g->mouse_y = -1;
					else if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED && g->debug_window)
						log_window(g, "size changed");
					break;
				case SDL_DROPFILE:
					open_capture(g, ev.drop.file);
					SDL_free(ev.drop.file);
					break;
				}
			} while (running && SDL_PollEvent(&ev));
		}
		now = SDL_GetPerformanceCounter();
		advance(g, (double)(now - last) * 1000.0 / (double)SDL_GetPerformanceFrequency());
		last = now;
		draw(g);
	}
	return 0;
}

static void print_timeline(const struct pw_timeline *tl)
{
	for (size_t i = 0; i < pw_timeline_count(tl); i++) {
		const struct pw_event *e = pw_timeline_event(tl, i);

		printf("%5u %-2s %-15s %-28s %s\n", e->i, e->host ? "B" : "A", pw_ctx_names[e->ctx], e->func, e->text);
	}
}

int cmd_gui(int argc, char **argv)
{
	struct gui g;
	char err[512];
	int rc = 0;

	memset(&g, 0, sizeof(g));
	scenario_defaults(argc, argv, &g.spec.params);
	for (int i = 1; i < argc; i++) {
		int r = scenario_option(argc, argv, &i, &g.spec.params, err, sizeof(err));

		if (r < 0) {
			fprintf(stderr, "packetwalk: %s\n", err);
			return 2;
		}
		if (r)
			continue;
		if (argv[i][0] != '-' && !g.spec.capture) {
			g.spec.capture = argv[i]; /* packetwalk FILE.pcap [FILTER] */
		} else if (argv[i][0] != '-') {
			if (source_add_filter(&g.spec, argv[i])) {
				fprintf(stderr, "packetwalk: the filter is too long\n");
				return 2;
			}
		} else {
			fprintf(stderr, "packetwalk: unknown option '%s' (see packetwalk --help)\n", argv[i]);
			return 2;
		}
	}
	if (pw_params_check(&g.spec.params, err, sizeof(err))) {
		fprintf(stderr, "packetwalk: %s\n", err);
		return 2;
	}
	g.tl = source_walk(&g.spec, g.title, sizeof(g.title), err, sizeof(err));
	if (!g.tl) {
		fprintf(stderr, "packetwalk: %s\n", err);
		return 1;
	}
	g.speed = 2;
	g.tween = 1;
	g.mouse_x = g.mouse_y = -1;
	g.chosen = -1;
	/* With no arguments the course's start screen comes first. */
	if (argc == 1) {
		g.course = pw_course_open(pw_lesson_default_dir(), err, sizeof(err));
		if (g.course && pw_course_count(g.course))
			g.mode = MODE_MENU;
	}
	/* SDL's software renderer is the fast one on machines without a GPU;
	 * SDL_RENDER_DRIVER picks another where there is one. */
	if (!SDL_getenv("SDL_RENDER_DRIVER")) {
		SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	}
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "packetwalk: no display (%s); printing the timeline instead.\n", SDL_GetError());
		print_timeline(g.tl);
		pw_timeline_destroy(g.tl);
		pw_course_close(g.course);
		return 0;
	}
	if (TTF_Init() != 0) {
		fprintf(stderr, "packetwalk: SDL_ttf: %s\n", TTF_GetError());
		rc = 1;
		goto out;
	}
	{
		SDL_Rect area;
		int w = 1280, h = 720;

		if (SDL_GetDisplayUsableBounds(0, &area) == 0 && area.w > 0 && area.h > 0)
			window_first_size(area.w, area.h, &w, &h);
		g.win = SDL_CreateWindow("packetwalk", SDL_WINDOWPOS_CENTERED_DISPLAY(0), SDL_WINDOWPOS_CENTERED_DISPLAY(0),
					 w, h, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
	}
	g.ren = g.win ? SDL_CreateRenderer(g.win, -1, 0) : NULL;
	if (!g.ren) {
		fprintf(stderr, "packetwalk: cannot open a window: %s\n", SDL_GetError());
		rc = 1;
		goto out;
	}
	SDL_SetWindowMinimumSize(g.win, 640, 360);
	g.render = pw_render_create(g.ren, PW_ASSETS_DIR "/fonts", err, sizeof(err));
	g.scene = pw_scene_create();
	if (!g.render || !g.scene) {
		fprintf(stderr, "packetwalk: %s\n", g.render ? "out of memory" : err);
		rc = 1;
		goto out;
	}
	SDL_EventState(SDL_DROPFILE, SDL_ENABLE);
	g.debug_window = SDL_getenv("PW_DEBUG_WINDOW") != NULL;
	if (g.debug_window)
		log_window(&g, "opened");
	rc = run(&g);
out:
	if (g.pwin)
		toggle_presenter(&g);
	pw_course_close(g.course);
	pw_scene_destroy(g.scene);
	pw_render_destroy(g.render);
	if (g.ren)
		SDL_DestroyRenderer(g.ren);
	if (g.win)
		SDL_DestroyWindow(g.win);
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
	pw_timeline_destroy(g.tl);
	return rc;
}
