/* trace.h: how the stack records its steps on the timeline.
 *
 * Every step of the model is one event: the layer and operation, the
 * kernel function and its source file, the tracepoint or drop reason
 * when there is one, the skb as it stands (geometry and bytes), both
 * hosts' queues and rings, and a sentence. Each step costs the host's
 * clock a little simulated time, whether the timeline keeps events or
 * only counts them.
 */
#ifndef PW_NET_TRACE_H
#define PW_NET_TRACE_H

#include <stdint.h>

#include "skb/skb.h"
#include "timeline/timeline.h"

struct pw_host;

/* Where the steps of a run go (one per run, shared by its hosts). */
struct net_trace {
	struct pw_timeline *tl;
	int keep;                       /* pw_timeline_keeps(tl) */
	struct pw_host *host[PW_HOSTS]; /* whose occupancy each event records (NULL: none) */
	uint64_t last_event_ns;         /* time of the last step */
};

/* A trace into tl with no hosts yet. */
void net_trace_init(struct net_trace *t, struct pw_timeline *tl);

/* What a step is: its layer, operation, tracepoint, drop reason, the
 * queue it touches (-1: none), the kernel function and its file. */
struct step {
	uint8_t layer, op, tp, drop;
	int8_t queue;
	const char *func, *src;
};

#define STEP(l, o, f, s) ((struct step){ PW_LAYER_##l, PW_OP_##o, PW_TP_NONE, PW_DROP_NONE, -1, f, s })
#define STEP_TP(l, o, tp, f, s) \
	((struct step){ PW_LAYER_##l, PW_OP_##o, PW_TP_##tp, PW_DROP_NONE, -1, f, s })
#define STEP_Q(l, o, tp, q, f, s) \
	((struct step){ PW_LAYER_##l, PW_OP_##o, PW_TP_##tp, PW_DROP_NONE, PW_Q_##q, f, s })
#define STEP_DROP(l, tp, reason, f, s) \
	((struct step){ PW_LAYER_##l, PW_OP_DROP, PW_TP_##tp, PW_DROP_##reason, -1, f, s })

/*
 * emit_event - record one step on host h
 * @h: the host the step runs on (its context and clock)
 * @skb: the skb the step is about, or NULL; borrowed: its geometry, header
 *       layout and bytes are copied into the event
 * @st: what the step is
 * @fmt: the sentence, printf-style
 *
 * Advances h's clock by one step's cost. Running out of memory for the
 * timeline fails the simulation (the event is lost).
 */
void emit_event(struct pw_host *h, const struct sk_buff *skb, struct step st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A step when the timeline only counts: the clock moves, nothing is built. */
void emit_count(struct pw_host *h);
/* emit is a macro so that the sentence's arguments are not even computed
 * when the timeline discards events (the engine benchmark). */
#define emit(h, skb, st, ...)                                  \
	do {                                                   \
		if ((h)->trace->keep)                          \
			emit_event((h), (skb), (st), __VA_ARGS__); \
		else                                           \
			emit_count(h);                         \
	} while (0)

/* What host h's queue q (enum pw_queue) holds now, and its capacity (0:
 * none fixed). The socket queues are those of h->app_sk. */
uint32_t queue_len(const struct pw_host *h, int q);
/* Snapshot of h's queues and rings for the timeline; h may be NULL (all zero). */
void host_occupancy(const struct pw_host *h, struct pw_occupancy *o);

/* --- the kernel source files the narration cites ------------------------ */
#define SRC_SOCKET "net/socket.c"
#define SRC_SOCK "net/core/sock.c"
#define SRC_SOCK_STREAM "net/core/stream.c"
#define SRC_SKBUFF "net/core/skbuff.c"
#define SRC_DATAGRAM "net/core/datagram.c"
#define SRC_DEV "net/core/dev.c"
#define SRC_GRO "net/core/gro.c"
#define SRC_NEIGH "net/core/neighbour.c"
#define SRC_NEIGH_H "include/net/neighbour.h"
#define SRC_SCH "net/sched/sch_generic.c"
#define SRC_ETH "net/ethernet/eth.c"
#define SRC_AF_INET "net/ipv4/af_inet.c"
#define SRC_TCP "net/ipv4/tcp.c"
#define SRC_TCP_OUT "net/ipv4/tcp_output.c"
#define SRC_TCP_IN "net/ipv4/tcp_input.c"
#define SRC_TCP_IPV4 "net/ipv4/tcp_ipv4.c"
#define SRC_TCP_MINISOCKS "net/ipv4/tcp_minisocks.c"
#define SRC_TCP_TIMER "net/ipv4/tcp_timer.c"
#define SRC_UDP "net/ipv4/udp.c"
#define SRC_ICMP "net/ipv4/icmp.c"
#define SRC_RAW "net/ipv4/raw.c"
#define SRC_PING "net/ipv4/ping.c"
#define SRC_IP_OUT "net/ipv4/ip_output.c"
#define SRC_IP_IN "net/ipv4/ip_input.c"
#define SRC_IP_FRAG "net/ipv4/ip_fragment.c"
#define SRC_INET_FRAG "net/ipv4/inet_fragment.c"
#define SRC_ROUTE "net/ipv4/route.c"
#define SRC_ARP "net/ipv4/arp.c"
#define SRC_IGB "drivers/net/ethernet/intel/igb/igb_main.c"
#define SRC_SOFTIRQ "kernel/softirq.c"
#define SRC_HW "(hardware)"

#endif
