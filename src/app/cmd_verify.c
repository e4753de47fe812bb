/* cmd_verify.c: `packetwalk verify`, every captured frame rebuilt through
 * its sender's stack and compared, byte for byte, with the capture. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "capture/replay_input.h"
#include "proto/dissect.h"
#include "proto/fields.h"

enum verdict { IDENTICAL, CHECKSUM_ONLY, DIFFERENT, UNSUPPORTED, VERDICTS };
static const char *const verdict_names[VERDICTS] = { "identical", "checksum_only", "different", "unsupported" };

struct verify {
	int json;
	uint32_t count[VERDICTS];
};

static void verify_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk verify -r FILE [--frame N] [--json] [FILTER]\n"
		"\n"
		"Rebuilds every frame of a capture through the model's send path (socket, TCP/UDP/ICMP,\n"
		"IP, neighbour, Ethernet, the NIC) from the frame's own header fields and payload, and\n"
		"compares the bytes the model puts on the wire with the captured ones. Each frame is:\n"
		"  identical      every byte the same\n"
		"  checksum_only  the same but for checksum fields: a capture taken on a sender with\n"
		"                 checksum offload holds the partial checksum the stack gave its NIC\n"
		"  different      with the first differing byte and the field it belongs to\n"
		"  unsupported    not rebuilt, with the reason\n"
		"FILTER is a tcpdump filter expression; --frame N rebuilds only frame N (numbered as in\n"
		"Wireshark). FILE may be gzip, zstd or lz4 compressed, or a pipe. With --json, one JSON\n"
		"object per frame and, last, a summary object with the counts (identical, checksum_only,\n"
		"different, unsupported).\n"
		"Exit status: 0 when the capture was read to its end, 1 if it could not be, 2 bad options.\n");
}

/* Compares the packet: the Ethernet header and the IPv4 datagram or ARP
 * body. Bytes past it are link padding, which the NIC adds as it likes. */
static void on_rebuilt(void *ctx, const struct pw_replay_frame *f, const uint8_t *rebuilt, uint32_t len,
		       const char *why_not)
{
	struct verify *v = ctx;
	struct pw_dissection d;
	enum verdict verdict;
	uint32_t end = 0, first = UINT32_MAX, csum_first = UINT32_MAX;
	const char *field = NULL;

	if (!rebuilt) {
		verdict = UNSUPPORTED;
		goto print;
	}
	pw_dissect(PW_LINKTYPE_ETHERNET, f->bytes, f->caplen, f->len, &d);
	end = (d.have & PW_HAVE_ARP) ? d.l3_off + ARP_HLEN : d.l3_off + d.ip.tot_len;
	if (end > f->caplen)
		end = f->caplen;
	if (len < end) {
		first = len;
		field = pw_field_at(&d, first);
	}
	for (uint32_t i = 0; i < end && i < len; i++) {
		const char *name;

		if (rebuilt[i] == f->bytes[i])
			continue;
		name = pw_field_at(&d, i);
		if (pw_field_is_checksum(name)) {
			if (csum_first == UINT32_MAX)
				csum_first = i;
			continue;
		}
		if (i < first) {
			first = i;
			field = name;
		}
		break;
	}
	verdict = first != UINT32_MAX ? DIFFERENT : csum_first != UINT32_MAX ? CHECKSUM_ONLY : IDENTICAL;
print:
	v->count[verdict]++;
	if (v->json) {
		printf("{\"frame\":%u,\"result\":\"%s\"", f->number, verdict_names[verdict]);
		if (verdict == DIFFERENT) {
			printf(",\"offset\":%u,\"field\":\"%s\"", first, field);
			if (first < len && first < f->caplen)
				printf(",\"captured\":\"0x%02x\",\"rebuilt\":\"0x%02x\"", f->bytes[first], rebuilt[first]);
		} else if (verdict == CHECKSUM_ONLY) {
			printf(",\"field\":\"%s\"", pw_field_at(&d, csum_first));
		} else if (verdict == UNSUPPORTED) {
			printf(",\"reason\":");
			json_string(stdout, why_not);
		}
		printf("}\n");
		return;
	}
	switch (verdict) {
	case IDENTICAL:
		printf("frame %u: identical\n", f->number);
		break;
	case CHECKSUM_ONLY:
		printf("frame %u: identical but for %s (a sender with checksum offload captures the partial "
		       "checksum its NIC completes)\n",
		       f->number, pw_field_at(&d, csum_first));
		break;
	case DIFFERENT:
		if (first < len && first < f->caplen)
			printf("frame %u: different from byte %u (%s): captured 0x%02x, rebuilt 0x%02x\n", f->number,
			       first, field, f->bytes[first], rebuilt[first]);
		else
			printf("frame %u: different: the rebuilt frame is %u bytes, the packet %u\n", f->number, len, end);
		break;
	default:
		printf("frame %u: unsupported: %s\n", f->number, why_not);
	}
}

int cmd_verify(int argc, char **argv)
{
	struct pw_params p;
	struct pw_result res;
	struct pw_timeline *tl;
	struct verify v = { 0 };
	struct replay_input *in;
	struct pw_replay r = { .next = replay_input_next, .rebuilt_fn = on_rebuilt };
	const char *path = NULL;
	char filter[1024] = "", err[512];
	uint32_t only = 0;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "packetwalk verify: -r needs a capture file\n");
				return 2;
			}
			path = argv[++i];
		} else if (!strcmp(argv[i], "--frame")) {
			if (parse_frame_option("--frame", i + 1 < argc ? argv[i + 1] : NULL, &only, err, sizeof(err))) {
				fprintf(stderr, "packetwalk verify: %s\n", err);
				return 2;
			}
			i++;
		} else if (!strcmp(argv[i], "--json")) {
			v.json = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			verify_help(stdout);
			return 0;
		} else if (argv[i][0] != '-') {
			if (strlen(filter) + strlen(argv[i]) + 2 > sizeof(filter)) {
				fprintf(stderr, "packetwalk verify: the filter is too long\n");
				return 2;
			}
			if (filter[0])
				strcat(filter, " ");
			strcat(filter, argv[i]);
		} else {
			fprintf(stderr, "packetwalk verify: unknown option '%s' (see packetwalk verify --help)\n", argv[i]);
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "packetwalk verify: say which capture: -r FILE\n");
		return 2;
	}
	pw_params_defaults(&p, NULL);
	in = calloc(1, sizeof(*in));
	tl = pw_timeline_create(0);
	if (!in || !tl) {
		fprintf(stderr, "packetwalk verify: out of memory\n");
		free(in);
		pw_timeline_destroy(tl);
		return 1;
	}
	in->cap = pw_capture_open(path, filter, err, sizeof(err));
	if (!in->cap) {
		fprintf(stderr, "packetwalk verify: %s\n", err);
		free(in);
		pw_timeline_destroy(tl);
		return 1;
	}
	in->only = only;
	r.next_ctx = in;
	r.rebuilt_ctx = &v;
	rc = pw_engine_replay(&p, &r, tl, &res, err, sizeof(err));
	pw_capture_close(in->cap);
	free(in);
	pw_timeline_destroy(tl);
	if (v.json)
		printf("{\"summary\":true,\"frames\":%u,\"identical\":%u,\"checksum_only\":%u,\"different\":%u,"
		       "\"unsupported\":%u}\n",
		       v.count[0] + v.count[1] + v.count[2] + v.count[3], v.count[IDENTICAL], v.count[CHECKSUM_ONLY],
		       v.count[DIFFERENT], v.count[UNSUPPORTED]);
	else
		printf("\n%u frames: %u identical, %u identical but for checksums, %u different, %u not "
		       "rebuilt.\n",
		       v.count[0] + v.count[1] + v.count[2] + v.count[3], v.count[IDENTICAL], v.count[CHECKSUM_ONLY],
		       v.count[DIFFERENT], v.count[UNSUPPORTED]);
	if (rc) {
		fprintf(stderr, "packetwalk verify: %s\n", err);
		return 1;
	}
	return 0;
}
