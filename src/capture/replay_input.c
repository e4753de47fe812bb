/* replay_input.c: feeding captured frames to the engine's replay. */
#include <stdio.h>
#include <string.h>

#include "capture/replay_input.h"
#include "proto/dissect.h"

/* Link layers that carry no Ethernet header (cooked, raw IP, loopback) get
 * one made up from what the capture says: the cooked header's source
 * address when it has one, else the model's own addresses. */
static int rewrap(struct replay_input *in, const struct pw_frame *fr, struct pw_replay_frame *f)
{
	static const uint8_t mac_a[ETH_ALEN] = { 2, 0, 0, 0, 0, 1 }, mac_b[ETH_ALEN] = { 2, 0, 0, 0, 0, 2 };
	struct pw_dissection d;
	uint32_t n;

	pw_dissect(fr->linktype, fr->data, fr->caplen, fr->len, &d);
	if (!(d.have & (PW_HAVE_IP | PW_HAVE_ARP)) || d.l3_off > fr->caplen) {
		snprintf(in->skip, sizeof(in->skip), "%s", d.unwalkable ? d.unwalkable : d.note[0] ? d.note : "nothing the model walks");
		f->skip = in->skip;
		return 0;
	}
	n = fr->caplen - d.l3_off;
	/* The capture's snapshot length may pass any datagram's size (a
	 * 262144-byte snaplen holds a legal 70,000-byte frame): the copy is
	 * sized by the buffer, never by the record. */
	if (n > sizeof(in->buf) - ETH_HLEN) {
		snprintf(in->skip, sizeof(in->skip),
			 "frame %u holds %u bytes after its link header, more than the %zu the model takes "
			 "(an IPv4 datagram is at most 65535 bytes)",
			 fr->number, n, sizeof(in->buf) - ETH_HLEN);
		f->skip = in->skip;
		return 0;
	}
	eth_build(in->buf, mac_b, mac_a, d.ethertype);
	if (fr->linktype == PW_LINKTYPE_LINUX_SLL && fr->caplen >= 14 && get_be16(fr->data + 4) == ETH_ALEN)
		memcpy(in->buf + 6, fr->data + 6, ETH_ALEN);
	memcpy(in->buf + ETH_HLEN, fr->data + d.l3_off, n);
	f->bytes = in->buf;
	f->caplen = n + ETH_HLEN;
	f->len = fr->len - d.l3_off + ETH_HLEN;
	return 0;
}

int replay_input_next(void *ctx, struct pw_replay_frame *f, char *err, size_t errlen)
{
	struct replay_input *in = ctx;
	struct pw_frame fr;
	int rc;

	if (in->done)
		return 0;
	if (in->only) {
		in->done = 1;
		rc = pw_capture_frame(in->cap, in->only, &fr, err, errlen);
		if (rc == 0)
			snprintf(err, errlen, "--frame %u: the capture has only %u frames", in->only,
				 pw_capture_indexed(in->cap));
		if (rc <= 0)
			return -1;
		if (!pw_capture_matches(in->cap, &fr)) {
			snprintf(err, errlen, "--frame %u: that frame does not match the filter", in->only);
			return -1;
		}
	} else {
		rc = pw_capture_next(in->cap, &fr, err, errlen);
		if (rc <= 0)
			return rc;
	}
	memset(f, 0, sizeof(*f));
	f->number = fr.number;
	f->ts_ns = fr.ts_ns;
	f->bytes = fr.data;
	f->caplen = fr.caplen;
	f->len = fr.len;
	if (fr.linktype != PW_LINKTYPE_ETHERNET)
		rewrap(in, &fr, f);
	return 1;
}
