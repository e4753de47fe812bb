/* test_skb.c: sk_buff geometry, the data-moving operations and their refusals. */
#include "test.h"

#include "skb/skb.h"

#include <string.h>

/* Everything a refused operation must leave alone. */
struct geom {
	uint32_t data, tail, end, len, data_len, truesize;
};

static struct geom geom_of(const struct sk_buff *skb)
{
	struct geom g = { skb->data, skb->tail, skb->end, skb->len, skb->data_len, skb->truesize };

	return g;
}

static int geom_same(const struct geom *a, const struct geom *b)
{
	return a->data == b->data && a->tail == b->tail && a->end == b->end && a->len == b->len &&
	       a->data_len == b->data_len && a->truesize == b->truesize;
}

static void test_alloc_geometry(struct skb_pool *pool)
{
	struct sk_buff *skb;
	static const unsigned char rx[2048] = { [0] = 0xaa, [2047] = 0x55 };

	skb = alloc_skb(pool, 320);
	CHECK(skb != NULL, "alloc_skb(320) returned NULL");
	if (!skb)
		return;
	CHECK_EQ_INT(skb->end, 384);
	CHECK_EQ_INT(skb->truesize, 960);
	CHECK_EQ_INT(skb->buf->size, 704);
	CHECK_EQ_INT(skb->data, 0);
	CHECK_EQ_INT(skb->tail, 0);
	CHECK_EQ_INT(skb->len, 0);
	CHECK_EQ_INT(skb->data_len, 0);
	CHECK_EQ_INT(skb->buf->dataref, 1);
	CHECK_EQ_INT(skb->cloned, 0);
	CHECK_EQ_INT(skb->mac_header, SKB_OFFSET_UNSET);
	CHECK_EQ_INT(skb->network_header, SKB_OFFSET_UNSET);
	CHECK_EQ_INT(skb->transport_header, SKB_OFFSET_UNSET);
	CHECK(skb->head == skb->buf->bytes, "head is not the buffer's bytes");
	CHECK(skb->pool == pool, "skb->pool not set");
	CHECK_EQ_INT(skb->id, 1);
	CHECK_EQ_INT(pool->live, 1);
	CHECK_EQ_INT(skb->head[0] | skb->head[383], 0);
	skb_free(skb);
	CHECK_EQ_INT(pool->live, 0);

	/* Tiny requests still get the whole small head. */
	skb = alloc_skb(pool, 0);
	CHECK(skb != NULL, "alloc_skb(0) returned NULL");
	if (skb) {
		CHECK_EQ_INT(skb->end, 384);
		CHECK_EQ_INT(skb->id, 2);
	}
	skb_free(skb);

	/* 384 + 320 = 704: exactly the small-head cache. */
	skb = alloc_skb(pool, 384);
	if (skb) {
		CHECK_EQ_INT(skb->end, 384);
		CHECK_EQ_INT(skb->truesize, 960);
	}
	skb_free(skb);

	/* 385 aligns to 448; 448 + 320 = 768 rounds up to 1024. */
	skb = alloc_skb(pool, 385);
	if (skb) {
		CHECK_EQ_INT(skb->end, 1024 - 320);
		CHECK_EQ_INT(skb->truesize, 1024 - 320 + 256 + 320);
	}
	skb_free(skb);

	/* 2000 aligns to 2048; 2048 + 320 = 2368 rounds up to 4096. */
	skb = alloc_skb(pool, 2000);
	CHECK(skb != NULL, "alloc_skb(2000) returned NULL");
	if (skb) {
		CHECK_EQ_INT(skb->end, 4096 - 320);
		CHECK_EQ_INT(skb->truesize, 4096 - 320 + 256 + 320);
		CHECK_EQ_INT(skb->buf->size, 4096);
	}
	skb_free(skb);

	/* A size that would overflow the rounding fails like kmalloc would. */
	pool->err[0] = '\0';
	skb = alloc_skb(pool, UINT32_MAX);
	CHECK(skb == NULL, "alloc_skb(UINT32_MAX) succeeded");
	CHECK(strstr(pool->err, "alloc_skb") != NULL, "err: '%s'", pool->err);
	skb_free(skb);

	skb = build_skb(pool, rx, sizeof(rx));
	CHECK(skb != NULL, "build_skb(2048) returned NULL");
	if (skb) {
		CHECK_EQ_INT(skb->end, 1728);
		CHECK_EQ_INT(skb->truesize, 2304);
		CHECK_EQ_INT(skb->data, 0);
		CHECK_EQ_INT(skb->tail, 0);
		CHECK_EQ_INT(skb->len, 0);
		CHECK_EQ_INT(skb->head[0], 0xaa);
		CHECK_EQ_INT(skb->head[2047], 0x55);
		CHECK_EQ_INT(skb->mac_header, SKB_OFFSET_UNSET);
	}
	skb_free(skb);

	/* Reserving all the way to end is allowed; then nothing fits. */
	skb = alloc_skb(pool, 320);
	if (skb) {
		CHECK_EQ_INT(skb_reserve(skb, 384), 0);
		CHECK_EQ_INT(skb_tailroom(skb), 0);
		CHECK(skb_put(skb, 1) == NULL, "put with no tailroom succeeded");
	}
	skb_free(skb);

	skb = build_skb(pool, rx, SKB_SHINFO_SIZE - 1);
	CHECK(skb == NULL, "build_skb below the shared info succeeded");
	skb_free(skb);
	CHECK_EQ_INT(pool->live, 0);
}

static void test_reserve_put_push_pull(struct skb_pool *pool)
{
	struct sk_buff *skb = alloc_skb(pool, 320);
	unsigned char *p, *head;

	if (!skb) {
		CHECK(0, "alloc_skb failed");
		return;
	}
	head = skb->head;
	CHECK_EQ_INT(skb_headroom(skb), 0);
	CHECK_EQ_INT(skb_tailroom(skb), 384);

	CHECK_EQ_INT(skb_reserve(skb, NET_SKB_PAD), 0);
	CHECK_EQ_INT(skb->data, 64);
	CHECK_EQ_INT(skb->tail, 64);
	CHECK_EQ_INT(skb->len, 0);
	CHECK_EQ_INT(skb_headroom(skb), 64);
	CHECK_EQ_INT(skb_tailroom(skb), 320);
	/* Reserving more on a still-empty skb is allowed. */
	CHECK_EQ_INT(skb_reserve(skb, 64), 0);
	CHECK_EQ_INT(skb->data, 128);
	CHECK_EQ_INT(skb->tail, 128);

	p = skb_put(skb, 100);
	CHECK(p == head + 128, "skb_put returned %p, want old tail %p", (void *)p, (void *)(head + 128));
	CHECK_EQ_INT(skb->data, 128);
	CHECK_EQ_INT(skb->tail, 228);
	CHECK_EQ_INT(skb->len, 100);
	CHECK_EQ_INT(skb_headlen(skb), 100);
	CHECK_EQ_INT(skb_tailroom(skb), 384 - 228);
	CHECK(skb_tail_pointer(skb) == head + 228, "tail pointer");
	memset(p, 0x11, 100);

	p = skb_put(skb, 0);
	CHECK(p == head + 228, "skb_put(0) returned %p", (void *)p);
	CHECK_EQ_INT(skb->len, 100);

	p = skb_push(skb, 20);
	CHECK(p == head + 108, "skb_push returned %p, want %p", (void *)p, (void *)(head + 108));
	CHECK(p == skb_data(skb), "skb_push result is not skb_data");
	CHECK_EQ_INT(skb->data, 108);
	CHECK_EQ_INT(skb->tail, 228);
	CHECK_EQ_INT(skb->len, 120);
	CHECK_EQ_INT(skb_headroom(skb), 108);
	skb_reset_transport_header(skb);
	CHECK_EQ_INT(skb->transport_header, 108);
	p = skb_push(skb, 20);
	skb_reset_network_header(skb);
	p = skb_push(skb, 14);
	skb_reset_mac_header(skb);
	CHECK_EQ_INT(skb->data, 74);
	CHECK_EQ_INT(skb->len, 154);
	CHECK_EQ_INT(skb->mac_header, 74);
	CHECK_EQ_INT(skb->network_header, 88);
	CHECK(skb_mac_header(skb) == head + 74, "mac header pointer");
	CHECK(skb_network_header(skb) == head + 88, "network header pointer");
	CHECK(skb_transport_header(skb) == head + 108, "transport header pointer");

	/* Receive direction: pull each header off, data moves forward. */
	p = skb_pull(skb, 14);
	CHECK(p == head + 88, "skb_pull returned %p", (void *)p);
	CHECK_EQ_INT(skb->data, 88);
	CHECK_EQ_INT(skb->tail, 228);
	CHECK_EQ_INT(skb->len, 140);
	skb_set_transport_header(skb, 20);
	CHECK_EQ_INT(skb->transport_header, 108);
	skb_set_network_header(skb, -14);
	CHECK_EQ_INT(skb->network_header, 74);
	skb_set_network_header(skb, 0);
	CHECK_EQ_INT(skb->network_header, 88);
	CHECK(skb_pull(skb, 0) == head + 88, "skb_pull(0)");
	p = skb_pull(skb, 140);
	CHECK(p == head + 228, "pull of everything returned %p", (void *)p);
	CHECK_EQ_INT(skb->len, 0);
	CHECK_EQ_INT(skb->data, 228);

	skb_free(skb);
}

static void test_refusals(struct skb_pool *pool)
{
	struct sk_buff *skb = alloc_skb(pool, 320);
	struct geom before, after;

	if (!skb) {
		CHECK(0, "alloc_skb failed");
		return;
	}
	/* Reserve past end. */
	pool->err[0] = '\0';
	before = geom_of(skb);
	CHECK_EQ_INT(skb_reserve(skb, 385), -1);
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "reserve past end moved the skb");
	CHECK(strstr(pool->err, "skb_reserve") != NULL, "err: '%s'", pool->err);
	CHECK(strstr(pool->err, "end 384") != NULL, "err: '%s'", pool->err);
	CHECK_EQ_INT(skb_reserve(skb, UINT32_MAX), -1);
	CHECK_EQ_INT(skb->data, 0);

	CHECK_EQ_INT(skb_reserve(skb, 64), 0);
	CHECK(skb_put(skb, 100) != NULL, "put 100 refused");

	/* Reserve on a non-empty skb. */
	pool->err[0] = '\0';
	before = geom_of(skb);
	CHECK_EQ_INT(skb_reserve(skb, 16), -1);
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "reserve on non-empty moved the skb");
	CHECK(strstr(pool->err, "skb_reserve") != NULL, "err: '%s'", pool->err);

	/* Put past end: the kernel's skb_over_panic. */
	pool->err[0] = '\0';
	before = geom_of(skb);
	CHECK(skb_put(skb, 2000) == NULL, "put past end succeeded");
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "put past end moved the skb");
	CHECK(strcmp(pool->err,
		     "skb_put: over panic: len 100 put 2000 head 0 data 64 tail 164 end 384") == 0,
	      "err: '%s'", pool->err);
	/* tail + len would wrap 32 bits: must still be refused. */
	pool->err[0] = '\0';
	CHECK(skb_put(skb, UINT32_MAX - 100) == NULL, "wrapping put succeeded");
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "wrapping put moved the skb");
	CHECK(strstr(pool->err, "skb_put") != NULL, "err: '%s'", pool->err);
	/* Exactly up to end is fine. */
	CHECK(skb_put(skb, 384 - 164) == skb->head + 164, "put to end refused");
	CHECK_EQ_INT(skb_tailroom(skb), 0);
	CHECK(skb_put(skb, 1) == NULL, "put past full end succeeded");

	/* Push past head: the kernel's skb_under_panic. */
	pool->err[0] = '\0';
	before = geom_of(skb);
	CHECK(skb_push(skb, 65) == NULL, "push past head succeeded");
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "push past head moved the skb");
	CHECK(strstr(pool->err, "skb_push") != NULL, "err: '%s'", pool->err);
	CHECK(strstr(pool->err, "push 65") != NULL, "err: '%s'", pool->err);
	CHECK(strstr(pool->err, "data 64") != NULL, "err: '%s'", pool->err);
	CHECK(skb_push(skb, UINT32_MAX) == NULL, "huge push succeeded");
	CHECK(skb_push(skb, 64) == skb->head, "push to head refused");
	CHECK_EQ_INT(skb_headroom(skb), 0);

	/* Pull past len: a packet error, not reported. */
	strcpy(pool->err, "untouched");
	before = geom_of(skb);
	CHECK(skb_pull(skb, skb->len + 1) == NULL, "pull past len succeeded");
	CHECK(skb_pull(skb, UINT32_MAX) == NULL, "huge pull succeeded");
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "pull past len moved the skb");
	CHECK(strcmp(pool->err, "untouched") == 0, "pull past len wrote err: '%s'", pool->err);

	skb_free(skb);
}

static void test_clone(struct skb_pool *pool)
{
	struct sk_buff *skb = alloc_skb(pool, 320);
	struct sk_buff *c;
	unsigned char *p;

	if (!skb) {
		CHECK(0, "alloc_skb failed");
		return;
	}
	skb_reserve(skb, 128);
	p = skb_put(skb, 10);
	memcpy(p, "0123456789", 10);
	skb->protocol = 0x0800;
	skb->priority = 6;
	skb->cb[3] = 42;

	c = skb_clone(skb);
	CHECK(c != NULL, "skb_clone returned NULL");
	if (!c) {
		skb_free(skb);
		return;
	}
	CHECK(c != skb, "clone is the same sk_buff");
	CHECK(c->id != skb->id, "clone kept id %u", c->id);
	CHECK(c->buf == skb->buf, "clone has its own buffer");
	CHECK(c->head == skb->head, "clone has its own head");
	CHECK_EQ_INT(skb->buf->dataref, 2);
	CHECK_EQ_INT(skb->cloned, 1);
	CHECK_EQ_INT(c->cloned, 1);
	CHECK_EQ_INT(pool->live, 2);
	CHECK_EQ_INT(c->data, skb->data);
	CHECK_EQ_INT(c->tail, skb->tail);
	CHECK_EQ_INT(c->end, skb->end);
	CHECK_EQ_INT(c->len, skb->len);
	CHECK_EQ_INT(c->truesize, skb->truesize);
	CHECK_EQ_INT(c->protocol, 0x0800);
	CHECK_EQ_INT(c->priority, 6);
	CHECK_EQ_INT(c->cb[3], 42);
	CHECK(c->next == NULL, "clone is on a queue");

	/* A header pushed into the clone lands in the shared buffer. */
	p = skb_push(c, 4);
	CHECK(p != NULL, "push on clone refused");
	if (p)
		memcpy(p, "HDR!", 4);
	CHECK(memcmp(skb->head + 124, "HDR!", 4) == 0, "clone's header not visible via original");
	CHECK_EQ_INT(skb->data, 128);
	CHECK_EQ_INT(skb->len, 10);
	CHECK_EQ_INT(c->data, 124);
	CHECK_EQ_INT(c->len, 14);

	skb_free(skb);
	CHECK_EQ_INT(c->buf->dataref, 1);
	CHECK_EQ_INT(pool->live, 1);
	CHECK(memcmp(skb_data(c), "HDR!0123456789", 14) == 0, "clone lost its bytes");
	skb_free(c);
	CHECK_EQ_INT(pool->live, 0);
	skb_free(NULL);
	CHECK_EQ_INT(pool->live, 0);
}

static void test_frag_copy_trim(struct skb_pool *pool)
{
	struct sk_buff *skb = alloc_skb(pool, 320);
	unsigned char payload[1000], out[1100];
	struct geom before, after;
	uint32_t truesize;
	unsigned int i;

	if (!skb) {
		CHECK(0, "alloc_skb failed");
		return;
	}
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (unsigned char)(i * 7 + 3);
	skb_reserve(skb, 64);
	memcpy(skb_put(skb, 40), "HHHHHHHHHHHHHHHHHHHHhhhhhhhhhhhhhhhhhhhh", 40);
	truesize = skb->truesize;

	CHECK_EQ_INT(skb_add_frag(skb, payload, sizeof(payload)), 0);
	CHECK_EQ_INT(skb->len, 1040);
	CHECK_EQ_INT(skb->data_len, 1000);
	CHECK_EQ_INT(skb_headlen(skb), 40);
	CHECK_EQ_INT(skb->truesize, truesize + 1000);
	CHECK_EQ_INT(skb->data, 64);
	CHECK_EQ_INT(skb->tail, 104);
	CHECK_EQ_INT(skb_tailroom(skb), 0);

	/* A second fragment is refused. */
	before = geom_of(skb);
	CHECK_EQ_INT(skb_add_frag(skb, payload, 10), -1);
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "second add_frag moved the skb");

	/* skb_put on a paged skb is refused; push of headers still works. */
	pool->err[0] = '\0';
	CHECK(skb_put(skb, 1) == NULL, "put on paged skb succeeded");
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "put on paged skb moved the skb");
	CHECK(strstr(pool->err, "skb_put") != NULL, "err: '%s'", pool->err);

	/* Copy across the linear/fragment boundary. */
	CHECK_EQ_INT(skb_copy_bits(skb, 30, out, 20), 0);
	CHECK(memcmp(out, "hhhhhhhhhh", 10) == 0, "linear part of copy");
	CHECK(memcmp(out + 10, payload, 10) == 0, "fragment part of copy");
	CHECK_EQ_INT(skb_copy_bits(skb, 0, out, 1040), 0);
	CHECK(memcmp(out + 40, payload, 1000) == 0, "whole copy");
	CHECK_EQ_INT(skb_copy_bits(skb, 500, out, 10), 0);
	CHECK(memcmp(out, payload + 460, 10) == 0, "copy from the fragment only");
	CHECK_EQ_INT(skb_copy_bits(skb, 1040, out, 0), 0);
	CHECK_EQ_INT(skb_copy_bits(skb, 1030, out, 11), -1);
	CHECK_EQ_INT(skb_copy_bits(skb, 1041, out, 0), -1);
	CHECK_EQ_INT(skb_copy_bits(skb, 10, out, UINT32_MAX), -1);

	/* Pulling into the fragment is refused; within the linear part it works. */
	CHECK(skb_pull(skb, 41) == NULL, "pull into fragment succeeded");
	CHECK_EQ_INT(skb->len, 1040);

	/* Trim within the fragment; then a cut into the linear part is refused. */
	CHECK_EQ_INT(skb_trim(skb, 2000), 0);
	CHECK_EQ_INT(skb->len, 1040);
	CHECK_EQ_INT(skb_trim(skb, 540), 0);
	CHECK_EQ_INT(skb->len, 540);
	CHECK_EQ_INT(skb->data_len, 500);
	CHECK_EQ_INT(skb->tail, 104);
	before = geom_of(skb);
	CHECK_EQ_INT(skb_trim(skb, 39), -1);
	after = geom_of(skb);
	CHECK(geom_same(&before, &after), "refused trim moved the skb");
	skb_free(skb);

	/* Linear trim: IP dropping Ethernet padding. */
	skb = alloc_skb(pool, 128);
	if (!skb)
		return;
	skb_put(skb, 60);
	CHECK_EQ_INT(skb_trim(skb, 46), 0);
	CHECK_EQ_INT(skb->len, 46);
	CHECK_EQ_INT(skb->tail, 46);
	CHECK_EQ_INT(skb_trim(skb, 46), 0);
	CHECK_EQ_INT(skb->len, 46);
	CHECK_EQ_INT(skb_trim(skb, 0), 0);
	CHECK_EQ_INT(skb->len, 0);
	CHECK_EQ_INT(skb->tail, skb->data);
	skb_free(skb);

	/* A fragment on a clone's shared buffer is freed with the last reference. */
	skb = alloc_skb(pool, 128);
	if (!skb)
		return;
	CHECK_EQ_INT(skb_add_frag(skb, payload, 100), 0);
	{
		struct sk_buff *c = skb_clone(skb);

		CHECK(c != NULL, "clone failed");
		if (c) {
			CHECK_EQ_INT(c->data_len, 100);
			CHECK_EQ_INT(skb_copy_bits(c, 0, out, 100), 0);
			CHECK(memcmp(out, payload, 100) == 0, "clone's fragment bytes");
		}
		skb_free(skb);
		skb_free(c);
	}
}

int main(void)
{
	struct skb_pool pool;

	skb_pool_init(&pool);
	CHECK_EQ_INT(pool.next_id, 1);
	CHECK_EQ_INT(pool.live, 0);
	test_alloc_geometry(&pool);
	test_reserve_put_push_pull(&pool);
	test_refusals(&pool);
	test_clone(&pool);
	test_frag_copy_trim(&pool);
	CHECK_EQ_INT(pool.live, 0);
	return test_report("test_skb");
}
