/* scene.c: the animated view's layout, from the timeline alone.
 *
 * Everything is placed in a 1920x1080 design space (see scene.h) and
 * scaled to the window. The picture, top to bottom:
 *   the title bar, with the step and the controls;
 *   the narration: the event's sentence, function, source file, tracepoint;
 *   the stage: host A and host B as columns of lanes (socket, transport,
 *     IP, neighbour/qdisc/dev, driver, NIC), the wire between their NICs,
 *     queues and rings drawn in their lanes, the packet moving lane to lane;
 *   each host's CPU strip: the execution context of its recent steps;
 *   the skb, to scale, with its pointers and header offsets;
 *   the hex pane and the event list; the scrubber.
 * Moving things (the packet, the skb's pointers, ring and queue fill) are
 * interpolated between the previous step's state and this one's.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/dissect.h"
#include "proto/fields.h"
#include "view/scene.h"
#include "view/textfit.h"

#define TEXT_ARENA (96 * 1024)

struct pw_scene {
	struct pw_shape *s;
	size_t n, cap;
	char *text;
	size_t text_used;
	/* the transform from design space to the window */
	float k, ox, oy;
	int projection;
	/* Type as large as projection's, relative to the picture: projection,
	 * or a window small enough that the type's floor (PW_TEXT_MIN_PX)
	 * holds it up. The stage then takes its compact forms (short queue
	 * names, terse captions), made for that size. */
	int compact;
	int dyn; /* shapes added now are dynamic */
	int narration_pages; /* of the last build */
	struct pw_textfit tf; /* the renderer's metrics, and widths measured */
	/* The box texts added now must stay inside, in design units (w 0:
	 * the picture), and whether they are secondary detail. */
	float box_x, box_y, box_w, box_h;
	int detail;
	float pic_x0, pic_y0, pic_w, pic_h; /* the picture in design units */
	float dh; /* the design space's height: 1080, or more for a taller window */
	float ptr_box[4][4]; /* head, data, tail, end: the arrow and its label (x, y, w, h) */
};

/* --- palette -------------------------------------------------------------- */

struct palette {
	uint32_t bg, panel, lane, lane_on, text, dim, accent, line;
	uint32_t eth, ip, l4, arp, payload, headroom, tailroom, shinfo, frag;
	uint32_t own_nic, own_drv, own_done, own_free;
	uint32_t ctx[PW_CTX_COUNT];
	uint32_t drop;
};

static const struct palette dark = {
	.bg = 0x15171cff, .panel = 0x20232aff, .lane = 0x1b1e24ff, .lane_on = 0x2e3646ff,
	.text = 0xe8e8e8ff, .dim = 0x9aa0a8ff, .accent = 0xffd166ff, .line = 0x3a3f4bff,
	.eth = 0x4ea1ffff, .ip = 0x5fd068ff, .l4 = 0xffa24cff, .arp = 0x4ecdc4ff, .payload = 0xb48eadff,
	.headroom = 0x3a3f4bff, .tailroom = 0x2b2f38ff, .shinfo = 0x5a606cff, .frag = 0x9d7cbfff,
	.own_nic = 0x4ea1ffff, .own_drv = 0x59606cff, .own_done = 0xffa24cff, .own_free = 0x2b2f38ff,
	.ctx = { 0x4ea1ffff, 0xff5c5cff, 0xc792eaff, 0xffa24cff, 0x9aa0a8ff, 0x5fd068ff },
	.drop = 0xff5c5cff,
};

/* Projection: black ground, white text, saturated colours. */
static const struct palette bright = {
	.bg = 0x000000ff, .panel = 0x101010ff, .lane = 0x0a0a0aff, .lane_on = 0x1f3b66ff,
	.text = 0xffffffff, .dim = 0xd0d0d0ff, .accent = 0xffe000ff, .line = 0x808080ff,
	.eth = 0x3d9bffff, .ip = 0x2ee85aff, .l4 = 0xff9a1fff, .arp = 0x22e5d8ff, .payload = 0xd58cffff,
	.headroom = 0x505050ff, .tailroom = 0x303030ff, .shinfo = 0x707070ff, .frag = 0xb070ffff,
	.own_nic = 0x3d9bffff, .own_drv = 0x808080ff, .own_done = 0xff9a1fff, .own_free = 0x303030ff,
	.ctx = { 0x3d9bffff, 0xff3030ff, 0xd58cffff, 0xff9a1fff, 0xd0d0d0ff, 0x2ee85aff },
	.drop = 0xff3030ff,
};

/* --- building shapes --------------------------------------------------------- */

struct pw_scene *pw_scene_create(void)
{
	struct pw_scene *sc = calloc(1, sizeof(*sc));

	if (sc && !(sc->text = malloc(TEXT_ARENA))) {
		free(sc);
		sc = NULL;
	}
	return sc;
}

void pw_scene_destroy(struct pw_scene *sc)
{
	if (!sc)
		return;
	free(sc->s);
	free(sc->text);
	free(sc);
}

size_t pw_scene_count(const struct pw_scene *sc) { return sc->n; }
int pw_scene_narration_pages(const struct pw_scene *sc) { return sc->narration_pages > 0 ? sc->narration_pages : 1; }
const struct pw_shape *pw_scene_shape(const struct pw_scene *sc, size_t i) { return i < sc->n ? &sc->s[i] : NULL; }
/* One 64-bit word into an FNV-1a hash, a byte at a time. */
static uint64_t fnv_word(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		h = (h ^ (v & 0xff)) * 0x100000001b3ull;
	return h;
}

/*
 * A hash of every static shape, text included (FNV-1a, 64 bits). Computed
 * from what was built rather than from the options that built it, so no
 * option can be forgotten: a title, a lesson's answer or blackout on the
 * start screen all change it. About 550 shapes at 1080p: some
 * microseconds a frame.
 */
uint64_t pw_scene_static_key(const struct pw_scene *sc)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < sc->n; i++) {
		const struct pw_shape *s = &sc->s[i];
		const unsigned char *t = (const unsigned char *)s->text;
		uint32_t f[4];

		if (s->dynamic)
			continue;
		memcpy(f, &s->x, sizeof(float));
		memcpy(f + 1, &s->y, sizeof(float));
		memcpy(f + 2, &s->w, sizeof(float));
		memcpy(f + 3, &s->h, sizeof(float));
		h = fnv_word(h, (uint64_t)s->kind << 56 | (uint64_t)s->font << 48 | (uint64_t)s->align << 40 |
					(uint64_t)s->px << 24 | s->tag);
		h = fnv_word(h, s->rgba);
		h = fnv_word(h, (uint64_t)f[0] << 32 | f[1]);
		h = fnv_word(h, (uint64_t)f[2] << 32 | f[3]);
		while (t && *t)
			h = (h ^ *t++) * 0x100000001b3ull;
	}
	return h;
}

const struct pw_shape *pw_scene_find(const struct pw_scene *sc, uint32_t tag)
{
	for (size_t i = 0; i < sc->n; i++)
		if (sc->s[i].tag == tag)
			return &sc->s[i];
	return NULL;
}

uint32_t pw_scene_hit(const struct pw_scene *sc, int x, int y)
{
	for (size_t i = sc->n; i-- > 0;) {
		const struct pw_shape *s = &sc->s[i];

		if (s->tag && s->kind != PW_SHAPE_LINE && s->kind != PW_SHAPE_TEXT && x >= s->x && x < s->x + s->w &&
		    y >= s->y && y < s->y + s->h)
			return s->tag;
	}
	return 0;
}

static struct pw_shape *add(struct pw_scene *sc)
{
	if (sc->n == sc->cap) {
		size_t ncap = sc->cap ? sc->cap * 2 : 1024;
		struct pw_shape *p = realloc(sc->s, ncap * sizeof(*p));

		if (!p)
			return NULL;
		sc->s = p;
		sc->cap = ncap;
	}
	memset(&sc->s[sc->n], 0, sizeof(sc->s[0]));
	sc->s[sc->n].dynamic = (uint8_t)sc->dyn;
	return &sc->s[sc->n++];
}

/* Design-space rectangle to window pixels. */
static void place(const struct pw_scene *sc, struct pw_shape *s, float x, float y, float w, float h)
{
	s->x = sc->ox + x * sc->k;
	s->y = sc->oy + y * sc->k;
	s->w = w * sc->k;
	s->h = h * sc->k;
}

static struct pw_shape *fill(struct pw_scene *sc, float x, float y, float w, float h, uint32_t rgba, uint32_t tag)
{
	struct pw_shape *s = add(sc);

	if (!s || w <= 0 || h <= 0) {
		if (s)
			sc->n--;
		return NULL;
	}
	s->kind = PW_SHAPE_FILL;
	s->rgba = rgba;
	s->tag = tag;
	place(sc, s, x, y, w, h);
	return s;
}

/* An overlay's panel: it hides whatever text it touches (settle_texts). */
static void panel(struct pw_scene *sc, float x, float y, float w, float h, uint32_t rgba)
{
	struct pw_shape *s = fill(sc, x, y, w, h, rgba, 0);

	if (s)
		s->cover = 1;
}

/* An outline or a line: a shape drawn with a thickness of t design pixels. */
static void stroke(struct pw_scene *sc, int kind, float x, float y, float w, float h, float t, uint32_t rgba)
{
	struct pw_shape *s = add(sc);

	if (!s)
		return;
	s->kind = (uint8_t)kind;
	s->rgba = rgba;
	s->px = (uint16_t)fmaxf(1.0f, t * sc->k + 0.5f);
	place(sc, s, x, y, w, h);
}

static void outline(struct pw_scene *sc, float x, float y, float w, float h, float t, uint32_t rgba)
{
	stroke(sc, PW_SHAPE_OUTLINE, x, y, w, h, t, rgba);
}

static void line(struct pw_scene *sc, float x0, float y0, float x1, float y1, float t, uint32_t rgba)
{
	stroke(sc, PW_SHAPE_LINE, x0, y0, x1 - x0, y1 - y0, t, rgba);
}

/* Font size in design pixels; projection mode never goes below 24. */
static float fsize(const struct pw_scene *sc, float base)
{
	return sc->projection ? fmaxf(24.0f, base * 1.3f) : base;
}

/* Font size in window pixels: the design size scaled to the window, never
 * below PW_TEXT_MIN_PX. Small windows keep readable type; the layout makes
 * room by leaving secondary detail out (see settle_texts), not by
 * shrinking it. */
static int text_px(const struct pw_scene *sc, float base)
{
	int px = (int)(fsize(sc, base) * sc->k + 0.5f);

	return px < PW_TEXT_MIN_PX ? PW_TEXT_MIN_PX : px;
}

/* The size text of design size base really has, in design units: more
 * than fsize where the type's floor holds it up. Spacing follows it. */
static float em(const struct pw_scene *sc, float base)
{
	return (float)text_px(sc, base) / sc->k;
}

/* Width and line height in design units of text at design size base. */
static float text_w(struct pw_scene *sc, int font, float base, const char *s, size_t len)
{
	return pw_textfit_width(&sc->tf, font, text_px(sc, base), s, len) / sc->k;
}

static float text_line(struct pw_scene *sc, int font, float base)
{
	return pw_textfit_line(&sc->tf, font, text_px(sc, base)) / sc->k;
}

/* The advance of a DejaVu Sans Mono character at base size, in design
 * units. The renderer draws whole pixel sizes, and a hinted monospace
 * glyph advances a whole number of pixels (0.602 em rounded): at 11 px
 * that is 7 px, not 6.6, which matters over thirty characters. */
static float mono_advance(const struct pw_scene *sc, float base)
{
	return roundf((float)text_px(sc, base) * 0.60205f) / sc->k;
}

static const char *store(struct pw_scene *sc, const char *fmt, va_list ap)
{
	char *dst = sc->text + sc->text_used;
	size_t room = TEXT_ARENA - sc->text_used;
	int n;

	if (room < 2)
		return "";
	n = vsnprintf(dst, room, fmt, ap);
	if (n < 0)
		return "";
	sc->text_used += (size_t)n + 1 < room ? (size_t)n + 1 : room;
	return dst;
}

/* Every build starts here: an empty scene, the design space fitted to the
 * window (letterboxed) and the renderer's metrics in use. */
static void begin(struct pw_scene *sc, const struct pw_scene_opts *o)
{
	float kx = (float)o->w / PW_SCENE_DESIGN_W, ky = (float)o->h / PW_SCENE_DESIGN_H;

	sc->n = 0;
	sc->text_used = 0;
	sc->dyn = 0;
	sc->detail = 0;
	sc->box_w = 0;
	sc->projection = o->projection;
	sc->k = kx < ky ? kx : ky;
	if (sc->k <= 0)
		sc->k = 1e-3f;
	/* A window taller than 16:9 (4:3, 16:10) gets a taller design space
	 * rather than bars: the panes at the bottom take the extra height.
	 * A wider one is letterboxed at the sides. */
	sc->dh = PW_SCENE_DESIGN_H;
	if (ky > kx && o->h > 0)
		sc->dh = fminf((float)o->h / sc->k, PW_SCENE_DESIGN_H * 2.0f);
	sc->ox = ((float)o->w - PW_SCENE_DESIGN_W * sc->k) / 2;
	sc->oy = ((float)o->h - sc->dh * sc->k) / 2;
	sc->compact = o->projection || 15.0f * sc->k < PW_TEXT_MIN_PX;
	sc->narration_pages = 1;
	memset(sc->ptr_box, 0, sizeof(sc->ptr_box));
	sc->pic_x0 = sc->pic_y0 = 0;
	sc->pic_w = PW_SCENE_DESIGN_W;
	sc->pic_h = sc->dh;
	pw_textfit_use(&sc->tf, o->measure);
}

/* Text at design (x, y) (top), size in design pixels, wrapped at w. */
static void text(struct pw_scene *sc, float x, float y, float w, float size, int font, int align, uint32_t rgba,
		 const char *fmt, ...) __attribute__((format(printf, 9, 10)));
static void text(struct pw_scene *sc, float x, float y, float w, float size, int font, int align, uint32_t rgba,
		 const char *fmt, ...)
{
	struct pw_shape *s = add(sc);
	va_list ap;

	if (!s)
		return;
	va_start(ap, fmt);
	s->text = store(sc, fmt, ap);
	va_end(ap);
	s->kind = PW_SHAPE_TEXT;
	s->font = (uint8_t)font;
	s->align = (uint8_t)align;
	s->rgba = rgba;
	s->px = (uint16_t)text_px(sc, size);
	s->detail = (uint8_t)sc->detail;
	place(sc, s, x, y, w, pw_textfit_line(&sc->tf, font, s->px) / sc->k);
	if (sc->box_w > 0) {
		s->bx = sc->ox + sc->box_x * sc->k;
		s->by = sc->oy + sc->box_y * sc->k;
		s->bw = sc->box_w * sc->k;
		s->bh = sc->box_h * sc->k;
	}
}

/* Texts added from now on stay inside this box (design units); w 0 lifts it. */
static void text_box(struct pw_scene *sc, float x, float y, float w, float h)
{
	sc->box_x = x;
	sc->box_y = y;
	sc->box_w = w;
	sc->box_h = h;
}

/*
 * Lays out str in the box (x, y, w, h), one TEXT shape per line measured
 * with the renderer's metrics, and returns the height the whole text
 * needs (which may be more than h). Lines past h are not drawn; the last
 * one drawn is cut after a word and ends with "…", so a text that does not
 * fit says so. lines_out, if not NULL, gets the number of lines needed.
 */
#define MAX_LINES 48
static float text_wrapped(struct pw_scene *sc, float x, float y, float w, float h, float size, int font,
			  uint32_t rgba, const char *str, size_t *lines_out)
{
	struct pw_text_line ln[MAX_LINES];
	int px = text_px(sc, size);
	float lh = text_line(sc, font, size);
	size_t n = pw_textfit_wrap(&sc->tf, font, px, str ? str : "", w * sc->k, ln, MAX_LINES);
	size_t fit = h >= lh ? (size_t)(h / lh + 0.01f) : 0, shown = n < fit ? n : fit;

	if (shown > MAX_LINES)
		shown = MAX_LINES;
	text_box(sc, x, y, w, h);
	for (size_t i = 0; i < shown; i++) {
		if (i + 1 == shown && shown < n) {
			size_t cut = pw_textfit_cut(&sc->tf, font, px, ln[i].s, strlen(ln[i].s), w * sc->k);

			text(sc, x, y + (float)i * lh, 0, size, font, PW_ALIGN_LEFT, rgba, "%.*s…", (int)cut, ln[i].s);
			break;
		}
		text(sc, x, y + (float)i * lh, 0, size, font, PW_ALIGN_LEFT, rgba, "%.*s", (int)ln[i].len, ln[i].s);
	}
	text_box(sc, 0, 0, 0, 0);
	if (lines_out)
		*lines_out = n;
	return (float)n * lh;
}

/* The height str needs wrapped at w (design units), drawing nothing. */
static float text_measure_wrapped(struct pw_scene *sc, float w, float size, int font, const char *str)
{
	struct pw_text_line ln[1];
	size_t n = pw_textfit_wrap(&sc->tf, font, text_px(sc, size), str ? str : "", w * sc->k, ln, 0);

	return (float)(n ? n : 1) * text_line(sc, font, size);
}

/*
 * One line of text in at most w design units: cut after a word (or
 * between characters) with "…" when it does not fit, so a cut always
 * shows. align as text(); x is the left, centre or right as aligned.
 * Returns the width drawn, in design units.
 */
static float text_fit(struct pw_scene *sc, float x, float y, float w, float size, int font, int align, uint32_t rgba,
		      const char *str)
{
	int px = text_px(sc, size);
	size_t len = str ? strlen(str) : 0, cut;

	if (!len || w <= 0)
		return 0;
	cut = pw_textfit_cut(&sc->tf, font, px, str, len, w * sc->k);
	if (cut == len) {
		text(sc, x, y, 0, size, font, align, rgba, "%s", str);
		return text_w(sc, font, size, str, len);
	}
	if (!cut)
		return 0;
	text(sc, x, y, 0, size, font, align, rgba, "%.*s…", (int)cut, str);
	return text_w(sc, font, size, str, cut) + text_w(sc, font, size, "…", strlen("…"));
}

static float str_w(struct pw_scene *sc, int font, float size, const char *str)
{
	return text_w(sc, font, size, str, strlen(str));
}

/* The ink of a one-line text in window pixels: its measured width, and
 * in DejaVu from 0.17 em below its top (the tallest letters) to 1.164 em
 * (descenders). */
struct ink {
	float x0, y0, x1, y1;
};

static struct ink ink_of(struct pw_scene *sc, const struct pw_shape *s)
{
	float w = pw_textfit_width(&sc->tf, s->font, s->px, s->text, strlen(s->text));
	float x = s->align == PW_ALIGN_CENTER ? s->x - w / 2 : s->align == PW_ALIGN_RIGHT ? s->x - w : s->x;

	return (struct ink){ x, s->y + 0.17f * s->px, x + w, s->y + 1.164f * s->px };
}

static int ink_overlap(const struct ink *a, const struct ink *b)
{
	const float slack = 1.0f; /* anti-aliased edges may touch */

	return a->x1 > b->x0 + slack && b->x1 > a->x0 + slack && a->y1 > b->y0 + slack && b->y1 > a->y0 + slack;
}

static int ink_inside(const struct ink *a, float x, float y, float w, float h)
{
	return a->x0 >= x - 1 && a->x1 <= x + w + 1 && a->y0 >= y - 1 && a->y1 <= y + h + 1;
}

/*
 * After a build: texts a later overlay's panel touches are left out
 * (nobody sees them: the help over the stage, a checkpoint over the skb
 * pane), and so is every piece of secondary detail that would overlap
 * another text or leave its box or the picture, first come first kept.
 * This is how a small window keeps its type at PW_TEXT_MIN_PX: the layout
 * loses captions, not legibility. Moving shapes take no part: they pass
 * over texts during a tween and rest clear of them.
 */
#define SETTLE_MAX 1024
static void settle_texts(struct pw_scene *sc)
{
	struct ink box[SETTLE_MAX];
	size_t idx[SETTLE_MAX], nt = 0, out = 0;
	uint8_t keep[SETTLE_MAX];
	float pw = sc->pic_w * sc->k, ph = sc->pic_h * sc->k, px0 = sc->ox + (sc->pic_x0 * sc->k),
	      py0 = sc->oy + (sc->pic_y0 * sc->k);

	size_t cov[16], ncov = 0;

	for (size_t i = 0; i < sc->n && ncov < 16; i++)
		if (sc->s[i].kind == PW_SHAPE_FILL && sc->s[i].cover)
			cov[ncov++] = i;
	for (size_t i = 0; i < sc->n && nt < SETTLE_MAX; i++) {
		const struct pw_shape *s = &sc->s[i];

		if (s->kind != PW_SHAPE_TEXT || !s->text || !s->text[0] || !(s->rgba & 0xff))
			continue;
		idx[nt] = i;
		box[nt] = ink_of(sc, s);
		keep[nt] = 1;
		/* Hidden under a later overlay's panel. */
		for (size_t j = 0; j < ncov; j++) {
			const struct pw_shape *f = &sc->s[cov[j]];
			struct ink fb = { f->x, f->y, f->x + f->w, f->y + f->h };

			if (cov[j] > i && ink_overlap(&box[nt], &fb)) {
				keep[nt] = 0;
				break;
			}
		}
		nt++;
	}
	for (size_t a = 0; a < nt; a++) {
		const struct pw_shape *s = &sc->s[idx[a]];

		if (!keep[a] || !s->detail || s->dynamic)
			continue;
		if (!ink_inside(&box[a], px0, py0, pw, ph) ||
		    (s->bw > 0 && !ink_inside(&box[a], s->bx, s->by, s->bw, s->bh))) {
			keep[a] = 0;
			continue;
		}
		for (size_t b = 0; b < nt && keep[a]; b++) {
			if (b == a || !keep[b] || sc->s[idx[b]].dynamic)
				continue;
			/* Against every text that stays: the key ones, and the
			 * detail kept before this one. */
			if ((!sc->s[idx[b]].detail || b < a) && ink_overlap(&box[a], &box[b]))
				keep[a] = 0;
		}
	}
	/* Compact, keeping the order (it is the drawing order). */
	for (size_t i = 0, t = 0; i < sc->n; i++) {
		if (t < nt && idx[t] == i) {
			if (!keep[t++])
				continue;
		}
		sc->s[out++] = sc->s[i];
	}
	sc->n = out;
}

static float lerp(float a, float b, float t) { return a + (b - a) * t; }

/* Ease in and out, so motion starts and stops gently. */
static float ease(float t)
{
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return t * t * (3 - 2 * t);
}

/* --- what the events say ---------------------------------------------------- */

enum { LANE_SOCKET, LANE_TRANSPORT, LANE_IP, LANE_DEV, LANE_DRIVER, LANE_NIC, LANES };
static const char *const lane_names[LANES] = { "socket", "TCP · UDP · ICMP", "IP", "qdisc · dev", "driver", "NIC" };

static int lane_of(int layer)
{
	switch (layer) {
	case PW_LAYER_APP:
	case PW_LAYER_SOCKET: return LANE_SOCKET;
	case PW_LAYER_TCP:
	case PW_LAYER_UDP:
	case PW_LAYER_ICMP: return LANE_TRANSPORT;
	case PW_LAYER_IP: return LANE_IP;
	case PW_LAYER_NEIGH:
	case PW_LAYER_QDISC:
	case PW_LAYER_DEV: return LANE_DEV;
	case PW_LAYER_DRIVER: return LANE_DRIVER;
	default: return LANE_NIC;
	}
}

static const char *const tcp_states[] = { "", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
					  "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };

/* The layout's fixed positions, in design pixels. */
#define TOP_H 52
#define NARR_Y 56
#define NARR_H 118
#define STAGE_Y 180
#define LANE_H 78
#define COL_W 690
#define COL_A_X 16
#define COL_B_X (1920 - 16 - COL_W)
#define CPU_Y (STAGE_Y + 26 + LANES * LANE_H + 6)
#define SKB_Y (CPU_Y + 40)
#define BOTTOM_Y (SKB_Y + 142)
#define SCRUB_Y (sc->dh - 34)

static float col_x(int host) { return host ? COL_B_X : COL_A_X; }
static float lane_y(int lane) { return STAGE_Y + 26 + lane * LANE_H; }

/* The rings straddle the driver and NIC lanes: centres (x from the host
 * column's left), the height of their centres, their radius. */
#define RING_TX_X 490
#define RING_RX_X 620
#define RING_Y (lane_y(LANE_DRIVER) + LANE_H - 14)
#define RING_R 34

/* --- the parts ---------------------------------------------------------------- */

static void top_bar(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, size_t step,
		    const struct pw_scene_opts *o)
{
	const struct pw_event *e = pw_timeline_event(tl, step);
	const struct pw_scene_lesson *ls = o->lesson;
	size_t n = pw_timeline_count(tl);
	char buf[256];
	float x, right, w;

	fill(sc, 0, 0, 1920, TOP_H, c->panel, 0);
	x = 20 + text_fit(sc, 20, 12, 400, 24, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->text, "packetwalk") + 30;
	/* Right to left: the keys (detail), speed (detail), the play control,
	 * the step; what is left between goes to the title or the lesson. */
	right = 1900;
	sc->detail = 1;
	right -= str_w(sc, PW_FONT_SANS, 20, "Space play   ← → step   H help") + 30;
	text(sc, 1900, 14, 0, 20, PW_FONT_SANS, PW_ALIGN_RIGHT, c->dim, "Space play   ← → step   H help");
	sc->detail = 0;
	if (right < 1100)
		right = 1100;
	w = str_w(sc, PW_FONT_SANS_BOLD, 20, "❚❚ pause") + 30;
	fill(sc, right - w, 10, w, 32, c->lane_on, PW_TAG(PW_TAGK_BUTTON, 0));
	text(sc, right - w / 2, 14, 0, 20, PW_FONT_SANS_BOLD, PW_ALIGN_CENTER, c->text, "%s", o->playing ? "❚❚ pause" : "▶ play");
	right -= w + 20;
	/* Steps are numbered from 0 everywhere: here, in the event list, in
	 * `packetwalk trace` and in `render --step`. */
	if (e) {
		snprintf(buf, sizeof(buf), "step %u of %zu   t = %.3f µs", e->i, n, (double)e->t_ns / 1000.0);
		sc->detail = ls != NULL; /* in a lesson its own count comes first */
		text(sc, right, 14, 0, 20, PW_FONT_MONO, PW_ALIGN_RIGHT, c->text, "%s", buf);
		sc->detail = 0;
		if (!ls)
			right -= str_w(sc, PW_FONT_MONO, 20, buf) + 24;
	}
	if (ls) {
		/* The lesson, where it is in it, and the score so far. */
		if (ls->asked) {
			snprintf(buf, sizeof(buf), "checkpoints: %d of %d right", ls->score, ls->asked);
			w = text_fit(sc, x, 14, right - x, 20, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->ip, buf);
			x += w + 24;
		}
		snprintf(buf, sizeof(buf), "Lesson: %s · stop %zu of %zu%s", ls->title ? ls->title : "", ls->step + 1,
			 ls->steps, ls->walking ? " · walking to the next stop" : "");
		text_fit(sc, x, 14, right - x, 20, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->accent, buf);
	} else {
		text_fit(sc, x, 14, right - x, 20, PW_FONT_SANS, PW_ALIGN_LEFT, c->dim, o->title ? o->title : "");
	}
}

/*
 * The narration panel: a header line (the function and its file on the
 * left; the host, context, tracepoint and any drop on the right), then the
 * sentence. Its policy: the panel keeps its height, so the stage never
 * jumps; a sentence longer than the panel's lines is paged ("1/2 · PgDn"
 * at the top right, the text wrapped clear of it), and the viewer turns
 * the page before it moves on (pw_scene_narration_pages).
 */
static void narration(struct pw_scene *sc, const struct palette *c, const struct pw_event *e,
		      const struct pw_scene_opts *o)
{
	const struct pw_scene_lesson *ls = o->lesson;
	const char *tp = pw_tp_names[e->tp], *say = ls && !ls->walking && ls->text ? ls->text : e->text;
	struct pw_text_line ln[MAX_LINES];
	float size = 22, hsize = 18, right = 1900, left, ty, lh, fw;
	int px = text_px(sc, size);
	size_t n, fit, pages, page, first;
	char buf[160], mark[48];

	fill(sc, 0, NARR_Y, 1920, NARR_H, c->panel, 0);
	fill(sc, 0, NARR_Y, 8, NARR_H, c->ctx[e->ctx], 0);
	/* The header line, right to left. */
	snprintf(buf, sizeof(buf), "host %s · %s", e->host ? "B" : "A", pw_ctx_names[e->ctx]);
	text(sc, right, NARR_Y + 8, 0, hsize, PW_FONT_SANS_BOLD, PW_ALIGN_RIGHT, c->ctx[e->ctx], "%s", buf);
	right -= str_w(sc, PW_FONT_SANS_BOLD, hsize, buf) + 20;
	if (e->drop) {
		snprintf(buf, sizeof(buf), "DROP · %s", pw_drop_names[e->drop]);
		text(sc, right, NARR_Y + 8, 0, hsize, PW_FONT_SANS_BOLD, PW_ALIGN_RIGHT, c->drop, "%s", buf);
		right -= str_w(sc, PW_FONT_SANS_BOLD, hsize, buf) + 20;
	}
	snprintf(buf, sizeof(buf), "%s%s", e->func, e->func[0] == '(' ? "" : "()");
	left = 24 + text_fit(sc, 24, NARR_Y + 6, right - 24 - 20, size, PW_FONT_MONO_BOLD, PW_ALIGN_LEFT, c->accent,
			     buf) + 24;
	sc->detail = 1;
	if (tp) {
		snprintf(buf, sizeof(buf), "tracepoint %s", tp);
		text(sc, right, NARR_Y + 8, 0, hsize, PW_FONT_SANS, PW_ALIGN_RIGHT, c->ctx[e->ctx], "%s", buf);
		if (left + str_w(sc, PW_FONT_SANS, hsize, buf) + 20 < right)
			right -= str_w(sc, PW_FONT_SANS, hsize, buf) + 20;
	}
	text(sc, left, NARR_Y + 9, 0, hsize, PW_FONT_MONO, PW_ALIGN_LEFT, c->dim, "%s", e->src);
	sc->detail = 0;

	/* The sentence, paged. */
	ty = NARR_Y + 8 + text_line(sc, PW_FONT_MONO_BOLD, size) + 2;
	lh = text_line(sc, PW_FONT_SANS, size);
	fit = (size_t)((NARR_Y + NARR_H - 4 - ty) / lh);
	if (fit < 1)
		fit = 1;
	fw = 1900 - 24;
	n = pw_textfit_wrap(&sc->tf, PW_FONT_SANS, px, say, fw * sc->k, ln, MAX_LINES);
	if (n > fit) {
		/* Room for the page mark beside the lines. */
		fw -= str_w(sc, PW_FONT_SANS_BOLD, 18, "88/88 · PgDn") + 24;
		n = pw_textfit_wrap(&sc->tf, PW_FONT_SANS, px, say, fw * sc->k, ln, MAX_LINES);
	}
	if (n > MAX_LINES)
		n = MAX_LINES;
	pages = (n + fit - 1) / fit;
	if (pages < 1)
		pages = 1;
	page = o->narration_page < 0 ? 0 : (size_t)o->narration_page;
	if (page >= pages)
		page = pages - 1;
	sc->narration_pages = (int)pages;
	first = page * fit;
	text_box(sc, 24, ty, fw, fit * lh);
	for (size_t i = first; i < n && i < first + fit; i++)
		text(sc, 24, ty + (float)(i - first) * lh, 0, size, PW_FONT_SANS, PW_ALIGN_LEFT, c->text, "%.*s",
		     (int)ln[i].len, ln[i].s);
	text_box(sc, 0, 0, 0, 0);
	if (pages > 1) {
		snprintf(mark, sizeof(mark), "%zu/%zu%s", page + 1, pages, page + 1 < pages ? " · PgDn" : "");
		text(sc, 1900, ty + 2, 0, 18, PW_FONT_SANS_BOLD, PW_ALIGN_RIGHT, c->accent, "%s", mark);
	}
}

/* A ring drawn as a circle of cells, each descriptor's owner in colour.
 * Large rings are drawn with a cell per group of descriptors. */
static void ring(struct pw_scene *sc, const struct palette *c, float cx, float cy, float r, int host, int rx,
		 const struct pw_occupancy *o)
{
	uint32_t size = rx ? o->rx_size : o->tx_size;
	uint32_t cells = size > 32 ? 32 : size, per;
	uint32_t ntu = rx ? o->rx_ntu : o->tx_ntu, ntc = rx ? o->rx_ntc : o->tx_ntc, hw = rx ? o->rx_hw : o->tx_hw;
	float cell = r * 0.2f;

	if (!size)
		return;
	per = size / cells;
	for (uint32_t i = 0; i < cells; i++) {
		uint32_t d = i * per;
		float a = (float)i / cells * 6.2831853f - 1.5707963f;
		float x = cx + cosf(a) * r - cell / 2, y = cy + sinf(a) * r - cell / 2;
		uint32_t col;

		/* Ownership as nic/igb.c defines it, the same for both rings:
		 * [ntc, hw) done, for the driver; [hw, ntu) the NIC's; the rest free. */
		col = ((d - ntc) & (size - 1)) < ((hw - ntc) & (size - 1))	? c->own_done
		      : ((d - hw) & (size - 1)) < ((ntu - hw) & (size - 1)) ? c->own_nic
									     : c->own_free;
		fill(sc, x, y, cell, cell, col, PW_TAG(PW_TAGK_RING_SLOT, ((uint32_t)host << 20) | ((uint32_t)rx << 16) | d));
	}
	text(sc, cx, cy - 10, 0, 15, PW_FONT_SANS_BOLD, PW_ALIGN_CENTER, c->text, "%s", rx ? "RX" : "TX");
	if (!sc->compact)
		text(sc, cx, cy + r + 6, 0, 15, PW_FONT_MONO, PW_ALIGN_CENTER, c->dim, "ntu %u ntc %u", ntu, ntc);
	text(sc, cx, cy + r + (sc->compact ? 6 : 24), 0, 15, PW_FONT_MONO, PW_ALIGN_CENTER, c->dim, "%s%u/%u",
	     sc->compact ? "" : "NIC ", hw, size);
	fill(sc, cx - r - cell, cy - r - cell, 2 * (r + cell), 2 * (r + cell), 0,
	     PW_TAG(PW_TAGK_QUEUE, (uint32_t)host * 32 + (rx ? PW_Q_RX_RING : PW_Q_TX_RING)));
}

/* A queue as a labelled bar: filled to its limit when it has one, else one
 * block per skb; the count is written on the bar. */
static void queue_row(struct pw_scene *sc, const struct palette *c, float x, float y, float w, int host, int q,
		      const char *label, const struct pw_occupancy *o, const struct pw_occupancy *po, float t,
		      int highlight)
{
	float len = lerp((float)po->len[q], (float)o->len[q], t);
	uint32_t cap = o->cap[q];
	float bw = 12, gap = 3;
	int shown = (int)(len + 0.5f);

	static const char *const short_name[PW_Q_COUNT] = {
		[PW_Q_SK_WRITE] = "write q", [PW_Q_TCP_RTX] = "rtx q", [PW_Q_SK_RECEIVE] = "receive q",
		[PW_Q_TCP_OFO] = "ofo q", [PW_Q_ARP_QUEUE] = "arp q", [PW_Q_QDISC_BAND0] = "band 0",
		[PW_Q_QDISC_BAND1] = "band 1", [PW_Q_QDISC_BAND2] = "band 2", [PW_Q_NAPI_RX_LIST] = "rx_list",
		[PW_Q_IPFRAG] = "ipq",
	};

	/* Projection type is large: the short names keep the widgets apart. */
	if (sc->compact && short_name[q])
		label = short_name[q];
	text(sc, x, y, 0, 15, PW_FONT_MONO, PW_ALIGN_LEFT, highlight ? c->accent : c->dim, "%s",
	     label ? label : pw_queue_names[q]);
	float by = y + (sc->compact ? 30 : 22), bh = sc->compact ? 28 : 22;

	fill(sc, x, by, w, bh, c->tailroom, PW_TAG(PW_TAGK_QUEUE, (uint32_t)host * 32 + (uint32_t)q));
	sc->dyn = 1;
	if (cap) {
		float f = len / (float)cap;

		fill(sc, x, by, w * (f > 1 ? 1 : f), bh, highlight ? c->accent : c->l4, 0);
	} else {
		for (int i = 0; i < shown && (i + 1) * (bw + gap) < w - 30; i++)
			fill(sc, x + 2 + i * (bw + gap), by + 3, bw, bh - 6, highlight ? c->accent : c->payload, 0);
	}
	sc->dyn = 0;
	if (cap)
		text(sc, x + w - 4, by + 2, 0, 15, PW_FONT_MONO_BOLD, PW_ALIGN_RIGHT, c->text, "%u/%u", o->len[q], cap);
	else
		text(sc, x + w - 4, by + 2, 0, 15, PW_FONT_MONO_BOLD, PW_ALIGN_RIGHT, c->text, "%u", o->len[q]);
}

static void host_column(struct pw_scene *sc, const struct palette *c, int host, const struct pw_event *e,
			const struct pw_occupancy *o, const struct pw_occupancy *po, float t)
{
	float x = col_x(host);
	int active = e->host == host;
	int al = lane_of(e->layer);

	fill(sc, x, STAGE_Y, COL_W, 24, c->panel, 0);
	text(sc, x + 10, STAGE_Y + 2, 0, 17, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, active ? c->accent : c->text, "Host %s",
	     host ? "B" : "A");
	sc->detail = 1;
	text(sc, x + 10 + str_w(sc, PW_FONT_SANS_BOLD, 17, "Host A") + 12, STAGE_Y + 2, 0, 17, PW_FONT_SANS_BOLD,
	     PW_ALIGN_LEFT, active ? c->accent : c->text, "%s", host ? "192.0.2.2 (receiver)" : "192.0.2.1 (sender)");
	sc->detail = 0;
#define WX 300 /* the lane's widgets start here, right of the function name */
	for (int l = 0; l < LANES; l++) {
		float y = lane_y(l);
		int on = active && l == al;

		fill(sc, x, y, COL_W, LANE_H - 4, on ? c->lane_on : c->lane, PW_TAG(PW_TAGK_LANE, (uint32_t)host * 16 + (uint32_t)l));
		/* Projection type: the transport lane's name in its narrow
		 * form, which leaves room for the packet token beside it. */
		text(sc, x + 10, y + 6, 0, 15, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, on ? c->accent : c->dim, "%s",
		     sc->compact && l == LANE_TRANSPORT ? "TCP/UDP/ICMP" : lane_names[l]);
		if (on) {
			/* Cut to the lane's name column (WX) with an ellipsis:
			 * projection type fits about 19 characters there, and
			 * the narration above gives the name whole. The cut
			 * never splits a UTF-8 character. */
			int room = (int)((WX - 30) / mono_advance(sc, 16));
			int len = (int)strlen(e->func), cut = len;

			if (len > room) {
				cut = room > 1 ? room - 1 : 0; /* one place for the ellipsis */
				while (cut > 0 && ((unsigned char)e->func[cut] & 0xc0) == 0x80)
					cut--;
			}
			text(sc, x + 10, y + 30, 0, 16, PW_FONT_MONO_BOLD, PW_ALIGN_LEFT, c->text, "%.*s%s", cut, e->func,
			     cut < len ? "…" : "");
			if (!sc->compact)
				text(sc, x + 10, y + 52, 0, 15, PW_FONT_MONO, PW_ALIGN_LEFT, c->dim, "%s", e->src);
		}
	}
	/* queues in their lanes: the widget area starts right of the function name */
	queue_row(sc, c, x + WX, lane_y(LANE_SOCKET) + 4, 170, host, PW_Q_SK_WRITE, NULL, o, po, t,
		  active && e->queue == PW_Q_SK_WRITE);
	queue_row(sc, c, x + WX + 200, lane_y(LANE_SOCKET) + 4, 170, host, PW_Q_SK_RECEIVE, NULL, o, po, t,
		  active && e->queue == PW_Q_SK_RECEIVE);
	queue_row(sc, c, x + WX, lane_y(LANE_TRANSPORT) + 4, 170, host, PW_Q_TCP_RTX, NULL, o, po, t,
		  active && e->queue == PW_Q_TCP_RTX);
	queue_row(sc, c, x + WX + 200, lane_y(LANE_TRANSPORT) + 4, 170, host, PW_Q_TCP_OFO, "out_of_order", o, po, t,
		  active && e->queue == PW_Q_TCP_OFO);
	if (o->txq_stopped || (o->tcp_state && o->tcp_state < sizeof(tcp_states) / sizeof(tcp_states[0])))
		text(sc, x + COL_W - 10, STAGE_Y + 2, 0, 17, PW_FONT_MONO_BOLD, PW_ALIGN_RIGHT,
		     o->txq_stopped ? c->drop : c->ip, "%s%s%s%s", o->tcp_state ? "TCP " : "",
		     o->tcp_state && o->tcp_state < sizeof(tcp_states) / sizeof(tcp_states[0]) ? tcp_states[o->tcp_state] : "",
		     o->tcp_state && o->txq_stopped ? " · " : "", o->txq_stopped ? "TX queue stopped" : "");
	queue_row(sc, c, x + WX, lane_y(LANE_IP) + 4, 170, host, PW_Q_IPFRAG, "ipq (fragments)", o, po, t,
		  active && e->queue == PW_Q_IPFRAG);
	queue_row(sc, c, x + WX + 200, lane_y(LANE_IP) + 4, 170, host, PW_Q_ARP_QUEUE, NULL, o, po, t,
		  active && e->queue == PW_Q_ARP_QUEUE);
	for (int b = 0; b < 3; b++) {
		static const char *const band[3] = { "band 0", "band 1", "band 2" };

		queue_row(sc, c, x + WX + b * 130, lane_y(LANE_DEV) + 4, 118, host, PW_Q_QDISC_BAND0 + b, band[b], o, po,
			  t, active && e->queue == PW_Q_QDISC_BAND0 + b);
	}

	queue_row(sc, c, x + WX, lane_y(LANE_DRIVER) + 4, 96, host, PW_Q_NAPI_RX_LIST, "rx_list", o, po, t,
		  active && e->queue == PW_Q_NAPI_RX_LIST);
	text(sc, x + WX, lane_y(LANE_NIC) + 12, 0, 15, PW_FONT_SANS, PW_ALIGN_LEFT, o->napi_scheduled ? c->accent : c->dim,
	     "NAPI %s", o->napi_scheduled ? (sc->compact ? "on" : "scheduled") : "idle");
	text(sc, x + WX, lane_y(LANE_NIC) + 12 + fmaxf(22, em(sc, 15) * 1.2f), 0, 15, PW_FONT_SANS, PW_ALIGN_LEFT,
	     o->irq_masked ? c->accent : c->dim, "IRQ %s",
	     o->irq_masked ? (sc->compact ? "off" : "masked") : (sc->compact ? "on" : "armed"));
	ring(sc, c, x + RING_TX_X, RING_Y, RING_R, host, 0, o);
	ring(sc, c, x + RING_RX_X, RING_Y, RING_R, host, 1, o);
#undef WX
}

/* The CPU strip: the context of each of this host's recent steps. */
static void cpu_strip(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, size_t step,
		      int host)
{
	float x = col_x(host), w = 12;
	int slots = (int)((COL_W - 160) / (w + 2));
	int k = 0;
	const struct pw_event *cur = pw_timeline_event(tl, step);

	float lw = str_w(sc, PW_FONT_SANS_BOLD, 15, "CPU A") + 12;

	text(sc, x, CPU_Y + 4, 0, 15, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "CPU %s", host ? "B" : "A");
	fill(sc, x + lw, CPU_Y, COL_W - lw, 30, c->lane, PW_TAG(PW_TAGK_CPU, (uint32_t)host));
	for (size_t i = step + 1; i-- > 0 && k < slots;) {
		const struct pw_event *e = pw_timeline_event(tl, i);

		if (e->host != host)
			continue;
		fill(sc, x + COL_W - 8 - (k + 1) * (w + 2), CPU_Y + 4, w, 22, c->ctx[e->ctx], 0);
		k++;
	}
	if (cur && cur->host == host)
		outline(sc, x + COL_W - 8 - (w + 2) - 2, CPU_Y + 1, w + 4, 28, 2, c->accent);
}


/* The wire between the two NICs, and a frame crossing it. */
static void wire(struct pw_scene *sc, const struct palette *c, const struct pw_event *e, float t)
{
	float y = lane_y(LANE_NIC) + LANE_H / 2.0f, x0 = COL_A_X + COL_W, x1 = COL_B_X;

	line(sc, x0, y, x1, y, 4, c->line);
	text(sc, (x0 + x1) / 2, y + 8, 0, 15, PW_FONT_SANS, PW_ALIGN_CENTER, c->dim, "Ethernet wire");
	if (e->op == PW_OP_WIRE) {
		/* From one NIC's port to the other's, stopping on the wire
		 * (half the token's width short of the far host). */
		float f = ease(t), from = e->host ? x1 - 32 : x0 + 32, to = e->host ? x0 + 32 : x1 - 32;

		sc->dyn = 1;
		fill(sc, lerp(from, to, f) - 30, y - 14, 60, 28, c->eth, 0);
		text(sc, lerp(from, to, f), y - 12, 0, 15, PW_FONT_MONO_BOLD, PW_ALIGN_CENTER, c->bg, "#%u", e->frame_no);
		sc->dyn = 0;
	}
}

/* The packet token: where the skb is, moving from the previous step's
 * lane to this one's. */
static void token(struct pw_scene *sc, const struct palette *c, const struct pw_event *e, const struct pw_event *p,
		  float t)
{
	float tok = sc->compact ? 226 : 170;
	float tx = col_x(e->host) + tok, ty = lane_y(lane_of(e->layer)) + 4;
	float fx = tx, fy = ty, f = ease(t);

	if (!e->skb.id || e->op == PW_OP_WIRE)
		return;
	if (p && p->skb.id == e->skb.id && p->host == e->host && p->op != PW_OP_WIRE) {
		fx = col_x(p->host) + tok;
		fy = lane_y(lane_of(p->layer)) + 4;
	} else if (e->op == PW_OP_ALLOC && e->layer == PW_LAYER_DRIVER) {
		/* A received frame: it rises out of the RX ring, where the NIC put it. */
		fx = col_x(e->host) + 600;
		fy = lane_y(LANE_NIC) + 30;
	}
	sc->dyn = 1;
	fill(sc, lerp(fx, tx, f), lerp(fy, ty, f), 64, 24, e->drop ? c->drop : c->accent, 0);
	/* Projection type is too large for "skb N" in the token: the number alone. */
	text(sc, lerp(fx, tx, f) + 32, lerp(fy, ty, f) + 2, 0, 15, PW_FONT_MONO_BOLD, PW_ALIGN_CENTER, c->bg,
	     sc->compact ? "#%u" : "skb %u",
	     e->skb.id);
	sc->dyn = 0;
}

/* DMA between the NIC and a ring: into the RX ring the frame travels from
 * the NIC's port on the wire to the top of the ring; out of the TX ring
 * from the top of the ring to the port, while the NIC writing a
 * descriptor back goes from the port to the ring. The token trails a
 * streak that shrinks to nothing as it arrives, so when it stops nothing
 * it passed is struck through; it stops on the ring's rim, clear of the
 * ring's name. */
static void dma(struct pw_scene *sc, const struct palette *c, const struct pw_event *e, float t)
{
	float x = col_x(e->host), f = ease(t), g = fmaxf(0, f - 0.35f * (1 - f));
	float bw = 3 * mono_advance(sc, 15) + 14, bh = em(sc, 15) * 1.25f + 2;
	float port_x = e->host ? x - 30 : x + COL_W + 30, port_y = lane_y(LANE_NIC) + LANE_H / 2.0f;
	float ring_x = x + (e->queue == PW_Q_RX_RING ? RING_RX_X : RING_TX_X), ring_y = RING_Y - RING_R;
	float x0 = port_x, y0 = port_y, x1 = ring_x, y1 = ring_y;

	if (e->op != PW_OP_DMA || e->layer != PW_LAYER_NIC)
		return;
	/* Only the frame's bytes go out to the NIC; a descriptor
	 * write-back (no skb) comes from the NIC into the ring. */
	if (e->queue == PW_Q_TX_RING && e->skb.id) { /* the NIC reads: ring to port */
		x0 = ring_x;
		y0 = ring_y;
		x1 = port_x;
		y1 = port_y;
	}
	sc->dyn = 1;
	line(sc, lerp(x0, x1, g), lerp(y0, y1, g), lerp(x0, x1, f), lerp(y0, y1, f), 6, c->eth);
	fill(sc, lerp(x0, x1, f) - bw / 2, lerp(y0, y1, f) - bh / 2, bw, bh, c->eth, 0);
	text(sc, lerp(x0, x1, f), lerp(y0, y1, f) - bh / 2 + 1, 0, 15, PW_FONT_MONO_BOLD, PW_ALIGN_CENTER, c->bg, "DMA");
	sc->dyn = 0;
}

/* Which header a byte offset (from head) of the skb belongs to. */
struct regions {
	int32_t mac, net, l4, l4end, end_data;
	int arp;
	const char *l4name;
};

static void skb_regions(const struct pw_event *e, const uint8_t *b, uint32_t blen, struct regions *r)
{
	int32_t net = e->skb.network, tr = e->skb.transport;

	r->mac = e->skb.mac;
	r->net = net;
	r->l4 = tr;
	r->l4end = -1;
	r->arp = e->skb.protocol == 0x0806;
	r->end_data = e->skb.tail;
	r->l4name = "L4";
	if (net >= 0 && (uint32_t)net + 20 <= blen && !r->arp && (b[net] >> 4) == 4) {
		uint8_t proto = b[net + 9];

		if (tr < 0)
			r->l4 = net + (b[net] & 15) * 4;
		r->l4name = proto == 6 ? "TCP" : proto == 17 ? "UDP" : proto == 1 ? "ICMP" : "L4";
		if (proto == 6 && (uint32_t)r->l4 + 13 <= blen)
			r->l4end = r->l4 + (b[r->l4 + 12] >> 4) * 4;
		else if (proto == 17 || proto == 1)
			r->l4end = r->l4 + 8;
	}
	if (r->arp && net >= 0)
		r->l4 = -1;
}

static uint32_t region_colour(const struct palette *c, const struct regions *r, int32_t off)
{
	if (r->mac >= 0 && off >= r->mac && (r->net < 0 || off < r->net) && off < r->mac + 14)
		return c->eth;
	if (r->arp && r->net >= 0 && off >= r->net && off < r->net + 28)
		return c->arp;
	if (r->net >= 0 && off >= r->net && (r->l4 < 0 || off < r->l4))
		return c->ip;
	if (r->l4 >= 0 && off >= r->l4 && (r->l4end < 0 || off < r->l4end))
		return c->l4;
	return c->payload;
}

/* What each execution context is, in a line, for the middle column. */
static const char *const ctx_says[PW_CTX_COUNT] = {
	"a system call, on the process's own time",
	"the interrupt handler: short, and nothing may sleep",
	"the NET_TX softirq: sending what the qdisc held back",
	"the NET_RX softirq: NAPI polls the ring",
	"the timer softirq: a timer has fired",
	"the hardware itself, beside the CPU",
};

/*
 * The middle column, between the hosts: the last frame to cross the wire,
 * cut into its headers to scale (coloured as on the skb), its direction
 * and size, and what the CPU is doing now. Every label is fitted to the
 * column; a segment's name is detail, left out when its run is too
 * narrow.
 */
static void wire_view(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, size_t step)
{
	const float x = COL_A_X + COL_W + 24, w = COL_B_X - 24 - x;
	const struct pw_event *e = pw_timeline_event(tl, step), *f = NULL;
	float y = STAGE_Y + 8, lh = text_line(sc, PW_FONT_SANS, 17), bar_h = 30;
	char buf[160];

	if (!e)
		return;
	text_fit(sc, x, y, w, 17, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "On the wire");
	y += text_line(sc, PW_FONT_SANS_BOLD, 17) + 6;
	for (size_t i = step + 1; i-- > 0 && step - i < 4000;) {
		const struct pw_event *q = pw_timeline_event(tl, i);

		if (q->op == PW_OP_WIRE) {
			f = q;
			break;
		}
	}
	if (!f) {
		y += text_wrapped(sc, x, y, w, 3 * lh, 17, PW_FONT_SANS, c->dim,
				  "No frame has crossed the wire yet.", NULL) + 10;
	} else {
		uint32_t blen = 0;
		const uint8_t *b = f->skb.id ? pw_timeline_bytes(tl, f, &blen) : NULL;
		int32_t start = f->skb.mac >= 0 ? f->skb.mac : f->skb.data, end = f->skb.tail + (int32_t)f->skb.data_len;

		snprintf(buf, sizeof(buf), "frame #%u, host %s → host %s%s", f->frame_no, f->host ? "B" : "A",
			 f->host ? "A" : "B", f == e ? " (now)" : "");
		text_fit(sc, x, y, w, 17, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, f == e ? c->accent : c->text, buf);
		y += lh + 4;
		if (b && end > start) {
			struct regions r;
			/* Runs of one colour: Ethernet, IP or ARP, transport, data. */
			struct {
				int32_t from, to;
				uint32_t col;
				const char *name;
			} run[4];
			int nr = 0;
			float bx = x, total = (float)(end - start), minw = str_w(sc, PW_FONT_SANS, 15, "Ethernet") + 12;
			int32_t cuts[5];

			skb_regions(f, b, blen, &r);
			cuts[0] = start;
			cuts[1] = r.net >= 0 ? r.net : end;
			cuts[2] = r.arp ? end : r.l4 >= 0 ? r.l4 : end;
			cuts[3] = r.arp ? end : r.l4end >= 0 ? r.l4end : end;
			cuts[4] = end;
			for (int k = 0; k < 4; k++) {
				static const char *const plain[4] = { "Ethernet", "IPv4", "L4", "data" };

				if (cuts[k + 1] <= cuts[k])
					continue;
				run[nr].from = cuts[k];
				run[nr].to = cuts[k + 1] > end ? end : cuts[k + 1];
				run[nr].col = k == 0 ? c->eth : k == 1 ? (r.arp ? c->arp : c->ip) : k == 2 ? c->l4 : c->payload;
				run[nr].name = k == 1 && r.arp ? "ARP" : k == 2 ? r.l4name : plain[k];
				nr++;
			}
			/* To scale, but every run wide enough for its name when the
			 * column allows. */
			if (minw * (float)nr > w * 0.8f)
				minw = 40;
			{
				float room = w - minw * (float)nr;

				for (int k = 0; k < nr; k++) {
					float rw = minw + (room > 0 ? room * (float)(run[k].to - run[k].from) / total : 0);

					fill(sc, bx, y, rw - 2, bar_h, run[k].col, 0);
					snprintf(buf, sizeof(buf), "%d", run[k].to - run[k].from);
					text_box(sc, bx, y, rw - 2, bar_h);
					sc->detail = 1;
					text(sc, bx + (rw - 2) / 2, y + 3, 0, 15, PW_FONT_MONO_BOLD, PW_ALIGN_CENTER, c->bg, "%s", buf);
					text_box(sc, bx, y + bar_h, rw - 8, lh + 4);
					text(sc, bx + 2, y + bar_h + 4, 0, 15, PW_FONT_SANS, PW_ALIGN_LEFT, c->dim, "%s", run[k].name);
					sc->detail = 0;
					text_box(sc, 0, 0, 0, 0);
					bx += rw;
				}
			}
			y += bar_h + lh + 10;
			snprintf(buf, sizeof(buf), "%d bytes from the Ethernet header to the end of the data", end - start);
			y += text_wrapped(sc, x, y, w, 2 * lh, 15, PW_FONT_SANS, c->dim, buf, NULL) + 10;
		} else {
			y += text_wrapped(sc, x, y, w, 2 * lh, 15, PW_FONT_SANS, c->dim,
					  "a frame walked as captured: its bytes are in the capture", NULL) + 10;
		}
	}
	/* Now: which host, which context, which layer. */
	y += 6;
	text_fit(sc, x, y, w, 17, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "Now");
	y += text_line(sc, PW_FONT_SANS_BOLD, 17) + 4;
	fill(sc, x, y + lh * 0.15f, 14, lh * 0.7f, c->ctx[e->ctx], 0);
	snprintf(buf, sizeof(buf), "host %s, %s", e->host ? "B" : "A", pw_ctx_names[e->ctx]);
	text_fit(sc, x + 22, y, w - 22, 17, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->ctx[e->ctx], buf);
	y += lh + 2;
	if (y < lane_y(LANE_NIC) + 6)
		text_wrapped(sc, x + 22, y, w - 22, lane_y(LANE_NIC) + 6 - y, 16, PW_FONT_SANS, c->text, ctx_says[e->ctx],
			     NULL);
}

/* The skb to scale: headroom, headers in colour, payload, tailroom, the
 * shared info, a page fragment; head/data/tail/end arrows below with their
 * values, the mac/network/transport markers above. */
static void skb_bar(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, const struct pw_event *e,
		    const struct pw_event *p, float t, const struct pw_event *last_of)
{
	float x = 170, w = 1600, y = SKB_Y + 34, h = 40;
	float total, scale, f = ease(t);
	uint32_t blen;
	const uint8_t *b = pw_timeline_bytes(tl, e, &blen);
	struct regions r;
	float data, tail;
	int same = p && p->skb.id == e->skb.id;

	fill(sc, 0, SKB_Y - 4, 1920, BOTTOM_Y - SKB_Y, c->panel, 0);
	if (!e->skb.id) {
		text(sc, 960, SKB_Y + 44, 0, 20, PW_FONT_SANS, PW_ALIGN_CENTER, c->dim,
		     "This step works on no sk_buff (an interrupt, a softirq, a doorbell...).");
		return;
	}
	/* A step on no skb shows the last one touched, and says so in the
	 * title: a line of its own would meet the labels above the bar. */
	if (last_of)
		text(sc, 20, SKB_Y + 2, 0, 17, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "last sk_buff: %u (step %u)",
		     e->skb.id, last_of->i);
	else
		text(sc, 20, SKB_Y + 2, 0, 17, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->accent, "sk_buff %u", e->skb.id);
	/* Under the title whatever its size (projection type is larger). */
	text(sc, 20, SKB_Y + 2 + em(sc, 17) * 1.15f, 0, 15, PW_FONT_MONO, PW_ALIGN_LEFT, c->dim, "len %d", e->skb.len);
	if (!sc->compact) {
		text(sc, 20, SKB_Y + 38, 0, 15, PW_FONT_MONO, PW_ALIGN_LEFT, c->dim, "data_len %d", e->skb.data_len);
		text(sc, 20, SKB_Y + 54, 0, 15, PW_FONT_MONO, PW_ALIGN_LEFT, c->dim, "truesize %d", e->skb.truesize);
	}
	total = (float)e->skb.end + 80.0f + (e->skb.data_len ? e->skb.data_len + 20.0f : 0);
	scale = w / total;
	skb_regions(e, b, blen, &r);
	data = same ? lerp((float)p->skb.data, (float)e->skb.data, f) : (float)e->skb.data;
	tail = same ? lerp((float)p->skb.tail, (float)e->skb.tail, f) : (float)e->skb.tail;
	/* The buffer: headroom and tailroom are static; the data area moves. */
	fill(sc, x, y, (float)e->skb.end * scale, h, c->headroom, PW_TAG(PW_TAGK_SKB_BAR, (uint32_t)e->skb.end));
	fill(sc, x + (float)e->skb.end * scale, y, 80 * scale, h, c->shinfo, 0);
	/* Above the bar: below it, the pointer labels need the room. */
	text(sc, x + ((float)e->skb.end + 40) * scale, y - 4 - em(sc, 15) * 1.2f, 0, 15, PW_FONT_SANS, PW_ALIGN_CENTER,
	     c->dim, "shinfo");
	if (e->skb.data_len) {
		float fx = x + ((float)e->skb.end + 100) * scale;

		char name[48];
		int len = snprintf(name, sizeof(name), "frags[0]: %d bytes in a page", e->skb.data_len);

		fill(sc, fx, y, (float)e->skb.data_len * scale, h, c->frag, 0);
		/* Named inside when it fits (sans bold, under 0.7 em a
		 * character); data_len on the left says the size anyway. */
		if ((float)e->skb.data_len * scale > (float)len * 0.7f * em(sc, 15))
			text(sc, fx + (float)e->skb.data_len * scale / 2, y + 10, 0, 15, PW_FONT_SANS_BOLD, PW_ALIGN_CENTER,
			     c->bg, "%s", name);
	}
	sc->dyn = 1;
	{
		/* Headers already pulled stay in the headroom: shown dimmed, since
		 * their bytes are still there (the mac header stays reachable). */
		int32_t lo = e->skb.mac >= 0 ? e->skb.mac : e->skb.network;
		int32_t a = (int32_t)(data + 0.5f);

		if (lo >= 0 && lo < a) {
			int32_t run = lo;

			for (int32_t off = lo; off <= a; off++)
				if (off == a || region_colour(c, &r, off) != region_colour(c, &r, run)) {
					fill(sc, x + (float)run * scale, y + h / 4, (float)(off - run) * scale, h / 2,
					     (region_colour(c, &r, run) & 0xffffff00) | 0x70, 0);
					run = off;
				}
		}
	}
	{
		/* Colour runs of the data area by header. */
		int32_t a = (int32_t)(data + 0.5f), z = (int32_t)(tail + 0.5f);
		int32_t run = a;

		for (int32_t off = a; off <= z; off++) {
			if (off == z || region_colour(c, &r, off) != region_colour(c, &r, run)) {
				if (off > run)
					fill(sc, x + (float)run * scale, y, (float)(off - run) * scale, h, region_colour(c, &r, run), 0);
				run = off;
			}
		}
		if (z <= a)
			fill(sc, x + data * scale - 1, y, 2, h, c->accent, 0);
	}
	/* pointers below: head, data, tail, end */
	{
		const float px[4] = { 0, data, tail, (float)e->skb.end };
		const int32_t val[4] = { 0, e->skb.data, e->skb.tail, e->skb.end };
		static const char *const name[4] = { "head", "data", "tail", "end" };
		/* Labels alternate between two rows: head and tail above,
		 * data and end below. A label that would run into the label
		 * before it in its row (head and tail of an empty skb), or
		 * that a later pointer's arrow would cross (head with data
		 * 16 bytes on, data with end just after it), moves right, and
		 * its arrow runs on under it as an underline. */
		float row_end[2] = { -1e9f, -1e9f };

		for (int i = 0; i < 4; i++) {
			float ax = x + px[i] * scale;
			float ly = y + h + (sc->compact ? 16 : 22) + (i % 2) * (sc->compact ? 30 : 26);
			float lx = ax + 6, lw, foot = ly;
			uint32_t col = i == 1 ? c->accent : c->text;
			char label[32];
			int len = snprintf(label, sizeof(label), "%s %d", name[i], val[i]);
			struct pw_shape *s;

			lw = (float)(len > 0 ? len : 0) * mono_advance(sc, 15);
			if (lx < row_end[i % 2] + 10)
				lx = row_end[i % 2] + 10;
			/* The arrows to the right reach down through this row. */
			for (int k = i + 1; k < 4; k++) {
				float ox = x + px[k] * scale;

				if (ox > lx - 4 && ox < lx + lw + 4)
					lx = ox + 6;
			}
			if (lx > ax + 6)
				foot = ly - 8 + em(sc, 15) * 1.1f;
			row_end[i % 2] = lx + lw;
			line(sc, ax, y + h, ax, foot, 3, col);
			if (foot > ly)
				line(sc, ax, foot, lx + lw, foot, 2, col);
			s = add(sc);
			if (s) {
				s->kind = PW_SHAPE_FILL;
				s->rgba = col;
				s->tag = PW_TAG(PW_TAGK_POINTER, (uint32_t)i);
				s->dynamic = 1;
				place(sc, s, ax - 5, y + h, 10, 6);
			}
			text(sc, lx, ly - 8, 0, 15, PW_FONT_MONO_BOLD, PW_ALIGN_LEFT, col, "%s", label);
			/* What a lesson's highlight of this pointer rings: the tip
			 * and the label, wherever the label went. */
			{
				float x0 = fminf(ax - 8, lx - 6), x1 = fmaxf(ax + 8, lx + str_w(sc, PW_FONT_MONO_BOLD, 15, label) + 6);

				sc->ptr_box[i][0] = x0;
				sc->ptr_box[i][1] = y + h - 2;
				sc->ptr_box[i][2] = x1 - x0;
				sc->ptr_box[i][3] = ly - 8 + text_line(sc, PW_FONT_MONO_BOLD, 15) + 4 - (y + h - 2);
			}
		}
	}
	sc->dyn = 0;
	/* header offsets: ticks above the bar, values on the left, names in the colours */
	{
		const int32_t off[3] = { e->skb.mac, e->skb.network, e->skb.transport };
		static const char *const name[3] = { "mac", "network", "transport" };
		const uint32_t col[3] = { c->eth, c->ip, c->l4 };

		for (int i = 0; i < 3 && !sc->compact; i++) {
			if (off[i] < 0) {
				text(sc, 20, SKB_Y + 72 + i * 16, 0, 15, PW_FONT_MONO, PW_ALIGN_LEFT, c->dim, "%s -", name[i]);
				continue;
			}
			fill(sc, x + (float)off[i] * scale - 1, y - 12, 3, 12, col[i], PW_TAG(PW_TAGK_OFFSET, (uint32_t)i));
			text(sc, 20, SKB_Y + 72 + i * 16, 0, 15, PW_FONT_MONO, PW_ALIGN_LEFT, col[i], "%s %d", name[i], off[i]);
		}
	}
	/* header names inside their colours, where they fit */
	sc->dyn = 1;
	{
		const int32_t a[4] = { r.mac, r.net, r.l4, r.l4end };
		static const char *const label[3] = { "Ethernet", "IPv4", "L4" };

		for (int i = 0; i < 3; i++) {
			int32_t from = a[i], to = i < 2 ? (a[i + 1] >= 0 ? a[i + 1] : -1) : a[3];
			const char *lb = i == 1 && r.arp ? "ARP" : i == 2 ? r.l4name : label[i];

			if (from < 0 || to <= from || (float)from < data - 0.5f)
				continue;
			fill(sc, x + (float)from * scale, y, (float)(to - from) * scale, h, 0, PW_TAG(PW_TAGK_HEADER, (uint32_t)i));
			if ((float)(to - from) * scale >= 70)
				text(sc, x + ((float)from + (float)(to - from) / 2) * scale, y + 10, 0, 15, PW_FONT_SANS_BOLD,
				     PW_ALIGN_CENTER, c->bg, "%s", lb);
		}
	}
	sc->dyn = 0;
}

/* The frame's bytes as this layer sees them, each header in its colour. */
static void hex_pane(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, const struct pw_event *e,
		     float x0, float y0, float w, float hgt)
{
	uint32_t blen;
	const uint8_t *b = pw_timeline_bytes(tl, e, &blen);
	struct regions r;
	float size = 15;
	/* The renderer draws whole pixel sizes, and a hinted monospace glyph
	 * advances a whole number of pixels: place the bytes on that grid. */
	float cw = mono_advance(sc, size), lh = em(sc, size) * 1.3f;
	float hx = x0 + 10 + 5 * cw; /* after the 4-digit offset and a space */
	int per = sc->compact ? 8 : 16;
	int lines = (int)((hgt - em(sc, 15) * 1.6f) / lh);
	int32_t start, end;
	char hex[16 * 3 + 1], asc[17];

	fill(sc, x0, y0, w, hgt, c->lane, 0);
	if (!b || !e->skb.id) {
		text(sc, x0 + 10, y0 + 6, 0, 15, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "bytes");
		return;
	}
	skb_regions(e, b, blen, &r);
	start = e->skb.mac >= 0 && e->skb.mac <= e->skb.data ? e->skb.mac : e->skb.data;
	end = e->skb.tail + e->skb.data_len;
	text(sc, x0 + 10, y0 + 4, 0, 15, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "bytes from %s (%d)",
	     start == e->skb.mac ? "the mac header" : "data", start);
	for (int ln = 0; ln < lines; ln++) {
		int32_t o = start + ln * per;
		int n = 0;

		if (o >= end || (uint32_t)o >= blen)
			break;
		for (int i = 0; i < per && o + i < end && (uint32_t)(o + i) < blen; i++) {
			/* page fragment bytes follow tail in the stored image */
			int32_t at = o + i;
			uint32_t col = at >= e->skb.tail ? c->frag : region_colour(c, &r, at);

			fill(sc, hx + i * 3 * cw, y0 + em(sc, 15) * 1.6f + ln * lh, 2 * cw, lh - 2, col & 0xffffff60,
			     PW_TAG(PW_TAGK_HEX_BYTE, (uint32_t)(at - start)));
			snprintf(hex + i * 3, 4, "%02x ", b[at]);
			asc[i] = b[at] >= 32 && b[at] < 127 ? (char)b[at] : '.';
			n = i + 1;
		}
		hex[n * 3] = '\0';
		asc[n] = '\0';
		text(sc, x0 + 10, y0 + em(sc, 15) * 1.6f + ln * lh, 0, size, PW_FONT_MONO, PW_ALIGN_LEFT, c->dim, "%04x",
		     ln * per);
		text(sc, hx, y0 + em(sc, 15) * 1.6f + ln * lh, 0, size, PW_FONT_MONO, PW_ALIGN_LEFT, c->text, "%s", hex);
		text(sc, hx + (per * 3 + 1) * cw, y0 + em(sc, 15) * 1.6f + ln * lh, 0, size, PW_FONT_MONO,
		     PW_ALIGN_LEFT, c->dim, "%s", asc);
		if (ln == lines - 1 && o + per < end)
			text(sc, x0 + w - 10, y0 + 6, 0, 15, PW_FONT_SANS, PW_ALIGN_RIGHT, c->dim, "%d more bytes below",
			     end - (o + per));
	}
}

static void event_list(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, size_t step,
		       float x0, float y0, float w, float hgt)
{
	float size = 15, lh = em(sc, size) * 1.45f;
	int rows = (int)((hgt - 8) / lh);
	size_t n = pw_timeline_count(tl);
	size_t first = step > (size_t)rows / 2 ? step - (size_t)rows / 2 : 0;

	fill(sc, x0, y0, w, hgt, c->lane, 0);
	if (first + (size_t)rows > n)
		first = n > (size_t)rows ? n - (size_t)rows : 0;
	for (int r = 0; r < rows && first + (size_t)r < n; r++) {
		const struct pw_event *e = pw_timeline_event(tl, first + (size_t)r);
		float y = y0 + 4 + r * lh;
		int cur = first + (size_t)r == step;

		fill(sc, x0 + 2, y, w - 4, lh - 2, cur ? c->lane_on : c->lane, PW_TAG(PW_TAGK_EVENT_ROW, (uint32_t)(first + (size_t)r)));
		fill(sc, x0 + 4, y + 3, 6, lh - 8, c->ctx[e->ctx], 0);
		text(sc, x0 + 16, y + 1, 0, size, PW_FONT_MONO, PW_ALIGN_LEFT, cur ? c->accent : c->dim, "%4u %s", e->i,
		     e->host ? "B" : "A");
		text(sc, x0 + 16 + mono_advance(sc, size) * 8, y + 1, 0, size, cur ? PW_FONT_MONO_BOLD : PW_FONT_MONO, PW_ALIGN_LEFT,
		     e->drop ? c->drop : cur ? c->text : c->dim, "%s%s%s", e->func, pw_tp_names[e->tp] ? "  " : "",
		     pw_tp_names[e->tp] && !sc->compact ? pw_tp_names[e->tp] : "");
	}
}

static void scrubber(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, size_t step)
{
	size_t n = pw_timeline_count(tl);
	float x = 20, w = 1880, f = n > 1 ? (float)step / (float)(n - 1) : 0;

	fill(sc, x, SCRUB_Y, w, 22, c->lane, PW_TAG(PW_TAGK_SCRUBBER, 0));
	/* drops and wire frames as ticks, so a lecturer can find them */
	for (size_t i = 0; i < n; i++) {
		const struct pw_event *e = pw_timeline_event(tl, i);

		if (e->drop || e->op == PW_OP_WIRE)
			fill(sc, x + w * (n > 1 ? (float)i / (float)(n - 1) : 0), SCRUB_Y + 2, 2, 18, e->drop ? c->drop : c->eth, 0);
	}
	fill(sc, x, SCRUB_Y + 8, w * f, 6, c->accent, 0);
	fill(sc, x + w * f - 5, SCRUB_Y, 10, 22, c->accent, 0);
}

static void tooltip(struct pw_scene *sc, const struct palette *c, const struct pw_timeline *tl, const struct pw_event *e,
		    const struct pw_scene_opts *o, uint32_t tag)
{
	char buf[200] = "";
	const struct pw_occupancy *occ;
	float x, y;

	switch (PW_TAG_KIND(tag)) {
	case PW_TAGK_HEX_BYTE: {
		uint32_t blen;
		const uint8_t *b = pw_timeline_bytes(tl, e, &blen);
		int32_t start = e->skb.mac >= 0 && e->skb.mac <= e->skb.data ? e->skb.mac : e->skb.data;
		uint32_t at = (uint32_t)start + PW_TAG_INDEX(tag);
		struct regions r;
		const char *what;

		if (!b || at >= blen)
			return;
		skb_regions(e, b, blen, &r);
		what = at >= (uint32_t)e->skb.tail ? "payload (page fragment)"
		       : region_colour(&dark, &r, (int32_t)at) == dark.eth ? "Ethernet header"
		       : region_colour(&dark, &r, (int32_t)at) == dark.arp ? "ARP"
		       : region_colour(&dark, &r, (int32_t)at) == dark.ip  ? "IPv4 header"
		       : region_colour(&dark, &r, (int32_t)at) == dark.l4  ? "transport header"
									  : "payload";
		{
			/* Name the field with the dissector the stack's parsers share. */
			struct pw_dissection d;
			const char *field = "";

			if (start == e->skb.mac && at < (uint32_t)e->skb.tail) {
				pw_dissect(1 /* LINKTYPE_ETHERNET */, b + start, (uint32_t)e->skb.tail - (uint32_t)start,
					   (uint32_t)e->skb.tail - (uint32_t)start, &d);
				field = pw_field_at(&d, PW_TAG_INDEX(tag));
			}
			snprintf(buf, sizeof(buf), "byte %u of the frame = 0x%02x (%u): %s%s%s", PW_TAG_INDEX(tag), b[at],
				 b[at], field, field[0] ? ", in the " : "", what);
		}
		break;
	}
	case PW_TAGK_QUEUE:
		occ = pw_timeline_occupancy(tl, e, (int)(PW_TAG_INDEX(tag) / 32));
		if (!occ)
			return;
		snprintf(buf, sizeof(buf), "host %s %s: %u%s%u", PW_TAG_INDEX(tag) / 32 ? "B" : "A",
			 pw_queue_names[PW_TAG_INDEX(tag) % 32], occ->len[PW_TAG_INDEX(tag) % 32],
			 occ->cap[PW_TAG_INDEX(tag) % 32] ? " of " : "", occ->cap[PW_TAG_INDEX(tag) % 32]);
		if (!occ->cap[PW_TAG_INDEX(tag) % 32])
			buf[strlen(buf) - 1] = '\0';
		break;
	case PW_TAGK_RING_SLOT:
		snprintf(buf, sizeof(buf), "host %s %s ring, descriptor %u", (PW_TAG_INDEX(tag) >> 20) ? "B" : "A",
			 (PW_TAG_INDEX(tag) >> 16) & 1 ? "RX" : "TX", PW_TAG_INDEX(tag) & 0xffff);
		break;
	case PW_TAGK_EVENT_ROW: {
		const struct pw_event *r = pw_timeline_event(tl, PW_TAG_INDEX(tag));

		if (r)
			snprintf(buf, sizeof(buf), "%.190s", r->text);
		break;
	}
	case PW_TAGK_POINTER:
		snprintf(buf, sizeof(buf), "skb->%s: %s", PW_TAG_INDEX(tag) == 0 ? "head" : PW_TAG_INDEX(tag) == 1 ? "data"
							   : PW_TAG_INDEX(tag) == 2 ? "tail" : "end",
			 PW_TAG_INDEX(tag) == 1 ? "where this layer's packet starts" : PW_TAG_INDEX(tag) == 2 ? "where the linear data ends"
			 : PW_TAG_INDEX(tag) == 0 ? "the start of the buffer" : "the end of the buffer; skb_shared_info follows");
		break;
	default:
		return;
	}
	if (!buf[0])
		return;
	/* Its policy: as wide as its text up to 690 design units, wrapped
	 * beyond, and kept inside the picture. */
	{
		float tw = fminf(670, str_w(sc, PW_FONT_SANS, 18, buf) + 2), th;

		th = text_measure_wrapped(sc, tw, 18, PW_FONT_SANS, buf) + 16;
		x = ((float)o->hover_x - sc->ox) / sc->k + 16;
		y = ((float)o->hover_y - sc->oy) / sc->k + 16;
		if (x > 1920 - tw - 30)
			x = 1920 - tw - 30;
		if (y > sc->dh - th - 6)
			y = ((float)o->hover_y - sc->oy) / sc->k - th - 8;
		if (y < 0)
			y = 0;
		panel(sc, x, y, tw + 20, th, c->accent);
		text_wrapped(sc, x + 10, y + 8, tw, th - 8, 18, PW_FONT_SANS, c->bg, buf, NULL);
	}
}

/*
 * The help: every key, then the colour key the stage uses. Its policy:
 * each description is wrapped beside its key; when one column would run
 * past the picture, the keys go in two columns.
 */
static const char *const ctx_label[PW_CTX_COUNT] = { "process", "hardirq", "softirq NET_TX", "softirq NET_RX",
						     "softirq TIMER", "hardware" };

static void help_overlay(struct pw_scene *sc, const struct palette *c)
{
	static const char *const keys[][2] = {
		{ "Space", "play / pause" },
		{ "→  PgDn  Enter", "next page of the narration, then the next step (lecture clickers send PgDn)" },
		{ "←  PgUp", "previous page, then the previous step" },
		{ "Home / End", "first / last step" },
		{ "+ / -", "faster / slower" },
		{ "F  F11", "full screen" },
		{ "P", "projection mode: larger type, high contrast" },
		{ "B", "blackout" },
		{ "N", "presenter window (notes and the next step)" },
		{ "H  ?", "this help" },
		{ "mouse", "click a row or the scrubber to jump; hover over a byte, queue or ring for details" },
		{ "drag a file", "drop a pcap onto the window to walk it" },
		{ "Esc  Q", "quit" },
	};
	const size_t n = sizeof(keys) / sizeof(keys[0]);
	float ks = 22, ds = 22, top = 80, bottom = sc->dh - 40, x0 = 120, w = 1680, kw = 0, lh, cols, colw, dw;
	float row_h[sizeof(keys) / sizeof(keys[0])], total = 0, y, key_h;
	size_t per;

	for (size_t i = 0; i < n; i++)
		kw = fmaxf(kw, str_w(sc, PW_FONT_MONO_BOLD, ks, keys[i][0]));
	lh = text_line(sc, PW_FONT_SANS, ds);
	key_h = text_line(sc, PW_FONT_SANS_BOLD, 18) * 2 + (float)PW_CTX_COUNT / 3.0f * lh + lh * 2 + 20;
	for (cols = 1; cols <= 2; cols++) {
		colw = (w - 40 - (cols - 1) * 40) / cols;
		dw = colw - kw - 30;
		per = (size_t)((n + (size_t)cols - 1) / (size_t)cols);
		total = 0;
		for (size_t i = 0; i < n; i++) {
			row_h[i] = text_measure_wrapped(sc, dw, ds, PW_FONT_SANS, keys[i][1]) + 10;
			if (i < per)
				total += row_h[i];
		}
		if (top + 70 + total + key_h <= bottom)
			break;
	}
	if (cols > 2)
		cols = 2;
	colw = (w - 40 - (cols - 1) * 40) / cols;
	dw = colw - kw - 30;
	per = (size_t)((n + (size_t)cols - 1) / (size_t)cols);
	panel(sc, x0, top, w, bottom - top, c->panel);
	outline(sc, x0, top, w, bottom - top, 3, c->accent);
	text(sc, 960, top + 14, 0, 30, PW_FONT_SANS_BOLD, PW_ALIGN_CENTER, c->accent, "Keys");
	for (size_t col = 0; col < (size_t)cols; col++) {
		float cx = x0 + 20 + (float)col * (colw + 40);

		y = top + 70;
		for (size_t i = col * per; i < n && i < (col + 1) * per; i++) {
			text(sc, cx, y, 0, ks, PW_FONT_MONO_BOLD, PW_ALIGN_LEFT, c->text, "%s", keys[i][0]);
			text_wrapped(sc, cx + kw + 30, y, dw, bottom - 10 - key_h - y, ds, PW_FONT_SANS, c->text, keys[i][1],
				     NULL);
			y += row_h[i];
		}
	}
	/* The colour key, which the stage used to carry beside the wire. */
	y = bottom - key_h;
	text(sc, x0 + 20, y, 0, 18, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "CPU context (the narration's edge, "
	     "the CPU strips)");
	y += text_line(sc, PW_FONT_SANS_BOLD, 18) + 4;
	for (int i = 0; i < PW_CTX_COUNT; i++) {
		float cx = x0 + 20 + (float)(i % 3) * (w - 40) / 3, cy = y + (float)(i / 3) * lh;

		fill(sc, cx, cy + lh * 0.2f, lh * 0.6f, lh * 0.6f, c->ctx[i], 0);
		text(sc, cx + lh, cy, 0, ds, PW_FONT_SANS, PW_ALIGN_LEFT, c->text, "%s", ctx_label[i]);
	}
	y += (float)((PW_CTX_COUNT + 2) / 3) * lh + 8;
	text(sc, x0 + 20, y, 0, 18, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, "ring descriptors");
	y += text_line(sc, PW_FONT_SANS_BOLD, 18) + 4;
	{
		static const char *const own[3] = { "the NIC's (to fill, to send)", "done, for the driver", "free" };
		const uint32_t col[3] = { c->own_nic, c->own_done, c->own_free };

		for (int i = 0; i < 3; i++) {
			float cx = x0 + 20 + (float)i * (w - 40) / 3;

			fill(sc, cx, y + lh * 0.2f, lh * 0.6f, lh * 0.6f, col[i], 0);
			outline(sc, cx, y + lh * 0.2f, lh * 0.6f, lh * 0.6f, 1, c->line);
			text(sc, cx + lh, y, 0, ds, PW_FONT_SANS, PW_ALIGN_LEFT, c->text, "%s", own[i]);
		}
	}
}

/* An outline around every shape carrying tag. */
static void outline_tag(struct pw_scene *sc, const struct palette *c, uint32_t tag)
{
	size_t n = sc->n;

	for (size_t i = 0; i < n; i++) {
		const struct pw_shape *s = &sc->s[i];
		float x, y, w, h;

		if (s->tag != tag || s->kind != PW_SHAPE_FILL)
			continue;
		x = (s->x - sc->ox) / sc->k;
		y = (s->y - sc->oy) / sc->k;
		w = s->w / sc->k;
		h = s->h / sc->k;
		if (PW_TAG_KIND(tag) == PW_TAGK_POINTER) {
			/* the arrow and its label below the bar, as skb_bar placed them */
			const float *b = sc->ptr_box[PW_TAG_INDEX(tag) & 3];

			if (b[2] > 0)
				outline(sc, b[0], b[1], b[2], b[3], 4, c->accent);
			continue;
		}
		/* small targets get a ring big enough to see from the back of a hall */
		if (w < 28) {
			x -= (28 - w) / 2;
			w = 28;
		}
		if (h < 28) {
			y -= (28 - h) / 2;
			h = 28;
		}
		outline(sc, x - 4, y - 4, w + 8, h + 8, 4, c->accent);
	}
}

/*
 * The checkpoint, in the middle column between the hosts. Its policy: the
 * question, each option and the explanation are wrapped to the column;
 * an option's box grows to hold its lines; the panel grows down over the
 * skb pane as far as the scrubber if it must (an overlay hides what it
 * covers); past that the explanation is cut with "…".
 */
static float checkpoint_need(struct pw_scene *sc, const struct pw_scene_lesson *ls, float w, float pad, float *opt_h,
			     int nopt, const char *tail)
{
	float qs = 17, os = 16, gap = 8, lh_o = text_line(sc, PW_FONT_SANS, os), need;
	char buf[512];

	need = pad + text_line(sc, PW_FONT_SANS_BOLD, 18) + 6;
	need += text_measure_wrapped(sc, w - 2 * pad, qs, PW_FONT_SANS, ls->question) + 10;
	for (int i = 0; i < nopt; i++) {
		snprintf(buf, sizeof(buf), "%d  %s", i + 1, ls->options[i]);
		opt_h[i] = text_measure_wrapped(sc, w - 2 * pad - 20, os, PW_FONT_SANS, buf) + 10;
		if (opt_h[i] < lh_o + 10)
			opt_h[i] = lh_o + 10;
		need += opt_h[i] + gap;
	}
	return need + text_measure_wrapped(sc, w - 2 * pad, os, PW_FONT_SANS, tail) + pad;
}

/*
 * The checkpoint. Its policy: the question, each option and the
 * explanation are wrapped to the panel, and an option's box grows to hold
 * its lines. The panel stands in the middle column between the hosts and
 * grows down, over the skb pane, as far as the scrubber; if it still does
 * not fit (small windows, projection type) it widens over the whole stage
 * while the question is open. Options are never cut; the explanation is,
 * with "…", only when even that is not enough.
 */
static void checkpoint(struct pw_scene *sc, const struct palette *c, const struct pw_scene_lesson *ls)
{
	float x = COL_A_X + COL_W + 14, y = STAGE_Y + 4, w = COL_B_X - x - 14;
	float pad = 14, qs = 17, os = 16, gap = 8;
	float need, oy, h, max_h = SCRUB_Y - 8 - y, yy;
	float opt_h[8];
	char buf[512], tail[512];
	int nopt = ls->n_options < 8 ? ls->n_options : 8;

	if (ls->chosen >= 0)
		snprintf(tail, sizeof(tail), "%s %s", ls->chosen == ls->answer ? "Right." : "Not quite.",
			 ls->explanation ? ls->explanation : "");
	else
		snprintf(tail, sizeof(tail), "Answer with keys 1-%d or a click.", nopt);
	need = checkpoint_need(sc, ls, w, pad, opt_h, nopt, tail);
	if (need > max_h) {
		x = COL_A_X;
		w = COL_B_X + COL_W - COL_A_X;
		need = checkpoint_need(sc, ls, w, pad, opt_h, nopt, tail);
	}
	h = need < LANES * LANE_H + 20 ? LANES * LANE_H + 20 : need > max_h ? max_h : need;

	panel(sc, x, y, w, h, c->panel);
	outline(sc, x, y, w, h, 3, c->accent);
	yy = y + pad;
	text(sc, x + pad, yy, 0, 18, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->accent, "Checkpoint");
	yy += text_line(sc, PW_FONT_SANS_BOLD, 18) + 6;
	yy += text_wrapped(sc, x + pad, yy, w - 2 * pad, y + h - yy, qs, PW_FONT_SANS, c->text, ls->question, NULL) + 10;
	oy = yy;
	for (int i = 0; i < nopt; i++) {
		uint32_t bg = c->lane_on;

		if (ls->chosen >= 0 && i == ls->answer)
			bg = (c->ip & 0xffffff00) | 0x90;
		else if (ls->chosen == i)
			bg = (c->drop & 0xffffff00) | 0x90;
		fill(sc, x + 10, oy, w - 20, opt_h[i], bg, PW_TAG(PW_TAGK_OPTION, (uint32_t)i));
		snprintf(buf, sizeof(buf), "%d  %s", i + 1, ls->options[i]);
		text_wrapped(sc, x + pad + 6, oy + 5, w - 2 * pad - 20, opt_h[i] - 8, os, PW_FONT_SANS, c->text, buf, NULL);
		oy += opt_h[i] + gap;
	}
	text_wrapped(sc, x + pad, oy + 2, w - 2 * pad, y + h - pad - oy, os, PW_FONT_SANS,
		     ls->chosen < 0 ? c->dim : ls->chosen == ls->answer ? c->ip : c->drop, tail, NULL);
	(void)qs;
}

static void lesson_overlay(struct pw_scene *sc, const struct palette *c, const struct pw_scene_lesson *ls)
{
	static const char *const hdr[] = { "eth", "ip", "transport" };

	for (size_t i = 0; i < ls->n_hl && !ls->walking; i++) {
		const struct pw_scene_highlight *h = &ls->hl[i];

		if (h->header) {
			for (int k = 0; k < 3; k++)
				if (!strcmp(h->header, hdr[k]) || (k == 1 && !strcmp(h->header, "arp")) ||
				    (k == 2 && (!strcmp(h->header, "tcp") || !strcmp(h->header, "udp") || !strcmp(h->header, "icmp"))))
					outline_tag(sc, c, PW_TAG(PW_TAGK_HEADER, (uint32_t)k));
			continue;
		}
		switch (h->tag_kind) {
		case PW_TAGK_POINTER:
		case PW_TAGK_OFFSET:
			outline_tag(sc, c, PW_TAG(h->tag_kind, (uint32_t)h->index));
			break;
		case PW_TAGK_QUEUE:
		case PW_TAGK_LANE:
			outline_tag(sc, c, PW_TAG(h->tag_kind, (uint32_t)h->host * (h->tag_kind == PW_TAGK_QUEUE ? 32 : 16) +
								(uint32_t)h->index));
			break;
		case PW_TAGK_RING_SLOT:
			if (h->slot < 0)
				outline_tag(sc, c, PW_TAG(PW_TAGK_QUEUE, (uint32_t)h->host * 32 +
									 (uint32_t)(h->index ? PW_Q_RX_RING : PW_Q_TX_RING)));
			else
				outline_tag(sc, c, PW_TAG(PW_TAGK_RING_SLOT, ((uint32_t)h->host << 20) | ((uint32_t)h->index << 16) |
									     (uint32_t)h->slot));
			break;
		case PW_TAGK_LABEL:
			outline(sc, col_x(h->host) - 6, STAGE_Y - 6, COL_W + 12, LANES * LANE_H + 38, 5, c->accent);
			break;
		}
	}
	if (ls->question && !ls->walking)
		checkpoint(sc, c, ls);
}

void pw_scene_build_menu(struct pw_scene *sc, const struct pw_scene_menu_item *items, size_t n, size_t selected,
			 const struct pw_scene_opts *o)
{
	const struct palette *c = o->projection ? &bright : &dark;
	float rh, l2, y0 = 150;
	size_t first = 0, rows;

	begin(sc, o);
	/* Two lines a row, whatever the type's floor made of them. */
	l2 = 6 + text_line(sc, PW_FONT_SANS_BOLD, 22);
	rh = fmaxf(62, l2 + text_line(sc, PW_FONT_SANS, 15) + 10);
	fill(sc, -sc->ox / sc->k - 1, -sc->oy / sc->k - 1, PW_SCENE_DESIGN_W + 2 * sc->ox / sc->k + 2,
	     sc->dh + 2 * sc->oy / sc->k + 2, o->blackout ? 0x000000ff : c->bg, 0);
	if (o->blackout)
		return;
	text(sc, 80, 40, 0, 40, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->text, "packetwalk");
	text(sc, 80, 96, 0, 20, PW_FONT_SANS, PW_ALIGN_LEFT, c->dim,
	     "How the Linux kernel moves a packet, step by step. Choose a lesson:");
	/* As many rows as fit; the list scrolls with the selection, and says
	 * how many lessons lie above and below. */
	rows = (size_t)((sc->dh - 80 - y0) / rh);
	if (rows < 1)
		rows = 1;
	if (selected >= rows)
		first = selected - rows + 1;
	if (first)
		text(sc, 1830, y0 - 34, 0, 17, PW_FONT_SANS_BOLD, PW_ALIGN_RIGHT, c->accent, "↑ %zu more", first);
	if (first + rows < n)
		text(sc, 1830, sc->dh - 80, 0, 17, PW_FONT_SANS_BOLD, PW_ALIGN_RIGHT, c->accent, "↓ %zu more",
		     n - first - rows);
	for (size_t i = first; i < n && i < first + rows; i++) {
		const struct pw_scene_menu_item *it = &items[i];
		float y = y0 + (float)(i - first) * rh;
		int on = i == selected;

		fill(sc, 70, y, 1780, rh - 6, on ? c->lane_on : c->lane, PW_TAG(PW_TAGK_MENU_ITEM, (uint32_t)i));
		if (on)
			fill(sc, 70, y, 8, rh - 6, c->accent, 0);
		/* Two lines a lesson: the title with its level and length on the
		 * right, then the summary (or what is wrong) with the progress on
		 * the right; each cut after a word with "…" where it must be. */
		{
			char right[96], title[256];
			float rw1, rw2 = 0;

			snprintf(right, sizeof(right), "%s · %d min", it->level ? it->level : "", it->minutes);
			rw1 = str_w(sc, PW_FONT_SANS, 17, right);
			text(sc, 1830, y + 8, 0, 17, PW_FONT_SANS, PW_ALIGN_RIGHT, c->dim, "%s", right);
			if (it->progress && it->progress[0]) {
				rw2 = str_w(sc, PW_FONT_SANS, 15, it->progress);
				text(sc, 1830, y + l2, 0, 15, PW_FONT_SANS, PW_ALIGN_RIGHT, c->ip, "%s", it->progress);
			}
			snprintf(title, sizeof(title), "%zu. %s", i + 1, it->title ? it->title : "(untitled)");
			text_fit(sc, 96, y + 6, 1830 - 96 - rw1 - 30, 22, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT,
				 it->error ? c->dim : on ? c->accent : c->text, title);
			if (it->error) {
				snprintf(title, sizeof(title), "cannot be played: %s", it->error);
				text_fit(sc, 96, y + l2, 1830 - 96 - rw2 - 30, 15, PW_FONT_SANS, PW_ALIGN_LEFT, c->drop, title);
			} else {
				text_fit(sc, 96, y + l2, 1830 - 96 - rw2 - 30, 15, PW_FONT_SANS, PW_ALIGN_LEFT, c->dim,
					 it->summary ? it->summary : "");
			}
		}
	}
	text_fit(sc, 960, sc->dh - 50, 1500, 18, PW_FONT_SANS, PW_ALIGN_CENTER, c->dim,
		 "↑ ↓ choose   Enter or click start   E explore the tcp scenario freely   P projection   Esc quit");
	settle_texts(sc);
}

void pw_scene_build(struct pw_scene *sc, const struct pw_timeline *tl, size_t step, float tween,
		    const struct pw_scene_opts *o)
{
	const struct palette *c = o->projection ? &bright : &dark;
	const struct pw_event *e, *p;
	const struct pw_occupancy *occ[PW_HOSTS], *pocc[PW_HOSTS];
	size_t n = pw_timeline_count(tl);
	uint32_t hover = 0;

	begin(sc, o);
	if (step >= n && n)
		step = n - 1;
	e = pw_timeline_event(tl, step);
	p = step ? pw_timeline_event(tl, step - 1) : NULL;
	/* The window outside the 16:9 picture, and the picture's ground. */
	fill(sc, -sc->ox / sc->k - 1, -sc->oy / sc->k - 1, PW_SCENE_DESIGN_W + 2 * sc->ox / sc->k + 2,
	     sc->dh + 2 * sc->oy / sc->k + 2, o->blackout ? 0x000000ff : c->bg, 0);
	if (o->blackout || !e)
		return;
	for (int h = 0; h < PW_HOSTS; h++) {
		occ[h] = pw_timeline_occupancy(tl, e, h);
		pocc[h] = p ? pw_timeline_occupancy(tl, p, h) : occ[h];
	}
	top_bar(sc, c, tl, step, o);
	narration(sc, c, e, o);
	if (!o->lesson || !o->lesson->question || o->lesson->walking)
		wire_view(sc, c, tl, step);
	for (int h = 0; h < PW_HOSTS; h++) {
		if (occ[h])
			host_column(sc, c, h, e, occ[h], pocc[h] ? pocc[h] : occ[h], ease(tween));
		cpu_strip(sc, c, tl, step, h);
	}
	wire(sc, c, e, tween);
	{
		/* A step without an skb keeps showing the last skb touched, so the
		 * picture of the buffer does not blink away during interrupts. */
		const struct pw_event *se = e;

		for (size_t i = step; !se->skb.id && i-- > 0 && step - i < 200;)
			se = pw_timeline_event(tl, i);
		if (se->skb.id && se != e) {
			skb_bar(sc, c, tl, se, NULL, 1.0f, se);
			hex_pane(sc, c, tl, se, 16, BOTTOM_Y, 1100, SCRUB_Y - BOTTOM_Y - 8);
		} else {
			skb_bar(sc, c, tl, e, p, tween, NULL);
			hex_pane(sc, c, tl, e, 16, BOTTOM_Y, 1100, SCRUB_Y - BOTTOM_Y - 8);
		}
	}
	event_list(sc, c, tl, step, 1130, BOTTOM_Y, 774, SCRUB_Y - BOTTOM_Y - 8);
	scrubber(sc, c, tl, step);
	dma(sc, c, e, tween);
	token(sc, c, e, p, tween);
	if (o->hover_x >= 0 && o->hover_y >= 0)
		hover = pw_scene_hit(sc, o->hover_x, o->hover_y);
	/* Overlays go with the moving shapes, which the renderer draws after
	 * the static layer: so nothing that moves shows through them. */
	sc->dyn = 1;
	if (hover)
		tooltip(sc, c, tl, e, o, hover);
	if (o->lesson)
		lesson_overlay(sc, c, o->lesson);
	if (o->help)
		help_overlay(sc, c);
	sc->dyn = 0;
	settle_texts(sc);
}

/*
 * The presenter window: what is being shown and the lecturer's notes for
 * it, then what comes next. Its policy: every text wrapped to the window;
 * the notes take what the next step's text leaves (at least half), and
 * what still does not fit ends in "…".
 */
void pw_scene_build_presenter(struct pw_scene *sc, const struct pw_scene_presenter *p, const struct pw_scene_opts *o)
{
	const struct palette *c = o->projection ? &bright : &dark;
	float x = 60, w = 1800, y = 40, hs = 34, bs = 30, next_h, notes_h;

	begin(sc, o);
	fill(sc, -sc->ox / sc->k - 1, -sc->oy / sc->k - 1, PW_SCENE_DESIGN_W + 2 * sc->ox / sc->k + 2,
	     sc->dh + 2 * sc->oy / sc->k + 2, c->bg, 0);
	text_fit(sc, x, y, w, hs, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->accent, p->now ? p->now : "");
	y += text_line(sc, PW_FONT_SANS_BOLD, hs) + 16;
	next_h = text_line(sc, PW_FONT_SANS_BOLD, hs) + 16 + text_measure_wrapped(sc, w, bs, PW_FONT_SANS, p->next);
	notes_h = sc->dh - 40 - y - fminf(next_h, (sc->dh - 40 - y) / 2) - 30;
	y += text_wrapped(sc, x, y, w, notes_h, bs, PW_FONT_SANS, c->text, p->notes, NULL) > notes_h
		     ? notes_h
		     : text_measure_wrapped(sc, w, bs, PW_FONT_SANS, p->notes);
	y += 30;
	line(sc, x, y - 15, x + w, y - 15, 2, c->line);
	text_fit(sc, x, y, w, hs, PW_FONT_SANS_BOLD, PW_ALIGN_LEFT, c->dim, p->next_title ? p->next_title : "Next");
	y += text_line(sc, PW_FONT_SANS_BOLD, hs) + 16;
	text_wrapped(sc, x, y, w, sc->dh - 30 - y, bs, PW_FONT_SANS, c->dim, p->next, NULL);
	settle_texts(sc);
}
