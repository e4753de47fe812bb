/* scene.h: what the animated view shows at one moment, computed from the
 * timeline alone (no SDL): a list of shapes in window pixels.
 *
 * The scene is laid out in a 1920x1080 design space and scaled to the
 * window (letterboxed), so it reads the same on a laptop and on a
 * projector; text sizes scale too, and projection mode makes them larger
 * and the colours starker.
 *
 * Shapes are marked static (the same for every frame of one step) or
 * dynamic (they move while the view tweens from the previous step to this
 * one). A renderer draws the static shapes once per step into a cached
 * layer (static_key tells when that layer is stale) and only the dynamic
 * ones every frame.
 */
#ifndef PW_VIEW_SCENE_H
#define PW_VIEW_SCENE_H

#include <stddef.h>
#include <stdint.h>

#include "timeline/timeline.h"

#define PW_SCENE_DESIGN_W 1920
#define PW_SCENE_DESIGN_H 1080

enum pw_font { PW_FONT_SANS, PW_FONT_SANS_BOLD, PW_FONT_MONO, PW_FONT_MONO_BOLD, PW_FONT_COUNT };
enum pw_shape_kind { PW_SHAPE_FILL, PW_SHAPE_OUTLINE, PW_SHAPE_LINE, PW_SHAPE_TEXT };
enum pw_align { PW_ALIGN_LEFT, PW_ALIGN_CENTER, PW_ALIGN_RIGHT };

/* What a shape stands for, for hit testing, tooltips and tests: a kind in
 * the high bits, an index (a byte offset, an event number...) below. */
#define PW_TAG(kind, index) (((uint32_t)(kind) << 24) | ((uint32_t)(index) & 0xffffff))
#define PW_TAG_KIND(tag) ((tag) >> 24)
#define PW_TAG_INDEX(tag) ((tag) & 0xffffff)
enum pw_tag_kind {
	PW_TAGK_NONE = 0,
	PW_TAGK_POINTER,   /* index: 0 head, 1 data, 2 tail, 3 end (the arrow's tip) */
	PW_TAGK_OFFSET,    /* index: 0 mac, 1 network, 2 transport (the marker) */
	PW_TAGK_SKB_BAR,   /* the whole skb bar; index: its width in bytes */
	PW_TAGK_EVENT_ROW, /* a row of the event list; index: the event number */
	PW_TAGK_SCRUBBER,  /* the timeline scrubber */
	PW_TAGK_HEX_BYTE,  /* a byte of the hex pane; index: its offset in the frame */
	PW_TAGK_LANE,      /* a layer's lane; index: host * 16 + lane */
	PW_TAGK_QUEUE,     /* a queue or ring; index: host * 32 + enum pw_queue */
	PW_TAGK_RING_SLOT, /* a ring descriptor; index: host << 20 | tx/rx << 16 | slot */
	PW_TAGK_BUTTON,    /* a control; index: enum pw_scene_button */
	PW_TAGK_CPU,       /* the CPU strip; index: host */
	PW_TAGK_LABEL,     /* a plain label */
	PW_TAGK_MENU_ITEM, /* a lesson on the start screen; index: its number */
	PW_TAGK_OPTION,    /* a checkpoint's answer; index: the option */
	PW_TAGK_HEADER,    /* a header's run on the skb bar; index: 0 eth, 1 ip or arp, 2 transport */
};

struct pw_shape {
	uint8_t kind;      /* enum pw_shape_kind */
	uint8_t font;      /* TEXT: enum pw_font */
	uint8_t align;     /* TEXT: enum pw_align, relative to x */
	uint8_t dynamic;   /* 1: moves during the tween, drawn every frame */
	uint16_t px;       /* TEXT: font size in pixels; LINE/OUTLINE: thickness */
	uint32_t rgba;     /* 0xRRGGBBAA */
	float x, y, w, h;  /* FILL, OUTLINE: the rectangle; LINE: from (x, y) to (x + w, y + h);
			      TEXT: x as aligned, y the top, w the width to wrap at (0: no wrap) */
	const char *text;  /* TEXT: UTF-8, owned by the scene */
	uint32_t tag;      /* PW_TAG(kind, index) */
	float bx, by, bw, bh; /* TEXT: the box it must stay inside, in window pixels (bw 0:
			       * the picture) */
	uint8_t detail;    /* TEXT: secondary detail, left out where it would overlap other
			    * text or leave its box */
	uint8_t cover;     /* FILL: an overlay panel; texts drawn before it that it
			    * touches are left out */
};

/* A lesson being played over the walk (see src/lesson): the step's
 * narration, what to highlight, and a checkpoint question. */
struct pw_scene_highlight {
	int tag_kind;  /* PW_TAGK_POINTER, _OFFSET, _QUEUE, _RING_SLOT, _LANE, or PW_TAGK_LABEL for a host */
	int index;     /* as the tag's index: pointer or offset number, enum pw_queue, lane, ring (0 tx, 1 rx) */
	int host;
	int slot;      /* a ring descriptor, or -1 for the whole ring */
	const char *header; /* "eth", "ip", "tcp", "udp", "icmp", "arp" to outline on the skb, or NULL */
};

struct pw_scene_lesson {
	const char *title;
	size_t step, steps;            /* this step (0-based) and how many */
	const char *text;              /* the step's narration */
	const struct pw_scene_highlight *hl;
	size_t n_hl;
	const char *question;          /* or NULL */
	const char *const *options;
	int n_options;
	int chosen;                    /* the option picked, -1 before */
	int answer;
	const char *explanation;
	int score, asked;              /* right answers so far, questions so far */
	int walking;                   /* between two pause points */
};

/* The start screen: the course's lessons to choose from. */
struct pw_scene_menu_item {
	const char *title, *level, *summary, *error; /* error: a broken lesson, greyed out */
	int minutes;
	const char *progress;                        /* "done 10/10, 3/3 right", or "" */
};

/* Text metrics for layout: the width in pixels of the first len bytes of
 * s in a font at a pixel size, and the height of one line. The renderer
 * gives the real ones (pw_render_measure); with none the scene estimates
 * from the fonts' average advances, which is enough for tests of the
 * geometry but not for deciding what fits. */
struct pw_text_measure {
	float (*width)(void *ctx, int font, int px, const char *s, size_t len);
	float (*line_height)(void *ctx, int font, int px);
	void *ctx;
};

struct pw_scene_opts {
	int w, h;           /* window size in pixels */
	int projection;     /* larger type, high contrast */
	int help;           /* the help overlay with every key */
	int blackout;       /* everything black (a lecturer's B key) */
	int playing;        /* for the play/pause control */
	double speed;       /* steps per second when playing */
	int hover_x, hover_y; /* mouse position for tooltips, -1 when outside */
	const char *title;  /* the scenario or capture shown */
	const struct pw_scene_lesson *lesson; /* a lesson being played, or NULL */
	const struct pw_text_measure *measure; /* or NULL (estimates) */
	int narration_page; /* 0-based: which page of a narration too long for its
			     * panel is shown (see pw_scene_narration_pages) */
};



struct pw_scene;

/* Lays out the start screen: items, the selected one marked. Tags:
 * PW_TAG(PW_TAGK_MENU_ITEM, i). */
void pw_scene_build_menu(struct pw_scene *sc, const struct pw_scene_menu_item *items, size_t n, size_t selected,
			 const struct pw_scene_opts *o);

/* The presenter window: what the lecturer reads beside the projected
 * picture, each text wrapped to the window. */
struct pw_scene_presenter {
	const char *now;        /* "Now: step 3 of 12" */
	const char *notes;      /* this step's notes */
	const char *next_title; /* "Next", or "Next: a checkpoint" */
	const char *next;       /* the next step's narration, or "the end of the lesson" */
};
void pw_scene_build_presenter(struct pw_scene *sc, const struct pw_scene_presenter *p, const struct pw_scene_opts *o);

struct pw_scene *pw_scene_create(void);
void pw_scene_destroy(struct pw_scene *sc);

/*
 * Lays out step (an event index of tl) at tween (0: the state after the
 * previous step, 1: the state after this one; between, moving things are
 * interpolated). Replaces the scene's shapes. Never fails: with no memory
 * the scene is simply emptier.
 */
void pw_scene_build(struct pw_scene *sc, const struct pw_timeline *tl, size_t step, float tween,
		    const struct pw_scene_opts *o);

size_t pw_scene_count(const struct pw_scene *sc);
const struct pw_shape *pw_scene_shape(const struct pw_scene *sc, size_t i);
/* Changes whenever a static shape changes (step, size, mode, hover...). */
uint64_t pw_scene_static_key(const struct pw_scene *sc);
/* The first shape carrying tag, or NULL. */
const struct pw_shape *pw_scene_find(const struct pw_scene *sc, uint32_t tag);
/* The topmost tagged shape under (x, y): its tag, or 0. */
uint32_t pw_scene_hit(const struct pw_scene *sc, int x, int y);
/* How many pages the narration of the last pw_scene_build took (1 when it
 * fits its panel). A viewer shows page narration_page and, on "next",
 * turns the page before it moves to the next step. */
int pw_scene_narration_pages(const struct pw_scene *sc);

#endif
