/* dissect.h: reading a whole captured frame, layer by layer, with the
 * same header parsers the stack's receive path uses (eth.h, ip4.h, tcp.h,
 * udp.h, icmp.h, arp.h, ip6.h): one parser, two callers.
 *
 * The dissection says which layers it read (PW_HAVE_* bits), their fields
 * as parsed, where each header starts in the frame, and, when it stopped
 * early, why ("truncated: IPv4 header says 60 bytes, 34 captured"). It
 * also says whether the stack model can walk the frame (Ethernet or a
 * link layer it can turn into Ethernet, then IPv4 with TCP, UDP or ICMP, or
 * ARP) and, if not, why not.
 */
#ifndef PW_PROTO_DISSECT_H
#define PW_PROTO_DISSECT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/arp.h"
#include "proto/eth.h"
#include "proto/icmp.h"
#include "proto/ip4.h"
#include "proto/ip6.h"
#include "proto/tcp.h"
#include "proto/udp.h"

enum {
	PW_HAVE_ETH = 1 << 0,   /* an Ethernet header (linktype Ethernet) */
	PW_HAVE_VLAN = 1 << 1,  /* at least one 802.1Q tag (0x8100, or 0x9100); vlan_id is
				 * the first one's VID. An 802.1ad S-tag (0x88a8) is
				 * walked past but not counted: tshark calls its VID
				 * ieee8021ad.svid, not vlan.id. */
	PW_HAVE_IP = 1 << 2,    /* IPv4 header parsed */
	PW_HAVE_IP6 = 1 << 3,   /* IPv6 fixed header parsed */
	PW_HAVE_TCP = 1 << 4,
	PW_HAVE_UDP = 1 << 5,
	PW_HAVE_ICMP = 1 << 6,
	PW_HAVE_ARP = 1 << 7,
	PW_HAVE_TCP_LEN = 1 << 8, /* tcp_payload is known: not so in a first fragment, whose
				   * segment goes on in frames not seen */
};

struct pw_dissection {
	uint32_t have;           /* PW_HAVE_* */
	int linktype;
	uint32_t caplen, len;    /* of the frame */
	uint32_t phdr_len;       /* bytes of capture pseudo-header the record starts with
				  * (SunATM 4, IrDA 16, ...: link types not read): not
				  * part of the frame, and left out of tshark's
				  * frame.len and frame.cap_len */
	struct eth_info eth;
	uint16_t vlan_id;
	uint16_t ethertype;      /* of the network layer, after tags and link headers */
	uint32_t l3_off;         /* network header's offset in the frame */
	struct ip4_info ip;
	struct ip6_info ip6;
	uint32_t l4_off;         /* transport header's offset in the frame */
	struct tcp_info tcp;
	uint32_t tcp_payload;    /* tcp.len as tshark computes it: IP payload less the TCP header */
	uint16_t tcp_flags;      /* tcp.flags as tshark shows it: the 12 bits after the data
				  * offset (3 reserved, AE, then tcp.flags' 8) */
	struct udp_info udp;
	struct icmp_info icmp;
	struct arp_info arp;
	char note[192];          /* why dissection stopped early, or "" */
	const char *unwalkable;  /* NULL if the stack model can walk this frame, else why not
				  * (a static string, or note itself: copy the text, not the
				  * pointer, out of a struct that will be reused) */
};

/* Dissects one frame. Never reads past caplen; never fails: what could not
 * be read is said in d->note. linktype is a LINKTYPE_* value (as
 * pw_frame.linktype); frame may be NULL when caplen is 0. Costs one pass
 * over the headers, no allocation; a frame that stops early also pays for
 * formatting the note. */
void pw_dissect(int linktype, const uint8_t *frame, uint32_t caplen, uint32_t len, struct pw_dissection *d);

#endif
