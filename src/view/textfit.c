/* textfit.c: measuring and breaking text (see textfit.h). */
#include <string.h>

#include "view/textfit.h"

void pw_textfit_use(struct pw_textfit *tf, const struct pw_text_measure *m)
{
	if (tf->m == m)
		return;
	tf->m = m;
	memset(tf->cache, 0, sizeof(tf->cache));
}

/* UTF-8 characters in s[0..len): continuation bytes do not count. */
static size_t chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* Without the renderer: DejaVu's advances, on the wide side (a monospace
 * glyph is 0.602 em; Sans averages about 0.55 em over prose, bold more),
 * so an estimated layout errs towards room to spare. */
static float estimate(int font, int px, const char *s, size_t len)
{
	static const float em[PW_FONT_COUNT] = { 0.58f, 0.64f, 0.6021f, 0.6021f };

	return (float)chars(s, len) * (float)px * em[font >= 0 && font < PW_FONT_COUNT ? font : 0];
}

static uint64_t key_of(int font, int px, const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)(unsigned)font << 16 | (uint64_t)(unsigned)px);

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	h = (h ^ len) * 0x100000001b3ull;
	return h ? h : 1;
}

float pw_textfit_width(struct pw_textfit *tf, int font, int px, const char *s, size_t len)
{
	uint64_t k;
	size_t slot;
	float w;

	if (!s || !len)
		return 0;
	if (!tf->m || !tf->m->width)
		return estimate(font, px, s, len);
	k = key_of(font, px, s, len);
	slot = (size_t)(k % PW_TEXTFIT_CACHE);
	if (tf->cache[slot].key == k) {
		tf->hits++;
		return tf->cache[slot].w;
	}
	tf->misses++;
	w = tf->m->width(tf->m->ctx, font, px, s, len);
	tf->cache[slot].key = k;
	tf->cache[slot].w = w;
	return w;
}

float pw_textfit_line(struct pw_textfit *tf, int font, int px)
{
	if (tf->m && tf->m->line_height)
		return tf->m->line_height(tf->m->ctx, font, px);
	return (float)px * 1.17f; /* DejaVu: ascent 0.928 em + descent 0.236 em */
}

/* The end of the UTF-8 character starting at s[i] (i < len). */
static size_t next_char(const char *s, size_t len, size_t i)
{
	i++;
	while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/* How many bytes of s[0..len) fit in width, cut between characters (at
 * least one character, so that a line always moves on). */
static size_t fit_chars(struct pw_textfit *tf, int font, int px, const char *s, size_t len, float width)
{
	size_t lo = next_char(s, len, 0), i = lo;

	while (i < len) {
		size_t j = next_char(s, len, i);

		if (pw_textfit_width(tf, font, px, s, j) > width)
			break;
		i = j;
	}
	return i < lo ? lo : i;
}

size_t pw_textfit_wrap(struct pw_textfit *tf, int font, int px, const char *text, float width,
		       struct pw_text_line *lines, size_t max)
{
	size_t n = 0, len = text ? strlen(text) : 0, i = 0;

	while (i < len) {
		size_t start = i, end = i, best = i;

		/* A line: whole words while they fit. */
		while (end < len && text[end] != '\n') {
			size_t w_end = end;

			while (w_end < len && text[w_end] == ' ')
				w_end++;
			while (w_end < len && text[w_end] != ' ' && text[w_end] != '\n')
				w_end++;
			if (pw_textfit_width(tf, font, px, text + start, w_end - start) > width)
				break;
			best = end = w_end;
		}
		if (best == start && start < len && text[start] != '\n') {
			/* The first word alone is too wide: cut it. */
			size_t w_end = start;

			while (w_end < len && text[w_end] != ' ' && text[w_end] != '\n')
				w_end++;
			best = start + fit_chars(tf, font, px, text + start, w_end - start, width);
		}
		if (n < max) {
			lines[n].s = text + start;
			lines[n].len = best - start;
			lines[n].w = pw_textfit_width(tf, font, px, text + start, best - start);
		}
		n++;
		i = best;
		/* What ends a line is not part of the next one. */
		if (i < len && text[i] == '\n')
			i++;
		while (i < len && text[i] == ' ')
			i++;
	}
	return n;
}

size_t pw_textfit_cut(struct pw_textfit *tf, int font, int px, const char *s, size_t len, float width)
{
	static const char ell[] = "…";
	float room = width - pw_textfit_width(tf, font, px, ell, sizeof(ell) - 1);
	size_t fit, word;

	if (room <= 0)
		return 0;
	if (pw_textfit_width(tf, font, px, s, len) <= room)
		return len;
	fit = fit_chars(tf, font, px, s, len, room);
	if (pw_textfit_width(tf, font, px, s, fit) > room)
		return 0;
	for (word = fit; word > 0 && s[word - 1] != ' '; word--)
		;
	if (word > fit * 2 / 3) {
		while (word > 0 && s[word - 1] == ' ')
			word--;
		return word;
	}
	return fit;
}
