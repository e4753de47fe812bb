/* gui.c: the window. For now a plain step-through of the timeline: the
 * current event's sentence, function and skb, with the events around it.
 * With no display it prints the timeline instead, so the app command
 * never fails on a headless machine. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"

#ifndef PW_ASSETS_DIR
#define PW_ASSETS_DIR "assets"
#endif

struct gui {
	SDL_Window *win;
	SDL_Renderer *ren;
	TTF_Font *font, *big;
	const struct pw_timeline *tl;
	size_t cur;
};

static void draw_text(struct gui *g, TTF_Font *f, int x, int y, SDL_Color c, const char *s)
{
	SDL_Surface *surf;
	SDL_Texture *tex;
	SDL_Rect r;

	if (!s || !*s)
		return;
	surf = TTF_RenderUTF8_Blended_Wrapped(f, s, c, 1200);
	if (!surf)
		return;
	tex = SDL_CreateTextureFromSurface(g->ren, surf);
	r = (SDL_Rect){ x, y, surf->w, surf->h };
	SDL_FreeSurface(surf);
	if (!tex)
		return;
	SDL_RenderCopy(g->ren, tex, NULL, &r);
	SDL_DestroyTexture(tex);
}

static void draw(struct gui *g)
{
	const SDL_Color fg = { 230, 230, 230, 255 }, dim = { 140, 140, 140, 255 }, hi = { 255, 210, 90, 255 };
	size_t n = pw_timeline_count(g->tl);
	const struct pw_event *e = pw_timeline_event(g->tl, g->cur);
	char line[512];

	SDL_SetRenderDrawColor(g->ren, 24, 26, 32, 255);
	SDL_RenderClear(g->ren);
	if (e) {
		snprintf(line, sizeof(line), "Step %u of %zu   host %s   %s   %s  (%s)", e->i + 1, n, e->host ? "B" : "A",
			 pw_ctx_names[e->ctx], e->func, e->src);
		draw_text(g, g->big, 40, 30, hi, line);
		draw_text(g, g->big, 40, 80, fg, e->text);
		if (e->skb.id) {
			snprintf(line, sizeof(line), "skb %u: head 0  data %d  tail %d  end %d  len %d  mac %d  network %d  transport %d",
				 e->skb.id, e->skb.data, e->skb.tail, e->skb.end, e->skb.len, e->skb.mac, e->skb.network,
				 e->skb.transport);
			draw_text(g, g->font, 40, 200, fg, line);
		}
	}
	for (int k = -6; k <= 6; k++) {
		const struct pw_event *o;

		if ((long)g->cur + k < 0)
			continue;
		o = pw_timeline_event(g->tl, (size_t)((long)g->cur + k));
		if (!o)
			continue;
		snprintf(line, sizeof(line), "%5u  %s  %-15s %-28s %s", o->i, o->host ? "B" : "A", pw_ctx_names[o->ctx],
			 o->func, pw_tp_names[o->tp] ? pw_tp_names[o->tp] : "");
		draw_text(g, g->font, 40, 300 + (k + 6) * 28, k ? dim : hi, line);
	}
	draw_text(g, g->font, 40, 680, dim, "Right/PgDn: next step   Left/PgUp: back   Home/End   Esc: quit");
	SDL_RenderPresent(g->ren);
}

static int run_window(struct gui *g)
{
	SDL_Event ev;
	int running = 1;

	draw(g);
	while (running && SDL_WaitEvent(&ev)) {
		size_t n = pw_timeline_count(g->tl);

		if (ev.type == SDL_QUIT)
			running = 0;
		else if (ev.type == SDL_KEYDOWN) {
			switch (ev.key.keysym.sym) {
			case SDLK_ESCAPE:
			case SDLK_q:
				running = 0;
				break;
			case SDLK_RIGHT:
			case SDLK_PAGEDOWN:
			case SDLK_RETURN:
			case SDLK_SPACE:
				if (g->cur + 1 < n)
					g->cur++;
				break;
			case SDLK_LEFT:
			case SDLK_PAGEUP:
				if (g->cur)
					g->cur--;
				break;
			case SDLK_HOME:
				g->cur = 0;
				break;
			case SDLK_END:
				g->cur = n ? n - 1 : 0;
				break;
			}
		}
		draw(g);
	}
	return 0;
}

int cmd_gui(int argc, char **argv)
{
	struct pw_params p;
	struct pw_result res;
	struct pw_timeline *tl;
	struct gui g;
	char err[512];
	int rc = 0;

	scenario_defaults(argc, argv, &p);
	for (int i = 1; i < argc; i++) {
		int r = scenario_option(argc, argv, &i, &p, err, sizeof(err));

		if (r < 0) {
			fprintf(stderr, "packetwalk: %s\n", err);
			return 2;
		}
		if (!r) {
			fprintf(stderr, "packetwalk: unknown option '%s' (see packetwalk --help)\n", argv[i]);
			return 2;
		}
	}
	tl = pw_timeline_create(1);
	if (!tl || pw_engine_run(&p, tl, NULL, NULL, &res, err, sizeof(err))) {
		fprintf(stderr, "packetwalk: %s\n", tl ? err : "out of memory");
		pw_timeline_destroy(tl);
		return 1;
	}
	memset(&g, 0, sizeof(g));
	g.tl = tl;
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "packetwalk: no display (%s); printing the timeline instead.\n", SDL_GetError());
		for (size_t i = 0; i < pw_timeline_count(tl); i++) {
			const struct pw_event *e = pw_timeline_event(tl, i);

			printf("%5u %-2s %-15s %-28s %s\n", e->i, e->host ? "B" : "A", pw_ctx_names[e->ctx], e->func, e->text);
		}
		pw_timeline_destroy(tl);
		return 0;
	}
	if (TTF_Init() != 0) {
		fprintf(stderr, "packetwalk: SDL_ttf: %s\n", TTF_GetError());
		rc = 1;
		goto out;
	}
	g.font = TTF_OpenFont(PW_ASSETS_DIR "/fonts/DejaVuSansMono.ttf", 18);
	g.big = TTF_OpenFont(PW_ASSETS_DIR "/fonts/DejaVuSans.ttf", 24);
	if (!g.font || !g.big) {
		fprintf(stderr, "packetwalk: %s/fonts: %s\n", PW_ASSETS_DIR, TTF_GetError());
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
	SDL_RenderSetLogicalSize(g.ren, 1280, 720);
	rc = run_window(&g);
out:
	if (g.font)
		TTF_CloseFont(g.font);
	if (g.big)
		TTF_CloseFont(g.big);
	if (g.ren)
		SDL_DestroyRenderer(g.ren);
	if (g.win)
		SDL_DestroyWindow(g.win);
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
	pw_timeline_destroy(tl);
	return rc;
}
