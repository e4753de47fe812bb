/* eth.h: Ethernet II header (IEEE 802.3 framing as Linux builds it). */
#ifndef PW_PROTO_ETH_H
#define PW_PROTO_ETH_H

#include "wire.h"

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60        /* shortest frame without FCS: the NIC pads to it */
#define ETH_DATA_LEN 1500
#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define ETH_P_8021Q 0x8100
#define ETH_P_IPV6 0x86DD

struct eth_info {
	uint8_t dst[ETH_ALEN];
	uint8_t src[ETH_ALEN];
	uint16_t proto;
};

/* Writes 14 bytes at p. */
void eth_build(uint8_t *p, const uint8_t dst[ETH_ALEN], const uint8_t src[ETH_ALEN], uint16_t proto);
/* Parses 14 bytes; 0 or -1 with e set (truncated). */
int eth_parse(const uint8_t *p, size_t caplen, struct eth_info *out, struct pw_parse_err *e);
/* "02:00:00:00:00:01" into buf (at least 18 bytes). */
void eth_addr_format(const uint8_t a[ETH_ALEN], char *buf);
/* Named reads of a header whose 14 bytes are known to be there. */
static inline const uint8_t *eth_hdr_dest(const uint8_t *eh) { return eh; }
static inline const uint8_t *eth_hdr_source(const uint8_t *eh) { return eh + ETH_ALEN; }
static inline uint16_t eth_hdr_proto(const uint8_t *eh) { return get_be16(eh + 12); }
static inline int eth_is_broadcast(const uint8_t a[ETH_ALEN])
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}

#endif
