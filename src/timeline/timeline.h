/* timeline.h: the event timeline, the one record every view reads.
 *
 * The engine appends one event per step of the walk. Each event carries
 * everything a view needs to draw that step without asking the engine:
 * the skb's geometry and bytes after the step, the occupancy of every
 * queue and ring of both hosts, and a sentence for the student. Any step
 * is reached in constant time (events sit in one array; bytes and
 * occupancy snapshots are stored once and shared by the events that did
 * not change them), so a view can step backwards and scrub.
 *
 * A timeline made with keep = 0 records nothing but counts: the engine's
 * benchmark walks millions of frames through it in constant memory.
 */
#ifndef PW_TIMELINE_H
#define PW_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "timeline/names.h"

#define PW_HOSTS 2

/* The skb as it stands after a step; offsets are bytes from head, -1 when
 * unset. id 0 means the event concerns no skb. */
struct pw_skb_state {
	uint32_t id;
	int32_t head, data, tail, end, len, data_len, truesize;
	int32_t mac, network, transport;
	uint16_t protocol;
	uint8_t ip_summed;
	uint8_t cloned;
	uint32_t bytes_ref, bytes_len; /* bytes: see pw_timeline_bytes */
};

/* What every queue and ring of one host holds after a step. */
struct pw_occupancy {
	uint16_t len[PW_Q_COUNT];
	uint16_t cap[PW_Q_COUNT]; /* 0: no fixed capacity */
	/* Ring indices, the driver's and the NIC's (see nic/igb.h): descriptors
	 * [tx_ntc, tx_hw) are done, [tx_hw, tx_ntu) wait for the NIC;
	 * rx [rx_ntc, rx_hw) hold DMA'd frames, [rx_hw, rx_ntu) are posted. */
	uint16_t tx_ntu, tx_ntc, tx_hw, tx_size;
	uint16_t rx_ntu, rx_ntc, rx_hw, rx_size;
	uint8_t napi_scheduled, irq_masked, txq_stopped, tcp_state;
};

struct pw_event {
	uint32_t i;             /* sequence number, from 0 (across pw_timeline_reset) */
	uint64_t t_ns;          /* simulated time */
	uint8_t host;           /* 0 = A, 1 = B */
	uint8_t ctx;            /* enum pw_ctx */
	uint8_t layer;          /* enum pw_layer */
	uint8_t op;             /* enum pw_op */
	uint8_t tp;             /* enum pw_tp */
	uint8_t drop;           /* enum pw_drop */
	int8_t queue;           /* enum pw_queue touched by this step, or -1 */
	uint8_t skb_host;       /* host whose memory holds the skb */
	uint16_t queue_len, queue_cap;
	const char *func;       /* kernel function, static string */
	const char *src;        /* its source file in the kernel tree */
	const char *text;       /* the sentence for the student */
	struct pw_skb_state skb;
	uint32_t occ_ref;       /* index of both hosts' occupancy snapshot */
	uint32_t frame_no;      /* wire frame number (1-based) for WIRE events, else 0 */
};

struct pw_timeline;

/* Creates an empty timeline; keep = 0 counts events without storing them.
 * Returns NULL when memory runs out. */
struct pw_timeline *pw_timeline_create(int keep);
/* Frees the timeline and everything it stored. Accepts NULL. */
void pw_timeline_destroy(struct pw_timeline *tl);

int pw_timeline_keeps(const struct pw_timeline *tl);
/* Events appended, stored or not. */
uint64_t pw_timeline_total(const struct pw_timeline *tl);
/* Events stored (0 when not keeping). */
size_t pw_timeline_count(const struct pw_timeline *tl);
/* The i-th event stored since the last reset, or NULL past the end. O(1). */
const struct pw_event *pw_timeline_event(const struct pw_timeline *tl, size_t i);
/* The skb bytes recorded with an event (head..tail, then the fragment), or
 * NULL with *len 0 when the event has no skb. O(1). */
const uint8_t *pw_timeline_bytes(const struct pw_timeline *tl, const struct pw_event *ev, uint32_t *len);
/* Both hosts' occupancy after the event. O(1). */
const struct pw_occupancy *pw_timeline_occupancy(const struct pw_timeline *tl, const struct pw_event *ev,
						 int host);

/*
 * Appends an event. ev->i and ev->occ_ref are filled in here; ev->text
 * is copied. bytes/len are the skb's bytes (ignored when ev->skb.id is 0):
 * they are stored only if they differ from the last bytes stored for the
 * same skb id, whose reference the caller passes in and gets back through
 * *bytes_ref and *bytes_len (kept on the skb). occ points at PW_HOSTS
 * snapshots. Returns 0, or -1 when memory runs out (the event is lost,
 * the timeline stays consistent).
 */
int pw_timeline_append(struct pw_timeline *tl, struct pw_event *ev, const uint8_t *bytes, uint32_t len,
		       uint32_t *bytes_ref, uint32_t *bytes_len, const struct pw_occupancy occ[PW_HOSTS]);

/* Drops every stored event (a long replay prints and forgets as it goes);
 * later events keep counting i from where the dropped ones ended. */
void pw_timeline_reset(struct pw_timeline *tl);
/* Counts an event without storing it (for timelines that do not keep). */
void pw_timeline_skip(struct pw_timeline *tl);

/* Bytes of memory the timeline holds (for the benchmark's report). */
size_t pw_timeline_memory(const struct pw_timeline *tl);

#endif
