/* udp.h: the UDP header (RFC 768). */
#ifndef PW_PROTO_UDP_H
#define PW_PROTO_UDP_H

#include "wire.h"

#define UDP_HLEN 8
#define UDP_CHECK_OFFSET 6

struct udp_info {
	uint16_t source, dest, len, check;
};

/* Named reads of a header whose 8 bytes are known to be there. */
static inline uint16_t udp_hdr_source(const uint8_t *uh) { return get_be16(uh); }
static inline uint16_t udp_hdr_dest(const uint8_t *uh) { return get_be16(uh + 2); }
static inline uint16_t udp_hdr_len(const uint8_t *uh) { return get_be16(uh + 4); }
static inline uint16_t udp_hdr_check(const uint8_t *uh) { return get_be16(uh + UDP_CHECK_OFFSET); }

/* Writes 8 bytes; checksum field as given in info. */
void udp_build(uint8_t *p, const struct udp_info *info);
/* Truncated if 8 bytes are not captured; invalid if len < 8. */
int udp_parse(const uint8_t *p, size_t caplen, struct udp_info *out, struct pw_parse_err *e);

#endif
