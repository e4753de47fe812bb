/* neighbour.h: the neighbour cache (net/core/neighbour.c) and ARP, its
 * resolver for IPv4 (net/ipv4/arp.c). */
#ifndef PW_NET_NEIGHBOUR_H
#define PW_NET_NEIGHBOUR_H

#include <stdint.h>

#include "proto/arp.h"
#include "proto/eth.h"
#include "skb/skb.h"

struct pw_host;

#define MAX_NEIGH 4

/* NUD states, as include/net/neighbour.h names them. */
enum nud_state { NUD_NONE = 0, NUD_INCOMPLETE, NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_FAILED,
		 NUD_PERMANENT };
extern const char *const nud_state_names[];

struct neighbour {
	int used;
	uint32_t ip;
	uint8_t ha[ETH_ALEN];
	enum nud_state nud;
	struct skb_queue arp_queue; /* packets waiting for ha, oldest first */
};

/* --- neighbour.c ----------------------------------------------------------- */

/*
 * neigh_output - send skb (data at the IP header) to the next hop
 *
 * With a usable entry the Ethernet header goes on and the frame to
 * dev_queue_xmit; otherwise the skb is parked on the entry's arp_queue
 * (the oldest dropped past NEIGH_QUEUE_BYTES) and ARP asked. Consumes
 * skb. Returns what dev_queue_xmit returns, NET_XMIT_SUCCESS when parked,
 * or PW_ERR_BROKEN.
 */
int neigh_output(struct pw_host *h, uint32_t nexthop, struct sk_buff *skb);
/* The entry for ip, or NULL. */
struct neighbour *neigh_lookup(struct pw_host *h, uint32_t ip);
/* A new entry for ip in NUD_NONE, recorded; NULL when the table is full
 * (the simulation fails). */
struct neighbour *neigh_create(struct pw_host *h, uint32_t ip);
/* A static entry (ip neigh add ... nud permanent) in the first slot,
 * unrecorded: the hosts start knowing each other. */
void neigh_add_permanent(struct pw_host *h, uint32_t ip, const uint8_t ha[ETH_ALEN]);
/*
 * neigh_update - what ARP learnt: n's address is lladdr and its state new
 *
 * Records neigh:neigh_update. An entry that becomes NUD_REACHABLE sends
 * what waited on its arp_queue and records neigh_update_done.
 */
void neigh_update(struct pw_host *h, struct neighbour *n, const uint8_t lladdr[ETH_ALEN], enum nud_state new_state);

/* --- arp.c ----------------------------------------------------------------- */

/* arp_solicit: broadcasts a request for ip. */
void arp_solicit(struct pw_host *h, uint32_t ip);
/* arp_rcv -> arp_process: an ARP packet from the device layer (data at the
 * ARP header). Consumes skb. */
void arp_rcv(struct pw_host *h, struct sk_buff *skb);
/* Replay: a captured ARP packet sent as arp_send_dst would, to dest_hw. */
void arp_replay_send(struct pw_host *h, const struct arp_info *ai, const uint8_t dest_hw[ETH_ALEN]);

#endif
