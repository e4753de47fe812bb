/* lesson_view.c: a lesson's timeline and its scene input (lesson_view.h). */
#include <stdio.h>
#include <string.h>

#include "app/lesson_view.h"
#include "app/source.h"

struct pw_timeline *lesson_view_walk(struct pw_lesson *l, char *err, size_t errlen)
{
	const struct pw_lesson_source *src = l ? pw_lesson_source(l) : NULL;
	struct source_spec spec;
	struct pw_timeline *tl;
	char title[256];

	if (!l || !src || !pw_lesson_ok(l)) {
		snprintf(err, errlen, "%s", l && pw_lesson_error(l, 0) ? pw_lesson_error(l, 0) : "no such lesson");
		return NULL;
	}
	memset(&spec, 0, sizeof(spec));
	spec.params = src->params;
	spec.capture = src->capture_path;
	snprintf(spec.filter, sizeof(spec.filter), "%s", src->filter ? src->filter : "");
	spec.frame = src->frame;
	tl = source_walk(&spec, title, sizeof(title), err, errlen);
	if (!tl)
		return NULL;
	if (pw_lesson_resolve(l, tl) != 0 || !pw_lesson_resolved(l)) {
		snprintf(err, errlen, "%s", pw_lesson_error(l, 0) ? pw_lesson_error(l, 0) : "a step was not found");
		pw_timeline_destroy(tl);
		return NULL;
	}
	return tl;
}

/* The scene's names for a header highlight, by enum pw_lesson_header. */
static const char *const header_names[PW_HDR_COUNT] = { "eth", "ip", "tcp", "udp", "icmp", "arp" };

void lesson_view_fill(const struct pw_lesson *l, const struct lesson_view_state *st,
		      struct pw_scene_highlight hl[LESSON_VIEW_MAX_HL], struct pw_scene_lesson *ls)
{
	const struct pw_lesson_step *s = l ? pw_lesson_step(l, st->step) : NULL;
	size_t n = 0;

	memset(ls, 0, sizeof(*ls));
	if (!s)
		return;
	ls->title = pw_lesson_title(l);
	ls->step = st->step;
	ls->steps = pw_lesson_step_count(l);
	ls->text = st->finished ? "The lesson is over. Press → to go back to the lessons, or Esc." : s->text;
	ls->walking = st->walking;
	ls->score = st->score;
	ls->asked = st->asked;
	ls->chosen = st->chosen;
	if (s->question && !st->finished) {
		ls->question = s->question->text;
		ls->options = s->question->options;
		ls->n_options = s->question->n_options;
		ls->answer = s->question->answer;
		ls->explanation = s->question->explanation;
	}
	for (size_t i = 0; i < s->n_highlights && n < LESSON_VIEW_MAX_HL; i++) {
		const struct pw_lesson_highlight *h = &s->highlights[i];
		struct pw_scene_highlight *o = &hl[n++];

		memset(o, 0, sizeof(*o));
		o->index = h->index;
		o->host = h->host < 0 ? 0 : h->host;
		o->slot = h->slot;
		switch (h->kind) {
		case PW_HL_POINTER: o->tag_kind = PW_TAGK_POINTER; break;
		case PW_HL_OFFSET: o->tag_kind = PW_TAGK_OFFSET; break;
		case PW_HL_QUEUE: o->tag_kind = PW_TAGK_QUEUE; break;
		case PW_HL_RING: o->tag_kind = PW_TAGK_RING_SLOT; break;
		case PW_HL_LANE: o->tag_kind = PW_TAGK_LANE; break;
		case PW_HL_HOST: o->tag_kind = PW_TAGK_LABEL; o->host = h->index; break;
		case PW_HL_HEADER:
			o->header = h->index >= 0 && h->index < PW_HDR_COUNT ? header_names[h->index] : NULL;
			break;
		default: n--; break;
		}
	}
	ls->hl = hl;
	ls->n_hl = n;
}
