/* tcp.h: TCP over IPv4 in the model, split as the kernel splits it:
 *   tcp.c        system calls (tcp_sendmsg, tcp_recvmsg, tcp_close),
 *                skb allocation, state changes;
 *   tcp_ipv4.c   the IPv4 glue (tcp_v4_connect, tcp_v4_rcv, resets, the
 *                SYN-ACK, tcp_v4_send_check);
 *   tcp_input.c  what a segment does to a socket (tcp_rcv_state_process);
 *   tcp_output.c building and sending segments;
 *   tcp_timer.c  the delayed-ACK and retransmission timers.
 *
 * Not modelled: SACK blocks, congestion control (the sender is limited by
 * the peer's window only), urgent data.
 */
#ifndef PW_NET_TCP_H
#define PW_NET_TCP_H

#include <stdint.h>

#include "net/sock.h"
#include "proto/tcp.h"
#include "skb/skb.h"
#include "timeline/names.h"

struct pw_host;

/* TCP states, numbered as include/net/tcp_states.h numbers them; their
 * names are pw_tcp_state_names (timeline/names.h). */
#define TCP_STATE_ENUM(id, name) TCP_##id,
enum tcp_state { PW_TCP_STATE_LIST(TCP_STATE_ENUM) };

/* MAX_TCP_HEADER: the headroom TCP reserves for all headers. */
#define MAX_TCP_HEADER 320u

/* TCP_SKB_CB: a segment's sequence range and flags live in the skb's
 * control block while TCP has it queued (cb[] belongs to the queue's
 * holder). */
#define CB_SEQ 0
#define CB_END_SEQ 1
#define CB_FLAGS 2

/* --- tcp.c ----------------------------------------------------------------- */

/*
 * tcp_sendmsg - send(): copy len bytes of data into skbs on sk's write
 * queue, MSS by MSS, and push what the peer's window lets go. data stays
 * the caller's. Returns the bytes taken (0 on a socket that cannot send),
 * or PW_ERR_BROKEN.
 */
int tcp_sendmsg(struct pw_host *h, struct pw_sock *sk, const uint8_t *data, uint32_t len);
/* recv(): copies whole skbs of up to max bytes from the receive queue and
 * frees them; a queued FIN is eaten. Returns the bytes copied (0 at the
 * end of the stream or with nothing queued). */
int tcp_recvmsg(struct pw_host *h, struct pw_sock *sk, uint32_t max);
/* close(): queues a FIN after any unsent data and sends what it can. */
void tcp_close(struct pw_host *h, struct pw_sock *sk);
/* Moves sk to state and records it (sock:inet_sock_set_state). */
void tcp_set_state(struct pw_host *h, struct pw_sock *sk, int state);
/* alloc_skb_fclone(MAX_TCP_HEADER) and skb_reserve, as tcp_stream_alloc_skb
 * and the control-packet senders (named by func) do. The caller owns the
 * skb; NULL when memory runs out (the simulation fails). */
struct sk_buff *tcp_stream_alloc_skb(struct pw_host *h, const char *func);

/* --- tcp_ipv4.c ------------------------------------------------------------ */

/* connect(): picks the initial sequence number and sends the SYN.
 * Returns 0, or < 0 if the SYN could not go. */
int tcp_v4_connect(struct pw_host *h, struct pw_sock *sk, uint32_t daddr, uint16_t dport);
/*
 * tcp_v4_rcv - a TCP segment from IP (data at the TCP header)
 *
 * Checks the header and the checksum, finds the socket (or answers with a
 * RST) and hands the segment to tcp_rcv_state_process. Consumes skb:
 * queued, freed or dropped with its reason.
 */
void tcp_v4_rcv(struct pw_host *h, struct sk_buff *skb);
/* The SYN-ACK for a new connection in SYN_RECV (sent from the socket here,
 * from a request sock in Linux). Returns 0, or < 0 if it could not go. */
int tcp_v4_send_synack(struct pw_host *h, struct pw_sock *sk);
/* tcp_v4_send_check: the pseudo-header sum in the checksum field of skb's
 * TCP header (at transport_header), CHECKSUM_PARTIAL for the NIC to finish. */
void tcp_v4_send_check(struct pw_host *h, const struct pw_sock *sk, struct sk_buff *skb);

/* --- tcp_input.c ----------------------------------------------------------- */

/* What the segment th (data at its TCP header, checksum checked) does to
 * sk: the handshake's steps, then ACK, data and FIN. saddr is its source
 * address. Consumes skb. */
void tcp_rcv_state_process(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb, const struct tcp_info *th,
			   uint32_t saddr);

/* --- tcp_output.c ---------------------------------------------------------- */

/* tcp_connect: sends the SYN and keeps it for retransmission. */
int tcp_connect(struct pw_host *h, struct pw_sock *sk);
/* tcp_make_synack: builds and sends the SYN-ACK (not kept). */
int tcp_make_synack(struct pw_host *h, struct pw_sock *sk);
/* __tcp_send_ack: a pure ACK of what has arrived, unless the host must stay quiet. */
void tcp_send_ack(struct pw_host *h, struct pw_sock *sk);
/* __tcp_push_pending_frames: send what the window allows, then a queued FIN. */
void tcp_push_pending(struct pw_host *h, struct pw_sock *sk);
/* tcp_retransmit_skb: a clone of skb (kept on the retransmit queue) goes
 * out again. Returns what the send returned. */
int tcp_retransmit_skb(struct pw_host *h, struct pw_sock *sk, struct sk_buff *skb);
/* Replay: one captured segment of len payload bytes (copied) through
 * __tcp_transmit_skb, its header fields from the host's header override. */
int tcp_replay_xmit(struct pw_host *h, struct pw_sock *sk, const uint8_t *payload, uint32_t len);
/* Window scale from the largest receive buffer (tcp_select_initial_window). */
uint8_t tcp_wscale_default(void);
/* The timestamp clock of sk (TSval): ms with a per-connection offset. */
uint32_t tcp_time_stamp(struct pw_host *h, const struct pw_sock *sk);

/* --- tcp_timer.c ----------------------------------------------------------- */

/* (Re)starts sk's retransmission timer (TCP_RTO_MIN from now). */
void tcp_arm_rto(struct pw_host *h, struct pw_sock *sk);
/* The delayed-ACK timer's function (a sim_timer_fn on the struct
 * pw_sock), for whoever arms it: sends the ACK if it is still wanted and
 * due, else sleeps again until the deadline. */
void tcp_delack_timer(void *sk);

#endif
