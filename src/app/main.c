/* main.c: packetwalk's entry point: the GUI with no subcommand, or one of
 * the headless subcommands. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"packetwalk: watch the Linux kernel move a packet, step by step.\n"
		"\n"
		"Usage:\n"
		"  packetwalk [SCENARIO OPTIONS]        open the window on a scenario (default tcp)\n"
		"  packetwalk FILE.pcap [FILTER]        open the window on a capture\n"
		"  packetwalk trace [OPTIONS]           print a scenario's timeline (text or NDJSON)\n"
		"  packetwalk trace -r FILE [FILTER]    walk the frames of a capture through the model\n"
		"  packetwalk verify -r FILE [FILTER]   rebuild every captured frame and compare bytes\n"
		"  packetwalk render --step N --size WxH -o FILE.png [OPTIONS]\n"
		"                                       draw a step of the animated view into a PNG\n"
		"  packetwalk bench engine [OPTIONS]    measure the engine's speed and memory\n"
		"  packetwalk bench render [OPTIONS]    measure the view's frame times and memory\n"
		"  packetwalk dissect -r FILE [FILTER]  read a capture with the stack's parsers (NDJSON)\n"
		"  packetwalk lesson check|play|list    check, play headless or list the course's lessons\n"
		"  packetwalk --help | --version\n"
		"\n"
		"Run 'packetwalk trace --help' for the options.\n");
}

int main(int argc, char **argv)
{
	if (argc >= 2) {
		if (!strcmp(argv[1], "trace"))
			return cmd_trace(argc - 1, argv + 1);
		if (!strcmp(argv[1], "verify"))
			return cmd_verify(argc - 1, argv + 1);
		if (!strcmp(argv[1], "bench"))
			return cmd_bench(argc - 1, argv + 1);
		if (!strcmp(argv[1], "dissect"))
			return cmd_dissect(argc - 1, argv + 1);
		if (!strcmp(argv[1], "lesson"))
			return cmd_lesson(argc - 1, argv + 1);
		if (!strcmp(argv[1], "render"))
			return cmd_render(argc - 1, argv + 1);
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[1], "--version")) {
			printf("packetwalk 0.1.0\n");
			return 0;
		}
		/* packetwalk FILE.pcap [FILTER] opens a capture in the window. */
		if (argv[1][0] != '-' && access(argv[1], F_OK) != 0) {
			fprintf(stderr, "packetwalk: unknown command '%s' (and no such file)\n", argv[1]);
			usage(stderr);
			return 2;
		}
	}
	return cmd_gui(argc, argv);
}
