/* lesson.h: lessons, the guided walks of the course.
 *
 * A lesson is a JSON file (the format is lessons/README.md): a title and a
 * level, a source (a built-in scenario with its knobs, or a frame of a
 * capture) and steps. Each step pauses the walk at one event of the
 * source's timeline, chosen by what the timeline records (function,
 * tracepoint, layer, host, op, drop reason, queue, context, the n-th such
 * event), shows narration, may highlight parts of the scene, may ask a
 * checkpoint question, and may carry presenter notes.
 *
 * Loading never fails on a bad file: the lesson comes back "broken", with
 * every problem found as a line "FILE: JSON.PATH: what is wrong (a
 * suggestion)", so a lesson browser can grey it out and show why. Only
 * running out of memory returns NULL.
 *
 * The loader does not walk the source itself (building a timeline is the
 * caller's business: the app has source_walk for that). The caller walks
 * pw_lesson_source() into a timeline and hands it to pw_lesson_resolve(),
 * which finds every step's event and checks the highlights against the
 * scene at that event; its problems join the same list. pw_lesson_check()
 * does both with a walk callback.
 *
 * The lesson keeps no pointer to the JSON text or to the timeline.
 */
#ifndef PW_LESSON_H
#define PW_LESSON_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "timeline/timeline.h"

enum pw_lesson_level { PW_LEVEL_BEGINNER, PW_LEVEL_INTERMEDIATE, PW_LEVEL_ADVANCED, PW_LEVEL_COUNT };
extern const char *const pw_lesson_level_names[PW_LEVEL_COUNT];

/* What a lesson walks. Strings belong to the lesson. */
struct pw_lesson_source {
	const char *scenario;     /* a built-in scenario, or NULL for a capture */
	struct pw_params params;  /* its knobs (params.scenario == scenario); defaults for a capture */
	const char *capture;      /* the capture as the lesson names it, or NULL */
	const char *capture_path; /* the file found for it (see pw_lesson_load), or NULL if none */
	const char *filter;       /* tcpdump filter, "" for none */
	uint32_t frame;           /* the one frame to walk, 0 for every frame the filter keeps */
};

/* Where a step pauses: the nth event (1-based, counted from the start of
 * the timeline) that matches every criterion given; -1 or NULL: any. */
struct pw_lesson_pause {
	const char *func;
	int tracepoint; /* enum pw_tp */
	int layer;      /* enum pw_layer */
	int host;       /* 0 A, 1 B */
	int op;         /* enum pw_op */
	int drop;       /* enum pw_drop */
	int queue;      /* enum pw_queue */
	int ctx;        /* enum pw_ctx */
	uint32_t nth;
};

enum pw_highlight_kind {
	PW_HL_POINTER, /* index: 0 head, 1 data, 2 tail, 3 end (as the scene's PW_TAGK_POINTER) */
	PW_HL_OFFSET,  /* index: 0 mac, 1 network, 2 transport (as PW_TAGK_OFFSET) */
	PW_HL_QUEUE,   /* index: enum pw_queue */
	PW_HL_RING,    /* index: 0 tx, 1 rx; slot: one descriptor or -1 for the ring */
	PW_HL_HEADER,  /* index: enum pw_lesson_header */
	PW_HL_LANE,    /* index: 0 socket, 1 transport, 2 ip, 3 dev, 4 driver, 5 nic (the scene's lanes) */
	PW_HL_HOST,    /* index: the host */
	PW_HL_COUNT
};
extern const char *const pw_highlight_kind_names[PW_HL_COUNT];

enum pw_lesson_header { PW_HDR_ETH, PW_HDR_IP, PW_HDR_TCP, PW_HDR_UDP, PW_HDR_ICMP, PW_HDR_ARP, PW_HDR_COUNT };

struct pw_lesson_highlight {
	int kind;         /* enum pw_highlight_kind */
	const char *name; /* as the lesson spells it: "data", "sk_receive_queue", "rx", "tcp", "B" */
	int index;        /* see enum pw_highlight_kind */
	int host;         /* 0 A, 1 B; -1 when the lesson does not say: the paused event's host,
			     filled in by pw_lesson_resolve */
	int slot;         /* ring descriptor, or -1 */
};

struct pw_lesson_question {
	const char *text;
	const char *options[4];
	int n_options;    /* 2..4 */
	int answer;       /* index of the right option */
	const char *explanation;
};

struct pw_lesson_step {
	struct pw_lesson_pause pause;
	long event;       /* index of the event it pauses at in the resolved timeline, -1 before */
	const char *text; /* the narration */
	const struct pw_lesson_highlight *highlights;
	size_t n_highlights;
	const struct pw_lesson_question *question; /* or NULL */
	const char *notes;                          /* presenter notes, or NULL */
};

struct pw_lesson;

/*
 * Reads and checks a lesson file: syntax (with line and column), the
 * schema (required keys, types, unknown keys, names of tracepoints,
 * queues, layers...), the source (a known scenario with valid knobs, or a
 * capture file that exists: a relative capture path is looked for from
 * the lesson's directory upwards, so "captures/x.pcap" is found from
 * lessons/ and from any folder below the repository's root). Every
 * problem found is listed. Returns NULL only when memory runs out.
 */
struct pw_lesson *pw_lesson_load(const char *path);
/* The same from text in memory; name stands for the file in messages and
 * dir (NULL: ".") is where a relative capture path is looked for. */
struct pw_lesson *pw_lesson_load_text(const char *name, const char *dir, const char *text, size_t len);
/* Frees the lesson and everything it holds. Accepts NULL. */
void pw_lesson_free(struct pw_lesson *l);

/* 1 when no problem has been found (so far: resolve may find more). */
int pw_lesson_ok(const struct pw_lesson *l);
size_t pw_lesson_error_count(const struct pw_lesson *l);
/* The i-th problem, "FILE: PATH: message", or NULL past the end. */
const char *pw_lesson_error(const struct pw_lesson *l, size_t i);

const char *pw_lesson_file(const struct pw_lesson *l);
/* These return what the file gave; on a broken lesson, possibly NULL
 * (strings), -1 (level, minutes). */
const char *pw_lesson_id(const struct pw_lesson *l);
const char *pw_lesson_title(const struct pw_lesson *l);
int pw_lesson_level(const struct pw_lesson *l); /* enum pw_lesson_level */
int pw_lesson_minutes(const struct pw_lesson *l);
const char *pw_lesson_summary(const struct pw_lesson *l);
/* NULL when the lesson is broken before its source could be read. */
const struct pw_lesson_source *pw_lesson_source(const struct pw_lesson *l);
size_t pw_lesson_step_count(const struct pw_lesson *l);
/* The i-th step, or NULL past the end. */
const struct pw_lesson_step *pw_lesson_step(const struct pw_lesson *l, size_t i);
size_t pw_lesson_question_count(const struct pw_lesson *l);

/*
 * Finds each step's event in tl (a timeline of this lesson's source, kept
 * with pw_timeline_create(1)) and checks that the pause points come in
 * timeline order and that every highlight names something the scene has
 * at that event (an skb for pointers and headers, a set offset, a ring
 * slot inside the ring). Problems join the lesson's list (those of an
 * earlier resolve are dropped first); a step not found keeps event -1.
 * Does nothing on a lesson broken at load. Returns the number of
 * problems resolve found.
 */
int pw_lesson_resolve(struct pw_lesson *l, const struct pw_timeline *tl);
/* 1 after a resolve that found every step. */
int pw_lesson_resolved(const struct pw_lesson *l);

/* Builds the timeline of a source (keeping every event), or returns NULL
 * with a sentence in err. The caller of pw_lesson_check supplies it. */
typedef struct pw_timeline *(*pw_lesson_walk_fn)(void *ctx, const struct pw_lesson_source *src, char *err,
						 size_t errlen);

/*
 * Walks the lesson's source with walk and resolves against it; a walk
 * that fails is a problem of the lesson ("source: ..."). The timeline is
 * destroyed before returning. Returns 1 when the lesson is OK, else 0.
 */
int pw_lesson_check(struct pw_lesson *l, pw_lesson_walk_fn walk, void *ctx);

/* --- a course: every lesson of a directory ---------------------------- */

struct pw_course;

/*
 * Loads every *.json file directly in dir (not in subdirectories), in
 * file-name order, broken ones included. NULL with a sentence in err when
 * the directory cannot be read or memory runs out.
 */
struct pw_course *pw_course_open(const char *dir, char *err, size_t errlen);
/* Frees the course and its lessons. Accepts NULL. */
void pw_course_close(struct pw_course *c);
size_t pw_course_count(const struct pw_course *c);
/* The i-th lesson (owned by the course), or NULL past the end. */
struct pw_lesson *pw_course_lesson(const struct pw_course *c, size_t i);

/* The course directory: "lessons" under the current directory when there is
 * one, else the one in the source tree this program was built from. */
const char *pw_lesson_default_dir(void);

#endif
