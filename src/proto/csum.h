/* csum.h: the Internet checksum (RFC 1071) as Linux computes it.
 *
 * csum_partial returns the ones' complement sum of 16-bit big-endian words
 * (an odd trailing byte is the high byte of a last word), folded to 16 bits;
 * it can be fed back in as sum, splitting a buffer at even offsets.
 * csum_fold folds any carries back in and complements. A checksum over bytes that include a
 * correct checksum field folds to 0.
 */
#ifndef PW_PROTO_CSUM_H
#define PW_PROTO_CSUM_H

#include <stddef.h>
#include <stdint.h>

uint32_t csum_partial(const void *buf, size_t len, uint32_t sum);
/* Folds to 16 bits and complements: the value to store, host order. */
uint16_t csum_fold(uint32_t sum);
/* The IPv4 header checksum over ihl 32-bit words (field included). */
uint16_t ip_fast_csum(const uint8_t *iph, unsigned int ihl);
/* Pseudo-header sum for TCP/UDP: addresses host order, len = L4 length. */
uint32_t csum_tcpudp_nofold(uint32_t saddr, uint32_t daddr, uint32_t len, uint8_t proto, uint32_t sum);
/* csum_fold(csum_tcpudp_nofold(...)): the full L4 checksum when sum covers
 * the L4 header (checksum field zero) and payload. */
uint16_t csum_tcpudp_magic(uint32_t saddr, uint32_t daddr, uint32_t len, uint8_t proto, uint32_t sum);

#endif
