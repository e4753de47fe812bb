/* render.h: drawing a scene with SDL2 and SDL2_ttf.
 *
 * Text is rendered once per distinct (string, font, size, colour) into a
 * texture and kept in a cache; the static shapes of a step are drawn once
 * into a layer texture that is reused while pw_scene_static_key stays the
 * same, so a frame of a tween costs one layer copy plus the few dynamic
 * shapes. When the key changes, only the parts of the layer whose static
 * shapes changed are repainted. Works with any SDL renderer, the software
 * one included.
 */
#ifndef PW_VIEW_RENDER_H
#define PW_VIEW_RENDER_H

#include <SDL.h>
#include <stddef.h>

#include "view/scene.h"

struct pw_render;

/* font_dir holds DejaVuSans.ttf, DejaVuSans-Bold.ttf, DejaVuSansMono.ttf and
 * DejaVuSansMono-Bold.ttf. NULL with a sentence in err (naming the file)
 * when a font cannot be opened. TTF_Init must have been called. */
struct pw_render *pw_render_create(SDL_Renderer *ren, const char *font_dir, char *err, size_t errlen);
void pw_render_destroy(struct pw_render *r);

/* Draws the scene to the renderer's current target (does not present).
 * Every pixel is painted (a scene's first shape is its ground), so the
 * frame needs no clear first; the layer's ground is the renderer's draw
 * colour at the time of the call. */
void pw_render_scene(struct pw_render *r, const struct pw_scene *sc);

/* Width in pixels of text in a font and size (for layout that must fit). */
int pw_render_text_width(struct pw_render *r, int font, int px, const char *text);
/* The renderer's fonts as the scene's text metrics (pw_scene_opts.measure):
 * valid while r lives. */
const struct pw_text_measure *pw_render_measure(struct pw_render *r);

/* Drops cached textures (e.g. after the window was resized a lot). */
void pw_render_flush(struct pw_render *r);

/* Counters since pw_render_create, for tests and the benchmark. */
struct pw_render_stats {
	size_t texts_cached;    /* strings in the text cache now */
	size_t text_bytes;      /* bytes of their textures */
	size_t text_hits, text_misses, text_evictions;
	size_t layer_builds;    /* times the static layer was brought up to date */
	size_t layer_partial;   /* of those, times only its changed parts were repainted */
	size_t frames_layered;  /* frames drawn as layer copy + dynamic shapes */
	size_t frames_direct;   /* frames drawn shape by shape (no target textures) */
	size_t fonts_opened;    /* TTF_OpenFont calls that succeeded */
	size_t fonts_open;      /* fonts open now */
	size_t heap_trims;      /* times freed heap memory was handed back (glibc only) */
	double layer_ms;        /* time spent drawing the static layer */
	double text_ms;         /* time spent rendering strings on cache misses */
};
void pw_render_get_stats(const struct pw_render *r, struct pw_render_stats *st);

#endif
