/* fields.c: naming the header field under a byte offset (see fields.h). */
#include <string.h>

#include "proto/fields.h"

static const char *eth_field(uint32_t off)
{
	return off < 6 ? "eth.dst" : off < 12 ? "eth.src" : "eth.type";
}

static const char *ip_field(uint32_t off, uint32_t hlen)
{
	static const char *const name[20] = {
		"ip.hdr_len", "ip.dsfield", "ip.len", "ip.len", "ip.id", "ip.id", "ip.flags", "ip.frag_offset",
		"ip.ttl", "ip.proto", "ip.checksum", "ip.checksum", "ip.src", "ip.src", "ip.src", "ip.src",
		"ip.dst", "ip.dst", "ip.dst", "ip.dst",
	};

	if (off < 20)
		return name[off];
	return off < hlen ? "ip.options" : NULL;
}

static const char *tcp_field(uint32_t off, uint32_t hlen)
{
	static const char *const name[20] = {
		"tcp.srcport", "tcp.srcport", "tcp.dstport", "tcp.dstport", "tcp.seq", "tcp.seq", "tcp.seq",
		"tcp.seq", "tcp.ack", "tcp.ack", "tcp.ack", "tcp.ack", "tcp.hdr_len", "tcp.flags",
		"tcp.window_size_value", "tcp.window_size_value", "tcp.checksum", "tcp.checksum",
		"tcp.urgent_pointer", "tcp.urgent_pointer",
	};

	if (off < 20)
		return name[off];
	return off < hlen ? "tcp.options" : "tcp.payload";
}

static const char *udp_field(uint32_t off)
{
	static const char *const name[8] = { "udp.srcport", "udp.srcport", "udp.dstport", "udp.dstport",
					     "udp.length", "udp.length", "udp.checksum", "udp.checksum" };

	return off < 8 ? name[off] : "udp.payload";
}

static const char *icmp_field(uint32_t off)
{
	static const char *const name[8] = { "icmp.type", "icmp.code", "icmp.checksum", "icmp.checksum",
					     "icmp.ident", "icmp.ident", "icmp.seq", "icmp.seq" };

	return off < 8 ? name[off] : "icmp.data";
}

static const char *arp_field(uint32_t off)
{
	static const char *const name[8] = { "arp.hw.type", "arp.hw.type", "arp.proto.type", "arp.proto.type",
					     "arp.hw.size", "arp.proto.size", "arp.opcode", "arp.opcode" };

	if (off < 8)
		return name[off];
	if (off < 14)
		return "arp.src.hw_mac";
	if (off < 18)
		return "arp.src.proto_ipv4";
	if (off < 24)
		return "arp.dst.hw_mac";
	return off < 28 ? "arp.dst.proto_ipv4" : NULL;
}

const char *pw_field_at(const struct pw_dissection *d, uint32_t off)
{
	const char *f = NULL;

	if ((d->have & PW_HAVE_ETH) && off < ETH_HLEN)
		return eth_field(off);
	if (off < d->l3_off)
		return (d->have & PW_HAVE_VLAN) ? "vlan" : "link";
	if (d->have & PW_HAVE_ARP)
		f = arp_field(off - d->l3_off);
	else if (d->have & PW_HAVE_IP) {
		uint32_t hlen = d->ip.ihl * 4u;

		if (off - d->l3_off >= d->ip.tot_len)
			return (d->have & PW_HAVE_ETH) ? "eth.padding" : "frame";
		f = ip_field(off - d->l3_off, hlen);
		if (!f && off >= d->l4_off) {
			uint32_t o = off - d->l4_off;

			if (d->have & PW_HAVE_TCP)
				f = tcp_field(o, d->tcp.doff * 4u);
			else if (d->have & PW_HAVE_UDP)
				f = udp_field(o);
			else if (d->have & PW_HAVE_ICMP)
				f = icmp_field(o);
			else
				f = "ip.payload";
		}
	}
	if (!f)
		return (d->have & PW_HAVE_ETH) && (d->have & PW_HAVE_ARP) ? "eth.padding" : "frame";
	return f;
}

int pw_field_is_checksum(const char *name)
{
	return !strcmp(name, "ip.checksum") || !strcmp(name, "tcp.checksum") || !strcmp(name, "udp.checksum") ||
	       !strcmp(name, "icmp.checksum");
}
