/* pcap_out.c: pcap files of what crossed the model's wire, via libpcap's
 * dump writer (so that the files are exactly what tcpdump would write). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/pcap_out.h"

struct pw_pcap_out {
	pcap_t *dead;
	pcap_dumper_t *dump;
	char path[512];
};

/* The model's clock starts at 0; stamp frames from a fixed, recognisable
 * date (2026-01-01T00:00:00Z) so captures repeat byte for byte. */
#define PW_EPOCH 1767225600ull

struct pw_pcap_out *pw_pcap_out_open(const char *path, char *err, size_t errlen)
{
	struct pw_pcap_out *o = calloc(1, sizeof(*o));

	if (!o) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	snprintf(o->path, sizeof(o->path), "%s", path);
	o->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	if (!o->dead) {
		snprintf(err, errlen, "%s: libpcap could not make a writer", path);
		free(o);
		return NULL;
	}
	o->dump = pcap_dump_open(o->dead, path);
	if (!o->dump) {
		/* libpcap's message already names the file. */
		snprintf(err, errlen, "%s", pcap_geterr(o->dead));
		pcap_close(o->dead);
		free(o);
		return NULL;
	}
	return o;
}

void pw_pcap_out_write(struct pw_pcap_out *o, uint64_t t_ns, const uint8_t *bytes, uint32_t len)
{
	struct pcap_pkthdr h;

	/* With nanosecond precision, libpcap reads tv_usec as nanoseconds. */
	h.ts.tv_sec = (time_t)(PW_EPOCH + t_ns / 1000000000ull);
	h.ts.tv_usec = (suseconds_t)(t_ns % 1000000000ull);
	h.caplen = len;
	h.len = len;
	pcap_dump((u_char *)o->dump, &h, bytes);
}

int pw_pcap_out_close(struct pw_pcap_out *o, char *err, size_t errlen)
{
	int rc = 0;

	if (!o)
		return 0;
	if (pcap_dump_flush(o->dump) != 0) {
		snprintf(err, errlen, "%s: could not write the capture", o->path);
		rc = -1;
	}
	pcap_dump_close(o->dump);
	pcap_close(o->dead);
	free(o);
	return rc;
}
