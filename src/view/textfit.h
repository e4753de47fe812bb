/* textfit.h: measuring and breaking text for the scene's layout.
 *
 * The scene decides what fits from the renderer's own font metrics
 * (struct pw_text_measure), never from a guess of the glyphs' widths, so
 * that a box laid out here holds what the renderer draws in it. Widths are
 * remembered by (text, font, size): a scene is rebuilt every frame of a
 * tween, and the same strings are measured again and again.
 *
 * Sizes here are in window pixels. No SDL: the metrics come in through
 * the measure's function pointers.
 */
#ifndef PW_VIEW_TEXTFIT_H
#define PW_VIEW_TEXTFIT_H

#include <stddef.h>
#include <stdint.h>

#include "view/scene.h"

/* The smallest text the view draws, in pixels, in any mode. */
#define PW_TEXT_MIN_PX 13

#define PW_TEXTFIT_CACHE 2048

struct pw_textfit {
	const struct pw_text_measure *m; /* NULL: estimates */
	struct {
		uint64_t key; /* 0: empty */
		float w;
	} cache[PW_TEXTFIT_CACHE];
	size_t hits, misses;
};

/* Uses m (or estimates when m is NULL) from now on; a new m empties the
 * cache. */
void pw_textfit_use(struct pw_textfit *tf, const struct pw_text_measure *m);

/* Width in pixels of the first len bytes of s. */
float pw_textfit_width(struct pw_textfit *tf, int font, int px, const char *s, size_t len);
/* The distance from one line's top to the next's. */
float pw_textfit_line(struct pw_textfit *tf, int font, int px);

/* One line of a wrapped text: len bytes from s, width w pixels. */
struct pw_text_line {
	const char *s;
	size_t len;
	float w;
};

/*
 * Breaks text into lines at most width pixels wide: at spaces, at '\n',
 * and inside a word only when the word alone is wider than the line (then
 * between UTF-8 characters). Spaces at a break are dropped. Fills at most
 * max lines and returns how many the whole text needs (more than max when
 * it did not all fit in lines[]).
 */
size_t pw_textfit_wrap(struct pw_textfit *tf, int font, int px, const char *text, float width,
		       struct pw_text_line *lines, size_t max);

/*
 * The longest start of line that fits in width with the ellipsis "…" after
 * it, cut after a word when one ends in the last third, else between
 * characters: its length in bytes (0 if not even the ellipsis fits).
 */
size_t pw_textfit_cut(struct pw_textfit *tf, int font, int px, const char *s, size_t len, float width);

#endif
