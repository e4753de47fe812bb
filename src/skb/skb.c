/* skb.c: the sk_buff model: allocation sized as the kernel sizes it, and the
 * reserve/put/push/pull operations that move data and tail inside the head. */
#include "skb/skb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Far beyond any kmalloc'd head (KMALLOC_MAX_SIZE is a few MiB); a request
 * above it is answered as the kernel answers it, as an allocation failure,
 * and keeps the power-of-two rounding below from overflowing.
 */
#define SKB_MAX_ALLOC (1u << 30)

void skb_pool_init(struct skb_pool *pool)
{
	pool->next_id = 1;
	pool->live = 0;
	pool->err[0] = '\0';
}

static void skb_err(struct skb_pool *pool, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void skb_err(struct skb_pool *pool, const char *fmt, ...)
{
	va_list ap;

	if (!pool)
		return;
	va_start(ap, fmt);
	vsnprintf(pool->err, sizeof(pool->err), fmt, ap);
	va_end(ap);
}

/* The geometry line skb_panic prints, so every refusal reads the same way. */
static void skb_panic(const struct sk_buff *skb, const char *func, const char *what,
		      const char *verb, uint32_t req)
{
	skb_err(skb->pool, "%s: %s: len %u %s %u head 0 data %u tail %u end %u", func, what,
		skb->len, verb, req, skb->data, skb->tail, skb->end);
}

static uint32_t roundup_pow_of_two(uint32_t n)
{
	uint32_t r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

static struct sk_buff *skb_new(struct skb_pool *pool, struct skb_data *buf, uint32_t end)
{
	struct sk_buff *skb = calloc(1, sizeof(*skb));

	if (!skb)
		return NULL;
	skb->id = pool->next_id++;
	skb->pool = pool;
	skb->buf = buf;
	skb->head = buf->bytes;
	skb->end = end;
	skb->truesize = SKB_TRUESIZE(end);
	skb->mac_header = SKB_OFFSET_UNSET;
	skb->network_header = SKB_OFFSET_UNSET;
	skb->transport_header = SKB_OFFSET_UNSET;
	pool->live++;
	return skb;
}

static struct sk_buff *skb_new_with_buf(struct skb_pool *pool, uint32_t allocsize,
					const unsigned char *src, const char *func)
{
	struct skb_data *buf;
	struct sk_buff *skb;

	buf = calloc(1, sizeof(*buf) + allocsize);
	if (!buf) {
		skb_err(pool, "%s: out of memory allocating %u bytes", func, allocsize);
		return NULL;
	}
	buf->dataref = 1;
	buf->size = allocsize;
	if (src)
		memcpy(buf->bytes, src, allocsize);
	skb = skb_new(pool, buf, allocsize - SKB_SHINFO_SIZE);
	if (!skb) {
		free(buf);
		skb_err(pool, "%s: out of memory allocating the sk_buff", func);
		return NULL;
	}
	return skb;
}

struct sk_buff *alloc_skb(struct skb_pool *pool, uint32_t size)
{
	uint32_t need;

	if (!pool)
		return NULL;
	if (size > SKB_MAX_ALLOC) {
		skb_err(pool, "alloc_skb: out of memory: size %u", size);
		return NULL;
	}
	need = SKB_DATA_ALIGN(size) + SKB_SHINFO_SIZE;
	/* __alloc_skb serves small heads from skb_small_head_cache so that
	 * their truesize is predictable; everything else is a kmalloc bucket. */
	if (need <= SKB_SMALL_HEAD_CACHE_SIZE)
		need = SKB_SMALL_HEAD_CACHE_SIZE;
	else
		need = roundup_pow_of_two(need);
	return skb_new_with_buf(pool, need, NULL, "alloc_skb");
}

struct sk_buff *build_skb(struct skb_pool *pool, const unsigned char *buf, uint32_t frag_size)
{
	if (!pool)
		return NULL;
	if (frag_size < SKB_SHINFO_SIZE || frag_size > SKB_MAX_ALLOC) {
		skb_err(pool, "build_skb: frag_size %u leaves no room for skb_shared_info (%u)",
			frag_size, SKB_SHINFO_SIZE);
		return NULL;
	}
	return skb_new_with_buf(pool, frag_size, buf, "build_skb");
}

struct sk_buff *skb_clone(struct sk_buff *skb)
{
	struct sk_buff *n;

	if (!skb)
		return NULL;
	n = malloc(sizeof(*n));
	if (!n) {
		skb_err(skb->pool, "skb_clone: out of memory cloning skb %u", skb->id);
		return NULL;
	}
	*n = *skb;
	n->id = skb->pool->next_id++;
	n->next = NULL;
	/* __skb_clone: a clone belongs to no socket and no queue. */
	n->sk = NULL;
	/* blob_ref/blob_len stay: the clone's bytes are the original's, so the
	 * timeline's hint is right for it too (the timeline verifies it anyway). */
	n->cloned = 1;
	skb->cloned = 1;
	skb->buf->dataref++;
	skb->pool->live++;
	return n;
}

void skb_free(struct sk_buff *skb)
{
	struct skb_data *buf;

	if (!skb)
		return;
	buf = skb->buf;
	if (--buf->dataref == 0) {
		free(buf->frag);
		free(buf);
	}
	if (skb->pool)
		skb->pool->live--;
	free(skb);
}

int skb_reserve(struct sk_buff *skb, uint32_t len)
{
	if (skb->len || skb->data != skb->tail) {
		skb_panic(skb, "skb_reserve", "not empty", "reserve", len);
		return -1;
	}
	if (len > skb->end - skb->tail) {
		skb_panic(skb, "skb_reserve", "over panic", "reserve", len);
		return -1;
	}
	skb->data += len;
	skb->tail += len;
	return 0;
}

unsigned char *skb_put(struct sk_buff *skb, uint32_t len)
{
	uint32_t old = skb->tail;

	/* SKB_LINEAR_ASSERT: after the fragment, tail is no longer the end. */
	if (skb->data_len) {
		skb_panic(skb, "skb_put", "paged skb", "put", len);
		return NULL;
	}
	if (len > skb->end - skb->tail) {
		skb_panic(skb, "skb_put", "over panic", "put", len);
		return NULL;
	}
	skb->tail += len;
	skb->len += len;
	return skb->head + old;
}

unsigned char *skb_push(struct sk_buff *skb, uint32_t len)
{
	/* The second test only trips on an absurd fragment, but len must not wrap. */
	if (len > skb->data || len > UINT32_MAX - skb->len) {
		skb_panic(skb, "skb_push", "under panic", "push", len);
		return NULL;
	}
	skb->data -= len;
	skb->len += len;
	return skb->head + skb->data;
}

unsigned char *skb_pull(struct sk_buff *skb, uint32_t len)
{
	if (len > skb->len)
		return NULL;
	/* __skb_pull would BUG: the bytes sit in the fragment, not after data. */
	if (len > skb_headlen(skb)) {
		skb_panic(skb, "skb_pull", "not linear", "pull", len);
		return NULL;
	}
	skb->data += len;
	skb->len -= len;
	return skb->head + skb->data;
}

int skb_trim(struct sk_buff *skb, uint32_t len)
{
	uint32_t cut;

	if (len >= skb->len)
		return 0;
	if (skb->data_len) {
		if (len < skb_headlen(skb)) {
			skb_panic(skb, "skb_trim", "cut into linear part of paged skb", "trim", len);
			return -1;
		}
		/* The fragment may be shared with clones: only this skb's view shrinks. */
		cut = skb->len - len;
		skb->data_len -= cut;
		skb->len = len;
		return 0;
	}
	skb->len = len;
	skb->tail = skb->data + len;
	return 0;
}

int skb_add_frag(struct sk_buff *skb, const unsigned char *src, uint32_t n)
{
	unsigned char *frag;

	if (skb->buf->frag || skb->data_len) {
		skb_panic(skb, "skb_add_frag", "already has a fragment", "add", n);
		return -1;
	}
	if (n == 0)
		return 0;
	if (!src || n > UINT32_MAX - skb->len || n > UINT32_MAX - skb->truesize) {
		skb_panic(skb, "skb_add_frag", "no source or too large", "add", n);
		return -1;
	}
	frag = malloc(n);
	if (!frag) {
		skb_err(skb->pool, "skb_add_frag: out of memory allocating %u bytes", n);
		return -1;
	}
	memcpy(frag, src, n);
	skb->buf->frag = frag;
	skb->buf->frag_size = n;
	skb->len += n;
	skb->data_len += n;
	skb->truesize += n;
	return 0;
}

int skb_copy_bits(const struct sk_buff *skb, uint32_t offset, void *to, uint32_t len)
{
	uint32_t headlen = skb_headlen(skb);
	unsigned char *dst = to;
	uint32_t n;

	if (offset > skb->len || len > skb->len - offset)
		return -1;
	if (len == 0)
		return 0;
	if (offset < headlen) {
		n = headlen - offset;
		if (n > len)
			n = len;
		memcpy(dst, skb->head + skb->data + offset, n);
		dst += n;
		len -= n;
		offset += n;
	}
	if (len)
		memcpy(dst, skb->buf->frag + (offset - headlen), len);
	return 0;
}

void skb_queue_tail(struct skb_queue *q, struct sk_buff *skb)
{
	skb->next = NULL;
	if (q->tail)
		q->tail->next = skb;
	else
		q->head = skb;
	q->tail = skb;
	q->len++;
	q->bytes += skb->truesize;
}

void skb_queue_head(struct skb_queue *q, struct sk_buff *skb)
{
	skb_queue_insert(q, &q->head, skb);
}

void skb_queue_insert(struct skb_queue *q, struct sk_buff **link, struct sk_buff *skb)
{
	skb->next = *link;
	*link = skb;
	if (!skb->next)
		q->tail = skb;
	q->len++;
	q->bytes += skb->truesize;
}

struct sk_buff *skb_dequeue(struct skb_queue *q)
{
	struct sk_buff *skb = q->head;

	if (!skb)
		return NULL;
	q->head = skb->next;
	if (!q->head)
		q->tail = NULL;
	skb->next = NULL;
	q->len--;
	q->bytes -= skb->truesize;
	return skb;
}

void skb_queue_purge(struct skb_queue *q)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(q)))
		skb_free(skb);
}
