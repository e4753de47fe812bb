/* scenario.c: the built-in scenarios, one table row each: name, summary,
 * defaults, script (see engine.h). */
#include <stdio.h>
#include <string.h>

#include "engine/scenario.h"
#include "engine/world.h"

#define TCP_PORT_SERVER 5001
#define UDP_PORT_CLIENT 40002

/* --- the scripts ----------------------------------------------------------- */

/* B listens and reads until A's FIN; A connects, sends count times len
 * bytes, and closes. */
static void tcp_stream(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	app_script(B, APP_LISTEN, TCP_PORT_SERVER, 0, 1);
	app_script(B, APP_ACCEPT, 0, 0, 1);
	app_script(B, APP_RECV_ALL, 0, 0, 1);
	app_script(B, APP_CLOSE, 0, 0, 1);
	app_script(A, APP_CONNECT, TCP_PORT_SERVER, 0, 1);
	app_script(A, APP_SEND, 0, len, count);
	app_script(A, APP_CLOSE, 0, 0, 1);
}

/* A datagram from A to B's port and the answer back. */
static void udp_echo(struct app *A, struct app *B, uint16_t port, uint32_t len)
{
	app_script(B, APP_UDP_BIND, port, 0, 1);
	app_script(B, APP_RECVFROM, 0, 0, 1);
	app_script(B, APP_ECHO_BACK, 0, len, 1);
	app_script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
	app_script(A, APP_SENDTO, port, len, 1);
	app_script(A, APP_RECVFROM, 0, 0, 1);
}

/* A DNS query to port 53 and its answer; with a payload, that many bytes
 * of the pattern each way instead. */
static void dns_query(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	(void)count;
	udp_echo(A, B, 53, len);
	A->payload_kind = B->payload_kind = len ? 0 : 1;
}

/* The echo service (port 7): the ARP scenario's first packet. */
static void echo(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	(void)count;
	udp_echo(A, B, 7, len);
}

static void ping(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	(void)B;
	app_script(A, APP_PING, 0, len, count);
}

/* One datagram too big for the MTU, to port 9000. */
static void one_datagram(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	(void)count;
	app_script(B, APP_UDP_BIND, 9000, 0, 1);
	app_script(B, APP_RECVFROM, 0, 0, 1);
	app_script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
	app_script(A, APP_SENDTO, 9000, len, 1);
}

/* count datagrams at once to the discard port, B reading them all. */
static void udp_flood(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	app_script(B, APP_UDP_BIND, 9, 0, 1);
	app_script(B, APP_RECVFROM, 0, 0, count);
	app_script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
	app_script(A, APP_SENDTO, 9, len, count);
}

/* The same, but B's reader never gets round to reading. */
static void udp_flood_unread(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	app_script(B, APP_UDP_BIND, 9, 0, 1);
	app_script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
	app_script(A, APP_SENDTO, 9, len, count);
}

/* A datagram to a port nobody listens on. */
static void no_listener(struct app *A, struct app *B, uint32_t len, uint32_t count)
{
	(void)B;
	(void)count;
	app_script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
	app_script(A, APP_SENDTO, 9999, len, 1);
}

/* --- the table ------------------------------------------------------------- */

const struct pw_scenario_info pw_scenarios[] = {
	{ "tcp", "TCP: three-way handshake, one send() of the payload, FIN teardown",
	  .payload = 17 /* "hello packet walk" */, .count = 1, .script = tcp_stream },
	{ "udp", "UDP: a DNS-like 40-byte query to port 53 and its 56-byte answer",
	  .payload = 0 /* DNS */, .count = 1, .script = dns_query },
	{ "ping", "ICMP echo request and reply (ping -c COUNT)", .payload = 56, .count = 1, .script = ping },
	{ "arp", "the first packet to an unknown neighbour: ARP request and reply, then the parked datagram",
	  .payload = 9, .count = 1, .empty_neigh = 1, .script = echo },
	{ "frag", "a 4000-byte UDP datagram fragmented at the MTU and reassembled",
	  .payload = 4000, .count = 1, .script = one_datagram },
	{ "burst", "50 UDP datagrams at once into a 10 Mbit/s link: the qdisc fills and drops",
	  .payload = 100, .count = 50, .tune = { .qdisc_limit = 10, .tx_ring = 16, .link_mbps = 10 },
	  .script = udp_flood },
	{ "rxdrop", "a burst into a small RX ring with interrupt moderation: the NIC drops frames",
	  .payload = 100, .count = 40, .tune = { .rx_ring = 8, .itr_us = 100 }, .script = udp_flood },
	{ "noport", "a UDP datagram to a port nobody listens on: NO_SOCKET and ICMP port unreachable",
	  .payload = 32, .count = 1, .script = no_listener },
	{ "badcsum", "a TCP segment corrupted on the wire: TCP_CSUM drop and a retransmission",
	  .payload = 17, .count = 1, .tune = { .corrupt = 4 /* SYN, SYN-ACK, ACK, then the data */ },
	  .script = tcp_stream },
	{ "rcvbuf", "UDP datagrams into a socket whose receive buffer is full: SOCKET_RCVBUFF",
	  .payload = 1000, .count = 10, .tune = { .rcvbuf = 4096 }, .script = udp_flood_unread },
	{ "bulk", "a TCP stream of COUNT full-size segments (the engine benchmark)",
	  .payload = 1448, .count = 1000, .script = tcp_stream },
	{ .name = NULL },
};

const struct pw_scenario_info *pw_scenario_find(const char *name)
{
	for (const struct pw_scenario_info *s = pw_scenarios; s->name; s++)
		if (name && !strcmp(s->name, name))
			return s;
	return NULL;
}

/* A non-zero field of the scenario's tune replaces the general default. */
#define TUNE(field)                  \
	do {                         \
		if (s->tune.field)   \
			p->field = s->tune.field; \
	} while (0)

void pw_params_defaults(struct pw_params *p, const char *scenario)
{
	const struct pw_scenario_info *s = pw_scenario_find(scenario);

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
	if (!s)
		return;
	TUNE(mtu);
	TUNE(qdisc_limit);
	TUNE(tx_ring);
	TUNE(rx_ring);
	TUNE(napi_weight);
	TUNE(link_mbps);
	TUNE(rcvbuf);
	TUNE(itr_us);
	TUNE(corrupt);
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
