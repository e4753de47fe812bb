/* world.h: the engine's world: two hosts on one wire, the simulator under
 * them, their applications, and a replay's state (private to
 * src/engine/).
 *
 * The world runs the hosts; the hosts never see it. It installs their
 * hooks (struct pw_host_ops): a wake-up goes to the application model, a
 * frame going on the wire to the caller's tap and to the replay, and the
 * header fields a replay takes from its capture come from here.
 */
#ifndef PW_ENGINE_WORLD_H
#define PW_ENGINE_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "net/host.h"
#include "sim/sim.h"
#include "skb/skb.h"

struct pw_world;

/* --- the application model (app.c) -------------------------------------- */

/* The system calls an application makes, one small function each. */
enum app_op {
	APP_LISTEN,    /* listen() on port */
	APP_ACCEPT,    /* accept(): sleeps until a connection is established */
	APP_CONNECT,   /* connect() to the peer's port: sleeps until ESTABLISHED */
	APP_SEND,      /* count send()s of len bytes, as fast as the socket takes them */
	APP_RECV_ALL,  /* recv() until the peer's FIN */
	APP_CLOSE,     /* close() */
	APP_UDP_BIND,  /* a UDP socket bound to port */
	APP_SENDTO,    /* count datagrams of len bytes to the peer's port */
	APP_RECVFROM,  /* count datagrams received */
	APP_ECHO_BACK, /* a datagram of len bytes back to whoever sent the last one */
	APP_PING,      /* count echo requests of len bytes, each waiting for its reply */
	APP_OP_COUNT
};

struct app_step {
	enum app_op op;
	uint16_t port;   /* local or remote port, by op */
	uint32_t len;    /* bytes, by op */
	uint32_t count;  /* repetitions */
};

#define MAX_APP_STEPS 16

/* One host's application: a script of system calls, run as a process. Its
 * socket is the host's app_sk. */
struct app {
	struct pw_world *w;
	struct pw_host *h;
	struct app_step step[MAX_APP_STEPS];
	int n, pc;
	uint32_t done;       /* repetitions of the current step done */
	int blocked;         /* waiting for a wake-up */
	int wake_scheduled;
	struct pw_sock *lsk; /* listener, for ACCEPT */
	uint32_t progress;   /* bytes sent or received by the current step */
	uint32_t last_peer_ip;
	uint16_t last_peer_port;
	uint8_t payload_kind; /* 0: the text pattern; 1: DNS messages */
};

/* An empty script for host h of world w. */
void app_init(struct app *a, struct pw_world *w, struct pw_host *h);
/* Appends a step (a full script ignores it). */
void app_script(struct app *a, enum app_op op, uint16_t port, uint32_t len, uint32_t count);
/* Runs the script's first step after delay ns, if it has one. */
void app_start(struct app *a, uint64_t delay);
/* The process sleeping on a socket has something to do: it runs again
 * after the wake-up latency (the sk_wake hook). */
void app_wake(struct app *a);

/* --- the world (world.c) ------------------------------------------------- */

struct pw_world {
	struct pw_params p;
	struct sim sim;
	struct sim_wire wire;
	struct skb_pool pool;
	struct net_trace trace;
	struct pw_host host[PW_HOSTS];
	struct app app[PW_HOSTS];
	struct pw_timeline *tl;
	pw_frame_fn frame_fn;
	void *frame_ctx;
	struct pw_result res;       /* filled in by world_finish; walked, unsupported as they go */
	uint8_t *payload;           /* scratch for application data */
	uint32_t payload_cap;
	uint8_t *pattern;           /* the application's data pattern */
	uint32_t pattern_len;
	/* Replay of captured frames (replay.c). */
	struct pw_hdr_override replay_hdr;        /* what the sender's stack takes from the capture */
	const struct pw_replay_frame *replay_cur; /* the frames being walked: one, */
	uint32_t replay_n;                        /* or the fragments of a datagram */
	uint32_t replay_sent;                     /* how many of them have left the NIC */
	int replay_sender;                        /* host index sending them */
	const struct pw_replay *replay;
};

#define A_IP 0xC0000201u /* 192.0.2.1 */
#define B_IP 0xC0000202u /* 192.0.2.2 */
extern const uint8_t world_default_mac[PW_HOSTS][ETH_ALEN];

static inline struct pw_host *peer_of(struct pw_host *h)
{
	struct pw_world *w = h->owner;

	return &w->host[1 - h->idx];
}

/* Both hosts with their NICs on one wire, from checked parameters; NULL
 * with err set on bad parameters or no memory. A failure in bringing the
 * hosts up leaves the world failed (world_finish reports it). */
struct pw_world *world_create(const struct pw_params *p, struct pw_timeline *tl, pw_frame_fn frame_fn,
			      void *frame_ctx, char *err, size_t errlen);
/* Records the hosts coming up (their posted RX buffers). */
void world_announce(struct pw_world *w);
/* Fills res, frees everything; 0, or -1 with the failure in err. */
int world_finish(struct pw_world *w, struct pw_result *res, char *err, size_t errlen);

/* --- replay (replay.c) ---------------------------------------------------- */

/* The quiet_xmit hook: in a replay the receiving host only listens. An
 * answer it would send (ACK, SYN-ACK, RST, echo reply, ARP reply, ICMP
 * error) is recorded with what, and not sent, since the capture holds what
 * was really sent. Returns 1 when the caller must not send. */
int replay_quiet(struct pw_host *h, const char *what);
/* Part of the frame_on_wire hook: the sender's rebuild goes to the
 * verifier and the receiver gets the captured bytes instead (see replay.c). */
uint8_t *replay_on_wire(struct pw_host *h, uint8_t *frame, uint32_t *len);

#endif
