/* cmd_trace.c: `packetwalk trace`, the timeline as text or NDJSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "capture/pcap_out.h"
#include "capture/replay_input.h"

static void trace_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk trace [OPTIONS]\n"
		"       packetwalk trace -r FILE [--frame N] [OPTIONS] [FILTER]\n"
		"\n"
		"Runs a scenario on the two-host model (A 192.0.2.1 and B 192.0.2.2 on one Ethernet wire)\n"
		"and prints every step of the kernel's path as a timeline.\n"
		"\n"
		"With -r, walks the frames of a capture (pcap or pcapng) instead: each frame's sender\n"
		"rebuilds it through its stack from the captured fields and payload, and its receiver\n"
		"takes the captured bytes from the RX ring up to the socket. Hosts and addresses come\n"
		"from the capture. FILTER is a tcpdump filter expression (pcap-filter syntax). FILE may\n"
		"be gzip, zstd or lz4 compressed, or a pipe.\n"
		"\n"
		"Output options:\n"
		"  -r FILE              walk the frames of a capture file\n"
		"  --frame N            with -r: walk only frame N (numbered as in Wireshark)\n"
		"  --json               one JSON object per event (NDJSON) instead of aligned text\n"
		"  --pcap-out FILE      write every frame that crossed the wire to FILE (pcap, ns stamps)\n"
		"  --list-names         print the tracepoint and drop-reason names the model uses\n"
		"  -h, --help           this text\n"
		"\n");
	scenario_options_help(out);
	fprintf(out,
		"\n"
		"NDJSON fields: i, t_ns, host (A|B), ctx, layer, func, src, tracepoint (or null), op,\n"
		"skb (id, head, data, tail, end, len, data_len, truesize, mac, network, transport: offsets\n"
		"from head, -1 when unset; or null), queue (name, len, cap; or null), drop_reason (or null),\n"
		"frame (wire frame number, on wire events), text.\n"
		"\n"
		"Exit status: 0 success, 1 the run failed, 2 bad options.\n");
}

static void print_json(FILE *out, const struct pw_event *e)
{
	fprintf(out, "{\"i\":%u,\"t_ns\":%llu,\"host\":\"%s\",\"ctx\":\"%s\",\"layer\":\"%s\",\"func\":", e->i,
		(unsigned long long)e->t_ns, e->host ? "B" : "A", pw_ctx_names[e->ctx], pw_layer_names[e->layer]);
	json_string(out, e->func);
	fputs(",\"src\":", out);
	json_string(out, e->src);
	fputs(",\"tracepoint\":", out);
	if (pw_tp_names[e->tp])
		json_string(out, pw_tp_names[e->tp]);
	else
		fputs("null", out);
	fprintf(out, ",\"op\":\"%s\",\"skb\":", pw_op_names[e->op]);
	if (e->skb.id)
		fprintf(out,
			"{\"id\":%u,\"head\":0,\"data\":%d,\"tail\":%d,\"end\":%d,\"len\":%d,\"data_len\":%d,"
			"\"truesize\":%d,\"mac\":%d,\"network\":%d,\"transport\":%d}",
			e->skb.id, e->skb.data, e->skb.tail, e->skb.end, e->skb.len, e->skb.data_len, e->skb.truesize,
			e->skb.mac, e->skb.network, e->skb.transport);
	else
		fputs("null", out);
	fputs(",\"queue\":", out);
	if (e->queue >= 0)
		fprintf(out, "{\"name\":\"%s\",\"len\":%u,\"cap\":%u}", pw_queue_names[e->queue], e->queue_len,
			e->queue_cap);
	else
		fputs("null", out);
	fputs(",\"drop_reason\":", out);
	if (pw_drop_names[e->drop])
		json_string(out, pw_drop_names[e->drop]);
	else
		fputs("null", out);
	if (e->frame_no)
		fprintf(out, ",\"frame\":%u", e->frame_no);
	fputs(",\"text\":", out);
	json_string(out, e->text);
	fputs("}\n", out);
}

static void print_text_header(FILE *out)
{
	fprintf(out, "%5s %12s %-4s %-15s %-6s %-28s %-29s %-26s %s\n", "step", "time(ns)", "host", "context",
		"layer", "function", "tracepoint", "skb id:data-tail len", "what happens");
}

static void print_text(FILE *out, const struct pw_event *e)
{
	char skb[40] = "-";
	const char *tp = pw_tp_names[e->tp] ? pw_tp_names[e->tp] : "-";

	if (e->skb.id)
		snprintf(skb, sizeof(skb), "%u:%d-%d len %d", e->skb.id, e->skb.data, e->skb.tail, e->skb.len);
	fprintf(out, "%5u %12llu %-4s %-15s %-6s %-28s %-29s %-26s ", e->i, (unsigned long long)e->t_ns,
		e->host ? "B" : "A", pw_ctx_names[e->ctx], pw_layer_names[e->layer], e->func, tp, skb);
	if (e->drop)
		fprintf(out, "[DROP %s] ", pw_drop_names[e->drop]);
	fprintf(out, "%s\n", e->text);
}

/* The kernel names the timeline can carry, one "kind name" per line, so
 * that tests can hold them against a running kernel's tracefs. */
static void list_names(FILE *out)
{
	for (int t = 0; t < PW_TP_COUNT; t++)
		if (pw_tp_names[t])
			fprintf(out, "tracepoint %s\n", pw_tp_names[t]);
	for (int d = 0; d < PW_DROP_COUNT; d++)
		if (pw_drop_names[d])
			fprintf(out, "drop_reason %s\n", pw_drop_names[d]);
}

static void print_events(const struct pw_timeline *tl, int json)
{
	for (size_t i = 0; i < pw_timeline_count(tl); i++) {
		if (json)
			print_json(stdout, pw_timeline_event(tl, i));
		else
			print_text(stdout, pw_timeline_event(tl, i));
	}
}

/* A replay prints each frame's events as soon as it is walked, so a long
 * capture needs no more memory than one frame's walk. */
static void print_and_forget(void *ctx, struct pw_timeline *tl)
{
	print_events(tl, *(const int *)ctx);
	pw_timeline_reset(tl);
}

struct pcap_sink {
	struct pw_pcap_out *out;
};

static void on_frame(void *ctx, const struct pw_wire_frame *f)
{
	struct pcap_sink *s = ctx;

	pw_pcap_out_write(s->out, f->t_ns, f->bytes, f->len);
}

int cmd_trace(int argc, char **argv)
{
	struct pw_params p;
	struct pw_result res;
	struct pw_timeline *tl;
	struct pcap_sink sink = { NULL };
	const char *pcap_path = NULL, *read_path = NULL;
	char filter[1024] = "";
	uint32_t only = 0;
	char err[512];
	int json = 0, rc;

	scenario_defaults(argc, argv, &p);
	for (int i = 1; i < argc; i++) {
		int r = scenario_option(argc, argv, &i, &p, err, sizeof(err));

		if (r < 0) {
			fprintf(stderr, "packetwalk trace: %s\n", err);
			return 2;
		}
		if (r)
			continue;
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--text")) {
			json = 0;
		} else if (!strcmp(argv[i], "-r")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "packetwalk trace: -r needs a capture file\n");
				return 2;
			}
			read_path = argv[++i];
		} else if (!strcmp(argv[i], "--frame")) {
			if (parse_frame_option("--frame", i + 1 < argc ? argv[i + 1] : NULL, &only, err, sizeof(err))) {
				fprintf(stderr, "packetwalk trace: %s\n", err);
				return 2;
			}
			i++;
		} else if (argv[i][0] != '-') {
			/* The rest of the words form the capture filter, as tcpdump takes it. */
			size_t used = strlen(filter);

			if (used + strlen(argv[i]) + 2 > sizeof(filter)) {
				fprintf(stderr, "packetwalk trace: the filter is too long\n");
				return 2;
			}
			if (used)
				strcat(filter, " ");
			strcat(filter, argv[i]);
		} else if (!strcmp(argv[i], "--pcap-out")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "packetwalk trace: --pcap-out needs a file name\n");
				return 2;
			}
			pcap_path = argv[++i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			trace_help(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--list-names")) {
			list_names(stdout);
			return 0;
		} else {
			fprintf(stderr, "packetwalk trace: unknown option '%s' (see packetwalk trace --help)\n", argv[i]);
			return 2;
		}
	}
	if ((filter[0] || only) && !read_path) {
		fprintf(stderr, "packetwalk trace: %s needs -r FILE\n", only ? "--frame" : "a filter expression");
		return 2;
	}
	if (read_path)
		p.scenario = NULL;
	if (pw_params_check(&p, err, sizeof(err))) {
		fprintf(stderr, "packetwalk trace: %s\n", err);
		return 2;
	}
	if (pcap_path) {
		sink.out = pw_pcap_out_open(pcap_path, err, sizeof(err));
		if (!sink.out) {
			fprintf(stderr, "packetwalk trace: %s\n", err);
			return 1;
		}
	}
	tl = pw_timeline_create(1);
	if (!tl) {
		fprintf(stderr, "packetwalk trace: out of memory\n");
		pw_pcap_out_close(sink.out, err, sizeof(err));
		return 1;
	}
	if (!json)
		print_text_header(stdout);
	if (read_path) {
		struct replay_input *in = calloc(1, sizeof(*in));
		struct pw_replay r = { .next = replay_input_next, .frame_fn = sink.out ? on_frame : NULL,
				       .frame_ctx = &sink, .frame_done = print_and_forget, .frame_done_ctx = &json };

		if (in)
			in->cap = pw_capture_open(read_path, filter, err, sizeof(err));
		if (!in || !in->cap) {
			fprintf(stderr, "packetwalk trace: %s\n", in ? err : "out of memory");
			free(in);
			pw_timeline_destroy(tl);
			pw_pcap_out_close(sink.out, err, sizeof(err));
			return 1;
		}
		in->only = only;
		r.next_ctx = in;
		rc = pw_engine_replay(&p, &r, tl, &res, err, sizeof(err));
		pw_capture_close(in->cap);
		free(in);
	} else {
		rc = pw_engine_run(&p, tl, sink.out ? on_frame : NULL, &sink, &res, err, sizeof(err));
	}
	print_events(tl, json);
	if (!json)
		printf("\n%llu events, %u frames on the wire, %u drops, %llu bytes delivered to applications, "
		       "%.3f ms simulated.\n",
		       (unsigned long long)res.events, res.frames, res.drops, (unsigned long long)res.bytes_delivered,
		       (double)res.end_ns / 1e6);
	pw_timeline_destroy(tl);
	if (pw_pcap_out_close(sink.out, err, sizeof(err))) {
		fprintf(stderr, "packetwalk trace: %s\n", err);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "packetwalk trace: %s\n", err);
		return 1;
	}
	if (res.live_skbs) {
		fprintf(stderr, "packetwalk trace: internal error: %u skbs were never freed\n", res.live_skbs);
		return 1;
	}
	return 0;
}
