/* timeline.c: storage for the event timeline (see timeline.h). */
#include "timeline/timeline.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_CHUNK (64 * 1024)

struct text_chunk {
	struct text_chunk *next;
	size_t used;
	char bytes[TEXT_CHUNK];
};

struct pw_timeline {
	int keep;
	uint64_t total;
	uint64_t base; /* events stored and then dropped by pw_timeline_reset */
	struct pw_event *ev;
	size_t n, cap;
	uint8_t *bytes; /* every stored skb byte image, back to back */
	size_t bytes_n, bytes_cap;
	struct pw_occupancy *occ; /* PW_HOSTS per snapshot */
	size_t occ_n, occ_cap;
	struct text_chunk *text; /* newest first; chunks never move, so event text pointers stay valid */
	size_t text_total;
};

struct pw_timeline *pw_timeline_create(int keep)
{
	struct pw_timeline *tl = calloc(1, sizeof(*tl));

	if (tl)
		tl->keep = keep;
	return tl;
}

void pw_timeline_destroy(struct pw_timeline *tl)
{
	if (!tl)
		return;
	while (tl->text) {
		struct text_chunk *next = tl->text->next;

		free(tl->text);
		tl->text = next;
	}
	free(tl->ev);
	free(tl->bytes);
	free(tl->occ);
	free(tl);
}

int pw_timeline_keeps(const struct pw_timeline *tl) { return tl->keep; }
uint64_t pw_timeline_total(const struct pw_timeline *tl) { return tl->total; }
size_t pw_timeline_count(const struct pw_timeline *tl) { return tl->n; }

const struct pw_event *pw_timeline_event(const struct pw_timeline *tl, size_t i)
{
	return i < tl->n ? &tl->ev[i] : NULL;
}

const uint8_t *pw_timeline_bytes(const struct pw_timeline *tl, const struct pw_event *ev, uint32_t *len)
{
	if (!ev->skb.id || (size_t)ev->skb.bytes_ref + ev->skb.bytes_len > tl->bytes_n) {
		*len = 0;
		return NULL;
	}
	*len = ev->skb.bytes_len;
	return tl->bytes + ev->skb.bytes_ref;
}

const struct pw_occupancy *pw_timeline_occupancy(const struct pw_timeline *tl, const struct pw_event *ev,
						 int host)
{
	if (host < 0 || host >= PW_HOSTS || (size_t)ev->occ_ref >= tl->occ_n)
		return NULL;
	return &tl->occ[(size_t)ev->occ_ref * PW_HOSTS + (size_t)host];
}

/* Grows *arr to hold at least need elements of size sz; 0 or -1. */
static int grow(void **arr, size_t *cap, size_t need, size_t sz)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 1024;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, ncap * sz);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static const char *text_store(struct pw_timeline *tl, const char *s)
{
	size_t len = strlen(s) + 1;
	char *dst;

	if (len > TEXT_CHUNK)
		len = TEXT_CHUNK;
	if (!tl->text || TEXT_CHUNK - tl->text->used < len) {
		struct text_chunk *c = malloc(sizeof(*c));

		if (!c)
			return NULL;
		c->next = tl->text;
		c->used = 0;
		tl->text = c;
	}
	dst = tl->text->bytes + tl->text->used;
	memcpy(dst, s, len - 1);
	dst[len - 1] = '\0';
	tl->text->used += len;
	tl->text_total += len;
	return dst;
}

int pw_timeline_append(struct pw_timeline *tl, struct pw_event *ev, const uint8_t *bytes, uint32_t len,
		       uint32_t *bytes_ref, uint32_t *bytes_len, const struct pw_occupancy occ[PW_HOSTS])
{
	ev->i = (uint32_t)tl->total;
	tl->total++;
	if (!tl->keep)
		return 0;
	if (grow((void **)&tl->ev, &tl->cap, tl->n + 1, sizeof(*tl->ev)))
		return -1;

	/* Store the skb's bytes only when they changed since its last event. */
	if (ev->skb.id && bytes) {
		int same = *bytes_ref != UINT32_MAX && *bytes_len == len &&
			   (len == 0 || ((size_t)*bytes_ref + len <= tl->bytes_n &&
					 memcmp(tl->bytes + *bytes_ref, bytes, len) == 0));

		if (!same) {
			if (tl->bytes_n + len > UINT32_MAX ||
			    grow((void **)&tl->bytes, &tl->bytes_cap, tl->bytes_n + len, 1))
				return -1;
			if (len)
				memcpy(tl->bytes + tl->bytes_n, bytes, len);
			*bytes_ref = (uint32_t)tl->bytes_n;
			*bytes_len = len;
			tl->bytes_n += len;
		}
		ev->skb.bytes_ref = *bytes_ref;
		ev->skb.bytes_len = *bytes_len;
	}

	/* Share the occupancy snapshot with the previous event when nothing moved. */
	if (!tl->occ_n || memcmp(&tl->occ[(tl->occ_n - 1) * PW_HOSTS], occ, sizeof(*occ) * PW_HOSTS)) {
		if (grow((void **)&tl->occ, &tl->occ_cap, (tl->occ_n + 1) * PW_HOSTS, sizeof(*tl->occ)))
			return -1;
		memcpy(&tl->occ[tl->occ_n * PW_HOSTS], occ, sizeof(*occ) * PW_HOSTS);
		tl->occ_n++;
	}
	ev->occ_ref = (uint32_t)(tl->occ_n - 1);

	if (ev->text) {
		ev->text = text_store(tl, ev->text);
		if (!ev->text)
			return -1;
	}
	ev->i = (uint32_t)(tl->base + tl->n);
	tl->ev[tl->n++] = *ev;
	return 0;
}

void pw_timeline_reset(struct pw_timeline *tl)
{
	struct text_chunk *c = tl->text;

	tl->base += tl->n;
	tl->n = 0;
	tl->bytes_n = 0;
	tl->occ_n = 0;
	/* Keep one text chunk for reuse, free the rest. */
	if (c) {
		while (c->next) {
			struct text_chunk *next = c->next->next;

			free(c->next);
			c->next = next;
		}
		c->used = 0;
	}
	tl->text_total = 0;
}

void pw_timeline_skip(struct pw_timeline *tl)
{
	tl->total++;
}

size_t pw_timeline_memory(const struct pw_timeline *tl)
{
	return sizeof(*tl) + tl->cap * sizeof(*tl->ev) + tl->bytes_cap + tl->occ_cap * sizeof(*tl->occ) +
	       tl->text_total;
}
