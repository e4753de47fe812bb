/* err.h: what the stack's calls report when they do not simply succeed.
 *
 * Two outcomes are kept apart. A drop is the model working as Linux does:
 * the packet is gone, kfree_skb_reason has recorded why, and the run goes
 * on. A broken simulation (out of memory, a table of the model full, an
 * engine limit) is the model failing: sim_fail has said why, and the run
 * stops after the current step. Both are negative, so a caller that only
 * needs "it did not go" tests < 0; a caller that must tell them apart
 * compares with the names.
 *
 * Calls on the transmit path also return the kernel's positive codes
 * (NET_XMIT_DROP from a qdisc: netdevice.h).
 */
#ifndef PW_NET_ERR_H
#define PW_NET_ERR_H

enum pw_err {
	PW_OK = 0,
	PW_ERR_DROP = -1,   /* dropped, with a reason on the timeline */
	PW_ERR_BROKEN = -2, /* the simulation broke: sim_failed() is true */
};

#endif
