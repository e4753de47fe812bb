/* wire.c: the parse result: recording why a header could not be read, and
 * saying so in one line. */
#include "proto/wire.h"

#include <stdio.h>

static const char *or_unknown(const char *s)
{
	return s ? s : "?";
}

int pw_parse_err_format(const struct pw_parse_err *e, char *buf, size_t size)
{
	int n;

	if (!buf || size == 0)
		return 0;
	switch (e->status) {
	case PW_PARSE_OK:
		n = snprintf(buf, size, "ok");
		break;
	case PW_PARSE_TRUNCATED:
		n = snprintf(buf, size, "truncated: %s header says %u bytes, %u captured",
			     or_unknown(e->proto), e->value, e->have);
		break;
	case PW_PARSE_INVALID:
		n = snprintf(buf, size, "invalid: %s %s %u (%s)", or_unknown(e->proto),
			     or_unknown(e->field), e->value, or_unknown(e->rule));
		break;
	default:
		n = snprintf(buf, size, "unknown parse status %d", (int)e->status);
		break;
	}
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	/* Report what landed in buf, not what snprintf would have liked to write. */
	if ((size_t)n >= size)
		n = (int)(size - 1);
	return n;
}

int pw_parse_truncated(struct pw_parse_err *e, const char *proto, const char *field,
		       uint32_t needed, uint32_t have)
{
	if (e) {
		e->status = PW_PARSE_TRUNCATED;
		e->proto = proto;
		e->field = field;
		e->rule = NULL;
		e->value = needed;
		e->have = have;
	}
	return -1;
}

int pw_parse_invalid(struct pw_parse_err *e, const char *proto, const char *field,
		     uint32_t value, const char *rule)
{
	if (e) {
		e->status = PW_PARSE_INVALID;
		e->proto = proto;
		e->field = field;
		e->rule = rule;
		e->value = value;
		e->have = 0;
	}
	return -1;
}
