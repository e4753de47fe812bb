/* app.c: the application model: each host's script of system calls, run
 * as a process, one small function per call (see world.h). */
#include <stdlib.h>
#include <string.h>

#include "engine/world.h"
#include "net/icmp.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "proto/wire.h"

#define SYSCALL_GAP_NS 1000  /* between two system calls of one application */
#define WAKE_LATENCY_NS 2000 /* from wake-up to the process running */
#define PING_INTERVAL_NS 1000000000ull
#define TCP_PORT_CLIENT 40001
#define SEND_QUEUE_MAX 128   /* skbs unsent or unacknowledged before send() sleeps */

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
			sim_fail(&w->sim, "out of memory for a %u-byte payload", len);
			return NULL;
		}
		for (uint32_t i = 0; i < need; i++)
			p[i] = (uint8_t)hello[i % PATTERN_PERIOD];
		w->pattern = p;
		w->pattern_len = need;
	}
	return w->pattern + off % PATTERN_PERIOD;
}

/* A scratch buffer for the bytes an application passes to send(). */
static uint8_t *payload_buf(struct pw_world *w, uint32_t len)
{
	if (len > w->payload_cap) {
		uint8_t *p = realloc(w->payload, len);

		if (!p) {
			sim_fail(&w->sim, "out of memory for a %u-byte payload", len);
			return NULL;
		}
		w->payload = p;
		w->payload_cap = len;
	}
	return w->payload;
}

/* One datagram's bytes: a DNS query or answer, or *len bytes of the
 * pattern. *len is set to the length; NULL when memory runs out. */
static const uint8_t *app_datagram(struct app *a, uint32_t *len, int answer)
{
	uint8_t *buf;

	if (a->payload_kind != 1)
		return app_data(a->w, *len, 0);
	buf = payload_buf(a->w, 512);
	if (!buf)
		return NULL;
	*len = dns_message(buf, answer);
	return buf;
}

/* --- scheduling the process --------------------------------------------- */

static void app_run(void *arg);

static void app_block(struct app *a)
{
	a->blocked = 1;
}

void app_wake(struct app *a)
{
	if (a->blocked && !a->wake_scheduled) {
		a->wake_scheduled = 1;
		sim_timer_add(&a->w->sim, sim_now(&a->w->sim) + WAKE_LATENCY_NS, app_run, a);
	}
}

/* The step is done: the next one runs after delay. */
static void app_next(struct app *a, uint64_t delay)
{
	a->pc++;
	a->done = 0;
	a->progress = 0;
	if (a->pc < a->n)
		sim_timer_add(&a->w->sim, sim_now(&a->w->sim) + delay, app_run, a);
}

/* The step goes on after delay. */
static void app_again(struct app *a, uint64_t delay)
{
	sim_timer_add(&a->w->sim, sim_now(&a->w->sim) + delay, app_run, a);
}

/* One more repetition of the step is done: the next, or the next step. */
static void app_repeat(struct app *a, const struct app_step *s, uint64_t delay)
{
	if (++a->done >= s->count)
		app_next(a, SYSCALL_GAP_NS);
	else
		app_again(a, delay);
}

/* --- the system calls ----------------------------------------------------- */

static void app_listen(struct app *a, const struct app_step *s)
{
	struct pw_host *h = a->h;

	a->lsk = sock_create(h, SK_TCP);
	if (!a->lsk)
		return;
	a->lsk->sport = s->port;
	a->lsk->saddr = h->ip;
	a->lsk->state = TCP_LISTEN;
	emit(h, NULL, STEP(SOCKET, STATE, "inet_listen", SRC_AF_INET),
	     "The server calls listen() on port %u: the socket enters LISTEN and waits for SYNs.", s->port);
	app_next(a, SYSCALL_GAP_NS);
}

static void app_accept(struct app *a, const struct app_step *s)
{
	struct pw_host *h = a->h;
	struct pw_sock *sk;

	(void)s;
	if (!a->lsk->accept_pending) {
		if (!a->progress++)
			emit(h, NULL, STEP(SOCKET, CALL, "inet_csk_accept", SRC_AF_INET),
			     "accept() finds no finished connection yet: the server sleeps in "
			     "inet_csk_wait_for_connect.");
		app_block(a);
		return;
	}
	a->lsk->accept_pending--;
	for (int i = 0; i < h->nsock; i++)
		if (h->sock[i].parent == a->lsk && !h->sock[i].closed_by_app && &h->sock[i] != h->app_sk)
			h->app_sk = &h->sock[i];
	sk = h->app_sk;
	emit(h, NULL, STEP(SOCKET, CALL, "inet_csk_accept", SRC_AF_INET),
	     "accept() returns the established connection from %u.%u.%u.%u:%u.", sk->daddr >> 24,
	     (sk->daddr >> 16) & 255, (sk->daddr >> 8) & 255, sk->daddr & 255, sk->dport);
	app_next(a, SYSCALL_GAP_NS);
}

static void app_connect(struct app *a, const struct app_step *s)
{
	struct pw_host *h = a->h;

	if (!a->progress) {
		a->progress = 1;
		h->app_sk = sock_create(h, SK_TCP);
		if (!h->app_sk)
			return;
		h->app_sk->sport = TCP_PORT_CLIENT;
		tcp_v4_connect(h, h->app_sk, peer_of(h)->ip, s->port);
	}
	if (h->app_sk->state != TCP_ESTABLISHED) {
		app_block(a);
		return;
	}
	emit(h, NULL, STEP(SOCKET, CALL, "inet_stream_connect", SRC_AF_INET),
	     "connect() returns: the handshake is complete and the socket is ESTABLISHED.");
	app_next(a, SYSCALL_GAP_NS);
}

static void app_send(struct app *a, const struct app_step *s)
{
	struct pw_sock *sk = a->h->app_sk;
	uint32_t total = s->len * s->count;
	const uint8_t *data;
	int n;

	/* Like sk_stream_wait_memory: sleep while too much is unsent or unacknowledged. */
	if (sk->write_queue.len + sk->rtx_queue.len >= SEND_QUEUE_MAX) {
		app_block(a);
		return;
	}
	data = app_data(a->w, s->len, a->progress);
	if (!data)
		return;
	n = tcp_sendmsg(a->h, sk, data, s->len);
	if (n < 0)
		return;
	a->progress += (uint32_t)n;
	if (a->progress >= total)
		app_next(a, SYSCALL_GAP_NS);
	else
		app_again(a, SYSCALL_GAP_NS);
}

static void app_recv_all(struct app *a, const struct app_step *s)
{
	struct pw_host *h = a->h;
	struct pw_sock *sk = h->app_sk;

	(void)s;
	if (sk->receive_queue.len) {
		/* recv() of 0 bytes is the end of the stream: the FIN was read. */
		if (tcp_recvmsg(h, sk, 65536) == 0 && sk->eof && !sk->receive_queue.len)
			app_next(a, SYSCALL_GAP_NS);
		else
			app_again(a, SYSCALL_GAP_NS);
		return;
	}
	if (sk->eof) {
		emit(h, NULL, STEP(SOCKET, CALL, "tcp_recvmsg", SRC_TCP),
		     "recv() returns 0: the peer has closed its side and every byte has been read.");
		app_next(a, SYSCALL_GAP_NS);
		return;
	}
	if (!a->done++)
		emit(h, NULL, STEP(SOCKET, CALL, "tcp_recvmsg", SRC_TCP),
		     "recv() finds the receive queue empty: the process sleeps in sk_wait_data until "
		     "sk_data_ready wakes it.");
	app_block(a);
}

static void app_close(struct app *a, const struct app_step *s)
{
	(void)s;
	tcp_close(a->h, a->h->app_sk);
	app_next(a, SYSCALL_GAP_NS);
}

static void app_udp_bind(struct app *a, const struct app_step *s)
{
	struct pw_host *h = a->h;
	struct pw_sock *sk = sock_create(h, SK_UDP);

	h->app_sk = sk;
	if (!sk)
		return;
	sk->sport = s->port;
	sk->saddr = h->ip;
	if (a->w->p.rcvbuf && h->idx == 1)
		sk->rcvbuf = a->w->p.rcvbuf;
	emit(h, NULL, STEP(SOCKET, CALL, "inet_bind", SRC_AF_INET), "bind() gives the UDP socket port %u%s.",
	     s->port, sk->rcvbuf != 212992 ? " (SO_RCVBUF made small)" : "");
	app_next(a, SYSCALL_GAP_NS);
}

static void app_sendto(struct app *a, const struct app_step *s)
{
	uint32_t len = s->len;
	const uint8_t *data = app_datagram(a, &len, 0);

	if (!data)
		return;
	if (udp_sendmsg(a->h, a->h->app_sk, peer_of(a->h)->ip, s->port, data, len) == PW_ERR_BROKEN)
		return;
	app_repeat(a, s, SYSCALL_GAP_NS);
}

static void app_recvfrom(struct app *a, const struct app_step *s)
{
	struct pw_host *h = a->h;

	if (!h->app_sk->receive_queue.len) {
		if (!a->progress++)
			emit(h, NULL, STEP(SOCKET, CALL, "udp_recvmsg", SRC_UDP),
			     "recvfrom() finds no datagram: the process sleeps until one arrives.");
		app_block(a);
		return;
	}
	if (udp_recvmsg(h, h->app_sk, &a->last_peer_ip, &a->last_peer_port) < 0) {
		app_again(a, SYSCALL_GAP_NS); /* that one was bad: wait for the next */
		return;
	}
	a->progress = 0;
	app_repeat(a, s, SYSCALL_GAP_NS);
}

static void app_echo_back(struct app *a, const struct app_step *s)
{
	uint32_t len = s->len;
	const uint8_t *data = app_datagram(a, &len, 1);

	if (!data)
		return;
	udp_sendmsg(a->h, a->h->app_sk, a->last_peer_ip, a->last_peer_port, data, len);
	app_next(a, SYSCALL_GAP_NS);
}

static void app_ping(struct app *a, const struct app_step *s)
{
	struct pw_host *h = a->h;

	if (!h->app_sk) {
		h->app_sk = sock_create(h, SK_RAW_ICMP);
		if (!h->app_sk)
			return;
		h->app_sk->saddr = h->ip;
		h->app_sk->icmp_id = 0x0f35;
	}
	if (a->progress == 0) {
		a->progress = 1;
		raw_ping_send(h, h->app_sk, peer_of(h)->ip, (uint16_t)(a->done + 1), s->len);
	}
	if (!h->app_sk->receive_queue.len) {
		app_block(a);
		return;
	}
	raw_recvmsg(h, h->app_sk);
	a->progress = 0;
	app_repeat(a, s, PING_INTERVAL_NS);
}

static void (*const app_ops[APP_OP_COUNT])(struct app *a, const struct app_step *s) = {
	[APP_LISTEN] = app_listen,     [APP_ACCEPT] = app_accept,     [APP_CONNECT] = app_connect,
	[APP_SEND] = app_send,         [APP_RECV_ALL] = app_recv_all, [APP_CLOSE] = app_close,
	[APP_UDP_BIND] = app_udp_bind, [APP_SENDTO] = app_sendto,     [APP_RECVFROM] = app_recvfrom,
	[APP_ECHO_BACK] = app_echo_back, [APP_PING] = app_ping,
};

/* The process runs its current step (a timer on the struct app). */
static void app_run(void *arg)
{
	struct app *a = arg;

	a->blocked = 0;
	a->wake_scheduled = 0;
	if (a->pc >= a->n)
		return;
	a->h->ctx = PW_CTX_PROCESS;
	app_ops[a->step[a->pc].op](a, &a->step[a->pc]);
}

void app_init(struct app *a, struct pw_world *w, struct pw_host *h)
{
	memset(a, 0, sizeof(*a));
	a->w = w;
	a->h = h;
}

void app_script(struct app *a, enum app_op op, uint16_t port, uint32_t len, uint32_t count)
{
	if (a->n < MAX_APP_STEPS)
		a->step[a->n++] = (struct app_step){ .op = op, .port = port, .len = len, .count = count };
}

void app_start(struct app *a, uint64_t delay)
{
	if (a->n)
		sim_timer_add(&a->w->sim, sim_now(&a->w->sim) + delay, app_run, a);
}
