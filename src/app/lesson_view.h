/* lesson_view.h: a lesson as the view shows it: its source walked into a
 * timeline with every step found in it, and the scene's struct
 * pw_scene_lesson for one step. The window and `packetwalk render
 * --lesson` both go through here, so a rendered step is what the window
 * shows at that step. */
#ifndef PW_APP_LESSON_VIEW_H
#define PW_APP_LESSON_VIEW_H

#include <stddef.h>

#include "lesson/lesson.h"
#include "view/scene.h"

/*
 * Walks l's source (a scenario, or frames of a capture) into a timeline
 * that keeps every event, and resolves l's steps against it. Returns the
 * timeline (the caller destroys it), or NULL with a sentence in err: the
 * lesson's first problem, or why its source could not be walked.
 */
struct pw_timeline *lesson_view_walk(struct pw_lesson *l, char *err, size_t errlen);

/* Where a lesson being played stands. */
struct lesson_view_state {
	size_t step;   /* the lesson step shown, 0-based */
	int chosen;    /* the option picked at this step's checkpoint, -1 before */
	int score;     /* checkpoints answered right so far */
	int asked;     /* checkpoints answered so far */
	int walking;   /* on the way to this step's event */
	int finished;  /* past the last step: the closing sentence shows */
};

/* Room for a step's highlights in lesson_view_fill. */
#define LESSON_VIEW_MAX_HL 16

/*
 * Fills *ls for step st->step of l (a resolved lesson). The highlights
 * go into hl (LESSON_VIEW_MAX_HL of them; more are left out) and ls
 * points at it, so hl must live as long as ls is used; strings stay
 * owned by the lesson. A step past the end leaves *ls zeroed.
 */
void lesson_view_fill(const struct pw_lesson *l, const struct lesson_view_state *st,
		      struct pw_scene_highlight hl[LESSON_VIEW_MAX_HL], struct pw_scene_lesson *ls);

#endif
