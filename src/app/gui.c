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
#include "app/source.h"
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
	int projection, help, blackout, fullscreen;
	int mouse_x, mouse_y, dragging;
	struct source_spec spec;
};

static size_t steps(const struct gui *g) { return pw_timeline_count(g->tl); }

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

static void advance(struct gui *g, double ms)
{
	if (g->dir > 0) {
		g->tween += ms / TWEEN_MS * (g->playing && g->speed > 2.5 ? g->speed / 2.5 : 1);
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

static int handle_key(struct gui *g, SDL_Keycode k)
{
	size_t n = steps(g);

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
		} else if (g->step + 1 < n) {
			go_to(g, g->step + 1);
		}
		break;
	case SDLK_LEFT:
	case SDLK_PAGEUP:
	case SDLK_UP:
		if (g->dir < 0) {
			g->tween = 0;
			advance(g, 0);
		} else if (g->step > 0) {
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
		g->fullscreen = !g->fullscreen;
		SDL_SetWindowFullscreen(g->win, g->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
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

static void draw(struct gui *g)
{
	struct pw_scene_opts o = { 0 };
	char title[sizeof(g->title) + sizeof(g->message) + 8];

	SDL_GetRendererOutputSize(g->ren, &o.w, &o.h);
	o.projection = g->projection;
	o.help = g->help;
	o.blackout = g->blackout;
	o.playing = g->playing;
	o.speed = g->speed;
	o.hover_x = g->mouse_x;
	o.hover_y = g->mouse_y;
	snprintf(title, sizeof(title), "%s%s%s", g->title, g->message[0] ? "  ·  " : "", g->message);
	o.title = title;
	pw_scene_build(g->scene, g->tl, g->step, (float)g->tween, &o);
	pw_render_scene(g->render, g->scene);
	SDL_RenderPresent(g->ren);
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
					if (ev.window.event == SDL_WINDOWEVENT_LEAVE)
						g->mouse_x = g->mouse_y = -1;
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
		return 0;
	}
	if (TTF_Init() != 0) {
		fprintf(stderr, "packetwalk: SDL_ttf: %s\n", TTF_GetError());
		rc = 1;
		goto out;
	}
	g.win = SDL_CreateWindow("packetwalk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 720,
				 SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
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
	rc = run(&g);
out:
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
