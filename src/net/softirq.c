/* softirq.c: raising and running softirqs (kernel/softirq.c; see
 * netdevice.h). Only NET_TX and NET_RX are modelled. */
#include "net/host.h"
#include "net/netdevice.h"

static const char *const softirq_vec_names[] = { "HI", "TIMER", "NET_TX", "NET_RX" };

void raise_softirq(struct pw_host *h, int vec)
{
	h->softirq_pending |= 1u << vec;
	emit(h, NULL, STEP_TP(DEV, RAISE, SOFTIRQ_RAISE, "raise_softirq_irqoff", SRC_SOFTIRQ),
	     "softirq_raise vec=%d [%s]: the %s softirq is marked pending; it runs when this context "
	     "ends (irq_exit or local_bh_enable).",
	     vec, softirq_vec_names[vec], softirq_vec_names[vec]);
}

/* handle_softirqs: lowest vector first, until nothing is pending. */
void do_softirq(struct pw_host *h)
{
	enum pw_ctx prev = h->ctx;

	if (h->in_softirq)
		return;
	h->in_softirq = 1;
	while (h->softirq_pending & ((1u << NET_TX_SOFTIRQ) | (1u << NET_RX_SOFTIRQ))) {
		int vec = (h->softirq_pending & (1u << NET_TX_SOFTIRQ)) ? NET_TX_SOFTIRQ : NET_RX_SOFTIRQ;

		h->softirq_pending &= ~(1u << vec);
		h->ctx = vec == NET_TX_SOFTIRQ ? PW_CTX_NET_TX : PW_CTX_NET_RX;
		emit(h, NULL, STEP_TP(DEV, SOFTIRQ, SOFTIRQ_ENTRY, "handle_softirqs", SRC_SOFTIRQ),
		     "softirq_entry vec=%d [%s]: the kernel runs the pending %s softirq.", vec,
		     softirq_vec_names[vec], softirq_vec_names[vec]);
		if (vec == NET_TX_SOFTIRQ)
			net_tx_action(h);
		else
			net_rx_action(h);
		emit(h, NULL, STEP_TP(DEV, SOFTIRQ, SOFTIRQ_EXIT, "handle_softirqs", SRC_SOFTIRQ),
		     "softirq_exit vec=%d [%s].", vec, softirq_vec_names[vec]);
	}
	h->in_softirq = 0;
	h->ctx = prev;
}
