/* icmp.h: ICMP for IPv4 (RFC 792): echo request and reply, errors. */
#ifndef PW_PROTO_ICMP_H
#define PW_PROTO_ICMP_H

#include "wire.h"

#define ICMP_HLEN 8
#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_PORT_UNREACH 3 /* code */
#define ICMP_FRAG_NEEDED 4  /* code */

struct icmp_info {
	uint8_t type, code;
	uint16_t check;
	uint16_t id, sequence; /* echo only */
};

/* Writes the 8-byte header with checksum 0. */
void icmp_build(uint8_t *p, const struct icmp_info *info);
/* Computes the checksum over len bytes at p (header + data) and stores it. */
void icmp_set_checksum(uint8_t *p, size_t len);
int icmp_parse(const uint8_t *p, size_t caplen, struct icmp_info *out, struct pw_parse_err *e);

#endif
