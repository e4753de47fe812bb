/* fuzz_dissect.c: the dissector (proto/dissect.h) on one frame.
 *
 * Input: byte 0 picks the link type (fuzz_linktype), byte 1 the frame's
 * length on the wire against the bytes captured (equal, longer as when
 * cut by a snapshot length, shorter as a lying record says, or near
 * 2^32), the rest is the frame. The dissection must stay inside the
 * frame (AddressSanitizer sees a read past it: the input is exactly the
 * frame's size), keep its own promises (an offset inside the frame for
 * every layer it says it read, a reason whenever the model cannot walk
 * the frame, and only then) and name a field for every byte
 * (fields.h), as verify asks.
 */
#include <string.h>

#include "fuzz.h"
#include "proto/dissect.h"
#include "proto/fields.h"

static uint32_t wire_len(uint8_t mode, uint32_t caplen)
{
	uint32_t k = mode >> 2;

	switch (mode & 3) {
	case 0:
		return caplen;
	case 1:
		return caplen + 1 + k * 97;
	case 2:
		return caplen > k ? caplen - k - 1 : 0;
	default:
		return UINT32_MAX - k;
	}
}

static void check(const struct pw_dissection *d, int linktype, uint32_t caplen, uint32_t len)
{
	size_t note = fuzz_str(d->note, sizeof(d->note), "note");

	FUZZ_CHECK(d->linktype == linktype && d->caplen == caplen && d->len == len, "frame geometry not kept");
	if (d->have & PW_HAVE_ETH)
		FUZZ_CHECK(caplen >= ETH_HLEN, "Ethernet read in %u bytes", caplen);
	FUZZ_CHECK(d->l3_off <= caplen, "network header at %u of %u bytes", d->l3_off, caplen);
	FUZZ_CHECK(d->l4_off <= caplen, "transport header at %u of %u bytes", d->l4_off, caplen);
	if (d->have & PW_HAVE_IP) {
		FUZZ_CHECK(d->ip.version == 4 && d->ip.ihl >= 5, "IPv4 version %u ihl %u", d->ip.version, d->ip.ihl);
		FUZZ_CHECK(d->l3_off + d->ip.ihl * 4u <= caplen, "IPv4 header at %u (%u bytes) past %u captured",
			   d->l3_off, d->ip.ihl * 4u, caplen);
		FUZZ_CHECK(d->ethertype == ETH_P_IP, "IPv4 under ethertype 0x%04x", d->ethertype);
	}
	if (d->have & PW_HAVE_IP6)
		FUZZ_CHECK(d->l3_off + IP6_HLEN <= caplen, "IPv6 header at %u past %u captured", d->l3_off, caplen);
	if (d->have & PW_HAVE_ARP)
		FUZZ_CHECK(d->l3_off + ARP_HLEN <= caplen, "ARP at %u past %u captured", d->l3_off, caplen);
	if (d->have & (PW_HAVE_TCP | PW_HAVE_UDP | PW_HAVE_ICMP))
		FUZZ_CHECK(d->have & (PW_HAVE_IP | PW_HAVE_IP6), "a transport without a network layer");
	if (d->have & PW_HAVE_TCP) {
		FUZZ_CHECK(d->tcp.doff >= 5 && d->l4_off + d->tcp.doff * 4u <= caplen,
			   "TCP header at %u (%u bytes) past %u captured", d->l4_off, d->tcp.doff * 4u, caplen);
		FUZZ_CHECK(d->l4_off >= d->l3_off + IP4_HLEN, "TCP at %u inside the network header at %u", d->l4_off,
			   d->l3_off);
	}
	if (d->have & PW_HAVE_TCP_LEN)
		FUZZ_CHECK((d->have & PW_HAVE_TCP) && d->tcp_payload <= len, "tcp.len %u in a %u-byte frame",
			   d->tcp_payload, len);
	if (d->have & PW_HAVE_UDP)
		FUZZ_CHECK(d->l4_off + UDP_HLEN <= caplen, "UDP header at %u past %u captured", d->l4_off, caplen);
	if (d->have & PW_HAVE_ICMP)
		FUZZ_CHECK((d->have & PW_HAVE_IP) && d->l4_off + ICMP_HLEN <= caplen,
			   "ICMP header at %u past %u captured", d->l4_off, caplen);
	if (d->phdr_len)
		FUZZ_CHECK(!d->have, "a pseudo-header on a link type that was read");
	if (d->unwalkable) {
		FUZZ_CHECK(fuzz_str(d->unwalkable, 4096, "unwalkable") > 0, "an empty reason");
		if (d->unwalkable == d->note)
			FUZZ_CHECK(note > 0, "unwalkable points at an empty note");
	} else {
		/* Walkable: Ethernet (or a link the model re-wraps), then ARP
		 * or IPv4 with a transport it models, whole. */
		FUZZ_CHECK((d->have & PW_HAVE_ARP) ||
				   ((d->have & PW_HAVE_IP) && (d->have & (PW_HAVE_TCP | PW_HAVE_UDP | PW_HAVE_ICMP))),
			   "walkable but have 0x%x", d->have);
		FUZZ_CHECK(!(d->have & (PW_HAVE_IP6 | PW_HAVE_VLAN)), "walkable with IPv6 or a VLAN tag");
		FUZZ_CHECK(caplen >= len, "walkable but cut: %u of %u bytes", caplen, len);
		/* A note may remain (tshark's expert note on a datagram longer
		 * than the frame, which the model walks to its drop). */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pw_dissection d, again;
	const uint8_t *frame;
	uint32_t caplen, len;
	int linktype;

	if (size < 2 || size - 2 > UINT32_MAX)
		return 0;
	linktype = fuzz_linktype(data[0]);
	frame = size > 2 ? data + 2 : NULL;
	caplen = (uint32_t)(size - 2);
	len = wire_len(data[1], caplen);

	pw_dissect(linktype, frame, caplen, len, &d);
	check(&d, linktype, caplen, len);

	/* The same frame read into a struct full of another frame's state
	 * says the same: nothing stale leaks into a reused dissection. */
	memset(&again, 0xa5, sizeof(again));
	pw_dissect(linktype, frame, caplen, len, &again);
	FUZZ_CHECK(again.have == d.have && again.l3_off == d.l3_off && again.l4_off == d.l4_off &&
			   again.ethertype == d.ethertype && again.vlan_id == d.vlan_id &&
			   again.tcp_payload == d.tcp_payload && !strcmp(again.note, d.note) &&
			   !again.unwalkable == !d.unwalkable &&
			   (!d.unwalkable || !strcmp(again.unwalkable, d.unwalkable)),
		   "a second dissection of the same frame differs");

	/* Every byte belongs to a field, as verify names the first that differs. */
	for (uint32_t off = 0; off <= caplen + 1 && off < 70000; off++) {
		const char *name = pw_field_at(&d, off);

		fuzz_str(name, 64, "field name");
		(void)pw_field_is_checksum(name);
	}
	return 0;
}
