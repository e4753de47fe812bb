/* host.h: one simulated Linux host and the world it lives in (private to
 * the engine: net/, nic/ and engine/ include it; views never do).
 *
 * Every function of the stack model takes the host it runs on; nothing is
 * global, so the two hosts of a scenario are two independent kernels.
 */
#ifndef PW_NET_HOST_H
#define PW_NET_HOST_H

#include <stdarg.h>
#include <stdint.h>

#include "engine/engine.h"
#include "proto/eth.h"
#include "proto/ip4.h"
#include "proto/tcp.h"
#include "proto/arp.h"
#include "skb/skb.h"
#include "timeline/timeline.h"

struct pw_world;
struct pw_host;

/* sk_buff_head: a FIFO of skbs linked through skb->next. */
struct skb_queue {
	struct sk_buff *head, *tail;
	uint32_t len;
	uint32_t bytes; /* sum of skb->truesize (socket memory accounting) */
};

void skb_queue_tail(struct skb_queue *q, struct sk_buff *skb);
struct sk_buff *skb_dequeue(struct skb_queue *q);
/* Frees every skb on the queue without trace events (teardown). */
void skb_queue_purge(struct skb_queue *q);

/* TCP states, numbered as include/net/tcp_states.h numbers them. */
enum tcp_state {
	TCP_NONE = 0, TCP_ESTABLISHED = 1, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2,
	TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING
};
extern const char *const tcp_state_names[];

enum sock_kind { SK_TCP, SK_UDP, SK_RAW_ICMP };

struct pw_sock {
	enum sock_kind kind;
	int state;                  /* enum tcp_state for TCP */
	uint32_t saddr, daddr;      /* host order; daddr 0 = unconnected */
	uint16_t sport, dport;
	struct skb_queue write_queue;   /* sk_write_queue */
	struct skb_queue rtx_queue;     /* tcp_rtx_queue (a list here; an rb-tree in Linux) */
	struct skb_queue receive_queue; /* sk_receive_queue */
	struct skb_queue ofo_queue;     /* tp->out_of_order_queue (an rb-tree in Linux), by seq */
	uint32_t rcvbuf;            /* sk_rcvbuf */
	uint32_t rmem_alloc;        /* sk_rmem_alloc: truesize of queued skbs */
	uint32_t drops;
	struct pw_sock *parent;     /* listener that made this socket */
	int accept_pending;         /* listener: established children not yet accepted */
	int eof;                    /* FIN received and queued */
	/* TCP sequence space (RFC 9293 names) */
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, write_seq, rcv_nxt, copied_seq;
	uint32_t snd_wnd;           /* peer's window, scaled */
	uint32_t rcv_wnd;           /* what we advertise, unscaled bytes */
	uint8_t snd_wscale, rcv_wscale;
	uint8_t sack_ok, ts_ok;
	uint16_t mss;               /* mss_now: MSS minus option bytes */
	uint16_t peer_mss;
	uint32_t ts_offset, ts_recent;
	uint16_t inet_id;           /* IP id of the next DF packet */
	uint32_t quickack;          /* ACKs still sent at once (icsk_ack.quick) */
	uint32_t rcv_unacked;       /* bytes received since our last ACK */
	int ack_pending;            /* delayed ACK timer armed */
	uint64_t delack_deadline;
	int delack_job;             /* a JOB_DELACK is pending */
	uint64_t rto_deadline;
	int rto_pending;
	int pingpong;
	int fin_queued;             /* close() called: FIN to send */
	int closed_by_app;
	uint32_t rx_bytes;          /* bytes delivered to this socket */
	uint32_t icmp_id;
};

#define MAX_SOCKS 8
#define MAX_NEIGH 4
#define MAX_IPQ 4

enum nud_state { NUD_NONE = 0, NUD_INCOMPLETE, NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_FAILED,
		 NUD_PERMANENT };
extern const char *const nud_state_names[];

struct neighbour {
	int used;
	uint32_t ip;
	uint8_t ha[ETH_ALEN];
	enum nud_state nud;
	struct skb_queue arp_queue;
};

/* One IPv4 reassembly queue (struct ipq), keyed like the kernel's. */
struct ipq {
	int used;
	uint32_t saddr, daddr;
	uint16_t id;
	uint8_t protocol;
	struct skb_queue frags; /* kept sorted by offset */
	uint32_t meat, len;     /* bytes held, and the datagram's end as far as known (the
				 * last fragment's end once it is in: last_in) */
	int first_in, last_in;  /* INET_FRAG_FIRST_IN, INET_FRAG_LAST_IN */
};

/* One descriptor ring (see nic/igb.c for who owns which part). */
struct igb_ring {
	uint32_t size;
	uint32_t ntu, ntc, hw; /* next_to_use, next_to_clean, the NIC's head */
	struct sk_buff **skb;  /* TX: skb owned by each descriptor */
	uint8_t **buf;         /* RX: the 2048-byte buffer posted in each descriptor */
	uint32_t *len;         /* RX: length written back by the NIC */
	uint8_t *csum_err;     /* RX: the NIC's checksum verdict, per descriptor (RX_CSUM_*) */
};

#define RX_BUFSZ 2048u
#define IGB_SKB_PAD 192u
#define MAX_TCP_HEADER 320u

/* An application's script: the system calls it makes, in order. */
enum app_op {
	APP_END, APP_LISTEN, APP_ACCEPT, APP_CONNECT, APP_SEND, APP_RECV_ALL, APP_CLOSE,
	APP_UDP_BIND, APP_SENDTO, APP_RECVFROM, APP_ECHO_BACK, APP_PING, APP_PING_WAIT, APP_SLEEP,
	APP_LOOP_SEND /* send count*payload bytes, as fast as the socket takes them */
};

struct app_step {
	enum app_op op;
	uint16_t port;   /* local or remote port, by op */
	uint32_t len;    /* bytes, by op */
	uint32_t count;  /* repetitions */
};

#define MAX_APP_STEPS 16

struct app {
	struct app_step step[MAX_APP_STEPS];
	int n, pc;
	uint32_t done;       /* repetitions of the current step done */
	int blocked;         /* waiting for a wake-up */
	int wake_scheduled;
	struct pw_sock *sk;  /* the socket the script works on */
	struct pw_sock *lsk; /* listener, for ACCEPT */
	uint32_t progress;   /* bytes sent or received by the current step */
	uint32_t last_peer_ip;
	uint16_t last_peer_port;
	uint8_t payload_kind; /* which bytes the app sends */
};

struct pw_host {
	struct pw_world *w;
	int idx;
	const char *name;
	uint8_t mac[ETH_ALEN];
	uint32_t ip;
	uint32_t mtu;
	enum pw_ctx ctx;            /* context the CPU runs in now */

	struct pw_sock sock[MAX_SOCKS];
	int nsock;
	struct neighbour neigh[MAX_NEIGH];
	struct ipq ipq[MAX_IPQ];
	uint32_t ip_id_state;       /* ip_idents: ids for packets that are not on a connected socket */

	/* qdisc: pfifo_fast, three bands */
	struct skb_queue band[3];
	uint32_t qdisc_limit;
	int txq_stopped;            /* __QUEUE_STATE_DRV_XOFF */
	uint32_t softirq_pending;   /* bit 2 NET_TX, bit 3 NET_RX */
	int in_softirq;

	/* NIC and driver */
	struct igb_ring tx, rx;
	int napi_scheduled;         /* NAPI_STATE_SCHED */
	int irq_masked;             /* vector masked while NAPI runs */
	int irq_pending;            /* the NIC has an interrupt to raise */
	uint64_t last_irq_ns;
	int nic_tx_busy;            /* the NIC is putting a frame on the wire */
	uint64_t wire_free_ns;      /* when the NIC's transmitter is next free */
	struct skb_queue napi_rx_list; /* gro_normal list */
	uint32_t napi_weight;

	struct app app;

	/* counters, as ethtool -S / netstat name them */
	uint32_t rx_missed_errors, qdisc_drops, rx_csum_err;
};

#define PW_MAX_JOBS 4096

enum job_kind { JOB_APP, JOB_NIC_TX_DONE, JOB_NIC_RX, JOB_IRQ, JOB_DELACK, JOB_RTO, JOB_NIC_TX_START };

struct job {
	uint64_t t;
	uint64_t seq;  /* ties break by order of scheduling */
	enum job_kind kind;
	int host;
	uint32_t arg;
	uint8_t *frame; /* JOB_NIC_RX: the frame on the wire (owned by the job) */
	uint32_t len;
	void *ptr;
};

struct pw_world {
	struct pw_params p;
	struct pw_host host[PW_HOSTS];
	struct skb_pool pool;
	struct pw_timeline *tl;
	int keep;
	uint64_t now;
	uint64_t last_event_ns;
	struct job *heap;
	uint32_t njobs, capjobs;
	uint64_t job_seq;
	uint32_t frames;
	pw_frame_fn frame_fn;
	void *frame_ctx;
	uint32_t rng;
	struct pw_result res;
	uint8_t *payload; /* scratch for application data */
	uint32_t payload_cap;
	/* Replay of a captured frame (engine/replay.c): the sender's stack
	 * takes these header fields from the capture instead of its state. */
	const struct ip4_info *replay_ip;
	const struct tcp_info *replay_th;
	const uint8_t *replay_opts;   /* TCP option bytes to copy as captured, or NULL */
	uint32_t replay_optlen;
	const struct pw_replay_frame *replay_cur; /* the frames being walked: one, */
	uint32_t replay_n;                      /* or the fragments of a datagram */
	uint32_t replay_sent;                   /* how many of them have left the NIC */
	int replay_sender;                      /* host index sending them */
	const struct pw_replay *replay;
	uint8_t *pattern; /* the application's data pattern */
	uint32_t pattern_len;
	int failed;
	char err[256];
};

/* --- the timeline -------------------------------------------------------- */

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

/* Records one step on host h about skb (or NULL). The sentence is only
 * formatted when the timeline keeps events. Advances the clock a little:
 * each step of the model costs simulated time. */
void emit_event(struct pw_host *h, const struct sk_buff *skb, struct step st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A step when the timeline only counts: the clock moves, nothing is built. */
void emit_count(struct pw_host *h);
/* emit is a macro so that the sentence's arguments are not even computed
 * when the timeline discards events (the engine benchmark). */
#define emit(h, skb, st, ...)                                  \
	do {                                                   \
		if ((h)->w->keep)                              \
			emit_event((h), (skb), (st), __VA_ARGS__); \
		else                                           \
			emit_count(h);                         \
	} while (0)
/* Queue length and capacity for the step's queue, filled in by emit. */
uint32_t queue_len(const struct pw_host *h, int q);

/* --- scheduling ------------------------------------------------------------ */

int job_schedule(struct pw_world *w, uint64_t t, enum job_kind kind, int host, uint32_t arg, uint8_t *frame,
		 uint32_t len);
/* Removes the earliest job into *out; 0, or -1 when none is left. */
int job_next(struct pw_world *w, struct job *out);
void world_fail(struct pw_world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint32_t world_random(struct pw_world *w);
static inline struct pw_host *peer_of(struct pw_host *h) { return &h->w->host[1 - h->idx]; }

/* --- the world's life (engine.c) --------------------------------------- */

/* Allocates both hosts with their NICs, from checked parameters; NULL with
 * err set on bad parameters or no memory. */
struct pw_world *world_create(const struct pw_params *p, struct pw_timeline *tl, pw_frame_fn frame_fn,
			      void *frame_ctx, char *err, size_t errlen);
/* Records the hosts coming up (their posted RX buffers). */
void world_announce(struct pw_world *w);
/* Runs jobs until none is left or the world failed. */
void world_run(struct pw_world *w);
/* Fills res, frees everything; 0, or -1 with the failure in err. */
int world_finish(struct pw_world *w, struct pw_result *res, char *err, size_t errlen);

/* --- replay (engine/replay.c) ------------------------------------------ */

/* In a replay the receiving host only listens: an answer it would send
 * (ACK, SYN-ACK, RST, echo reply, ARP reply, ICMP error) is recorded with
 * what, and not sent, since the capture holds what was really sent.
 * Returns 1 when the caller must not send. */
int replay_quiet(struct pw_host *h, const char *what);
/* Called by the NIC as a frame goes on the wire (see replay.c). */
uint8_t *replay_on_wire(struct pw_host *h, uint8_t *frame, uint32_t *len);

/* --- sources the narration cites ----------------------------------------- */
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

/* --- the stack: entry points between files ------------------------------- */

/* sockets (sock.c) */
struct pw_sock *sock_create(struct pw_host *h, enum sock_kind kind);
struct pw_sock *sock_lookup(struct pw_host *h, enum sock_kind kind, uint32_t saddr, uint16_t sport,
			    uint32_t daddr, uint16_t dport);
void sk_data_ready(struct pw_host *h, struct pw_sock *sk);
void sk_wake(struct pw_host *h, struct pw_sock *sk);
/* Receive-queue accounting as skb_set_owner_r does it; 0, or -1 if over sk_rcvbuf. */
int sock_queue_rcv(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb);
void consume_skb(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		 const char *why);
void kfree_skb_reason(struct pw_host *h, struct sk_buff *skb, enum pw_drop reason, int layer, const char *func,
		      const char *src, const char *why);
/* Freed without a tracepoint (__kfree_skb, the NAPI cache). */
/* 1 if the TCP/UDP checksum over len bytes from data is wrong (software check). */
int skb_l4_csum_bad(const struct sk_buff *skb, uint32_t len, uint8_t proto);
void skb_free_silent(struct pw_host *h, struct sk_buff *skb, int layer, const char *func, const char *src,
		     const char *why);

/* TCP (tcp_output.c, tcp_input.c) */
int tcp_v4_connect(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t dport);
int tcp_sendmsg(struct pw_host *h, struct pw_sock *sk, const uint8_t *data, uint32_t len);
int tcp_recvmsg(struct pw_host *h, struct pw_sock *sk, uint32_t max);
void tcp_close(struct pw_host *h, struct pw_sock *sk);
void tcp_send_ack(struct pw_host *h, struct pw_sock *sk);
void tcp_send_reset_for(struct pw_host *h, const struct sk_buff *skb);
int tcp_send_synack(struct pw_host *h, struct pw_sock *sk);
int tcp_replay_xmit(struct pw_host *h, struct pw_sock *sk, const uint8_t *payload, uint32_t len);
void tcp_push_pending(struct pw_host *h, struct pw_sock *sk);
void tcp_delack_arm(struct pw_host *h, struct pw_sock *sk);
uint8_t tcp_wscale_default(void);
#define CB_SEQ 0
#define CB_END_SEQ 1
#define CB_FLAGS 2
void tcp_v4_rcv(struct pw_host *h, struct sk_buff *skb);
/* A TCP timer job fired (JOB_DELACK or JOB_RTO); arg packs the socket index and a generation. */
void tcp_timer(struct pw_host *h, int kind, uint32_t arg);
uint32_t tcp_time_stamp(struct pw_host *h, const struct pw_sock *sk);
void tcp_set_state(struct pw_host *h, struct pw_sock *sk, int state);

/* UDP, ICMP (udp.c, icmp.c) */
int udp_sendmsg(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t dport, const uint8_t *data,
		uint32_t len);
int udp_recvmsg(struct pw_host *h, struct pw_sock *sk);
void udp_rcv(struct pw_host *h, struct sk_buff *skb);
int raw_ping_send(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t seq, uint32_t len);
int raw_recvmsg(struct pw_host *h, struct pw_sock *sk);
void icmp_rcv(struct pw_host *h, struct sk_buff *skb);
void icmp_send_port_unreach(struct pw_host *h, const struct sk_buff *skb);
int icmp_replay_send(struct pw_host *h, uint32_t daddr, const uint8_t *msg, uint32_t len);

/* IPv4 (ip_output.c, ip_input.c, ip_fragment.c) */
/* Pushes and fills the IP header on an skb whose data is at the L4 header,
 * then sends it on: ip_queue_xmit's work for connected sockets. */
int ip_queue_xmit(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, uint8_t protocol, int df,
		  uint16_t id, const char *func);
/* Sends an skb whose IP header is written: ip_local_out onwards. Consumes skb. */
int ip_local_out(struct pw_host *h, struct sk_buff *skb);
uint16_t ip_select_ident(struct pw_host *h);
/* In a replay, the captured TOS, id, flags, fragment offset and TTL. */
void ip_apply_replay(const struct pw_world *w, struct ip4_info *ip);
void ip_rcv(struct pw_host *h, struct sk_buff *skb);
/* Fragment reassembly; returns the whole datagram or NULL while waiting. */
struct sk_buff *ip_defrag(struct pw_host *h, struct sk_buff *skb);
/* Splits skb (IP header at data) into MTU-sized fragments and sends each. */
int ip_fragment(struct pw_host *h, struct sk_buff *skb, uint32_t mtu);

/* Neighbours and ARP (arp.c) */
int neigh_output(struct pw_host *h, uint32_t nexthop, struct sk_buff *skb);
void arp_rcv(struct pw_host *h, struct sk_buff *skb);
void neigh_add_permanent(struct pw_host *h, uint32_t ip, const uint8_t ha[ETH_ALEN]);
void arp_replay_send(struct pw_host *h, const struct arp_info *ai, const uint8_t dest_hw[ETH_ALEN]);

/* Device layer and qdisc (dev.c, sch_generic.c) */
int dev_queue_xmit(struct pw_host *h, struct sk_buff *skb);
void netif_wake_queue(struct pw_host *h);
void raise_softirq(struct pw_host *h, int vec);
/* Runs pending softirqs (irq_exit, local_bh_enable). */
void do_softirq(struct pw_host *h);
void qdisc_run(struct pw_host *h);
void net_rx_action(struct pw_host *h);
/* __dev_xmit_skb: bypass an idle qdisc or enqueue and run it. Consumes skb. */
int dev_xmit_skb(struct pw_host *h, struct sk_buff *skb);
int pfifo_fast_enqueue(struct pw_host *h, struct sk_buff *skb);
struct sk_buff *pfifo_fast_dequeue(struct pw_host *h);
int qdisc_is_empty(const struct pw_host *h);
/* Delivers the skbs gathered on napi_rx_list (gro_normal_list). */
void gro_normal_list(struct pw_host *h);
#define NET_TX_SOFTIRQ 2
#define NET_RX_SOFTIRQ 3

/* Driver and NIC (nic/igb.c) */
int igb_ring_init(struct pw_host *h, uint32_t tx_size, uint32_t rx_size);
void igb_ring_free(struct pw_host *h);
/* ndo_start_xmit: 0 NETDEV_TX_OK (skb consumed), 1 NETDEV_TX_BUSY (not). */
int igb_xmit_frame(struct pw_host *h, struct sk_buff *skb);
int igb_tx_has_room(const struct pw_host *h);
/* Hardware jobs. */
void nic_tx_start(struct pw_host *h);
void nic_tx_done(struct pw_host *h);
void nic_rx_frame(struct pw_host *h, uint8_t *frame, uint32_t len);
void igb_msix_ring(struct pw_host *h);
/* NAPI poll: clean the TX ring, then up to budget RX frames; returns work done. */
int igb_poll(struct pw_host *h, int budget);
/* Snapshot of this host's queues and rings for the timeline. */
void host_occupancy(const struct pw_host *h, struct pw_occupancy *o);

#endif
