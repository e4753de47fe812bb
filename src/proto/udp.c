/* udp.c: building and reading the 8-byte UDP header. */
#include "proto/udp.h"

void udp_build(uint8_t *p, const struct udp_info *info)
{
	put_be16(p, info->source);
	put_be16(p + 2, info->dest);
	put_be16(p + 4, info->len);
	put_be16(p + UDP_CHECK_OFFSET, info->check);
}

int udp_parse(const uint8_t *p, size_t caplen, struct udp_info *out, struct pw_parse_err *e)
{
	uint16_t len;

	if (caplen < UDP_HLEN)
		return pw_parse_truncated(e, "UDP", "header", UDP_HLEN, (uint32_t)caplen);
	len = get_be16(p + 4);
	/* A len above caplen may just be a short snapshot: the caller decides. */
	if (len < UDP_HLEN)
		return pw_parse_invalid(e, "UDP", "len", len, "must be at least 8");
	out->source = get_be16(p);
	out->dest = get_be16(p + 2);
	out->len = len;
	out->check = get_be16(p + UDP_CHECK_OFFSET);
	if (e)
		*e = (struct pw_parse_err){ .status = PW_PARSE_OK };
	return 0;
}
