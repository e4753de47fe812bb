/* options.c: parsing the scenario options every subcommand shares. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "engine/scenario.h"

int parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (*s < '0' || *s > '9' || d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_frame_option(const char *opt, const char *s, uint32_t *out, char *err, size_t errlen)
{
	unsigned long long v;

	if (parse_number(s, UINT32_MAX, &v) || v == 0) {
		if (s)
			snprintf(err, errlen, "%s needs a frame number from 1 to %u (got '%s')", opt, UINT32_MAX, s);
		else
			snprintf(err, errlen, "%s needs a frame number from 1 to %u", opt, UINT32_MAX);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_u32(const char *opt, const char *s, uint32_t *out, char *err, size_t errlen)
{
	unsigned long long v;

	if (!s || !*s) {
		snprintf(err, errlen, "%s needs a number", opt);
		return -1;
	}
	if (parse_number(s, UINT32_MAX, &v)) {
		snprintf(err, errlen, "%s: '%s' is not a number from 0 to 4294967295", opt, s);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static const struct {
	const char *name;
	size_t offset;
} u32_opts[] = {
	{ "--payload", offsetof(struct pw_params, payload) },
	{ "--count", offsetof(struct pw_params, count) },
	{ "--mtu", offsetof(struct pw_params, mtu) },
	{ "--qdisc-limit", offsetof(struct pw_params, qdisc_limit) },
	{ "--tx-ring", offsetof(struct pw_params, tx_ring) },
	{ "--rx-ring", offsetof(struct pw_params, rx_ring) },
	{ "--napi-budget", offsetof(struct pw_params, napi_weight) },
	{ "--link-mbps", offsetof(struct pw_params, link_mbps) },
	{ "--rcvbuf", offsetof(struct pw_params, rcvbuf) },
	{ "--itr-us", offsetof(struct pw_params, itr_us) },
	{ "--corrupt", offsetof(struct pw_params, corrupt) },
};

void scenario_defaults(int argc, char **argv, struct pw_params *p)
{
	const char *name = "tcp";

	for (int i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--scenario") || !strcmp(argv[i], "-s"))
			name = argv[i + 1];
	pw_params_defaults(p, pw_scenario_find(name) ? pw_scenario_find(name)->name : "tcp");
}

int scenario_option(int argc, char **argv, int *i, struct pw_params *p, char *err, size_t errlen)
{
	const char *a = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;

	if (!strcmp(a, "--scenario") || !strcmp(a, "-s")) {
		if (!val) {
			snprintf(err, errlen, "%s needs a scenario name", a);
			return -1;
		}
		if (!pw_scenario_find(val)) {
			snprintf(err, errlen, "unknown scenario '%s' (known: tcp udp ping arp frag burst rxdrop noport "
					      "badcsum rcvbuf bulk)", val);
			return -1;
		}
		/* scenario_defaults has applied its defaults already. */
		*i += 1;
		return 1;
	}
	if (!strcmp(a, "--seed")) {
		uint32_t v;

		if (parse_u32(a, val, &v, err, errlen))
			return -1;
		p->seed = v;
		*i += 1;
		return 1;
	}
	if (!strcmp(a, "--arp")) {
		p->arp = 1;
		return 1;
	}
	for (size_t k = 0; k < sizeof(u32_opts) / sizeof(u32_opts[0]); k++) {
		if (strcmp(a, u32_opts[k].name))
			continue;
		if (parse_u32(a, val, (uint32_t *)((char *)p + u32_opts[k].offset), err, errlen))
			return -1;
		*i += 1;
		return 1;
	}
	return 0;
}

void scenario_options_help(FILE *out)
{
	fprintf(out,
		"Scenario options:\n"
		"  -s, --scenario NAME  which exchange to walk (default tcp):\n");
	for (const struct pw_scenario_info *s = pw_scenarios; s->name; s++)
		fprintf(out, "        %-8s %s\n", s->name, s->summary);
	fprintf(out,
		"  --payload N          bytes per send (default: the scenario's)\n"
		"  --count N            sends, pings or datagrams (default: the scenario's)\n"
		"  --mtu N              MTU of both hosts, 68..1500 (default 1500)\n"
		"  --qdisc-limit N      packets per pfifo_fast band (default 1000; burst: 10)\n"
		"  --tx-ring N          TX descriptors, a power of two 8..4096 (default 256; burst: 16)\n"
		"  --rx-ring N          RX descriptors, a power of two 8..4096 (default 256; rxdrop: 8)\n"
		"  --napi-budget N      NAPI poll budget (weight), 1..256 (default 64)\n"
		"  --link-mbps N        wire speed in Mbit/s (default 1000; burst: 10)\n"
		"  --rcvbuf N           receiver's socket receive buffer in bytes (default 212992)\n"
		"  --itr-us N           least gap between two NIC interrupts in us (default 0; rxdrop: 100)\n"
		"  --corrupt N          flip the last byte of wire frame N (its checksum then fails)\n"
		"  --arp                start with empty neighbour tables (ARP before the first packet)\n"
		"  --seed N             seed for sequence numbers, IP ids, timestamps (default 1)\n");
}

void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}
