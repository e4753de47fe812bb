/* ip4.h: the IPv4 header (RFC 791). */
#ifndef PW_PROTO_IP4_H
#define PW_PROTO_IP4_H

#include "wire.h"

#define IP4_HLEN 20
#define IP4_CHECK_OFFSET 10 /* the header checksum's offset in the header */
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFSET 0x1FFF
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

struct ip4_info {
	uint8_t version, ihl;  /* ihl in 32-bit words */
	uint8_t tos;
	uint16_t tot_len;
	uint16_t id;
	uint16_t frag_off;     /* flags (IP_DF, IP_MF) and offset in 8-byte units, as on the wire */
	uint8_t ttl, protocol;
	uint16_t check;        /* as found (parse) */
	uint32_t saddr, daddr; /* host order */
};

/*
 * Named reads and writes of a header whose bytes are known to be there
 * (parsed by ip4_parse, or built by the stack): no bounds check, so only
 * after one. The wire bytes stay in network order; these convert.
 */
static inline uint8_t ip4_hdr_version(const uint8_t *iph) { return iph[0] >> 4; }
static inline uint32_t ip4_hdr_len(const uint8_t *iph) { return (iph[0] & 15u) * 4u; } /* IHL in bytes */
static inline uint16_t ip4_hdr_tot_len(const uint8_t *iph) { return get_be16(iph + 2); }
static inline uint16_t ip4_hdr_id(const uint8_t *iph) { return get_be16(iph + 4); }
static inline uint16_t ip4_hdr_frag_off(const uint8_t *iph) { return get_be16(iph + 6); } /* flags and offset */
static inline uint32_t ip4_hdr_offset(const uint8_t *iph) { return (get_be16(iph + 6) & IP_OFFSET) * 8u; } /* bytes */
static inline uint8_t ip4_hdr_protocol(const uint8_t *iph) { return iph[9]; }
static inline uint16_t ip4_hdr_check(const uint8_t *iph) { return get_be16(iph + IP4_CHECK_OFFSET); }
static inline uint32_t ip4_hdr_saddr(const uint8_t *iph) { return get_be32(iph + 12); }
static inline uint32_t ip4_hdr_daddr(const uint8_t *iph) { return get_be32(iph + 16); }
static inline void ip4_hdr_set_tot_len(uint8_t *iph, uint16_t v) { put_be16(iph + 2, v); }
static inline void ip4_hdr_set_frag_off(uint8_t *iph, uint16_t v) { put_be16(iph + 6, v); }

/* Writes a 20-byte header (no options) at p from info (version and ihl are
 * taken as 4 and 5) with a correct header checksum. */
void ip4_build(uint8_t *p, const struct ip4_info *info);
/* Recomputes the header checksum in place (ip_send_check). */
void ip4_send_check(uint8_t *iph);
/*
 * Parses the header at p, checked in the order of ip_rcv_core:
 *   1. 20 bytes captured (truncated otherwise);
 *   2. version 4 and ihl at least 5 (invalid);
 *   3. ihl*4 bytes captured (truncated: "IPv4 header says 60 bytes, 34 captured");
 *   4. tot_len at least ihl*4 (invalid).
 * tot_len above caplen is not an error here: the caller decides (a capture
 * may be cut by its snapshot length). Returns 0 or -1 with e set.
 */
int ip4_parse(const uint8_t *p, size_t caplen, struct ip4_info *out, struct pw_parse_err *e);
/* 1 if the header checksum over ihl words is right. The caller has parsed. */
int ip4_csum_ok(const uint8_t *p, const struct ip4_info *info);
/* "192.0.2.1" into buf (at least 16 bytes). */
void ip4_addr_format(uint32_t addr, char *buf);
/* Parses dotted quad; 0 or -1. */
int ip4_addr_parse(const char *s, uint32_t *addr);

#endif
