/* cli.h: the subcommands of the packetwalk executable. Each returns the
 * process exit status: 0 success, 1 failure, 2 bad usage. */
#ifndef PW_APP_CLI_H
#define PW_APP_CLI_H

#include <stdio.h>

#include "engine/engine.h"

int cmd_trace(int argc, char **argv);
int cmd_dissect(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_gui(int argc, char **argv);
int cmd_lesson(int argc, char **argv);
/* `render` (cmd_render.c): steps of the animated view drawn offscreen into
 * PNG files. cmd_bench_render takes argv from the word "render" on. */
int cmd_render(int argc, char **argv);
int cmd_bench_render(int argc, char **argv);

/* Fills p with the defaults of the scenario argv names (--scenario), tcp if
 * none; the named scenario's defaults apply whatever the order of options. */
void scenario_defaults(int argc, char **argv, struct pw_params *p);

/*
 * Scenario options shared by trace, bench and the GUI. If argv[*i] is one
 * of them, it (and its value) is consumed into p, *i advanced, and 1
 * returned; 0 if it is not a scenario option; -1 with a sentence in err on
 * a bad value.
 */
int scenario_option(int argc, char **argv, int *i, struct pw_params *p, char *err, size_t errlen);
/* Help text for the scenario options and the list of scenarios. */
void scenario_options_help(FILE *out);

/*
 * Reads s as a decimal number from 0 to max into *out: digits only, so no
 * sign, space, "0x" or empty string (strtoul would read "-1" as the
 * largest number and " 7" as 7), and nothing above max (no wrap). 0, or
 * -1 leaving *out alone.
 */
int parse_number(const char *s, unsigned long long max, unsigned long long *out);
/* --frame N (opt names the option): N from 1 to 2^32 - 1. 0, or -1 with a
 * sentence in err naming opt and what was given (s is NULL when nothing was). */
int parse_frame_option(const char *opt, const char *s, uint32_t *out, char *err, size_t errlen);

/* Writes s as a JSON string literal, quotes included. */
void json_string(FILE *out, const char *s);

#endif
