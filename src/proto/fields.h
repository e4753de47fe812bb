/* fields.h: which header field a byte of a frame belongs to, named as
 * Wireshark names it, from a frame's dissection. Used to say where two
 * frames differ, and by views that explain a byte. */
#ifndef PW_PROTO_FIELDS_H
#define PW_PROTO_FIELDS_H

#include "proto/dissect.h"

/* The field holding byte off of the frame d describes ("eth.dst",
 * "ip.ttl", "tcp.checksum", "tcp.options", "tcp.payload", "eth.padding",
 * ...), or "frame" past what the dissection read. */
const char *pw_field_at(const struct pw_dissection *d, uint32_t off);
/* 1 if name is one of the checksum fields (ip, tcp, udp, icmp). */
int pw_field_is_checksum(const char *name);

#endif
