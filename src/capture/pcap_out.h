/* pcap_out.h: writing frames to a pcap file through libpcap. */
#ifndef PW_CAPTURE_PCAP_OUT_H
#define PW_CAPTURE_PCAP_OUT_H

#include <stddef.h>
#include <stdint.h>

struct pw_pcap_out;

/* Opens path for writing Ethernet frames with nanosecond timestamps.
 * Returns NULL with a sentence naming the file and the reason in err. */
struct pw_pcap_out *pw_pcap_out_open(const char *path, char *err, size_t errlen);
/* Appends one frame; t_ns is the time since the start of the run. */
void pw_pcap_out_write(struct pw_pcap_out *o, uint64_t t_ns, const uint8_t *bytes, uint32_t len);
/* Flushes and closes; 0, or -1 with err set if the data could not be written. Accepts NULL. */
int pw_pcap_out_close(struct pw_pcap_out *o, char *err, size_t errlen);

#endif
