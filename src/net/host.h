/* host.h: one simulated Linux host: the state of every subsystem, and the
 * hooks through which it reaches whoever runs it.
 *
 * Every function of the stack takes the host it runs on; nothing is
 * global, so two hosts are two independent kernels. A host lives on a
 * simulator (its clock, timers, random numbers and failure flag), has its
 * NIC plugged into one port of a wire, takes its skbs from a pool and
 * records its steps into a trace. It knows nothing of what runs it: what
 * the stack needs from above goes through the hooks in struct
 * pw_host_ops, as the kernel's sk->sk_data_ready or lwIP's
 * netif->linkoutput do.
 */
#ifndef PW_NET_HOST_H
#define PW_NET_HOST_H

#include <stdint.h>

#include "net/err.h"
#include "net/ip.h"
#include "net/neighbour.h"
#include "net/sock.h"
#include "net/trace.h"
#include "nic/igb.h"
#include "proto/eth.h"
#include "proto/tcp.h"
#include "sim/sim.h"
#include "skb/skb.h"
#include "timeline/names.h"

struct pw_host;

/* Header fields a host's stack takes from elsewhere instead of computing
 * them (a replay's capture). Any pointer may be NULL. */
struct pw_hdr_override {
	const struct ip4_info *ip;     /* TOS, id, flags and offset, TTL */
	const struct tcp_info *th;     /* options, ack, window, urgent pointer, reserved bits */
	const uint8_t *tcp_opts;       /* option bytes to copy as they are, or NULL */
	uint32_t tcp_optlen;
};

/* The hooks a host calls upwards. Any may be NULL (then: nobody to wake,
 * never quiet, the frame unchanged, no override). */
struct pw_host_ops {
	/* A process may sleep on sk and has something to do (sk_data_ready,
	 * sk_write_space, sk_state_change): wake it. */
	void (*sk_wake)(struct pw_host *h, struct pw_sock *sk);
	/* 1 if the host must not send what (an answer a replay's receiver
	 * would send, named for the narration); the hook records why. */
	int (*quiet_xmit)(struct pw_host *h, const char *what);
	/* The NIC puts frame (*len bytes, numbered on the wire) out: returns
	 * the bytes the other end is to receive, frame itself or a malloc'd
	 * replacement (then frame is freed and *len set). */
	uint8_t *(*frame_on_wire)(struct pw_host *h, uint8_t *frame, uint32_t *len);
	/* Header fields to take instead of the stack's own, or NULL. */
	const struct pw_hdr_override *(*hdr_override)(const struct pw_host *h);
};

/* Counters, as netstat, ethtool -S and tc -s name them. */
struct host_mib {
	uint32_t drops;            /* skbs dropped (kfree_skb_reason) and frames the NIC dropped */
	uint32_t tcp_segs_queued;  /* TCP data segments queued on a socket */
	uint64_t bytes_delivered;  /* bytes applications read */
	uint32_t rx_missed_errors; /* NIC: frames with no RX buffer posted */
	uint32_t rx_csum_err;      /* NIC: frames whose checksum it found wrong */
	uint32_t qdisc_drops;      /* pfifo_fast: skbs dropped, band full */
};

struct pw_host {
	/* Where the host lives (set by host_init, never changed). */
	struct sim *sim;
	struct sim_wire *wire;
	int port;                   /* its NIC's end of the wire */
	struct skb_pool *pool;
	struct net_trace *trace;
	const struct pw_host_ops *ops;
	void *owner;                /* for the hooks: whoever runs the host */

	int idx;                    /* 0 = A, 1 = B on the timeline */
	const char *name;
	uint8_t mac[ETH_ALEN];
	uint32_t ip;
	uint32_t mtu;
	enum pw_ctx ctx;            /* context the CPU runs in now */

	struct pw_sock sock[MAX_SOCKS];
	int nsock;
	struct pw_sock *app_sk;     /* the socket the application works on (set by whoever
				     * runs it): each event records its queues */
	struct neighbour neigh[MAX_NEIGH];
	struct ipq ipq[MAX_IPQ];
	uint32_t ip_id_state;       /* ip_idents: ids for packets that are not on a connected socket */

	/* qdisc: pfifo_fast, three bands */
	struct skb_queue band[3];
	uint32_t qdisc_limit;
	int txq_stopped;            /* __QUEUE_STATE_DRV_XOFF */
	uint32_t softirq_pending;   /* bit NET_TX_SOFTIRQ, bit NET_RX_SOFTIRQ */
	int in_softirq;

	/* NIC and driver */
	struct igb_ring tx, rx;
	int napi_scheduled;         /* NAPI_STATE_SCHED */
	int irq_masked;             /* vector masked while NAPI runs */
	int irq_pending;            /* the NIC has an interrupt to raise */
	uint64_t last_irq_ns;
	uint32_t itr_us;            /* interrupt moderation: least gap between two interrupts */
	int nic_tx_busy;            /* the NIC is putting a frame on the wire */
	struct skb_queue napi_rx_list; /* gro_normal list */
	uint32_t napi_weight;

	struct host_mib mib;
};

/* What a host is made of. */
struct host_config {
	int idx;
	const char *name;
	const uint8_t *mac;
	uint32_t ip, mtu, qdisc_limit, napi_weight, itr_us, tx_ring, rx_ring;
	struct sim *sim;
	struct sim_wire *wire;      /* the NIC is plugged in at port idx */
	struct skb_pool *pool;
	struct net_trace *trace;    /* the host is entered in trace->host[idx] */
	const struct pw_host_ops *ops;
	void *owner;
};

/* Brings h up from c: no sockets, empty neighbour table, the NIC's rings
 * allocated and its RX buffers posted. Takes one random number for the IP
 * id generator. 0, or -1 when memory runs out for the rings (call
 * host_free all the same). */
int host_init(struct pw_host *h, const struct host_config *c);
/* Forgets h's sockets, neighbours and fragment queues, freeing the skbs
 * they held without events (they belong to no step). */
void host_forget(struct pw_host *h);
/* Frees everything h holds: queued skbs (no events), the rings. */
void host_free(struct pw_host *h);

/* --- the hooks, as the stack calls them ------------------------------------ */

static inline void sk_wake(struct pw_host *h, struct pw_sock *sk)
{
	if (h->ops && h->ops->sk_wake)
		h->ops->sk_wake(h, sk);
}

static inline int host_quiet_xmit(struct pw_host *h, const char *what)
{
	return h->ops && h->ops->quiet_xmit ? h->ops->quiet_xmit(h, what) : 0;
}

static inline uint8_t *host_frame_on_wire(struct pw_host *h, uint8_t *frame, uint32_t *len)
{
	return h->ops && h->ops->frame_on_wire ? h->ops->frame_on_wire(h, frame, len) : frame;
}

static inline const struct pw_hdr_override *host_hdr_override(const struct pw_host *h)
{
	return h->ops && h->ops->hdr_override ? h->ops->hdr_override(h) : NULL;
}

#endif
