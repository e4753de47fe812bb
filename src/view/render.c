/* render.c: drawing a scene (view/scene.h) with SDL2 and SDL2_ttf.
 *
 * A frame is the static layer copied in one blit, then the dynamic shapes
 * drawn on top. The static layer is a target texture holding every static
 * shape of the step. It is brought up to date only when
 * pw_scene_static_key changes, and then only where something changed: the
 * new static shapes are matched in order against the ones the layer was
 * drawn from, and just the rectangles covered by shapes that appeared,
 * went or changed are repainted (every static shape that touches them is
 * drawn again, clipped, in scene order). Moving one step changes the
 * narration, the event list, the hex pane, a lane or two: well under half
 * the picture. Renderers without target textures draw every shape every
 * frame instead.
 *
 * Text is rendered once per distinct (string, font, size, colour, wrap
 * width) with SDL_ttf's blended (anti-aliased) functions into its own
 * texture and kept in a cache: an open-addressing hash table (FNV-1a,
 * linear probing, deletion by backward shift) over a fixed pool of entries
 * on an LRU list. When the picture changes, the strings it no longer
 * shows are dropped (the layer keeps their pixels), so the cache holds one
 * picture's strings. Strings come and go in all sizes, and the holes they
 * leave in the heap kept resident memory wandering by a megabyte or more;
 * so once more than HEAP_SLACK of freed memory is held, it is handed back
 * with malloc_trim, in the frame after the one that changed the picture.
 * That costs about 0.1 ms, and new strings then take their pages again
 * with page faults (another 0.2 ms a step on the development machine), but
 * resident memory stays flat however many frames are drawn (README gives
 * the figures). One texture per string, drawn 1:1, is what keeps
 * SDL's software renderer on its fast path (a straight alpha blit); a
 * glyph atlas tinted with SDL_SetTextureColorMod was measured slower there.
 *
 * Fonts are opened on demand per (font, pixel size), since sizes follow the
 * window's scale, and kept in a small LRU table.
 *
 * Two things keep SDL's software renderer on its fast paths (measured on
 * the 2-core development machine, no GPU):
 *   - one pixel format throughout: the layer takes the window's format, or
 *     ARGB8888 (what SDL_ttf makes) when the renderer has no window, so
 *     draw offscreen into an ARGB8888 surface: copying the layer into an
 *     RGBA32 one was 4.7 times slower;
 *   - opaque rectangles copied from a solid tile of their colour rather
 *     than filled: SDL fills with streaming stores at about 350 ns a row
 *     whatever the width, so a picture's many narrow boxes cost more than
 *     its full-width ones (see fill_rect).
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
#include <malloc.h>
#define HAVE_MALLOC_TRIM 1 /* with mallinfo2, glibc 2.33 on */
#endif

#include "view/render.h"

#define FONT_SLOTS 32           /* open (font, px) pairs */
#define FONT_PX_MIN 4
#define FONT_PX_MAX 400

/* The text cache: TEXT_MAX entries, hashed into TEXT_SLOTS slots (a power
 * of two, twice the entries, so probe runs stay short), holding at most
 * TEXT_BYTES of texture pixels. A busy picture shows about 150 strings. */
#define TEXT_MAX 2048
#define TEXT_SLOTS 4096
#define TEXT_BYTES ((size_t)128 << 20)
/* Freed heap memory held past this is handed back (see heap_give_back). */
#define HEAP_SLACK ((size_t)512 << 10)

/* Damage tracking: shapes that differ are looked for this far ahead in
 * either list before being counted as changed; at most DIRTY_MAX
 * rectangles are repainted; past DIRTY_FULL_PCT of the picture, the whole
 * layer is redrawn. */
#define MATCH_AHEAD 48
#define DIRTY_MAX 16
#define DIRTY_FULL_PCT 70

/* Solid tiles: on the software renderer an opaque rectangle narrower than
 * TILE_W is copied from a tile of its colour instead of filled (see
 * fill_rect). TILE_SLOTS colours are kept; a picture uses about 30. */
#define TILE_W 1024
#define TILE_H 16
#define TILE_SLOTS 48

#define NIL (-1)

struct font_slot {
	TTF_Font *f;     /* NULL: slot free */
	int font, px;
	uint64_t used;   /* r->tick when last asked for */
};

struct text_entry {
	char *text;       /* NULL: entry free */
	size_t len;
	uint32_t hash;
	uint32_t rgba;
	int font, px, wrap;
	int align;        /* only matters for wrapped text: how lines align */
	SDL_Texture *tex; /* NULL when SDL_ttf could not render the string */
	int w, h;         /* the texture's size */
	size_t bytes;     /* texture pixels, counted against TEXT_BYTES */
	uint64_t gen;     /* r->gen when last drawn */
	int prev, next;   /* LRU list (most recent first), or the free list */
};

struct tile {
	SDL_Texture *tex; /* NULL: slot free */
	uint32_t rgba;
	uint64_t used;
};

/* A static shape with the pixels it touches. */
struct placed {
	struct pw_shape s; /* for the layer's shapes, s.text points into their arena */
	SDL_Rect box;      /* empty (w 0) when the shape draws nothing */
	uint8_t dirty;
};

struct shape_list {
	struct placed *v;
	size_t n, cap;
	char *text;        /* the layer's copy of its strings */
	size_t text_cap;
};

struct pw_render {
	SDL_Renderer *ren;
	int software;            /* SDL's software renderer: fills go through tiles */
	struct pw_text_measure measure; /* pw_render_measure's answer */
	const SDL_Rect *clip;    /* the clip rectangle set while painting the layer, or NULL */
	struct tile tiles[TILE_SLOTS];
	char font_path[PW_FONT_COUNT][1024];
	struct font_slot fonts[FONT_SLOTS];
	uint64_t tick;

	struct text_entry *ents; /* TEXT_MAX */
	int *slots;              /* TEXT_SLOTS: entry index or NIL */
	int lru_head, lru_tail, free_head;
	size_t texts, text_bytes;
	uint64_t gen;            /* layer updates so far */
	int trim_due;            /* strings were dropped: hand the heap back next frame */

	/* The static layer: valid when layer_ok, for layer_key at w x h,
	 * drawn from the shapes in drawn over a ground of layer_ground. */
	SDL_Texture *layer;
	int layer_w, layer_h, layer_ok;
	uint64_t layer_key;
	uint32_t layer_ground;
	int no_targets;          /* target textures failed: draw everything */
	struct shape_list drawn, next;
	SDL_Rect dirty[DIRTY_MAX];
	int ndirty;

	struct pw_render_stats st;
};

static double ms_since(Uint64 t0)
{
	return (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

/* ------------------------------------------------------------------ fonts */

static int clamp_px(int px)
{
	return px < FONT_PX_MIN ? FONT_PX_MIN : px > FONT_PX_MAX ? FONT_PX_MAX : px;
}

static TTF_Font *font_get(struct pw_render *r, int font, int px)
{
	struct font_slot *victim = NULL;

	if (font < 0 || font >= PW_FONT_COUNT)
		return NULL;
	px = clamp_px(px);
	r->tick++;
	for (int i = 0; i < FONT_SLOTS; i++) {
		struct font_slot *s = &r->fonts[i];

		if (s->f && s->font == font && s->px == px) {
			s->used = r->tick;
			return s->f;
		}
		if (!victim || !s->f || (victim->f && s->used < victim->used))
			victim = s;
	}
	/* Closing a font leaves the textures made with it intact. */
	if (victim->f)
		TTF_CloseFont(victim->f);
	victim->f = TTF_OpenFont(r->font_path[font], px);
	victim->font = font;
	victim->px = px;
	victim->used = r->tick;
	if (victim->f)
		r->st.fonts_opened++;
	return victim->f;
}

static void fonts_close(struct pw_render *r)
{
	for (int i = 0; i < FONT_SLOTS; i++) {
		if (r->fonts[i].f)
			TTF_CloseFont(r->fonts[i].f);
		r->fonts[i].f = NULL;
	}
}

/* ------------------------------------------------------------- text cache */

static uint32_t text_hash(const char *s, size_t len, int font, int px, uint32_t rgba, int wrap, int align)
{
	uint32_t h = 2166136261u;
	uint32_t extra[5] = { (uint32_t)font, (uint32_t)px, rgba, (uint32_t)wrap, (uint32_t)align };

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	for (int i = 0; i < 5; i++)
		for (int k = 0; k < 32; k += 8) {
			h ^= (extra[i] >> k) & 0xff;
			h *= 16777619u;
		}
	return h;
}

static void lru_unlink(struct pw_render *r, int i)
{
	struct text_entry *e = &r->ents[i];

	if (e->prev != NIL)
		r->ents[e->prev].next = e->next;
	else
		r->lru_head = e->next;
	if (e->next != NIL)
		r->ents[e->next].prev = e->prev;
	else
		r->lru_tail = e->prev;
	e->prev = e->next = NIL;
}

static void lru_push_front(struct pw_render *r, int i)
{
	struct text_entry *e = &r->ents[i];

	e->prev = NIL;
	e->next = r->lru_head;
	if (r->lru_head != NIL)
		r->ents[r->lru_head].prev = i;
	r->lru_head = i;
	if (r->lru_tail == NIL)
		r->lru_tail = i;
}

/* Removes the entry in slot s from the table. With linear probing a hole
 * would cut the probe runs of entries placed after it, so each later entry
 * of the run moves back into the hole unless its home slot lies
 * (cyclically) after the hole. */
static void slot_delete(struct pw_render *r, unsigned s)
{
	const unsigned mask = TEXT_SLOTS - 1;
	unsigned hole = s, j = s;

	for (;;) {
		unsigned home;

		j = (j + 1) & mask;
		if (r->slots[j] == NIL)
			break;
		home = r->ents[r->slots[j]].hash & mask;
		if (hole <= j ? (hole < home && home <= j) : (hole < home || home <= j))
			continue;
		r->slots[hole] = r->slots[j];
		hole = j;
	}
	r->slots[hole] = NIL;
}

/* Frees entry i: its texture, its string, its slot; back on the free list. */
static void text_evict(struct pw_render *r, int i)
{
	struct text_entry *e = &r->ents[i];
	unsigned s = e->hash & (TEXT_SLOTS - 1);

	while (r->slots[s] != i)
		s = (s + 1) & (TEXT_SLOTS - 1);
	slot_delete(r, s);
	lru_unlink(r, i);
	/* SDL flushes queued draws that use a texture before destroying or
	 * updating it, so dropping a string drawn earlier in this frame is
	 * safe. */
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	free(e->text);
	r->text_bytes -= e->bytes;
	r->texts--;
	memset(e, 0, sizeof(*e));
	e->prev = NIL;
	e->next = r->free_head;
	r->free_head = i;
	r->st.text_evictions++;
}

static void texts_clear(struct pw_render *r)
{
	while (r->lru_tail != NIL)
		text_evict(r, r->lru_tail);
}

/* Drops the strings the current picture did not draw. The LRU list is in
 * order of last use, and generations only grow, so the stale ones are all
 * at its tail. The heap pages they freed are given back a frame later
 * (heap_give_back): a frame that changes the picture has work enough. */
static void texts_age(struct pw_render *r)
{
	size_t before = r->st.text_evictions;

	while (r->lru_tail != NIL && r->ents[r->lru_tail].gen < r->gen)
		text_evict(r, r->lru_tail);
	if (r->st.text_evictions != before)
		r->trim_due = 1;
}

static void heap_give_back(struct pw_render *r)
{
	if (!r->trim_due)
		return;
	r->trim_due = 0;
#ifdef HAVE_MALLOC_TRIM
	if (mallinfo2().fordblks > HEAP_SLACK) {
		malloc_trim(0);
		r->st.heap_trims++;
	}
#endif
}

/* Renders a string into a new texture; tex stays NULL when SDL_ttf cannot
 * (the entry is kept anyway, so a bad string costs one attempt, not one a
 * frame). */
static void text_make(struct pw_render *r, struct text_entry *e)
{
	SDL_Color c = { (Uint8)(e->rgba >> 24), (Uint8)(e->rgba >> 16), (Uint8)(e->rgba >> 8), (Uint8)e->rgba };
	Uint64 t0 = SDL_GetPerformanceCounter();
	TTF_Font *f = font_get(r, e->font, e->px);
	SDL_Surface *surf;

	if (!f)
		return;
	if (e->wrap > 0) {
		TTF_SetFontWrappedAlign(f, e->align == PW_ALIGN_CENTER  ? TTF_WRAPPED_ALIGN_CENTER
					   : e->align == PW_ALIGN_RIGHT ? TTF_WRAPPED_ALIGN_RIGHT
									: TTF_WRAPPED_ALIGN_LEFT);
		surf = TTF_RenderUTF8_Blended_Wrapped(f, e->text, c, (Uint32)e->wrap);
	} else {
		surf = TTF_RenderUTF8_Blended(f, e->text, c);
	}
	if (surf && surf->format->format != SDL_PIXELFORMAT_ARGB8888) {
		SDL_Surface *conv = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_ARGB8888, 0);

		SDL_FreeSurface(surf);
		surf = conv;
	}
	if (!surf)
		return;
	e->tex = SDL_CreateTexture(r->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, surf->w, surf->h);
	if (e->tex)
		SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
	if (e->tex && SDL_UpdateTexture(e->tex, NULL, surf->pixels, surf->pitch)) {
		SDL_DestroyTexture(e->tex);
		e->tex = NULL;
	}
	if (e->tex) {
		e->w = surf->w;
		e->h = surf->h;
		e->bytes = (size_t)e->w * (size_t)e->h * 4;
	}
	SDL_FreeSurface(surf);
	r->st.text_ms += ms_since(t0);
}

/* The cached texture for a string, rendering it on a miss. NULL when the
 * string cannot be drawn. */
static const struct text_entry *text_get(struct pw_render *r, const char *s, int font, int px, uint32_t rgba,
					 int wrap, int align)
{
	const unsigned mask = TEXT_SLOTS - 1;
	size_t len = strlen(s);
	uint32_t h;
	unsigned slot;
	struct text_entry *e;
	int i;

	px = clamp_px(px);
	if (wrap <= 0)
		align = 0; /* a single line is aligned by where it is drawn */
	h = text_hash(s, len, font, px, rgba, wrap, align);
	for (slot = h & mask; (i = r->slots[slot]) != NIL; slot = (slot + 1) & mask) {
		e = &r->ents[i];
		if (e->hash == h && e->len == len && e->font == font && e->px == px && e->rgba == rgba &&
		    e->wrap == wrap && e->align == align && !memcmp(e->text, s, len)) {
			r->st.text_hits++;
			e->gen = r->gen;
			if (r->lru_head != i) {
				lru_unlink(r, i);
				lru_push_front(r, i);
			}
			return e->tex ? e : NULL;
		}
	}

	r->st.text_misses++;
	if (r->free_head == NIL)
		text_evict(r, r->lru_tail);
	i = r->free_head;
	e = &r->ents[i];
	e->text = malloc(len + 1);
	if (!e->text)
		return NULL;
	r->free_head = e->next;
	memcpy(e->text, s, len + 1);
	e->len = len;
	e->hash = h;
	e->font = font;
	e->px = px;
	e->rgba = rgba;
	e->wrap = wrap;
	e->align = align;
	e->gen = r->gen;
	text_make(r, e);

	/* An eviction above may have shifted the probe run: look again. */
	for (slot = h & mask; r->slots[slot] != NIL; slot = (slot + 1) & mask)
		;
	r->slots[slot] = i;
	lru_push_front(r, i);
	r->texts++;
	r->text_bytes += e->bytes;
	/* Over the byte budget: drop the oldest strings, never the new one. */
	while (r->text_bytes > TEXT_BYTES && r->lru_tail != i)
		text_evict(r, r->lru_tail);
	return e->tex ? e : NULL;
}

/* ------------------------------------------------------------------ boxes */

static SDL_Rect rect_round(float x, float y, float w, float h)
{
	int x0 = (int)lroundf(x), y0 = (int)lroundf(y);
	int x1 = (int)lroundf(x + w), y1 = (int)lroundf(y + h);

	if (w <= 0 || h <= 0)
		return (SDL_Rect){ 0, 0, 0, 0 };
	/* Something asked for must show: a sliver gets one pixel. */
	if (x1 <= x0)
		x1 = x0 + 1;
	if (y1 <= y0)
		y1 = y0 + 1;
	return (SDL_Rect){ x0, y0, x1 - x0, y1 - y0 };
}

static float line_px(const struct pw_shape *s)
{
	return s->px ? (float)s->px : 1.0f;
}

/* An axis-aligned line is drawn as this rectangle. */
static SDL_Rect line_rect(const struct pw_shape *s)
{
	float t = line_px(s);
	float x = s->w < 0 ? s->x + s->w : s->x, y = s->h < 0 ? s->y + s->h : s->y;

	if (s->h == 0)
		return rect_round(x, s->y - t / 2, fabsf(s->w) > 0 ? fabsf(s->w) : t, t);
	return rect_round(s->x - t / 2, y, t, fabsf(s->h));
}

/* Where a text's texture lands; *e gets the texture (NULL: nothing drawn). */
static SDL_Rect text_rect(struct pw_render *r, const struct pw_shape *s, const struct text_entry **e)
{
	int wrap = s->w > 0 ? (int)lroundf(s->w) : 0;
	SDL_Rect dst = { 0, 0, 0, 0 };

	*e = NULL;
	if (!s->text || !s->text[0] || !s->px)
		return dst;
	*e = text_get(r, s->text, s->font, s->px, s->rgba, wrap, s->align);
	if (!*e)
		return dst;
	dst.w = (*e)->w;
	dst.h = (*e)->h;
	dst.y = (int)lroundf(s->y);
	/* Whole pixels: a texture drawn 1:1 at an integer position is a
	 * straight blit, and the glyphs stay sharp. */
	switch (s->align) {
	case PW_ALIGN_CENTER:
		dst.x = (int)lroundf(s->x - (float)(*e)->w / 2);
		break;
	case PW_ALIGN_RIGHT:
		dst.x = (int)lroundf(s->x) - (*e)->w;
		break;
	default:
		dst.x = (int)lroundf(s->x);
	}
	return dst;
}

/* The pixels a shape may touch (a conservative box for slanted lines). */
static SDL_Rect shape_box(struct pw_render *r, const struct pw_shape *s)
{
	const struct text_entry *e;
	float t, x0, y0, x1, y1;

	if (!(s->rgba & 0xff))
		return (SDL_Rect){ 0, 0, 0, 0 };
	switch (s->kind) {
	case PW_SHAPE_FILL:
	case PW_SHAPE_OUTLINE:
		return rect_round(s->x, s->y, s->w, s->h);
	case PW_SHAPE_LINE:
		if (s->w == 0 || s->h == 0)
			return line_rect(s);
		t = line_px(s);
		x0 = fminf(s->x, s->x + s->w) - t - 2;
		y0 = fminf(s->y, s->y + s->h) - t - 2;
		x1 = fmaxf(s->x, s->x + s->w) + t + 2;
		y1 = fmaxf(s->y, s->y + s->h) + t + 2;
		return (SDL_Rect){ (int)floorf(x0), (int)floorf(y0), (int)ceilf(x1 - floorf(x0)),
				   (int)ceilf(y1 - floorf(y0)) };
	case PW_SHAPE_TEXT:
		return text_rect(r, s, &e);
	}
	return (SDL_Rect){ 0, 0, 0, 0 };
}

/* ----------------------------------------------------------------- shapes */

static void set_color(struct pw_render *r, uint32_t rgba)
{
	Uint8 a = (Uint8)rgba;

	SDL_SetRenderDrawBlendMode(r->ren, a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r->ren, (Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8), a);
}

/* The tile of an opaque colour, made on first use; NULL if it cannot be. */
static SDL_Texture *tile_get(struct pw_render *r, uint32_t rgba)
{
	struct tile *victim = NULL;
	SDL_Surface *surf;

	r->tick++;
	for (int i = 0; i < TILE_SLOTS; i++) {
		struct tile *t = &r->tiles[i];

		if (t->tex && t->rgba == rgba) {
			t->used = r->tick;
			return t->tex;
		}
		if (!victim || !t->tex || (victim->tex && t->used < victim->used))
			victim = t;
	}
	if (victim->tex)
		SDL_DestroyTexture(victim->tex);
	victim->tex = NULL;
	/* One column wider than copies ever take: they start at x = 1, see
	 * fill_rect. */
	surf = SDL_CreateRGBSurfaceWithFormat(0, TILE_W + 1, TILE_H, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!surf)
		return NULL;
	SDL_FillRect(surf, NULL, SDL_MapRGBA(surf->format, (Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8), 255));
	victim->tex = SDL_CreateTextureFromSurface(r->ren, surf);
	SDL_FreeSurface(surf);
	if (!victim->tex)
		return NULL;
	SDL_SetTextureBlendMode(victim->tex, SDL_BLENDMODE_NONE);
	victim->rgba = rgba;
	victim->used = r->tick;
	return victim->tex;
}

static void tiles_free(struct pw_render *r)
{
	for (int i = 0; i < TILE_SLOTS; i++) {
		if (r->tiles[i].tex)
			SDL_DestroyTexture(r->tiles[i].tex);
		r->tiles[i].tex = NULL;
	}
}

/*
 * Fills a rectangle in the colour set by set_color (rgba, for the tiles).
 * Edges are rounded one by one, so rectangles that share an edge in the
 * design space share it in pixels too (no gaps, no double blending).
 *
 * SDL's software renderer fills with streaming (non-temporal) stores and
 * pays about 350 ns a row whatever its width (measured: a 54x105 fill
 * costs as much as a 1920x105 one), which makes the many narrow boxes of a
 * picture its most expensive part. Copying rows from a tile of the colour
 * costs a plain memcpy a row instead. The copy starts at the tile's second
 * column: SDL copies rows with streaming stores too when source and
 * destination are both 16-byte aligned, and a 4-byte offset keeps the
 * source from ever being.
 */
static void fill_rect(struct pw_render *r, float x, float y, float w, float h, uint32_t rgba)
{
	SDL_Rect rc = rect_round(x, y, w, h);
	SDL_Texture *tile;

	if (rc.w <= 0)
		return;
	/* Only the part inside the clip rectangle is drawn: decide on that. */
	if (r->clip) {
		SDL_Rect in;

		if (!SDL_IntersectRect(&rc, r->clip, &in))
			return;
		rc = in;
	}
	if (!r->software || (rgba & 0xff) != 0xff || rc.w > TILE_W || !(tile = tile_get(r, rgba))) {
		SDL_RenderFillRect(r->ren, &rc);
		return;
	}
	for (int y0 = 0; y0 < rc.h; y0 += TILE_H) {
		SDL_Rect src = { 1, 0, rc.w, rc.h - y0 < TILE_H ? rc.h - y0 : TILE_H };
		SDL_Rect dst = { rc.x, rc.y + y0, src.w, src.h };

		SDL_RenderCopy(r->ren, tile, &src, &dst);
	}
}

static void draw_outline(struct pw_render *r, const struct pw_shape *s)
{
	float t = line_px(s);

	/* Four bands that do not overlap, so a translucent border is blended
	 * once everywhere, corners included. */
	if (2 * t >= s->w || 2 * t >= s->h) {
		fill_rect(r, s->x, s->y, s->w, s->h, s->rgba);
		return;
	}
	fill_rect(r, s->x, s->y, s->w, t, s->rgba);
	fill_rect(r, s->x, s->y + s->h - t, s->w, t, s->rgba);
	fill_rect(r, s->x, s->y + t, t, s->h - 2 * t, s->rgba);
	fill_rect(r, s->x + s->w - t, s->y + t, t, s->h - 2 * t, s->rgba);
}

static void draw_line(struct pw_render *r, const struct pw_shape *s)
{
	static const int idx[6] = { 0, 1, 2, 0, 2, 3 };
	SDL_Color c = { (Uint8)(s->rgba >> 24), (Uint8)(s->rgba >> 16), (Uint8)(s->rgba >> 8), (Uint8)s->rgba };
	float t = line_px(s), len, nx, ny;
	SDL_Vertex v[4];

	/* Axis-aligned lines (most of them: arrows, rules, ticks) are
	 * rectangles, which every renderer fills fastest. */
	if (s->w == 0 || s->h == 0) {
		SDL_Rect rc = line_rect(s);

		fill_rect(r, (float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h, s->rgba);
		return;
	}
	/* A slanted line: a quad around the segment, half the thickness each
	 * side along the normal. Thin ones too: SDL's clipped one-pixel lines
	 * can step differently from unclipped ones, and the static layer is
	 * repainted in clipped pieces. */
	len = sqrtf(s->w * s->w + s->h * s->h);
	nx = -s->h / len * t / 2;
	ny = s->w / len * t / 2;
	v[0] = (SDL_Vertex){ { s->x + nx, s->y + ny }, c, { 0, 0 } };
	v[1] = (SDL_Vertex){ { s->x + s->w + nx, s->y + s->h + ny }, c, { 0, 0 } };
	v[2] = (SDL_Vertex){ { s->x + s->w - nx, s->y + s->h - ny }, c, { 0, 0 } };
	v[3] = (SDL_Vertex){ { s->x - nx, s->y - ny }, c, { 0, 0 } };
	if (SDL_RenderGeometry(r->ren, NULL, v, 4, idx, 6)) {
		/* No geometry support: parallel one-pixel lines across the width. */
		int n = (int)ceilf(t);

		for (int k = 0; k < n; k++) {
			float f = n > 1 ? (float)k / (float)(n - 1) * 2 - 1 : 0;

			SDL_RenderDrawLineF(r->ren, s->x + nx * f, s->y + ny * f, s->x + s->w + nx * f,
					    s->y + s->h + ny * f);
		}
	}
}

static void draw_text(struct pw_render *r, const struct pw_shape *s)
{
	const struct text_entry *e;
	SDL_Rect dst = text_rect(r, s, &e);

	if (e)
		SDL_RenderCopy(r->ren, e->tex, &(SDL_Rect){ 0, 0, e->w, e->h }, &dst);
}

static void draw_shape(struct pw_render *r, const struct pw_shape *s)
{
	if (!(s->rgba & 0xff))
		return;
	switch (s->kind) {
	case PW_SHAPE_FILL:
		set_color(r, s->rgba);
		fill_rect(r, s->x, s->y, s->w, s->h, s->rgba);
		break;
	case PW_SHAPE_OUTLINE:
		set_color(r, s->rgba);
		draw_outline(r, s);
		break;
	case PW_SHAPE_LINE:
		set_color(r, s->rgba);
		draw_line(r, s);
		break;
	case PW_SHAPE_TEXT:
		draw_text(r, s);
		break;
	}
}

/* Draws the shapes whose dynamic flag is want (or all of them, want < 0). */
static void draw_shapes(struct pw_render *r, const struct pw_scene *sc, int want)
{
	size_t n = pw_scene_count(sc);

	for (size_t i = 0; i < n; i++) {
		const struct pw_shape *s = pw_scene_shape(sc, i);

		if (s && (want < 0 || !!s->dynamic == want))
			draw_shape(r, s);
	}
}

/* ------------------------------------------------------- damage tracking */

static int list_reserve(struct shape_list *l, size_t n)
{
	struct placed *v;

	if (n <= l->cap)
		return 0;
	v = realloc(l->v, n * sizeof(*v));
	if (!v)
		return -1;
	l->v = v;
	l->cap = n;
	return 0;
}

static void list_free(struct shape_list *l)
{
	free(l->v);
	free(l->text);
	memset(l, 0, sizeof(*l));
}

/* Collects the scene's static shapes into r->next with their boxes.
 * Returns -1 when memory runs out. */
static int collect_static(struct pw_render *r, const struct pw_scene *sc)
{
	size_t n = pw_scene_count(sc);

	r->next.n = 0;
	if (list_reserve(&r->next, n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct pw_shape *s = pw_scene_shape(sc, i);
		struct placed *p;

		if (!s || s->dynamic)
			continue;
		p = &r->next.v[r->next.n++];
		p->s = *s;
		p->box = shape_box(r, s);
		p->dirty = 0;
	}
	return 0;
}

/* Keeps r->next as what the layer now holds: its strings are copied, since
 * the scene's are rewritten on the next build. */
static int keep_drawn(struct pw_render *r)
{
	struct shape_list t;
	size_t need = 0, at = 0;

	for (size_t i = 0; i < r->next.n; i++)
		if (r->next.v[i].s.text)
			need += strlen(r->next.v[i].s.text) + 1;
	if (need > r->next.text_cap) {
		char *p = realloc(r->next.text, need);

		if (!p)
			return -1;
		r->next.text = p;
		r->next.text_cap = need;
	}
	for (size_t i = 0; i < r->next.n; i++) {
		const char *s = r->next.v[i].s.text;

		if (!s)
			continue;
		memcpy(r->next.text + at, s, strlen(s) + 1);
		r->next.v[i].s.text = r->next.text + at;
		at += strlen(s) + 1;
	}
	t = r->drawn;
	r->drawn = r->next;
	r->next = t;
	return 0;
}

/* Two static shapes draw the same pixels. Tags do not draw. */
static int same_shape(const struct placed *a, const struct placed *b)
{
	const struct pw_shape *x = &a->s, *y = &b->s;

	if (x->kind != y->kind || x->rgba != y->rgba || x->x != y->x || x->y != y->y || x->w != y->w ||
	    x->h != y->h || x->px != y->px)
		return 0;
	if (x->kind != PW_SHAPE_TEXT)
		return 1;
	return x->font == y->font && x->align == y->align && a->box.x == b->box.x && a->box.y == b->box.y &&
	       (x->text == y->text || (x->text && y->text && !strcmp(x->text, y->text)));
}

static int rect_area(const SDL_Rect *a)
{
	return a->w > 0 && a->h > 0 ? a->w * a->h : 0;
}

/* Adds a box to the dirty set, merging it with any it overlaps or touches
 * (then merging on, since the union may reach others). Past DIRTY_MAX, the
 * pair whose union grows least is merged. */
static void dirty_add(struct pw_render *r, SDL_Rect b)
{
	const SDL_Rect all = { 0, 0, r->layer_w, r->layer_h };
	SDL_Rect in, u;
	int merged;

	if (!SDL_IntersectRect(&b, &all, &in))
		return;
	b = in;
	do {
		merged = 0;
		for (int i = 0; i < r->ndirty; i++) {
			SDL_Rect g = { r->dirty[i].x - 2, r->dirty[i].y - 2, r->dirty[i].w + 4, r->dirty[i].h + 4 };

			if (SDL_HasIntersection(&g, &b)) {
				SDL_UnionRect(&b, &r->dirty[i], &u);
				b = u;
				r->dirty[i] = r->dirty[--r->ndirty];
				merged = 1;
				break;
			}
		}
	} while (merged);
	if (r->ndirty < DIRTY_MAX) {
		r->dirty[r->ndirty++] = b;
		return;
	}
	{
		int bi = 0, best = -1;

		for (int i = 0; i < r->ndirty; i++) {
			int grow;

			SDL_UnionRect(&b, &r->dirty[i], &u);
			grow = rect_area(&u) - rect_area(&b) - rect_area(&r->dirty[i]);
			if (best < 0 || grow < best) {
				best = grow;
				bi = i;
			}
		}
		SDL_UnionRect(&b, &r->dirty[bi], &u);
		r->dirty[bi] = r->dirty[--r->ndirty];
		dirty_add(r, u);
	}
}

/*
 * Matches r->next (the new static shapes) against r->drawn (what the layer
 * holds) in order, and marks the rectangles to repaint. Shapes are matched
 * as a common subsequence: two shapes that differ are looked for a little
 * ahead in either list, so an inserted or removed shape does not make all
 * the shapes after it look changed. A pixel no unmatched shape touches is
 * covered, in both lists, by the same shapes in the same order, so it is
 * already right. Returns the dirty area in percent of the layer.
 */
static int find_damage(struct pw_render *r)
{
	struct placed *o = r->drawn.v, *n = r->next.v;
	size_t no = r->drawn.n, nn = r->next.n, i = 0, j = 0;
	long area = 0;

	r->ndirty = 0;
	/* The old list was the new one last time, marked then. */
	for (size_t k = 0; k < no; k++)
		o[k].dirty = 0;
	while (i < no && j < nn) {
		size_t d;

		if (same_shape(&o[i], &n[j])) {
			i++;
			j++;
			continue;
		}
		for (d = 1; d <= MATCH_AHEAD; d++) {
			if (i + d < no && same_shape(&o[i + d], &n[j])) {
				while (d--)
					o[i++].dirty = 1;
				break;
			}
			if (j + d < nn && same_shape(&o[i], &n[j + d])) {
				while (d--)
					n[j++].dirty = 1;
				break;
			}
		}
		if (d > MATCH_AHEAD) {
			o[i++].dirty = 1;
			n[j++].dirty = 1;
		}
	}
	while (i < no)
		o[i++].dirty = 1;
	while (j < nn)
		n[j++].dirty = 1;
	for (i = 0; i < no; i++)
		if (o[i].dirty && rect_area(&o[i].box))
			dirty_add(r, o[i].box);
	for (j = 0; j < nn; j++)
		if (n[j].dirty && rect_area(&n[j].box))
			dirty_add(r, n[j].box);
	for (int k = 0; k < r->ndirty; k++)
		area += rect_area(&r->dirty[k]);
	return (int)(area * 100 / ((long)r->layer_w * r->layer_h));
}

/* ------------------------------------------------------------ static layer */

static Uint32 layer_format(struct pw_render *r)
{
	SDL_Window *win = SDL_RenderGetWindow(r->ren);
	Uint32 fmt = win ? SDL_GetWindowPixelFormat(win) : SDL_PIXELFORMAT_UNKNOWN;

	/* A format SDL cannot draw into (or none known): the one SDL_ttf's
	 * textures have. */
	if (fmt == SDL_PIXELFORMAT_UNKNOWN || SDL_ISPIXELFORMAT_INDEXED(fmt) || SDL_BYTESPERPIXEL(fmt) != 4)
		fmt = SDL_PIXELFORMAT_ARGB8888;
	return fmt;
}

/* Whether b holds all of a. */
static int rect_holds(const SDL_Rect *b, const SDL_Rect *a)
{
	return a->x >= b->x && a->y >= b->y && a->x + a->w <= b->x + b->w && a->y + a->h <= b->y + b->h;
}

/*
 * Paints area of the layer from the new static shapes: the ones that touch
 * it, in scene order, starting from the last opaque rectangle that covers
 * all of it (what lies under that one cannot show), or from the ground
 * when none does. Starting there matters on the software renderer: SDL
 * fills rectangles with streaming stores whose cost is mostly per row, so
 * painting the background, a panel and a lane over one another in every
 * small dirty rectangle would cost three times what the one on top does.
 */
static void paint_area(struct pw_render *r, const SDL_Rect *area)
{
	size_t start = r->next.n;

	while (start-- > 0) {
		const struct placed *p = &r->next.v[start];

		if (p->s.kind == PW_SHAPE_FILL && (p->s.rgba & 0xff) == 0xff && rect_holds(&p->box, area))
			break;
	}
	if (start >= r->next.n) {
		set_color(r, r->layer_ground);
		SDL_RenderFillRect(r->ren, area);
		start = 0;
	}
	for (size_t i = start; i < r->next.n; i++)
		if (SDL_HasIntersection(&r->next.v[i].box, area))
			draw_shape(r, &r->next.v[i].s);
}

static void paint_all(struct pw_render *r)
{
	SDL_Rect all = { 0, 0, r->layer_w, r->layer_h };

	paint_area(r, &all);
}

/* Repaints the dirty rectangles, each clipped to itself. */
static void paint_dirty(struct pw_render *r)
{
	for (int k = 0; k < r->ndirty; k++) {
		SDL_RenderSetClipRect(r->ren, &r->dirty[k]);
		r->clip = &r->dirty[k];
		paint_area(r, &r->dirty[k]);
	}
	r->clip = NULL;
	SDL_RenderSetClipRect(r->ren, NULL);
}

/*
 * Makes sure the layer holds the static shapes of sc at w x h. Returns 0,
 * or -1 when the renderer cannot draw into a texture (the caller then
 * draws every shape directly). The layer's ground is the renderer's
 * current draw colour (what the caller cleared the frame with), made
 * opaque, so the copy can replace the frame's pixels without blending and
 * the result is the same as drawing the static shapes straight onto the
 * cleared frame.
 */
static int layer_update(struct pw_render *r, const struct pw_scene *sc, int w, int h, SDL_Texture *target)
{
	uint64_t key = pw_scene_static_key(sc);
	Uint8 cr, cg, cb, ca;
	uint32_t ground;
	Uint64 t0;
	int partial = 0;

	if (r->no_targets)
		return -1;
	SDL_GetRenderDrawColor(r->ren, &cr, &cg, &cb, &ca);
	ground = (uint32_t)cr << 24 | (uint32_t)cg << 16 | (uint32_t)cb << 8 | 0xff;
	if (r->layer && r->layer_ok && r->layer_key == key && r->layer_w == w && r->layer_h == h &&
	    r->layer_ground == ground)
		return 0;
	t0 = SDL_GetPerformanceCounter();
	if (!r->layer || r->layer_w != w || r->layer_h != h) {
		if (r->layer)
			SDL_DestroyTexture(r->layer);
		r->layer = NULL;
		r->layer_ok = 0;
		if (!SDL_RenderTargetSupported(r->ren)) {
			r->no_targets = 1;
			return -1;
		}
		r->layer = SDL_CreateTexture(r->ren, layer_format(r), SDL_TEXTUREACCESS_TARGET, w, h);
		if (!r->layer) {
			r->no_targets = 1;
			return -1;
		}
		SDL_SetTextureBlendMode(r->layer, SDL_BLENDMODE_NONE);
		r->layer_w = w;
		r->layer_h = h;
	}
	if (SDL_SetRenderTarget(r->ren, r->layer)) {
		SDL_DestroyTexture(r->layer);
		r->layer = NULL;
		r->no_targets = 1;
		return -1;
	}
	/* A new generation of strings: those of this picture are stamped as
	 * they are placed, and the ones no recent picture used go. */
	r->gen++;
	if (collect_static(r, sc)) {
		/* No memory to track shapes: draw them all, and forget what the
		 * layer held, so that the next update repaints everything too. */
		r->drawn.n = 0;
		r->layer_ground = ground;
		set_color(r, ground);
		SDL_RenderFillRect(r->ren, NULL);
		draw_shapes(r, sc, 0);
	} else {
		if (r->layer_ok && r->drawn.n && r->layer_ground == ground && find_damage(r) < DIRTY_FULL_PCT)
			partial = 1;
		r->layer_ground = ground;
		if (partial)
			paint_dirty(r);
		else
			paint_all(r);
		if (keep_drawn(r))
			r->drawn.n = 0;
	}
	r->layer_ok = 1;
	/* Switching back to the frame's target runs the queued drawing, so
	 * the time includes it. */
	SDL_SetRenderTarget(r->ren, target);
	r->layer_key = key;
	r->st.layer_ms += ms_since(t0);
	r->st.layer_builds++;
	if (partial)
		r->st.layer_partial++;
	return 0;
}

/* ----------------------------------------------------------------- public */

struct pw_render *pw_render_create(SDL_Renderer *ren, const char *font_dir, char *err, size_t errlen)
{
	static const char *const files[PW_FONT_COUNT] = {
		[PW_FONT_SANS] = "DejaVuSans.ttf",
		[PW_FONT_SANS_BOLD] = "DejaVuSans-Bold.ttf",
		[PW_FONT_MONO] = "DejaVuSansMono.ttf",
		[PW_FONT_MONO_BOLD] = "DejaVuSansMono-Bold.ttf",
	};
	SDL_RendererInfo info;
	struct pw_render *r;

	if (!ren || !font_dir) {
		snprintf(err, errlen, "pw_render_create: no renderer or no font directory");
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "out of memory for the renderer");
		return NULL;
	}
	r->ren = ren;
	r->software = !SDL_GetRendererInfo(ren, &info) && (info.flags & SDL_RENDERER_SOFTWARE);
	r->ents = calloc(TEXT_MAX, sizeof(*r->ents));
	r->slots = malloc(TEXT_SLOTS * sizeof(*r->slots));
	if (!r->ents || !r->slots) {
		snprintf(err, errlen, "out of memory for the text cache");
		pw_render_destroy(r);
		return NULL;
	}
	for (int i = 0; i < TEXT_SLOTS; i++)
		r->slots[i] = NIL;
	for (int i = 0; i < TEXT_MAX; i++) {
		r->ents[i].prev = NIL;
		r->ents[i].next = i + 1 < TEXT_MAX ? i + 1 : NIL;
	}
	r->free_head = 0;
	r->lru_head = r->lru_tail = NIL;

	/* Open each font once now, so a missing or broken file is reported
	 * here, by name, rather than as text that silently never appears. */
	for (int f = 0; f < PW_FONT_COUNT; f++) {
		int n = snprintf(r->font_path[f], sizeof(r->font_path[f]), "%s/%s", font_dir, files[f]);

		if (n < 0 || (size_t)n >= sizeof(r->font_path[f])) {
			snprintf(err, errlen, "font directory name too long: %s", font_dir);
			pw_render_destroy(r);
			return NULL;
		}
		if (!font_get(r, f, 16)) {
			snprintf(err, errlen, "cannot open font %s: %s", r->font_path[f], TTF_GetError());
			pw_render_destroy(r);
			return NULL;
		}
	}
	return r;
}

void pw_render_destroy(struct pw_render *r)
{
	if (!r)
		return;
	if (r->ents && r->slots)
		texts_clear(r);
	fonts_close(r);
	tiles_free(r);
	if (r->layer)
		SDL_DestroyTexture(r->layer);
	list_free(&r->drawn);
	list_free(&r->next);
	free(r->ents);
	free(r->slots);
	free(r);
}

void pw_render_scene(struct pw_render *r, const struct pw_scene *sc)
{
	SDL_Texture *target;
	SDL_BlendMode blend;
	Uint8 cr, cg, cb, ca;
	int w = 0, h = 0;
	size_t builds;

	if (!r || !sc)
		return;
	builds = r->st.layer_builds;
	/* The size of what is drawn into: the current target texture, or the
	 * window (or surface) itself. */
	target = SDL_GetRenderTarget(r->ren);
	if (target)
		SDL_QueryTexture(target, NULL, NULL, &w, &h);
	else
		SDL_GetRendererOutputSize(r->ren, &w, &h);
	if (w <= 0 || h <= 0)
		return;
	/* The caller's drawing state is given back as it was. */
	SDL_GetRenderDrawBlendMode(r->ren, &blend);
	SDL_GetRenderDrawColor(r->ren, &cr, &cg, &cb, &ca);
	if (layer_update(r, sc, w, h, target) == 0) {
		SDL_RenderCopy(r->ren, r->layer, NULL, NULL);
		draw_shapes(r, sc, 1);
		/* A new layer means a new picture: once its moving shapes
		 * are drawn too, every string it shows carries the new
		 * generation, and the rest can go. */
		if (r->st.layer_builds != builds)
			texts_age(r);
		else
			heap_give_back(r);
		r->st.frames_layered++;
	} else {
		/* Every shape, every frame: strings age by frames here. */
		heap_give_back(r); /* for the strings the last frame dropped */
		r->gen++;
		draw_shapes(r, sc, -1);
		texts_age(r);
		r->st.frames_direct++;
	}
	SDL_SetRenderDrawBlendMode(r->ren, blend);
	SDL_SetRenderDrawColor(r->ren, cr, cg, cb, ca);
}

int pw_render_text_width(struct pw_render *r, int font, int px, const char *text)
{
	TTF_Font *f;
	int w = 0;

	if (!r || !text || !text[0])
		return 0;
	f = font_get(r, font, px);
	if (!f || TTF_SizeUTF8(f, text, &w, NULL))
		return 0;
	return w;
}

static float measure_width(void *ctx, int font, int px, const char *s, size_t len)
{
	struct pw_render *r = ctx;
	TTF_Font *f = font_get(r, font, px);
	char buf[1024];
	int w = 0;

	if (!f || !s || !len)
		return 0;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (TTF_SizeUTF8(f, buf, &w, NULL))
		return 0;
	return (float)w;
}

static float measure_line(void *ctx, int font, int px)
{
	struct pw_render *r = ctx;
	TTF_Font *f = font_get(r, font, px);

	return f ? (float)TTF_FontLineSkip(f) : (float)px * 1.17f;
}

const struct pw_text_measure *pw_render_measure(struct pw_render *r)
{
	r->measure.width = measure_width;
	r->measure.line_height = measure_line;
	r->measure.ctx = r;
	return &r->measure;
}

void pw_render_flush(struct pw_render *r)
{
	if (!r)
		return;
	texts_clear(r);
	fonts_close(r);
	tiles_free(r);
	if (r->layer)
		SDL_DestroyTexture(r->layer);
	r->layer = NULL;
	r->layer_ok = 0;
	r->drawn.n = 0;
	r->no_targets = 0;
}

void pw_render_get_stats(const struct pw_render *r, struct pw_render_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!r)
		return;
	*st = r->st;
	st->texts_cached = r->texts;
	st->text_bytes = r->text_bytes;
	for (int i = 0; i < FONT_SLOTS; i++)
		st->fonts_open += r->fonts[i].f != NULL;
}
