/* tcp.c: the TCP header and the option layout Linux puts on the wire. */
#include "proto/tcp.h"

#include <string.h>

#define TCPOLEN_MSS 4
#define TCPOLEN_WINDOW 3
#define TCPOLEN_SACK_PERM 2
#define TCPOLEN_TIMESTAMP 10

unsigned int tcp_options_size(const struct tcp_opts *o)
{
	unsigned int size = 0;

	if (o->mss_set)
		size += 4;
	if (o->ts_set)
		size += 12;	/* SACK_PERM rides in the two bytes NOP NOP would take */
	else if (o->sack_perm)
		size += 4;
	if (o->wscale_set)
		size += 4;
	return size;
}

unsigned int tcp_options_write(uint8_t *p, const struct tcp_opts *o)
{
	uint8_t *start = p;

	if (o->mss_set) {
		p[0] = TCPOPT_MSS;
		p[1] = TCPOLEN_MSS;
		put_be16(p + 2, o->mss);
		p += 4;
	}
	if (o->ts_set) {
		if (o->sack_perm) {
			p[0] = TCPOPT_SACK_PERM;
			p[1] = TCPOLEN_SACK_PERM;
		} else {
			p[0] = TCPOPT_NOP;
			p[1] = TCPOPT_NOP;
		}
		p[2] = TCPOPT_TIMESTAMP;
		p[3] = TCPOLEN_TIMESTAMP;
		put_be32(p + 4, o->ts_val);
		put_be32(p + 8, o->ts_ecr);
		p += 12;
	} else if (o->sack_perm) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
		p[2] = TCPOPT_SACK_PERM;
		p[3] = TCPOLEN_SACK_PERM;
		p += 4;
	}
	if (o->wscale_set) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_WINDOW;
		p[2] = TCPOLEN_WINDOW;
		p[3] = o->wscale;
		p += 4;
	}
	return (unsigned int)(p - start);
}

void tcp_build(uint8_t *p, const struct tcp_info *info)
{
	put_be16(p, info->source);
	put_be16(p + 2, info->dest);
	put_be32(p + 4, info->seq);
	put_be32(p + 8, info->ack_seq);
	p[12] = (uint8_t)(((info->doff & 0x0f) << 4) | (info->res & 0x0f));
	p[13] = info->flags;
	put_be16(p + 14, info->window);
	put_be16(p + TCP_CHECK_OFFSET, 0);
	put_be16(p + 18, info->urg_ptr);
}

/*
 * As tcp_parse_options walks them: a known kind with the wrong length is
 * skipped, a length that cannot be right (below 2, or past the header) ends
 * the walk, since nothing after it can be trusted to be an option boundary.
 */
static void tcp_parse_options(const uint8_t *p, unsigned int hlen, struct tcp_opts *o)
{
	unsigned int off = TCP_HLEN;

	while (off < hlen) {
		uint8_t kind = p[off];
		uint8_t len;

		if (kind == TCPOPT_EOL)
			return;
		if (kind == TCPOPT_NOP) {
			off++;
			continue;
		}
		if (hlen - off < 2)
			return;
		len = p[off + 1];
		if (len < 2 || len > hlen - off)
			return;
		switch (kind) {
		case TCPOPT_MSS:
			if (len == TCPOLEN_MSS) {
				o->mss_set = 1;
				o->mss = get_be16(p + off + 2);
			}
			break;
		case TCPOPT_WINDOW:
			if (len == TCPOLEN_WINDOW) {
				o->wscale_set = 1;
				o->wscale = p[off + 2];
			}
			break;
		case TCPOPT_SACK_PERM:
			if (len == TCPOLEN_SACK_PERM)
				o->sack_perm = 1;
			break;
		case TCPOPT_TIMESTAMP:
			if (len == TCPOLEN_TIMESTAMP) {
				o->ts_set = 1;
				o->ts_val = get_be32(p + off + 2);
				o->ts_ecr = get_be32(p + off + 6);
			}
			break;
		default:
			break;
		}
		off += len;
	}
}

int tcp_parse(const uint8_t *p, size_t caplen, struct tcp_info *out, struct pw_parse_err *e)
{
	unsigned int doff, hlen;

	if (caplen < TCP_HLEN)
		return pw_parse_truncated(e, "TCP", "header", TCP_HLEN, (uint32_t)caplen);
	doff = p[12] >> 4;
	if (doff < 5)
		return pw_parse_invalid(e, "TCP", "doff", doff, "must be at least 5");
	hlen = doff * 4;
	if (caplen < hlen)
		return pw_parse_truncated(e, "TCP", "doff", hlen, (uint32_t)caplen);

	out->source = get_be16(p);
	out->dest = get_be16(p + 2);
	out->seq = get_be32(p + 4);
	out->ack_seq = get_be32(p + 8);
	out->doff = (uint8_t)doff;
	out->flags = p[13];
	out->res = p[12] & 0x0f;
	out->window = get_be16(p + 14);
	out->check = get_be16(p + TCP_CHECK_OFFSET);
	out->urg_ptr = get_be16(p + 18);
	memset(&out->opts, 0, sizeof(out->opts));
	tcp_parse_options(p, hlen, &out->opts);
	if (e)
		*e = (struct pw_parse_err){ .status = PW_PARSE_OK };
	return 0;
}
