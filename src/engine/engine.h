/* engine.h: the walk engine's public face.
 *
 * Two Linux hosts, A (192.0.2.1, 02:00:00:00:00:01) and B (192.0.2.2,
 * 02:00:00:00:00:02), joined by one Ethernet wire, run a scenario: their
 * applications make system calls, and every step the kernel model takes
 * is appended to a timeline. The addresses are those of the kernel oracle
 * in tests, so captures of the model and of the real kernel line up.
 *
 * Runs are deterministic: the same parameters give the same timeline and
 * the same bytes on the wire.
 */
#ifndef PW_ENGINE_H
#define PW_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "timeline/timeline.h"

struct pw_params {
	const char *scenario; /* see pw_scenarios */
	uint32_t payload;     /* bytes per send (0: the scenario's default) */
	uint32_t count;       /* sends, pings or datagrams (0: default) */
	uint32_t mtu;         /* both hosts. MTU, 68..1500 */
	uint32_t qdisc_limit; /* packets per pfifo_fast band */
	uint32_t tx_ring;     /* descriptors, power of two, 8..4096 */
	uint32_t rx_ring;
	uint32_t napi_weight; /* NAPI poll budget */
	uint32_t link_mbps;   /* wire speed (0: the scenario's default) */
	uint32_t rcvbuf;      /* receiver's SO_RCVBUF in bytes (0: default) */
	uint32_t itr_us;      /* minimum gap between two NIC interrupts (interrupt moderation) */
	uint32_t corrupt;     /* wire frame number whose last byte is flipped (0: none) */
	int arp;              /* 1: neighbour tables start empty; -1: scenario default */
	uint64_t seed;        /* initial sequence numbers, IP ids, timestamps */
};

struct app;

/* One row of the scenario table: its name, a line for --help, its
 * defaults, and the script its applications follow. */
struct pw_scenario_info {
	const char *name;
	const char *summary;
	uint32_t payload, count;   /* what a payload or count of 0 means */
	int empty_neigh;           /* the neighbour tables start empty (unless pw_params.arp says) */
	struct pw_params tune;     /* the scenario's own defaults: its non-zero ring, qdisc,
				    * link, interrupt, buffer and corruption fields replace
				    * the general ones */
	/* Writes both applications' scripts (A sends first, B serves) for
	 * len bytes and count repetitions (engine/scenario.c). */
	void (*script)(struct app *A, struct app *B, uint32_t len, uint32_t count);
};
/* The scenario table, ended by a row with a NULL name. */
extern const struct pw_scenario_info pw_scenarios[];

/* Fills p with the defaults for a scenario (p->scenario is kept). */
void pw_params_defaults(struct pw_params *p, const char *scenario);
/* Checks p; on a problem writes a sentence naming the parameter into err
 * and returns -1. */
int pw_params_check(const struct pw_params *p, char *err, size_t errlen);

/* A frame as it crossed the wire. */
struct pw_wire_frame {
	uint32_t number; /* 1-based */
	uint64_t t_ns;
	int from_host;
	const uint8_t *bytes;
	uint32_t len;
};
typedef void (*pw_frame_fn)(void *ctx, const struct pw_wire_frame *f);

/* What a run produced, beside the timeline. */
struct pw_result {
	uint64_t events;
	uint32_t frames;        /* frames that crossed the wire */
	uint32_t segments;      /* TCP data segments delivered to the receiver's socket */
	uint64_t bytes_delivered;
	uint32_t drops;
	uint32_t live_skbs;     /* skbs not freed at the end: 0 unless the model leaks */
	uint32_t walked;        /* replay: captured frames read */
	uint32_t unsupported;   /* replay: of those, frames not walked */
	uint64_t end_ns;
};

/*
 * Runs a scenario. Events go to tl (which may discard them); each wire
 * frame is passed to frame_fn when it is non-NULL. Returns 0, or -1 with
 * a sentence in err (bad parameters, out of memory, an internal limit).
 */
int pw_engine_run(const struct pw_params *p, struct pw_timeline *tl, pw_frame_fn frame_fn, void *frame_ctx,
		  struct pw_result *res, char *err, size_t errlen);

/* --- replaying captured frames ------------------------------------------ */

/* A captured frame to walk, as an Ethernet frame (frames of other link
 * types are re-wrapped in Ethernet by the caller). */
struct pw_replay_frame {
	uint32_t number;       /* its number in the capture */
	uint64_t ts_ns;
	const uint8_t *bytes;
	uint32_t caplen, len;
	const char *skip;      /* non-NULL: not walkable, and why */
};

/* The next frame: 1 with *f filled (valid until the next call), 0 at the
 * end, -1 on an error that ends the replay (err filled by the callee). */
typedef int (*pw_replay_next_fn)(void *ctx, struct pw_replay_frame *f, char *err, size_t errlen);

/* After each frame: the bytes the sender's stack rebuilt, as its NIC put
 * them on the wire (NULL, with why, when the frame was not rebuilt). */
typedef void (*pw_rebuilt_fn)(void *ctx, const struct pw_replay_frame *f, const uint8_t *rebuilt, uint32_t len,
			      const char *why_not);

struct pw_replay {
	pw_replay_next_fn next;
	void *next_ctx;
	pw_frame_fn frame_fn;     /* every frame on the model's wire, or NULL */
	void *frame_ctx;
	pw_rebuilt_fn rebuilt_fn; /* or NULL */
	void *rebuilt_ctx;
	/* After each frame's walk, or NULL: a caller that prints the timeline
	 * as it goes can print and pw_timeline_reset here. */
	void (*frame_done)(void *ctx, struct pw_timeline *tl);
	void *frame_done_ctx;
};

/*
 * Walks captured frames, one after the other, through two hosts whose
 * addresses come from each frame (A sends, B receives; a frame in the
 * other direction of the same pair is sent by B). The sender rebuilds the
 * frame through its stack from the captured header fields and payload;
 * the receiver gets the captured bytes in its RX ring and takes them up to
 * the socket, where its application reads them. Answers the receiver would
 * send (ACKs, replies) are recorded but not sent: the capture has them.
 * p supplies ring sizes and the like; p->scenario must be NULL.
 */
int pw_engine_replay(const struct pw_params *p, const struct pw_replay *r, struct pw_timeline *tl,
		     struct pw_result *res, char *err, size_t errlen);

#endif
