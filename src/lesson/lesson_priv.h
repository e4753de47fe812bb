/* lesson_priv.h: what the lesson loader's files share: the lesson's
 * insides, the problem list and the name suggestions. Not for users of
 * lesson.h. */
#ifndef PW_LESSON_PRIV_H
#define PW_LESSON_PRIV_H

#include <stdarg.h>
#include <stddef.h>

#include "lesson/lesson.h"

/* The scene's lanes, in the order of PW_HL_LANE's index. */
#define PW_LESSON_LANES 6
extern const char *const pw_lesson_lane_names[PW_LESSON_LANES];
extern const char *const pw_lesson_pointer_names[4];
extern const char *const pw_lesson_offset_names[3];
extern const char *const pw_lesson_header_names[PW_HDR_COUNT];
extern const char *const pw_lesson_ring_names[2];

struct lesson_step_priv {
	struct pw_lesson_step pub;
	struct pw_lesson_highlight *hl;
	signed char *hl_host; /* each highlight's host as the file gave it (-1: none), since
				 resolve fills in the paused event's host */
	struct pw_lesson_question q;
	int has_question;
};

struct pw_lesson {
	char *file;         /* as given, for messages */
	char *dir;          /* where a relative capture path is looked for */
	char *id, *title, *summary;
	int level, minutes;
	int have_source;
	struct pw_lesson_source src;
	struct lesson_step_priv *steps;
	size_t n_steps;
	char **errors;
	size_t n_errors, cap_errors;
	size_t n_load_errors; /* errors[0..n_load_errors) come from loading */
	int resolved;
	/* Every string the lesson hands out, freed together. */
	char **strings;
	size_t n_strings, cap_strings;
};

/* Adds "FILE: PATH: message" to the problem list (path may be NULL). Out
 * of memory loses the message, never the lesson. */
void lesson_error(struct pw_lesson *l, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A copy of s owned by the lesson, or NULL when memory runs out. */
char *lesson_strdup(struct pw_lesson *l, const char *s);

/*
 * The name among names[0..n) closest to word (Damerau-Levenshtein, case
 * ignored), when it is close enough to be a likely typo (at most a third
 * of the word's length, at least 1, at most 3 edits; none for words of
 * one or two letters but a change of case); NULL otherwise.
 * NULL entries are skipped.
 */
const char *lesson_suggest(const char *word, const char *const *names, size_t n);
/* Writes " (did you mean 'X'?)" into buf for that suggestion, or "". */
const char *lesson_did_you_mean(char *buf, size_t len, const char *word, const char *const *names, size_t n);
/* The index of name in names[0..n), or -1. */
int lesson_name_index(const char *name, const char *const *names, size_t n);

#endif
