/* udp.h: UDP over IPv4 (net/ipv4/udp.c). */
#ifndef PW_NET_UDP_H
#define PW_NET_UDP_H

#include <stdint.h>

#include "net/sock.h"
#include "skb/skb.h"

struct pw_host;

/* sendto(): one datagram of len bytes (copied) to daddr:dport, fragmented
 * by IP when it does not fit the MTU. Returns len, or PW_ERR_BROKEN (a
 * drop on the way still returns len, as sendto does). */
int udp_sendmsg(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t dport, const uint8_t *data,
		uint32_t len);
/* recvfrom(): takes the first datagram off sk's receive queue and frees
 * it; its source address and port go to *from_ip and *from_port (either
 * may be NULL). Returns its length, 0 with nothing queued, or PW_ERR_DROP
 * when the checksum left for this copy is wrong (the datagram is dropped). */
int udp_recvmsg(struct pw_host *h, struct pw_sock *sk, uint32_t *from_ip, uint16_t *from_port);
/* udp_rcv: a datagram from IP (data at the UDP header). Consumes skb. */
void udp_rcv(struct pw_host *h, struct sk_buff *skb);

#endif
