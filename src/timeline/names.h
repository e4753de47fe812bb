/* names.h: the names that must match the kernel's, each listed once.
 *
 * Execution contexts, layers, operations, tracepoints, drop reasons and
 * queues are X-macro lists, expanded into an enum and into a name table
 * (as include/net/dropreason-core.h's DEFINE_DROP_REASON is), so that a
 * name printed on the timeline cannot drift from the enum it comes from.
 */
#ifndef PW_TIMELINE_NAMES_H
#define PW_TIMELINE_NAMES_H

/* Where the CPU is when a step runs. The NIC and the wire are not CPU
 * contexts but have their own lane on the timeline. */
#define PW_CTX_LIST(X)                                                   \
	X(PROCESS, "process")    /* a system call of the application */   \
	X(HARDIRQ, "hardirq")    /* the NIC's interrupt handler */        \
	X(NET_TX, "softirq:NET_TX") /* net_tx_action */                    \
	X(NET_RX, "softirq:NET_RX") /* net_rx_action, NAPI polls */        \
	X(TIMER, "softirq:TIMER")   /* TCP delayed ACK, reassembly expiry */ \
	X(HARDWARE, "hardware")  /* the NIC itself: DMA, the wire */

#define PW_LAYER_LIST(X)     \
	X(APP, "app")            \
	X(SOCKET, "socket")      \
	X(TCP, "tcp")            \
	X(UDP, "udp")            \
	X(ICMP, "icmp")          \
	X(IP, "ip")              \
	X(NEIGH, "neigh")        \
	X(QDISC, "qdisc")        \
	X(DEV, "dev")            \
	X(DRIVER, "driver")      \
	X(NIC, "nic")            \
	X(WIRE, "wire")

#define PW_OP_LIST(X)                                                             \
	X(CALL, "call")           /* a function runs; no buffer change */            \
	X(ALLOC, "alloc")         /* an skb is allocated */                          \
	X(RESERVE, "reserve")     /* skb_reserve */                                  \
	X(PUT, "put")             /* skb_put */                                      \
	X(PUSH, "push")           /* skb_push */                                     \
	X(PULL, "pull")           /* skb_pull */                                     \
	X(TRIM, "trim")           /* pskb_trim_rcsum */                              \
	X(FRAG, "frag")           /* bytes into a page fragment */                   \
	X(CLONE, "clone")         /* skb_clone */                                    \
	X(HEADER, "header")       /* header bytes written, offsets set */            \
	X(CSUM, "csum")           /* a checksum computed or verified */              \
	X(ENQUEUE, "enqueue")     /* the skb enters a queue or ring */               \
	X(DEQUEUE, "dequeue")     /* the skb leaves a queue or ring */               \
	X(DOORBELL, "doorbell")   /* the driver writes the ring's tail register */   \
	X(DMA, "dma")             /* the NIC reads or writes host memory */          \
	X(WIRE, "wire")           /* a frame crosses the wire */                     \
	X(IRQ, "irq")             /* an interrupt is raised or handled */            \
	X(RAISE, "raise")         /* a softirq is raised */                          \
	X(SOFTIRQ, "softirq")     /* a softirq handler starts or ends */             \
	X(POLL, "poll")           /* a NAPI poll */                                  \
	X(STATE, "state")         /* a socket or neighbour changes state */          \
	X(COPY, "copy")           /* bytes copied to or from user space */           \
	X(WAKE, "wake")           /* a sleeping reader is woken */                   \
	X(CONSUME, "consume")     /* the skb is done with: consume_skb */            \
	X(DROP, "drop")           /* the packet is dropped */                        \
	X(FREE, "free")           /* freed without a tracepoint (__kfree_skb) */

/* Kernel tracepoints, "system:event". */
#define PW_TP_LIST(X)                                           \
	X(NONE, NULL)                                               \
	X(NET_DEV_QUEUE, "net:net_dev_queue")                       \
	X(NET_DEV_START_XMIT, "net:net_dev_start_xmit")             \
	X(NET_DEV_XMIT, "net:net_dev_xmit")                         \
	X(NETIF_RECEIVE_SKB, "net:netif_receive_skb")               \
	X(NAPI_GRO_RECEIVE_ENTRY, "net:napi_gro_receive_entry")     \
	X(NAPI_POLL, "napi:napi_poll")                              \
	X(QDISC_ENQUEUE, "qdisc:qdisc_enqueue")                     \
	X(QDISC_DEQUEUE, "qdisc:qdisc_dequeue")                     \
	X(KFREE_SKB, "skb:kfree_skb")                               \
	X(CONSUME_SKB, "skb:consume_skb")                           \
	X(SKB_COPY_DATAGRAM_IOVEC, "skb:skb_copy_datagram_iovec")   \
	X(SOCK_SEND_LENGTH, "sock:sock_send_length")                \
	X(SOCK_RECV_LENGTH, "sock:sock_recv_length")                \
	X(SK_DATA_READY, "sock:sk_data_ready")                      \
	X(SOCK_RCVQUEUE_FULL, "sock:sock_rcvqueue_full")            \
	X(INET_SOCK_SET_STATE, "sock:inet_sock_set_state")          \
	X(TCP_PROBE, "tcp:tcp_probe")                               \
	X(TCP_SEND_RESET, "tcp:tcp_send_reset")                     \
	X(TCP_BAD_CSUM, "tcp:tcp_bad_csum")                         \
	X(TCP_RETRANSMIT_SKB, "tcp:tcp_retransmit_skb")                         \
	X(UDP_FAIL_QUEUE_RCV_SKB, "udp:udp_fail_queue_rcv_skb")     \
	X(ICMP_SEND, "icmp:icmp_send")                              \
	X(NEIGH_CREATE, "neigh:neigh_create")                       \
	X(NEIGH_UPDATE, "neigh:neigh_update")                       \
	X(NEIGH_UPDATE_DONE, "neigh:neigh_update_done")             \
	X(NEIGH_EVENT_SEND_DONE, "neigh:neigh_event_send_done")     \
	X(IRQ_HANDLER_ENTRY, "irq:irq_handler_entry")               \
	X(IRQ_HANDLER_EXIT, "irq:irq_handler_exit")                 \
	X(SOFTIRQ_RAISE, "irq:softirq_raise")                       \
	X(SOFTIRQ_ENTRY, "irq:softirq_entry")                       \
	X(SOFTIRQ_EXIT, "irq:softirq_exit")

/* enum skb_drop_reason names, as the kfree_skb tracepoint prints them
 * (include/net/dropreason-core.h, without the SKB_DROP_REASON_ prefix). */
#define PW_DROP_LIST(X)           \
	X(NONE, NULL)                 \
	X(NOT_SPECIFIED, "NOT_SPECIFIED") \
	X(NO_SOCKET, "NO_SOCKET")     \
	X(PKT_TOO_SMALL, "PKT_TOO_SMALL") \
	X(TCP_CSUM, "TCP_CSUM")       \
	X(UDP_CSUM, "UDP_CSUM")       \
	X(SOCKET_RCVBUFF, "SOCKET_RCVBUFF") \
	X(PROTO_MEM, "PROTO_MEM")     \
	X(OTHERHOST, "OTHERHOST")     \
	X(IP_CSUM, "IP_CSUM")         \
	X(IP_INHDR, "IP_INHDR")       \
	X(IP_NOPROTO, "IP_NOPROTO")   \
	X(QDISC_DROP, "QDISC_DROP")   \
	X(NEIGH_QUEUEFULL, "NEIGH_QUEUEFULL") \
	X(NEIGH_FAILED, "NEIGH_FAILED") \
	X(TCP_OLD_DATA, "TCP_OLD_DATA") \
	X(TCP_OFOMERGE, "TCP_OFOMERGE") \
	X(QUEUE_PURGE, "QUEUE_PURGE") \
	X(TCP_FLAGS, "TCP_FLAGS")     \
	X(FRAG_REASM_TIMEOUT, "FRAG_REASM_TIMEOUT") \
	X(DUP_FRAG, "DUP_FRAG") \
	X(CPU_BACKLOG, "CPU_BACKLOG") \
	X(UNHANDLED_PROTO, "UNHANDLED_PROTO") \
	X(PKT_TOO_BIG, "PKT_TOO_BIG") \
	X(IP_INADDRERRORS, "IP_INADDRERRORS") \
	X(ICMP_CSUM, "ICMP_CSUM")

/* The queues and rings whose occupancy every event records, per host. */
#define PW_Q_LIST(X)                                              \
	X(SK_WRITE, "sk_write_queue")                                 \
	X(TCP_RTX, "tcp_rtx_queue")                                   \
	X(SK_RECEIVE, "sk_receive_queue")                             \
	X(TCP_OFO, "out_of_order_queue")                              \
	X(ARP_QUEUE, "arp_queue")                                     \
	X(QDISC_BAND0, "pfifo_fast band 0")                           \
	X(QDISC_BAND1, "pfifo_fast band 1")                           \
	X(QDISC_BAND2, "pfifo_fast band 2")                           \
	X(TX_RING, "tx_ring")                                         \
	X(RX_RING, "rx_ring")                                         \
	X(NAPI_RX_LIST, "napi rx_list")                               \
	X(IPFRAG, "ipq")                                              \
	X(POLL_LIST, "poll_list")

/* TCP states, numbered as include/net/tcp_states.h numbers them (NONE, 0,
 * is the model's "not a TCP socket"), named as the narration and
 * pw_occupancy.tcp_state show them. */
#define PW_TCP_STATE_LIST(X)    \
	X(NONE, "NONE")             \
	X(ESTABLISHED, "ESTABLISHED") \
	X(SYN_SENT, "SYN_SENT")     \
	X(SYN_RECV, "SYN_RECV")     \
	X(FIN_WAIT1, "FIN_WAIT1")   \
	X(FIN_WAIT2, "FIN_WAIT2")   \
	X(TIME_WAIT, "TIME_WAIT")   \
	X(CLOSE, "CLOSE")           \
	X(CLOSE_WAIT, "CLOSE_WAIT") \
	X(LAST_ACK, "LAST_ACK")     \
	X(LISTEN, "LISTEN")         \
	X(CLOSING, "CLOSING")

#define PW_ENUM_ENTRY(id, name) id,
#define PW_CTX_ENUM(id, name) PW_CTX_##id,
#define PW_LAYER_ENUM(id, name) PW_LAYER_##id,
#define PW_OP_ENUM(id, name) PW_OP_##id,
#define PW_TP_ENUM(id, name) PW_TP_##id,
#define PW_DROP_ENUM(id, name) PW_DROP_##id,
#define PW_Q_ENUM(id, name) PW_Q_##id,
#define PW_TCP_ENUM(id, name) PW_TCP_##id,

enum pw_ctx { PW_CTX_LIST(PW_CTX_ENUM) PW_CTX_COUNT };
enum pw_layer { PW_LAYER_LIST(PW_LAYER_ENUM) PW_LAYER_COUNT };
enum pw_op { PW_OP_LIST(PW_OP_ENUM) PW_OP_COUNT };
enum pw_tp { PW_TP_LIST(PW_TP_ENUM) PW_TP_COUNT };
enum pw_drop { PW_DROP_LIST(PW_DROP_ENUM) PW_DROP_COUNT };
enum pw_queue { PW_Q_LIST(PW_Q_ENUM) PW_Q_COUNT };
enum pw_tcp_state { PW_TCP_STATE_LIST(PW_TCP_ENUM) PW_TCP_STATE_COUNT };

extern const char *const pw_ctx_names[PW_CTX_COUNT];
extern const char *const pw_layer_names[PW_LAYER_COUNT];
extern const char *const pw_op_names[PW_OP_COUNT];
extern const char *const pw_tp_names[PW_TP_COUNT];   /* [PW_TP_NONE] is NULL */
extern const char *const pw_drop_names[PW_DROP_COUNT]; /* [PW_DROP_NONE] is NULL */
extern const char *const pw_queue_names[PW_Q_COUNT];
extern const char *const pw_tcp_state_names[PW_TCP_STATE_COUNT];

#endif
