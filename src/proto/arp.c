/* arp.c: building and reading ARP for IPv4 over Ethernet. */
#include "proto/arp.h"

#include <string.h>

void arp_build(uint8_t *p, const struct arp_info *info)
{
	/* The body is laid out for 6-byte and 4-byte addresses, so the sizes
	 * that describe it are fixed, whatever the info says. */
	put_be16(p, ARPHRD_ETHER);
	put_be16(p + 2, ETH_P_IP);
	p[4] = ETH_ALEN;
	p[5] = 4;
	put_be16(p + 6, info->op);
	memcpy(p + 8, info->sha, ETH_ALEN);
	put_be32(p + 14, info->sip);
	memcpy(p + 18, info->tha, ETH_ALEN);
	put_be32(p + 24, info->tip);
}

int arp_parse(const uint8_t *p, size_t caplen, struct arp_info *out, struct pw_parse_err *e)
{
	uint16_t hrd, pro;
	uint8_t hln, pln;
	uint32_t need;

	if (caplen < 8)
		return pw_parse_truncated(e, "ARP", "header", 8, (uint32_t)caplen);
	hrd = get_be16(p);
	pro = get_be16(p + 2);
	hln = p[4];
	pln = p[5];
	need = 8 + 2 * ((uint32_t)hln + pln);
	if (caplen < need)
		return pw_parse_truncated(e, "ARP", "hln", need, (uint32_t)caplen);
	if (hrd != ARPHRD_ETHER)
		return pw_parse_invalid(e, "ARP", "hrd", hrd, "must be 1, Ethernet");
	if (pro != ETH_P_IP)
		return pw_parse_invalid(e, "ARP", "pro", pro, "must be 2048 = 0x0800, IPv4");
	if (hln != ETH_ALEN)
		return pw_parse_invalid(e, "ARP", "hln", hln, "must be 6");
	if (pln != 4)
		return pw_parse_invalid(e, "ARP", "pln", pln, "must be 4");

	out->hrd = hrd;
	out->pro = pro;
	out->hln = hln;
	out->pln = pln;
	out->op = get_be16(p + 6);
	memcpy(out->sha, p + 8, ETH_ALEN);
	out->sip = get_be32(p + 14);
	memcpy(out->tha, p + 18, ETH_ALEN);
	out->tip = get_be32(p + 24);
	if (e)
		*e = (struct pw_parse_err){ .status = PW_PARSE_OK };
	return 0;
}
