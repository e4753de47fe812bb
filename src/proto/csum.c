/* csum.c: the Internet checksum (RFC 1071) over big-endian 16-bit words. */
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

uint32_t csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	uint64_t s = sum;
	size_t i;

	/* 64 bits hold 2^48 words: more than any buffer that fits in memory. */
	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)((p[i] << 8) | p[i + 1]);
	/* RFC 1071: an odd last byte is padded with a zero on its right. */
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return fold64(s);
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
