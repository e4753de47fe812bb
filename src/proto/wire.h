/* wire.h: bounds-checked big-endian access to packet bytes, and the result
 * of a parse.
 *
 * Every header parser in proto/ reads through a window (pointer, captured
 * length) and never past it. A parse ends one of three ways, as tcpdump
 * distinguishes them: ok; truncated (the bytes a field needs were not
 * captured); invalid (the bytes are there but break a rule of the
 * protocol, such as an IPv4 IHL below 5). Wire bytes are never modified in
 * order to be read.
 */
#ifndef PW_PROTO_WIRE_H
#define PW_PROTO_WIRE_H

#include <stddef.h>
#include <stdint.h>

enum pw_parse_status { PW_PARSE_OK = 0, PW_PARSE_TRUNCATED, PW_PARSE_INVALID };

struct pw_parse_err {
	enum pw_parse_status status;
	const char *proto;  /* "IPv4", "TCP", ... */
	const char *field;  /* "ihl", "tot_len", "doff", ... */
	const char *rule;   /* invalid: the rule broken, e.g. "at least 5" */
	uint32_t value;     /* invalid: the value seen; truncated: bytes the header says */
	uint32_t have;      /* truncated: bytes captured */
};

/* Formats e.g. "truncated: IPv4 header says 60 bytes, 34 captured" or
 * "invalid: IPv4 ihl 3 (must be at least 5)". Returns bytes written. */
int pw_parse_err_format(const struct pw_parse_err *e, char *buf, size_t size);

static inline uint16_t get_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Marks e as truncated and returns -1; parsers use it as `return trunc(...)`. */
int pw_parse_truncated(struct pw_parse_err *e, const char *proto, const char *field,
		       uint32_t needed, uint32_t have);
int pw_parse_invalid(struct pw_parse_err *e, const char *proto, const char *field,
		     uint32_t value, const char *rule);

#endif
