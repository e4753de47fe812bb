/* eth.c: building and reading the 14-byte Ethernet II header. */
#include "proto/eth.h"

#include <stdio.h>
#include <string.h>

void eth_build(uint8_t *p, const uint8_t dst[ETH_ALEN], const uint8_t src[ETH_ALEN], uint16_t proto)
{
	memcpy(p, dst, ETH_ALEN);
	memcpy(p + ETH_ALEN, src, ETH_ALEN);
	put_be16(p + 2 * ETH_ALEN, proto);
}

int eth_parse(const uint8_t *p, size_t caplen, struct eth_info *out, struct pw_parse_err *e)
{
	if (caplen < ETH_HLEN)
		return pw_parse_truncated(e, "Ethernet", "header", ETH_HLEN, (uint32_t)caplen);
	memcpy(out->dst, p, ETH_ALEN);
	memcpy(out->src, p + ETH_ALEN, ETH_ALEN);
	out->proto = get_be16(p + 2 * ETH_ALEN);
	if (e)
		*e = (struct pw_parse_err){ .status = PW_PARSE_OK };
	return 0;
}

void eth_addr_format(const uint8_t a[ETH_ALEN], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
}
