/* icmp.c: building, checksumming and reading the ICMP header. */
#include "proto/icmp.h"

#include "proto/csum.h"

#define ICMP_CHECK_OFFSET 2

void icmp_build(uint8_t *p, const struct icmp_info *info)
{
	p[0] = info->type;
	p[1] = info->code;
	put_be16(p + ICMP_CHECK_OFFSET, 0);
	/* For errors these bytes are "unused" (or next-hop MTU in 6..7): the
	 * caller passes what belongs there. */
	put_be16(p + 4, info->id);
	put_be16(p + 6, info->sequence);
}

void icmp_set_checksum(uint8_t *p, size_t len)
{
	if (len < ICMP_CHECK_OFFSET + 2)
		return;
	put_be16(p + ICMP_CHECK_OFFSET, 0);
	put_be16(p + ICMP_CHECK_OFFSET, csum_fold(csum_partial(p, len, 0)));
}

int icmp_parse(const uint8_t *p, size_t caplen, struct icmp_info *out, struct pw_parse_err *e)
{
	if (caplen < ICMP_HLEN)
		return pw_parse_truncated(e, "ICMP", "header", ICMP_HLEN, (uint32_t)caplen);
	out->type = p[0];
	out->code = p[1];
	out->check = get_be16(p + ICMP_CHECK_OFFSET);
	if (out->type == ICMP_ECHO || out->type == ICMP_ECHOREPLY) {
		out->id = get_be16(p + 4);
		out->sequence = get_be16(p + 6);
	} else {
		out->id = 0;
		out->sequence = 0;
	}
	if (e)
		*e = (struct pw_parse_err){ .status = PW_PARSE_OK };
	return 0;
}
