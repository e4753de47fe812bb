/* ip6.h: the IPv6 fixed header (RFC 8200), read for dissection only: the
 * stack model walks IPv4. */
#ifndef PW_PROTO_IP6_H
#define PW_PROTO_IP6_H

#include "proto/wire.h"

#define IP6_HLEN 40

struct ip6_info {
	uint8_t version;
	uint16_t payload_len;
	uint8_t nexthdr;
	uint8_t hop_limit;
	uint8_t saddr[16], daddr[16];
};

/* Truncated below 40 bytes; invalid unless version 6. */
int ip6_parse(const uint8_t *p, size_t caplen, struct ip6_info *out, struct pw_parse_err *e);
/* RFC 5952 text ("2001:db8::1") into buf (at least 46 bytes). */
void ip6_addr_format(const uint8_t a[16], char *buf);

#endif
