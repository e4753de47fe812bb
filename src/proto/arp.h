/* arp.h: ARP for IPv4 over Ethernet (RFC 826). */
#ifndef PW_PROTO_ARP_H
#define PW_PROTO_ARP_H

#include "eth.h"

#define ARP_HLEN 28 /* arp_hdr_len() for Ethernet/IPv4 */
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2
#define ARPHRD_ETHER 1

struct arp_info {
	uint16_t hrd, pro;
	uint8_t hln, pln;
	uint16_t op;
	uint8_t sha[ETH_ALEN];
	uint32_t sip;
	uint8_t tha[ETH_ALEN];
	uint32_t tip;
};

/* Writes the 28-byte body (hrd 1, pro 0x0800, hln 6, pln 4 from the info). */
void arp_build(uint8_t *p, const struct arp_info *info);
/* Truncated below 8 bytes or below 8 + 2*(hln+pln); invalid unless
 * hrd 1, pro 0x0800, hln 6, pln 4 (only those are walked). */
int arp_parse(const uint8_t *p, size_t caplen, struct arp_info *out, struct pw_parse_err *e);

#endif
