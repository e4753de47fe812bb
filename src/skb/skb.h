/* skb.h: the socket buffer model, a byte-exact miniature of struct sk_buff.
 *
 * DOC: Basic sk_buff geometry
 *
 *   struct sk_buff                      one linear buffer (kmalloc'd "head")
 *   +-----------+
 *   | head  ----+--> +-----------+--------------------+-----------+------------------+
 *   | data  ----+--> | headroom  | linear data        | tailroom  | skb_shared_info  |
 *   | tail  ----+--> |           | (headers; payload  |           | (frags[] point   |
 *   | end   ----+--> |           |  when linear)      |           |  to page pieces) |
 *   | len       |    +-----------+--------------------+-----------+------------------+
 *   | data_len  |    ^head       ^data                ^tail       ^end
 *   +-----------+
 *
 * As in the kernel on 64-bit machines (NET_SKBUFF_DATA_USES_OFFSET), data,
 * tail and end are kept as byte offsets from head, and so are the three
 * header offsets; SKB_OFFSET_UNSET (0xFFFF) marks a header not yet set.
 * len counts linear bytes (tail - data) plus paged bytes (data_len).
 *
 * Paged data is modelled as at most one page fragment (TCP copies user data
 * into one: see tcp_sendmsg), which is enough to show why a TCP skb's linear
 * part holds only headers.
 *
 * Misuse that the kernel answers with skb_over_panic/skb_under_panic (a put
 * past end, a push past head, a reserve on a non-empty skb) is refused here:
 * the skb is left exactly as it was, NULL is returned, and the pool's error
 * text says what was asked and the full geometry, as skb_panic prints it.
 * Packet errors (a pull of more than len) return NULL as skb_pull does.
 */
#ifndef PW_SKB_H
#define PW_SKB_H

#include <stddef.h>
#include <stdint.h>

#define SKB_OFFSET_UNSET 0xFFFFu

/* x86_64 sizes from include/linux/skbuff.h on a Debian 6.12 kernel. */
#define SMP_CACHE_BYTES 64u
#define SKB_DATA_ALIGN(x) (((x) + (SMP_CACHE_BYTES - 1)) & ~(uint32_t)(SMP_CACHE_BYTES - 1))
#define SKB_SHINFO_SIZE 320u /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define SKB_STRUCT_SIZE 256u /* SKB_DATA_ALIGN(sizeof(struct sk_buff)) */
#define SKB_TRUESIZE(x) ((x) + SKB_STRUCT_SIZE + SKB_SHINFO_SIZE)
#define SKB_SMALL_HEAD_CACHE_SIZE 704u
#define NET_SKB_PAD 64u
#define NET_IP_ALIGN 0u

/* skb->ip_summed */
enum { CHECKSUM_NONE = 0, CHECKSUM_UNNECESSARY = 1, CHECKSUM_COMPLETE = 2, CHECKSUM_PARTIAL = 3 };

/* skb->pkt_type */
enum { PACKET_HOST = 0, PACKET_BROADCAST = 1, PACKET_MULTICAST = 2, PACKET_OTHERHOST = 3,
       PACKET_OUTGOING = 4 };

struct skb_pool;

/* The data buffer, shared by clones (skb_shinfo(skb)->dataref). */
struct skb_data {
	uint32_t dataref;   /* skbs pointing at this buffer */
	uint32_t size;      /* bytes allocated for head..end */
	unsigned char *frag; /* the one page fragment, or NULL */
	uint32_t frag_size;
	unsigned char bytes[]; /* head */
};

struct sk_buff {
	uint32_t id;              /* stable for the skb's whole life on the timeline */
	struct skb_pool *pool;
	struct sk_buff *next;     /* link while on a queue (owned by the queue holder) */
	struct skb_data *buf;
	unsigned char *head;      /* == buf->bytes */
	uint32_t data, tail, end; /* offsets from head */
	uint32_t len;             /* linear + paged bytes */
	uint32_t data_len;        /* bytes in the page fragment */
	uint32_t truesize;
	uint16_t mac_header, network_header, transport_header;
	uint16_t protocol;        /* ethertype, host order (skb->protocol is __be16 in Linux) */
	uint8_t pkt_type;
	uint8_t ip_summed;
	uint8_t priority;         /* skb->priority, picks the pfifo_fast band */
	uint8_t cloned;
	uint16_t csum_start;      /* CHECKSUM_PARTIAL: offset from head where summing starts */
	uint16_t csum_offset;     /* ... and where, from csum_start, the result goes */
	uint32_t cb[12];          /* per-layer scratch, owned by whoever queued the skb */
	void *sk;                 /* owning socket, if any */
	/* Where the timeline last stored this skb's bytes; managed by the timeline. */
	uint32_t blob_ref, blob_len;
};

/* A pool creates skb ids, counts live skbs (tests assert zero at teardown)
 * and holds the text of the last refused operation. */
struct skb_pool {
	uint32_t next_id;
	uint32_t live;
	char err[256];
};

void skb_pool_init(struct skb_pool *pool);

/**
 * alloc_skb - allocate an skb with a linear buffer of at least @size bytes
 * @pool: the pool the skb is counted in
 * @size: bytes the caller needs between head and end
 *
 * Sizes the head as __alloc_skb does: SKB_DATA_ALIGN(size) plus the aligned
 * shared info, served from the 704-byte small-head cache when it fits and
 * otherwise rounded up to a power of two; end is what is left before the
 * shared info, and truesize is SKB_TRUESIZE(end). data = tail = 0, the
 * header offsets are unset. Returns NULL (and sets pool->err) only when
 * memory runs out.
 */
struct sk_buff *alloc_skb(struct skb_pool *pool, uint32_t size);

/**
 * build_skb - wrap an skb around a receive buffer of @frag_size bytes
 *
 * Like napi_build_skb: end = frag_size - SKB_SHINFO_SIZE, truesize =
 * SKB_TRUESIZE(end) ... as the kernel computes it for a half-page buffer
 * (2048 -> end 1728, truesize 2304). The bytes are copied from @buf (the
 * DMA'd buffer), @frag_size of them. Returns NULL on a size below
 * SKB_SHINFO_SIZE or on no memory.
 */
struct sk_buff *build_skb(struct skb_pool *pool, const unsigned char *buf, uint32_t frag_size);

/**
 * skb_clone - a second sk_buff sharing @skb's data buffer
 *
 * Both are marked cloned; the buffer's dataref counts them. The clone gets a
 * new id. Headers pushed into the clone's headroom are written into the
 * shared buffer, as TCP does after __skb_header_release.
 */
struct sk_buff *skb_clone(struct sk_buff *skb);

/* Free without a trace event: the caller records consume_skb or
 * kfree_skb_reason on the timeline. Accepts NULL. */
void skb_free(struct sk_buff *skb);

static inline uint32_t skb_headroom(const struct sk_buff *skb) { return skb->data; }
static inline uint32_t skb_tailroom(const struct sk_buff *skb)
{
	return skb->data_len ? 0 : skb->end - skb->tail;
}
static inline uint32_t skb_headlen(const struct sk_buff *skb) { return skb->len - skb->data_len; }
static inline unsigned char *skb_data(const struct sk_buff *skb) { return skb->head + skb->data; }
static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->tail;
}

/**
 * skb_reserve - make headroom in an empty skb
 * Moves data and tail by @len. Refused (returns -1, skb untouched) if the
 * skb already holds data or tail would pass end; 0 on success.
 */
int skb_reserve(struct sk_buff *skb, uint32_t len);

/**
 * skb_put - add @len bytes at the end of the linear data
 * Returns the first byte of the new area (the old tail). Refused with NULL,
 * skb untouched, where the kernel would call skb_over_panic (tail past end)
 * or when the skb is paged.
 */
unsigned char *skb_put(struct sk_buff *skb, uint32_t len);

/**
 * skb_push - add @len bytes at the front, into the headroom
 * Returns the new data pointer. Refused with NULL, skb untouched, where the
 * kernel would call skb_under_panic (data before head).
 */
unsigned char *skb_push(struct sk_buff *skb, uint32_t len);

/**
 * skb_pull - remove @len bytes from the front
 * Returns the new data pointer, or NULL if @len exceeds len (packet error,
 * not a bug: nothing is reported to pool->err) or the bytes are not linear.
 */
unsigned char *skb_pull(struct sk_buff *skb, uint32_t len);

/**
 * skb_trim - cut the skb down to @len bytes (pskb_trim_rcsum's effect on a
 * linear skb: IP uses it to drop Ethernet padding). A @len at or above the
 * current len changes nothing. Returns 0, or -1 on a paged skb cut into
 * its linear part.
 */
int skb_trim(struct sk_buff *skb, uint32_t len);

/**
 * skb_add_frag - attach @n bytes from @src as the skb's page fragment
 * (skb_copy_to_page_nocache + skb_fill_page_desc): len, data_len and
 * truesize grow by @n; head, data and tail do not move. Returns 0, or -1 if
 * the skb already has a fragment or memory runs out.
 */
int skb_add_frag(struct sk_buff *skb, const unsigned char *src, uint32_t n);

/* Copy out len bytes of packet (linear then fragment) starting at data +
 * @offset. Returns 0, or -1 if the range passes the end of the packet. */
int skb_copy_bits(const struct sk_buff *skb, uint32_t offset, void *to, uint32_t len);

static inline void skb_reset_mac_header(struct sk_buff *skb) { skb->mac_header = (uint16_t)skb->data; }
static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (uint16_t)skb->data;
}
static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (uint16_t)skb->data;
}
static inline void skb_set_network_header(struct sk_buff *skb, int off)
{
	skb->network_header = (uint16_t)((int)skb->data + off);
}
static inline void skb_set_transport_header(struct sk_buff *skb, int off)
{
	skb->transport_header = (uint16_t)((int)skb->data + off);
}
static inline unsigned char *skb_mac_header(const struct sk_buff *skb) { return skb->head + skb->mac_header; }
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}

/*
 * DOC: Queues
 * struct skb_queue is sk_buff_head: a FIFO of skbs linked through
 * skb->next, with its length and the sum of the truesizes it holds (what
 * socket memory accounting charges). An skb is on one queue at a time; the
 * queue's holder owns it while it is there. No call here records a
 * timeline event: the layer that queues or dequeues says what happened.
 */
struct skb_queue {
	struct sk_buff *head, *tail;
	uint32_t len;
	uint32_t bytes; /* sum of skb->truesize */
};

/* __skb_queue_tail: skb joins the end of q. */
void skb_queue_tail(struct skb_queue *q, struct sk_buff *skb);
/* __skb_queue_head: skb goes in front of the others (a requeue). */
void skb_queue_head(struct skb_queue *q, struct sk_buff *skb);
/* Links skb in at *link, which is &q->head or the next of an skb on q:
 * how a queue kept in order (by sequence, by offset) takes a new one. */
void skb_queue_insert(struct skb_queue *q, struct sk_buff **link, struct sk_buff *skb);
/* __skb_dequeue: takes the first skb off q, or NULL if q is empty. The
 * caller owns it. */
struct sk_buff *skb_dequeue(struct skb_queue *q);
/* Frees every skb on q with skb_free (no events: teardown). */
void skb_queue_purge(struct skb_queue *q);

#endif
