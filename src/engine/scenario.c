/* scenario.c: the built-in scenarios, their parameters and defaults. */
#include <stdio.h>
#include <string.h>

#include "engine/scenario.h"

const struct pw_scenario_info pw_scenarios[] = {
	{ "tcp", "TCP: three-way handshake, one send() of the payload, FIN teardown" },
	{ "udp", "UDP: a DNS-like 40-byte query to port 53 and its 56-byte answer" },
	{ "ping", "ICMP echo request and reply (ping -c COUNT)" },
	{ "arp", "the first packet to an unknown neighbour: ARP request and reply, then the parked datagram" },
	{ "frag", "a 4000-byte UDP datagram fragmented at the MTU and reassembled" },
	{ "burst", "50 UDP datagrams at once into a 10 Mbit/s link: the qdisc fills and drops" },
	{ "rxdrop", "a burst into a small RX ring with interrupt moderation: the NIC drops frames" },
	{ "noport", "a UDP datagram to a port nobody listens on: NO_SOCKET and ICMP port unreachable" },
	{ "badcsum", "a TCP segment corrupted on the wire: TCP_CSUM drop and a retransmission" },
	{ "rcvbuf", "UDP datagrams into a socket whose receive buffer is full: SOCKET_RCVBUFF" },
	{ "bulk", "a TCP stream of COUNT full-size segments (the engine benchmark)" },
	{ NULL, NULL },
};

const struct pw_scenario_info *pw_scenario_find(const char *name)
{
	for (const struct pw_scenario_info *s = pw_scenarios; s->name; s++)
		if (name && !strcmp(s->name, name))
			return s;
	return NULL;
}

void pw_params_defaults(struct pw_params *p, const char *scenario)
{
	memset(p, 0, sizeof(*p));
	p->scenario = scenario;
	p->mtu = 1500;
	p->qdisc_limit = 1000; /* txqueuelen: per band in pfifo_fast */
	p->tx_ring = 256;
	p->rx_ring = 256;
	p->napi_weight = 64;
	p->link_mbps = 1000;
	p->arp = -1;
	p->seed = 1;
	if (!scenario)
		return;
	if (!strcmp(scenario, "burst")) {
		p->qdisc_limit = 10;
		p->tx_ring = 16;
		p->link_mbps = 10;
	} else if (!strcmp(scenario, "rxdrop")) {
		p->rx_ring = 8;
		p->itr_us = 100;
	} else if (!strcmp(scenario, "badcsum")) {
		p->corrupt = 4; /* the data segment: SYN, SYN-ACK, ACK, then data */
	} else if (!strcmp(scenario, "rcvbuf")) {
		p->rcvbuf = 4096;
	}
}

static int is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

int pw_params_check(const struct pw_params *p, char *err, size_t errlen)
{
	if (p->scenario && !pw_scenario_find(p->scenario)) {
		snprintf(err, errlen, "unknown scenario '%s' (see --help for the list)", p->scenario);
		return -1;
	}
	/* Larger MTUs need jumbo frames spread over several receive buffers,
	 * which the NIC model does not do. */
	if (p->mtu < 68 || p->mtu > 1500) {
		snprintf(err, errlen, "--mtu %u is out of range (68..1500)", p->mtu);
		return -1;
	}
	if (!is_pow2(p->tx_ring) || p->tx_ring < 8 || p->tx_ring > 4096) {
		snprintf(err, errlen, "--tx-ring %u must be a power of two from 8 to 4096", p->tx_ring);
		return -1;
	}
	if (!is_pow2(p->rx_ring) || p->rx_ring < 8 || p->rx_ring > 4096) {
		snprintf(err, errlen, "--rx-ring %u must be a power of two from 8 to 4096", p->rx_ring);
		return -1;
	}
	if (p->qdisc_limit < 1 || p->qdisc_limit > 65535) {
		snprintf(err, errlen, "--qdisc-limit %u is out of range (1..65535)", p->qdisc_limit);
		return -1;
	}
	if (p->napi_weight < 1 || p->napi_weight > 256) {
		snprintf(err, errlen, "--napi-budget %u is out of range (1..256)", p->napi_weight);
		return -1;
	}
	if (p->link_mbps < 1 || p->link_mbps > 100000) {
		snprintf(err, errlen, "--link-mbps %u is out of range (1..100000)", p->link_mbps);
		return -1;
	}
	if (p->payload > 65507) {
		snprintf(err, errlen, "--payload %u is larger than a UDP datagram can carry (65507)", p->payload);
		return -1;
	}
	if (p->count > 10000000) {
		snprintf(err, errlen, "--count %u is out of range (at most 10000000)", p->count);
		return -1;
	}
	if (p->itr_us > 100000) {
		snprintf(err, errlen, "--itr-us %u is out of range (at most 100000)", p->itr_us);
		return -1;
	}
	return 0;
}
