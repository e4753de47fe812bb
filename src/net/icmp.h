/* icmp.h: ICMP (net/ipv4/icmp.c) and the raw socket ping uses
 * (net/ipv4/raw.c). */
#ifndef PW_NET_ICMP_H
#define PW_NET_ICMP_H

#include <stdint.h>

#include "net/sock.h"
#include "skb/skb.h"

struct pw_host;

/* --- icmp.c ---------------------------------------------------------------- */

/* icmp_rcv: an ICMP message from IP (data at the ICMP header): echo
 * requests are answered, replies go to the raw socket. Consumes skb. */
void icmp_rcv(struct pw_host *h, struct sk_buff *skb);
/* __icmp_send(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) about in, a datagram
 * no socket wanted (network header set); in stays the caller's. */
void icmp_send_port_unreach(struct pw_host *h, const struct sk_buff *in);
/* A linear skb with room for the link header, holding an IP header and an
 * ICMP message of icmp_len bytes, data at the IP header (ip_append_data
 * for ICMP); the caller owns it. NULL when memory runs out. */
struct sk_buff *icmp_alloc_skb(struct pw_host *h, uint32_t icmp_len, const char *func, const char *src);
/* Writes the IPv4 header of an ICMP skb from icmp_alloc_skb (DF if df),
 * with the host's header override applied. */
void icmp_ip_header(const struct pw_host *h, struct sk_buff *skb, uint32_t saddr, uint32_t daddr, uint16_t id,
		    int df, uint8_t tos);

/* --- raw.c ----------------------------------------------------------------- */

/* ping's sendto(): echo request seq with len bytes of data from sk. */
int raw_ping_send(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t seq, uint32_t len);
/* recvmsg() on the raw socket: the first queued message, freed. Returns
 * its length, or 0 with nothing queued. */
int raw_recvmsg(struct pw_host *h, struct pw_sock *sk);
/* Replay: a captured ICMP message (len bytes, copied) sent from a raw
 * socket as ping sends. Returns what ip_local_out returned. */
int raw_replay_send(struct pw_host *h, uint32_t daddr, const uint8_t *msg, uint32_t len);
/* raw_local_deliver: a clone of skb (an ICMP message, data at its
 * header), pushed back to the IP header, for the raw socket sk's receive
 * queue. skb stays the caller's. Returns 0 (the clone queued or dropped
 * with its reason), or PW_ERR_BROKEN when no clone could be made. */
int raw_local_deliver(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb);

#endif
