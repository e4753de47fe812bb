/* tcp.h: the TCP header and its options (RFC 9293, 7323, 2018). */
#ifndef PW_PROTO_TCP_H
#define PW_PROTO_TCP_H

#include "wire.h"

#define TCP_HLEN 20
#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_ACK 0x10
#define TCPHDR_URG 0x20
#define TCPHDR_ECE 0x40
#define TCPHDR_CWR 0x80

#define TCPOPT_NOP 1
#define TCPOPT_EOL 0
#define TCPOPT_MSS 2
#define TCPOPT_WINDOW 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8

/* What tcp_options_write lays out, and what tcp_parse_options finds. */
struct tcp_opts {
	uint8_t mss_set, wscale_set, sack_perm, ts_set;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
};

struct tcp_info {
	uint16_t source, dest;
	uint32_t seq, ack_seq;
	uint8_t doff;          /* header length in 32-bit words */
	uint8_t flags;         /* TCPHDR_* (the low 8 flag bits) */
	uint8_t res;           /* the low nibble of byte 12: reserved bits and AE (AccECN), as on the wire */
	uint16_t window;       /* as on the wire, unscaled */
	uint16_t check;        /* as found (parse) */
	uint16_t urg_ptr;
	struct tcp_opts opts;  /* parse: options found */
};

/*
 * Writes the options as Linux's tcp_options_write lays them out, in this
 * order: MSS (kind 2, len 4); then with timestamps either SACK_PERM+TS
 * (04 02 08 0a) when SACK is permitted or NOP NOP TS, followed by TSval and
 * TSecr; then, with SACK permitted and no timestamps, NOP NOP SACK_PERM;
 * then window scale as NOP + (3, 3, shift). Returns the bytes written, a
 * multiple of 4 (at most 40). A SYN from Linux thus carries 20 bytes:
 * 02 04 05 b4 04 02 08 0a <TSval> <TSecr> 01 03 03 07.
 */
unsigned int tcp_options_write(uint8_t *p, const struct tcp_opts *o);
/* Bytes tcp_options_write would write. */
unsigned int tcp_options_size(const struct tcp_opts *o);
/* Writes the 20-byte fixed header; doff, flags from info; checksum field 0. */
void tcp_build(uint8_t *p, const struct tcp_info *info);
/* Parses header and options: truncated if 20 bytes are not captured or if
 * doff*4 passes caplen; invalid if doff < 5. Options that run past doff*4
 * or have a bad length end the option walk (not the parse). */
int tcp_parse(const uint8_t *p, size_t caplen, struct tcp_info *out, struct pw_parse_err *e);
/* Offset of the checksum field inside the TCP header. */
#define TCP_CHECK_OFFSET 16

/* Named reads of a header whose first 13 bytes are known to be there. */
static inline uint16_t tcp_hdr_source(const uint8_t *th) { return get_be16(th); }
static inline uint16_t tcp_hdr_dest(const uint8_t *th) { return get_be16(th + 2); }
static inline uint8_t tcp_hdr_doff(const uint8_t *th) { return th[12] >> 4; } /* 32-bit words */

#endif
