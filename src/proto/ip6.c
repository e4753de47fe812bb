/* ip6.c: reading the IPv6 fixed header and writing IPv6 addresses as text,
 * for the dissector (the stack model walks IPv4 only). */
#include "proto/ip6.h"

#include <string.h>

int ip6_parse(const uint8_t *p, size_t caplen, struct ip6_info *out, struct pw_parse_err *e)
{
	uint8_t version;

	if (caplen < IP6_HLEN)
		return pw_parse_truncated(e, "IPv6", "header", IP6_HLEN, (uint32_t)caplen);
	version = p[0] >> 4;
	if (version != 6)
		return pw_parse_invalid(e, "IPv6", "version", version, "must be 6");

	out->version = version;
	out->payload_len = get_be16(p + 4);
	out->nexthdr = p[6];
	out->hop_limit = p[7];
	memcpy(out->saddr, p + 8, 16);
	memcpy(out->daddr, p + 24, 16);
	if (e)
		*e = (struct pw_parse_err){ .status = PW_PARSE_OK };
	return 0;
}

static char *put_hex16(char *b, unsigned int v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 12;

	/* No leading zeros (RFC 5952 4.1), but at least one digit. */
	while (shift > 0 && ((v >> shift) & 0xf) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*b++ = hex[(v >> shift) & 0xf];
	return b;
}

static char *put_dec8(char *b, unsigned int v)
{
	if (v >= 100)
		*b++ = (char)('0' + v / 100);
	if (v >= 10)
		*b++ = (char)('0' + v / 10 % 10);
	*b++ = (char)('0' + v % 10);
	return b;
}

/*
 * The longest run of two or more zero groups becomes "::", the leftmost
 * one on a tie (RFC 5952 4.2); hex digits are lower case (4.3). Like glibc's
 * inet_ntop, which is what tshark prints through, an address whose first 96
 * bits are zero (IPv4-compatible) or ::ffff:0:0/96 (IPv4-mapped) ends in
 * dotted decimal, except :: and ::1-style ones whose run reaches group 7.
 */
void ip6_addr_format(const uint8_t a[16], char *buf)
{
	unsigned int w[8];
	int best_base = -1, best_len = 0, cur_base = -1, cur_len = 0;
	char *b = buf;
	int i;

	for (i = 0; i < 8; i++)
		w[i] = ((unsigned int)a[2 * i] << 8) | a[2 * i + 1];
	for (i = 0; i < 8; i++) {
		if (w[i] == 0) {
			if (cur_base < 0) {
				cur_base = i;
				cur_len = 0;
			}
			cur_len++;
			if (cur_len > best_len) {
				best_base = cur_base;
				best_len = cur_len;
			}
		} else {
			cur_base = -1;
		}
	}
	if (best_len < 2)
		best_base = -1;

	for (i = 0; i < 8; i++) {
		if (best_base >= 0 && i >= best_base && i < best_base + best_len) {
			if (i == best_base)
				*b++ = ':';
			continue;
		}
		if (i != 0)
			*b++ = ':';
		if (i == 6 && best_base == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			b = put_dec8(b, a[12]);
			*b++ = '.';
			b = put_dec8(b, a[13]);
			*b++ = '.';
			b = put_dec8(b, a[14]);
			*b++ = '.';
			b = put_dec8(b, a[15]);
			*b = '\0';
			return;
		}
		b = put_hex16(b, w[i]);
	}
	if (best_base >= 0 && best_base + best_len == 8)
		*b++ = ':';
	*b = '\0';
}
