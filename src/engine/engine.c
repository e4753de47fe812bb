/* engine.c: builds the two hosts of a scenario, runs the clock, and plays
 * each host's application script. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/scenario.h"
#include "net/host.h"
#include "proto/ip4.h"

#define A_IP 0xC0000201u /* 192.0.2.1 */
#define B_IP 0xC0000202u /* 192.0.2.2 */
#define SYSCALL_GAP_NS 1000  /* between two system calls of one application */
#define WAKE_LATENCY_NS 2000 /* from wake-up to the process running */
#define PING_INTERVAL_NS 1000000000ull

#define TCP_PORT_SERVER 5001
#define TCP_PORT_CLIENT 40001
#define UDP_PORT_CLIENT 40002

static const char hello[] = "hello packet walk";

/* --- payloads ---------------------------------------------------------- */

/* A DNS query for packetwalk.example.org, type A (40 bytes), and its
 * answer 192.0.2.53 (56 bytes): real DNS so Wireshark shows it as such. */
static uint32_t dns_message(uint8_t *p, int answer)
{
	static const uint8_t qname[] = "\012packetwalk\007example\003org";
	uint32_t n = 0;

	put_be16(p + n, 0x1234); /* id */
	put_be16(p + n + 2, answer ? 0x8180 : 0x0100);
	put_be16(p + n + 4, 1);
	put_be16(p + n + 6, answer ? 1 : 0);
	put_be16(p + n + 8, 0);
	put_be16(p + n + 10, 0);
	n = 12;
	memcpy(p + n, qname, sizeof(qname)); /* includes the root label's 0 */
	n += sizeof(qname);
	put_be16(p + n, 1); /* A */
	put_be16(p + n + 2, 1); /* IN */
	n += 4;
	if (answer) {
		put_be16(p + n, 0xc00c); /* pointer to the question's name */
		put_be16(p + n + 2, 1);
		put_be16(p + n + 4, 1);
		put_be32(p + n + 6, 300);
		put_be16(p + n + 10, 4);
		put_be32(p + n + 12, 0xC0000235u);
		n += 16;
	}
	return n;
}

/* The bytes an application sends: "hello packet walk" over and over, so
 * that the hex pane shows readable text. The pattern is laid out once;
 * a send at stream offset off reads it from off modulo its period. */
#define PATTERN_PERIOD (sizeof(hello) - 1)

static const uint8_t *app_data(struct pw_world *w, uint32_t len, uint32_t off)
{
	uint32_t need = len + (uint32_t)PATTERN_PERIOD;

	if (need > w->pattern_len) {
		uint8_t *p = realloc(w->pattern, need);

		if (!p) {
			world_fail(w, "out of memory for a %u-byte payload", len);
			return NULL;
		}
		for (uint32_t i = 0; i < need; i++)
			p[i] = (uint8_t)hello[i % PATTERN_PERIOD];
		w->pattern = p;
		w->pattern_len = need;
	}
	return w->pattern + off % PATTERN_PERIOD;
}

/* --- the application -------------------------------------------------- */

static void app_block(struct pw_host *h)
{
	h->app.blocked = 1;
}

void sk_wake(struct pw_host *h, struct pw_sock *sk)
{
	struct app *a = &h->app;

	(void)sk;
	if (a->blocked && !a->wake_scheduled) {
		a->wake_scheduled = 1;
		job_schedule(h->w, h->w->now + WAKE_LATENCY_NS, JOB_APP, h->idx, 0, NULL, 0);
	}
}

static void app_next(struct pw_host *h, uint64_t delay)
{
	struct app *a = &h->app;

	a->pc++;
	a->done = 0;
	a->progress = 0;
	if (a->pc < a->n)
		job_schedule(h->w, h->w->now + delay, JOB_APP, h->idx, 0, NULL, 0);
}

static void app_again(struct pw_host *h, uint64_t delay)
{
	job_schedule(h->w, h->w->now + delay, JOB_APP, h->idx, 0, NULL, 0);
}

static uint8_t *payload_buf(struct pw_world *w, uint32_t len);

/* One datagram's bytes: a DNS query or answer, or *len bytes of the
 * pattern. *len is set to the length; NULL when memory runs out. */
static const uint8_t *app_datagram(struct pw_world *w, const struct app *a, uint32_t *len, int answer)
{
	uint8_t *buf;

	if (a->payload_kind != 1)
		return app_data(w, *len, 0);
	buf = payload_buf(w, 512);
	if (!buf)
		return NULL;
	*len = dns_message(buf, answer);
	return buf;
}

/* Runs the application's next system call, as a process on host h. */
static void app_run(struct pw_host *h)
{
	struct pw_world *w = h->w;
	struct app *a = &h->app;
	struct app_step *s;
	struct pw_host *peer = peer_of(h);

	a->blocked = 0;
	a->wake_scheduled = 0;
	if (a->pc >= a->n)
		return;
	s = &a->step[a->pc];
	h->ctx = PW_CTX_PROCESS;
	switch (s->op) {
	case APP_END:
		break;
	case APP_LISTEN:
		a->lsk = sock_create(h, SK_TCP);
		if (!a->lsk)
			return;
		a->lsk->sport = s->port;
		a->lsk->saddr = h->ip;
		a->lsk->state = TCP_LISTEN;
		emit(h, NULL, STEP(SOCKET, STATE, "inet_listen", SRC_AF_INET),
		     "The server calls listen() on port %u: the socket enters LISTEN and waits for SYNs.",
		     s->port);
		app_next(h, SYSCALL_GAP_NS);
		break;
	case APP_ACCEPT:
		if (!a->lsk->accept_pending) {
			if (!a->progress++)
				emit(h, NULL, STEP(SOCKET, CALL, "inet_csk_accept", SRC_AF_INET),
				     "accept() finds no finished connection yet: the server sleeps in "
				     "inet_csk_wait_for_connect.");
			app_block(h);
			break;
		}
		a->lsk->accept_pending--;
		for (int i = 0; i < h->nsock; i++)
			if (h->sock[i].parent == a->lsk && !h->sock[i].closed_by_app && &h->sock[i] != a->sk)
				a->sk = &h->sock[i];
		emit(h, NULL, STEP(SOCKET, CALL, "inet_csk_accept", SRC_AF_INET),
		     "accept() returns the established connection from %u.%u.%u.%u:%u.", a->sk->daddr >> 24,
		     (a->sk->daddr >> 16) & 255, (a->sk->daddr >> 8) & 255, a->sk->daddr & 255, a->sk->dport);
		app_next(h, SYSCALL_GAP_NS);
		break;
	case APP_CONNECT:
		if (!a->progress) {
			a->progress = 1;
			a->sk = sock_create(h, SK_TCP);
			if (!a->sk)
				return;
			a->sk->sport = TCP_PORT_CLIENT;
			tcp_v4_connect(h, a->sk, peer->ip, s->port);
		}
		if (a->sk->state != TCP_ESTABLISHED) {
			app_block(h);
			break;
		}
		emit(h, NULL, STEP(SOCKET, CALL, "inet_stream_connect", SRC_AF_INET),
		     "connect() returns: the handshake is complete and the socket is ESTABLISHED.");
		app_next(h, SYSCALL_GAP_NS);
		break;
	case APP_SEND:
	case APP_LOOP_SEND: {
		uint32_t total = s->op == APP_SEND ? s->len : s->len * s->count;
		uint32_t chunk = s->op == APP_SEND ? s->len : s->len;
		const uint8_t *data;
		int n;

		/* Like sk_stream_wait_memory: sleep while too much is unsent or unacknowledged. */
		if (a->sk->write_queue.len + a->sk->rtx_queue.len >= 128) {
			app_block(h);
			break;
		}
		data = app_data(w, chunk, a->progress);
		if (!data)
			return;
		n = tcp_sendmsg(h, a->sk, data, chunk);
		if (n < 0)
			return;
		a->progress += (uint32_t)n;
		if (a->progress >= total)
			app_next(h, SYSCALL_GAP_NS);
		else
			app_again(h, SYSCALL_GAP_NS);
		break;
	}
	case APP_RECV_ALL:
		if (a->sk->receive_queue.len) {
			/* recv() of 0 bytes is the end of the stream: the FIN was read. */
			if (tcp_recvmsg(h, a->sk, 65536) == 0 && a->sk->eof && !a->sk->receive_queue.len)
				app_next(h, SYSCALL_GAP_NS);
			else
				app_again(h, SYSCALL_GAP_NS);
			break;
		}
		if (a->sk->eof) {
			emit(h, NULL, STEP(SOCKET, CALL, "tcp_recvmsg", SRC_TCP),
			     "recv() returns 0: the peer has closed its side and every byte has been read.");
			app_next(h, SYSCALL_GAP_NS);
			break;
		}
		if (!a->done++)
			emit(h, NULL, STEP(SOCKET, CALL, "tcp_recvmsg", SRC_TCP),
			     "recv() finds the receive queue empty: the process sleeps in sk_wait_data until "
			     "sk_data_ready wakes it.");
		app_block(h);
		break;
	case APP_CLOSE:
		tcp_close(h, a->sk);
		app_next(h, SYSCALL_GAP_NS);
		break;
	case APP_UDP_BIND:
		a->sk = sock_create(h, SK_UDP);
		if (!a->sk)
			return;
		a->sk->sport = s->port;
		a->sk->saddr = h->ip;
		if (w->p.rcvbuf && h->idx == 1)
			a->sk->rcvbuf = w->p.rcvbuf;
		emit(h, NULL, STEP(SOCKET, CALL, "inet_bind", SRC_AF_INET),
		     "bind() gives the UDP socket port %u%s.", s->port,
		     a->sk->rcvbuf != 212992 ? " (SO_RCVBUF made small)" : "");
		app_next(h, SYSCALL_GAP_NS);
		break;
	case APP_SENDTO: {
		uint32_t len = s->len;
		const uint8_t *data = app_datagram(w, a, &len, 0);

		if (!data)
			return;
		if (udp_sendmsg(h, a->sk, peer->ip, s->port, data, len) < 0 && w->failed)
			return;
		if (++a->done >= s->count)
			app_next(h, SYSCALL_GAP_NS);
		else
			app_again(h, SYSCALL_GAP_NS);
		break;
	}
	case APP_RECVFROM:
		if (!a->sk->receive_queue.len) {
			if (!a->progress++)
				emit(h, NULL, STEP(SOCKET, CALL, "udp_recvmsg", SRC_UDP),
				     "recvfrom() finds no datagram: the process sleeps until one arrives.");
			app_block(h);
			break;
		}
		if (udp_recvmsg(h, a->sk) < 0) {
			app_again(h, SYSCALL_GAP_NS); /* that one was bad: wait for the next */
			break;
		}
		a->progress = 0;
		if (++a->done >= s->count)
			app_next(h, SYSCALL_GAP_NS);
		else
			app_again(h, SYSCALL_GAP_NS);
		break;
	case APP_ECHO_BACK: {
		uint32_t len = s->len;
		const uint8_t *data = app_datagram(w, a, &len, 1);

		if (!data)
			return;
		udp_sendmsg(h, a->sk, a->last_peer_ip, a->last_peer_port, data, len);
		app_next(h, SYSCALL_GAP_NS);
		break;
	}
	case APP_PING:
		if (!a->sk) {
			a->sk = sock_create(h, SK_RAW_ICMP);
			if (!a->sk)
				return;
			a->sk->saddr = h->ip;
			a->sk->icmp_id = 0x0f35;
		}
		if (a->progress == 0) {
			a->progress = 1;
			raw_ping_send(h, a->sk, peer->ip, (uint16_t)(a->done + 1), s->len);
		}
		if (!a->sk->receive_queue.len) {
			app_block(h);
			break;
		}
		raw_recvmsg(h, a->sk);
		a->progress = 0;
		if (++a->done >= s->count)
			app_next(h, SYSCALL_GAP_NS);
		else
			app_again(h, PING_INTERVAL_NS);
		break;
	default:
		app_next(h, SYSCALL_GAP_NS);
		break;
	}
}

/* A scratch buffer for the bytes an application passes to send(). */
static uint8_t *payload_buf(struct pw_world *w, uint32_t len)
{
	if (len > w->payload_cap) {
		uint8_t *p = realloc(w->payload, len);

		if (!p) {
			world_fail(w, "out of memory for a %u-byte payload", len);
			return NULL;
		}
		w->payload = p;
		w->payload_cap = len;
	}
	return w->payload;
}

/* --- scenarios -------------------------------------------------------- */

static void script(struct pw_host *h, enum app_op op, uint16_t port, uint32_t len, uint32_t count)
{
	struct app *a = &h->app;

	if (a->n < MAX_APP_STEPS)
		a->step[a->n++] = (struct app_step){ .op = op, .port = port, .len = len, .count = count };
}

/* Writes both applications' scripts. Returns whether the neighbour tables
 * start empty by default. */
static int scenario_scripts(struct pw_world *w)
{
	const struct pw_params *p = &w->p;
	struct pw_host *A = &w->host[0], *B = &w->host[1];
	const char *sc = p->scenario;
	uint32_t count = p->count;

	if (!strcmp(sc, "tcp") || !strcmp(sc, "badcsum") || !strcmp(sc, "bulk")) {
		uint32_t payload = p->payload ? p->payload : !strcmp(sc, "bulk") ? 1448 : sizeof(hello) - 1;

		script(B, APP_LISTEN, TCP_PORT_SERVER, 0, 1);
		script(B, APP_ACCEPT, 0, 0, 1);
		script(B, APP_RECV_ALL, 0, 0, 1);
		script(B, APP_CLOSE, 0, 0, 1);
		script(A, APP_CONNECT, TCP_PORT_SERVER, 0, 1);
		if (!strcmp(sc, "bulk"))
			script(A, APP_LOOP_SEND, 0, payload, count ? count : 1000);
		else
			script(A, APP_LOOP_SEND, 0, payload, count ? count : 1);
		script(A, APP_CLOSE, 0, 0, 1);
		return 0;
	}
	if (!strcmp(sc, "udp")) {
		script(B, APP_UDP_BIND, 53, 0, 1);
		script(B, APP_RECVFROM, 0, 0, 1);
		script(B, APP_ECHO_BACK, 0, p->payload, 1);
		script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
		script(A, APP_SENDTO, 53, p->payload, 1);
		script(A, APP_RECVFROM, 0, 0, 1);
		A->app.payload_kind = B->app.payload_kind = p->payload ? 0 : 1;
		return 0;
	}
	if (!strcmp(sc, "ping")) {
		script(A, APP_PING, 0, p->payload ? p->payload : 56, count ? count : 1);
		return 0;
	}
	if (!strcmp(sc, "arp")) {
		uint32_t len = p->payload ? p->payload : 9;

		script(B, APP_UDP_BIND, 7, 0, 1);
		script(B, APP_RECVFROM, 0, 0, 1);
		script(B, APP_ECHO_BACK, 0, len, 1);
		script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
		script(A, APP_SENDTO, 7, len, 1);
		script(A, APP_RECVFROM, 0, 0, 1);
		return 1;
	}
	if (!strcmp(sc, "frag")) {
		script(B, APP_UDP_BIND, 9000, 0, 1);
		script(B, APP_RECVFROM, 0, 0, 1);
		script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
		script(A, APP_SENDTO, 9000, p->payload ? p->payload : 4000, 1);
		return 0;
	}
	if (!strcmp(sc, "burst") || !strcmp(sc, "rxdrop") || !strcmp(sc, "rcvbuf")) {
		uint32_t n = count ? count : !strcmp(sc, "rcvbuf") ? 10 : !strcmp(sc, "rxdrop") ? 40 : 50;
		uint32_t len = p->payload ? p->payload : !strcmp(sc, "rcvbuf") ? 1000 : 100;

		script(B, APP_UDP_BIND, 9, 0, 1);
		if (strcmp(sc, "rcvbuf")) /* rcvbuf: the reader never gets round to it */
			script(B, APP_RECVFROM, 0, 0, n);
		script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
		script(A, APP_SENDTO, 9, len, n);
		return 0;
	}
	if (!strcmp(sc, "noport")) {
		script(A, APP_UDP_BIND, UDP_PORT_CLIENT, 0, 1);
		script(A, APP_SENDTO, 9999, p->payload ? p->payload : 32, 1);
		return 0;
	}
	return 0;
}

static void world_free(struct pw_world *w)
{
	for (int i = 0; i < PW_HOSTS; i++) {
		struct pw_host *h = &w->host[i];

		for (int s = 0; s < h->nsock; s++) {
			skb_queue_purge(&h->sock[s].write_queue);
			skb_queue_purge(&h->sock[s].rtx_queue);
			skb_queue_purge(&h->sock[s].receive_queue);
			skb_queue_purge(&h->sock[s].ofo_queue);
		}
		for (int n = 0; n < MAX_NEIGH; n++)
			skb_queue_purge(&h->neigh[n].arp_queue);
		for (int q = 0; q < MAX_IPQ; q++)
			skb_queue_purge(&h->ipq[q].frags);
		for (int b = 0; b < 3; b++)
			skb_queue_purge(&h->band[b]);
		skb_queue_purge(&h->napi_rx_list);
		igb_ring_free(h);
	}
	for (uint32_t j = 0; j < w->njobs; j++)
		free(w->heap[j].frame);
	free(w->heap);
	free(w->payload);
	free(w->pattern);
}

static void run_job(struct pw_world *w, const struct job *j)
{
	struct pw_host *h = &w->host[j->host];

	if (j->t > w->now)
		w->now = j->t;
	switch (j->kind) {
	case JOB_APP:
		app_run(h);
		break;
	case JOB_NIC_TX_START:
		nic_tx_start(h);
		break;
	case JOB_NIC_TX_DONE:
		nic_tx_done(h);
		break;
	case JOB_NIC_RX:
		nic_rx_frame(h, j->frame, j->len); /* takes the frame */
		break;
	case JOB_IRQ:
		igb_msix_ring(h);
		break;
	case JOB_DELACK:
	case JOB_RTO:
		tcp_timer(h, j->kind, j->arg);
		break;
	}
}

static const uint8_t default_mac[PW_HOSTS][ETH_ALEN] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };

struct pw_world *world_create(const struct pw_params *p, struct pw_timeline *tl, pw_frame_fn frame_fn,
			      void *frame_ctx, char *err, size_t errlen)
{
	static const char *const names[PW_HOSTS] = { "A", "B" };
	struct pw_world *w;

	if (pw_params_check(p, err, errlen))
		return NULL;
	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->p = *p;
	w->tl = tl;
	w->keep = pw_timeline_keeps(tl);
	w->frame_fn = frame_fn;
	w->frame_ctx = frame_ctx;
	w->rng = (uint32_t)(p->seed * 2654435761u) ^ 0x9e3779b9u;
	if (!w->rng)
		w->rng = 1;
	skb_pool_init(&w->pool);
	for (int i = 0; i < PW_HOSTS; i++) {
		struct pw_host *h = &w->host[i];

		h->w = w;
		h->idx = i;
		h->name = names[i];
		memcpy(h->mac, default_mac[i], ETH_ALEN);
		h->ip = i ? B_IP : A_IP;
		h->mtu = p->mtu;
		h->qdisc_limit = p->qdisc_limit;
		h->napi_weight = p->napi_weight;
		h->ip_id_state = world_random(w);
		h->ctx = PW_CTX_PROCESS;
		if (igb_ring_init(h, p->tx_ring, p->rx_ring)) {
			world_fail(w, "out of memory for the NIC rings");
			break;
		}
	}
	return w;
}

void world_announce(struct pw_world *w)
{
	for (int i = 0; i < PW_HOSTS && !w->failed; i++) {
		struct pw_host *h = &w->host[i];

		emit(h, NULL, STEP_Q(DRIVER, DOORBELL, NONE, RX_RING, "igb_alloc_rx_buffers", SRC_IGB),
		     "Host %s is up: igb_alloc_rx_buffers has posted %u empty 2048-byte buffers in the "
		     "%u-descriptor RX ring for the NIC to DMA into.",
		     h->name, h->rx.size - 1, h->rx.size);
	}
}

void world_run(struct pw_world *w)
{
	struct job j;

	while (!w->failed && !job_next(w, &j))
		run_job(w, &j);
}

int world_finish(struct pw_world *w, struct pw_result *res, char *err, size_t errlen)
{
	int rc = 0;

	if (w->failed) {
		snprintf(err, errlen, "%s", w->err);
		rc = -1;
	}
	w->res.events = pw_timeline_total(w->tl);
	w->res.frames = w->frames;
	w->res.end_ns = w->last_event_ns;
	world_free(w);
	w->res.live_skbs = w->pool.live;
	if (res)
		*res = w->res;
	free(w);
	return rc;
}

int pw_engine_run(const struct pw_params *p, struct pw_timeline *tl, pw_frame_fn frame_fn, void *frame_ctx,
		  struct pw_result *res, char *err, size_t errlen)
{
	struct pw_world *w;
	int empty_neigh;

	if (!pw_scenario_find(p->scenario)) {
		snprintf(err, errlen, "unknown scenario '%s' (see --help for the list)",
			 p->scenario ? p->scenario : "(none)");
		return -1;
	}
	w = world_create(p, tl, frame_fn, frame_ctx, err, errlen);
	if (!w)
		return -1;
	empty_neigh = scenario_scripts(w);
	if (p->arp >= 0)
		empty_neigh = p->arp;
	if (!empty_neigh) {
		neigh_add_permanent(&w->host[0], B_IP, default_mac[1]);
		neigh_add_permanent(&w->host[1], A_IP, default_mac[0]);
	}
	world_announce(w);
	/* The server starts first, so that it listens before the client connects. */
	for (int i = 0; i < PW_HOSTS && !w->failed; i++)
		if (w->host[i].app.n)
			job_schedule(w, w->now + (i == 1 ? 0 : 10000), JOB_APP, i, 0, NULL, 0);
	world_run(w);
	return world_finish(w, res, err, errlen);
}
