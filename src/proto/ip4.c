/* ip4.c: building, checking and reading the IPv4 header, and dotted-quad
 * addresses. */
#include "proto/ip4.h"

#include "proto/csum.h"

#include <stdio.h>


void ip4_build(uint8_t *p, const struct ip4_info *info)
{
	p[0] = 0x45;
	p[1] = info->tos;
	put_be16(p + 2, info->tot_len);
	put_be16(p + 4, info->id);
	put_be16(p + 6, info->frag_off);
	p[8] = info->ttl;
	p[9] = info->protocol;
	put_be16(p + IP4_CHECK_OFFSET, 0);
	put_be32(p + 12, info->saddr);
	put_be32(p + 16, info->daddr);
	ip4_send_check(p);
}

void ip4_send_check(uint8_t *iph)
{
	unsigned int ihl = iph[0] & 0x0f;

	/* The field itself sits in the fixed 20 bytes; never sum less than those. */
	if (ihl < 5)
		ihl = 5;
	put_be16(iph + IP4_CHECK_OFFSET, 0);
	put_be16(iph + IP4_CHECK_OFFSET, ip_fast_csum(iph, ihl));
}

int ip4_parse(const uint8_t *p, size_t caplen, struct ip4_info *out, struct pw_parse_err *e)
{
	uint8_t version, ihl;
	uint16_t tot_len;

	if (caplen < IP4_HLEN)
		return pw_parse_truncated(e, "IPv4", "header", IP4_HLEN, (uint32_t)caplen);
	version = p[0] >> 4;
	ihl = p[0] & 0x0f;
	if (version != 4)
		return pw_parse_invalid(e, "IPv4", "version", version, "must be 4");
	if (ihl < 5)
		return pw_parse_invalid(e, "IPv4", "ihl", ihl, "must be at least 5");
	if (caplen < (size_t)ihl * 4)
		return pw_parse_truncated(e, "IPv4", "ihl", (uint32_t)ihl * 4, (uint32_t)caplen);
	tot_len = get_be16(p + 2);
	if (tot_len < ihl * 4)
		return pw_parse_invalid(e, "IPv4", "tot_len", tot_len,
					"must be at least ihl*4");

	out->version = version;
	out->ihl = ihl;
	out->tos = p[1];
	out->tot_len = tot_len;
	out->id = get_be16(p + 4);
	out->frag_off = get_be16(p + 6);
	out->ttl = p[8];
	out->protocol = p[9];
	out->check = get_be16(p + IP4_CHECK_OFFSET);
	out->saddr = get_be32(p + 12);
	out->daddr = get_be32(p + 16);
	if (e)
		*e = (struct pw_parse_err){ .status = PW_PARSE_OK };
	return 0;
}

int ip4_csum_ok(const uint8_t *p, const struct ip4_info *info)
{
	return ip_fast_csum(p, info->ihl) == 0;
}

void ip4_addr_format(uint32_t addr, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned int)(addr >> 24), (unsigned int)((addr >> 16) & 0xff),
		 (unsigned int)((addr >> 8) & 0xff), (unsigned int)(addr & 0xff));
}

int ip4_addr_parse(const char *s, uint32_t *addr)
{
	uint32_t a = 0;
	int part;

	if (!s)
		return -1;
	for (part = 0; part < 4; part++) {
		unsigned int v = 0;
		int digits = 0;

		if (part > 0) {
			if (*s != '.')
				return -1;
			s++;
		}
		while (*s >= '0' && *s <= '9') {
			/* A leading zero reads as octal to inet_aton: refuse the ambiguity. */
			if (digits == 1 && v == 0)
				return -1;
			v = v * 10 + (unsigned int)(*s - '0');
			if (v > 255)
				return -1;
			digits++;
			s++;
		}
		if (digits == 0)
			return -1;
		a = (a << 8) | v;
	}
	if (*s != '\0')
		return -1;
	*addr = a;
	return 0;
}
