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

/* Writes s as a JSON string literal, quotes included. */
void json_string(FILE *out, const char *s);

#endif
