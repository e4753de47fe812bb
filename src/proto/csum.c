/* csum.c: the Internet checksum (RFC 1071) over big-endian 16-bit words. */
#include <string.h>

#include "proto/csum.h"

/*
 * Ones' complement addition only needs the sum modulo 0xffff, and 2^32 is 1
 * modulo 0xffff, so adding the high half back in keeps the value a valid
 * partial sum that a later call can continue from.
 */
static uint32_t fold64(uint64_t s)
{
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/*
 * RFC 1071 2(B): the ones' complement sum does not depend on byte order.
 * Summing the words in the machine's own order and swapping the folded
 * result gives the big-endian sum, and lets the loop load 8 bytes at a
 * time; 2^16 is 1 modulo 0xffff, so wider words add up to the same sum.
 */
uint32_t csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t s = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t v;

		memcpy(&v, p + i, 8);
		s += (v & 0xffffffffu) + (v >> 32);
	}
	for (; i + 1 < len; i += 2) {
		uint16_t v;

		memcpy(&v, p + i, 2);
		s += v;
	}
	if (len & 1) {
		/* An odd last byte is padded with a zero on its right. */
		uint8_t last[2] = { p[len - 1], 0 };
		uint16_t v;

		memcpy(&v, last, 2);
		s += v;
	}
	s = fold64(s);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = ((s & 0xff) << 8) | (s >> 8);
#endif
	s += sum;
	s = fold64(s);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)(~sum & 0xffff);
}

uint16_t ip_fast_csum(const uint8_t *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, (size_t)ihl * 4, 0));
}

uint32_t csum_tcpudp_nofold(uint32_t saddr, uint32_t daddr, uint32_t len, uint8_t proto,
			    uint32_t sum)
{
	uint64_t s = sum;

	s += saddr >> 16;
	s += saddr & 0xffff;
	s += daddr >> 16;
	s += daddr & 0xffff;
	/* The pseudo-header's zero byte and protocol form one word. */
	s += proto;
	s += len >> 16;
	s += len & 0xffff;
	return fold64(s);
}

uint16_t csum_tcpudp_magic(uint32_t saddr, uint32_t daddr, uint32_t len, uint8_t proto,
			   uint32_t sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}
