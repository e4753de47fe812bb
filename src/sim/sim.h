/* sim.h: the simulator under the stack: the clock, timers, the random
 * source, the failure flag, and the wire between two NICs.
 *
 * DOC: Time
 * One clock for everything. Timers wait in a binary min-heap ordered by
 * expiry and then by the order they were added, so timers that expire
 * together run in the same order every run. sim_run pops the earliest,
 * moves the clock to its time (never backwards) and calls its function;
 * work that function schedules runs in a later pop, never in this one.
 * Code run from a timer may also move the clock on by itself
 * (sim_advance): each step of the model costs a little simulated time.
 *
 * DOC: Failure
 * A broken simulation (out of memory, a table of the model full, more
 * timers than SIM_MAX_TIMERS) is not a packet drop. Whoever finds it calls
 * sim_fail once with a sentence; sim_run stops before the next timer, and
 * the run's owner reports sim_error. The first sentence wins.
 *
 * DOC: The wire
 * A full-duplex cable with one port at each end. A NIC numbers each frame
 * it puts on the wire (sim_wire_frame), takes sim_wire_tx_ns to clock it
 * out at the link's speed, and hands it over with sim_wire_deliver: the
 * frame reaches the other port's rx function SIM_WIRE_DELAY_NS after the
 * last bit left. The wire owns a frame from sim_wire_deliver until that rx
 * function is called (which then owns it), and frees those still in
 * flight in sim_destroy.
 *
 * Nothing here knows a packet, a host or a timeline: the stack sits on
 * top and the engine sets the pieces up.
 */
#ifndef PW_SIM_H
#define PW_SIM_H

#include <stdint.h>

#define SIM_MAX_TIMERS 4096
#define SIM_WIRE_DELAY_NS 50 /* 10 m of cable */

typedef void (*sim_timer_fn)(void *arg);

/* One pending timer or frame in flight (private to sim.c). */
struct sim_entry;

struct sim {
	uint64_t now;            /* ns since the run began; read with sim_now */
	struct sim_entry *heap;  /* pending timers, a min-heap */
	uint32_t n, cap;
	uint64_t seq;            /* order of adding, the tie-break */
	uint32_t rng;            /* xorshift32 state, never 0 */
	int failed;
	char err[256];
};

/* Starts a simulator at time 0 with the random source seeded from seed
 * (the same seed gives the same numbers). Cannot fail. */
void sim_init(struct sim *s, uint64_t seed);
/* Drops every pending timer, freeing the frames still on the wire. The
 * simulator may be initialised again afterwards. */
void sim_destroy(struct sim *s);

static inline uint64_t sim_now(const struct sim *s) { return s->now; }
/* The model spent ns of simulated time on a step. */
static inline void sim_advance(struct sim *s, uint64_t ns) { s->now += ns; }

/*
 * sim_timer_add - run fn(arg) at time t
 * @s: the simulator
 * @t: expiry in ns; a time already past runs at the next pop, at the
 *     current time
 * @fn: called once from sim_run, then forgotten
 * @arg: handed to fn; not owned by the simulator
 *
 * Like the kernel's timer_list, the timer carries its own function. A
 * timer cannot be cancelled: a function that finds it has nothing to do
 * returns (the model re-checks its deadlines, as a modified timer does).
 * Returns 0, or -1 when SIM_MAX_TIMERS are pending, after sim_fail.
 */
int sim_timer_add(struct sim *s, uint64_t t, sim_timer_fn fn, void *arg);
/* Runs timers in order until none is left or the simulation has failed. */
void sim_run(struct sim *s);

/* Records the simulation as broken with a sentence (only the first one
 * is kept). */
void sim_fail(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int sim_failed(const struct sim *s) { return s->failed; }
/* The failure's sentence, or "". */
static inline const char *sim_error(const struct sim *s) { return s->failed ? s->err : ""; }

/* The model's only source of "random" numbers (ISNs, IP ids, timestamp
 * offsets): xorshift32, so runs repeat. */
uint32_t sim_random(struct sim *s);

/* --- the wire ------------------------------------------------------------ */

/* One end of the wire: who is plugged in there. rx is given each frame
 * that arrives, and owns it. */
struct sim_port {
	const char *name;
	void (*rx)(void *ctx, uint8_t *frame, uint32_t len);
	void *ctx;
};

struct sim_wire {
	struct sim *sim;
	uint32_t mbps;        /* link speed */
	uint32_t corrupt;     /* number of the frame to damage, 0 for none */
	uint32_t frames;      /* frames put on the wire so far */
	struct sim_port port[2];
};

/* A wire of mbps Mbit/s (at least 1) on simulator s; corrupt is the
 * number of a frame the path damages (0: none). Ports start empty. */
void sim_wire_init(struct sim_wire *w, struct sim *s, uint32_t mbps, uint32_t corrupt);
/* Plugs rx in at port (0 or 1), under a name for the narration. */
void sim_wire_attach(struct sim_wire *w, int port, const char *name,
		     void (*rx)(void *ctx, uint8_t *frame, uint32_t len), void *ctx);
/* Name of what is plugged in at the other end from port. */
static inline const char *sim_wire_peer_name(const struct sim_wire *w, int port) { return w->port[1 - port].name; }

/* A frame starts onto the wire: returns its number (from 1). */
static inline uint32_t sim_wire_frame(struct sim_wire *w) { return ++w->frames; }
/* Frames put on the wire so far: the number of the last one. */
static inline uint32_t sim_wire_frames(const struct sim_wire *w) { return w->frames; }
/* 1 if frame number n is the one the path damages (--corrupt). */
static inline int sim_wire_corrupts(const struct sim_wire *w, uint32_t n) { return w->corrupt && n == w->corrupt; }
/* Time to clock len bytes out, with the preamble (8), FCS (4) and
 * inter-frame gap (12) that go beside every frame. */
static inline uint64_t sim_wire_tx_ns(const struct sim_wire *w, uint32_t len)
{
	return ((uint64_t)len + 24) * 8 * 1000 / w->mbps;
}

/*
 * sim_wire_deliver - hand a frame to the other end
 * @w: the wire
 * @from: the sending port
 * @t: when the frame's last bit leaves the sender
 * @frame: malloc'd bytes; the wire owns them from here, in every case
 * @len: their length
 *
 * The other port's rx gets the frame at t + SIM_WIRE_DELAY_NS. Returns 0,
 * or -1 (frame freed, simulation failed) when too many timers are pending.
 */
int sim_wire_deliver(struct sim_wire *w, int from, uint64_t t, uint8_t *frame, uint32_t len);

#endif
