/* cmd_lesson.c: `packetwalk lesson`, the course from the command line:
 * check lesson files, play one to its end without a window, list the
 * course. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/source.h"
#include "lesson/lesson.h"

static void lesson_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk lesson check FILE...\n"
		"       packetwalk lesson play FILE [--answers auto|first] [--json]\n"
		"       packetwalk lesson list [DIR]\n"
		"\n"
		"Lessons are guided walks: JSON files (lessons/README.md) that pause a scenario or a\n"
		"captured frame at chosen steps, narrate them and ask checkpoint questions.\n"
		"\n"
		"  check   check each file: syntax, keys and types, the source, every pause point found\n"
		"          in its walk and in order, every highlight naming something the scene has.\n"
		"          Prints each problem on its own line (FILE: PATH: what is wrong), or one OK\n"
		"          line per file.\n"
		"  play    play a lesson to its end without a window: each step's event, narration and\n"
		"          question, the answer given and the explanation, then the score.\n"
		"  list    the lessons of DIR (default: the course, lessons/), with OK or the first problem.\n"
		"\n"
		"Run 'packetwalk lesson COMMAND --help' for one command.\n"
		"\n"
		"Exit status: 0 success, 1 a lesson has a problem, 2 bad usage.\n");
}

static void check_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk lesson check FILE...\n"
		"\n"
		"Checks lesson files: JSON syntax (with line and column), required keys, types, unknown\n"
		"keys, the source (a known scenario with valid knobs, or a capture file that exists),\n"
		"every pause point reachable in the walk of that source and in timeline order, every\n"
		"answer index among the options, every highlight naming something the scene has at that\n"
		"step. Each problem is one line, FILE: JSON.PATH: what is wrong (and a suggestion).\n"
		"\n"
		"Exit status: 0 every file is OK (one OK line each), 1 a file has a problem, 2 bad usage.\n");
}

static void play_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk lesson play FILE [--answers auto|first] [--json]\n"
		"\n"
		"Plays a lesson to its end without a window: for each step, its number, the event it\n"
		"pauses at (index, host, function, tracepoint), the narration, and for a checkpoint the\n"
		"question, the answer given and the explanation; then the score.\n"
		"\n"
		"  --answers auto    answer every question right (the default)\n"
		"  --answers first   always answer the first option\n"
		"  --json            one JSON object per step, then {\"score\":R,\"questions\":Q}\n"
		"\n"
		"Exit status: 0 played, 1 the lesson has a problem (listed), 2 bad usage.\n");
}

static void list_help(FILE *out)
{
	fprintf(out,
		"Usage: packetwalk lesson list [DIR]\n"
		"\n"
		"Lists the lessons of DIR (default: lessons/ here, else the course this program was\n"
		"built with): file, id, title, level, minutes, and OK or the lesson's first problem.\n"
		"\n"
		"Exit status: 0 listed (even with broken lessons), 1 DIR cannot be read, 2 bad usage.\n");
}

/* pw_lesson_walk_fn over the app's source_walk. */
static struct pw_timeline *walk_source(void *ctx, const struct pw_lesson_source *src, char *err, size_t errlen)
{
	struct source_spec spec;
	char title[256];

	memset(&spec, 0, sizeof(spec));
	spec.params = src->params;
	spec.capture = src->capture_path;
	snprintf(spec.filter, sizeof(spec.filter), "%s", src->filter ? src->filter : "");
	spec.frame = src->frame;
	return source_walk(&spec, title, sizeof(title), err, errlen);
}

static void print_problems(const struct pw_lesson *l)
{
	for (size_t i = 0; i < pw_lesson_error_count(l); i++)
		printf("%s\n", pw_lesson_error(l, i));
}

static int lesson_check(int argc, char **argv)
{
	int files = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			check_help(stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "packetwalk lesson check: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	for (int i = 1; i < argc; i++) {
		struct pw_lesson *l = pw_lesson_load(argv[i]);

		if (!l) {
			fprintf(stderr, "packetwalk lesson check: out of memory\n");
			return 1;
		}
		files++;
		if (pw_lesson_check(l, walk_source, NULL)) {
			printf("%s: OK (%s, %zu steps, %zu question%s)\n", argv[i], pw_lesson_id(l), pw_lesson_step_count(l),
			       pw_lesson_question_count(l), pw_lesson_question_count(l) == 1 ? "" : "s");
		} else {
			print_problems(l);
			bad++;
		}
		pw_lesson_free(l);
	}
	if (!files) {
		fprintf(stderr, "packetwalk lesson check: name at least one lesson file\n");
		return 2;
	}
	return bad ? 1 : 0;
}

static void print_step_json(const struct pw_lesson *l, size_t i, const struct pw_event *e, int given)
{
	const struct pw_lesson_step *st = pw_lesson_step(l, i);
	const struct pw_lesson_question *q = st->question;

	printf("{\"step\":%zu,\"event\":%ld,\"host\":\"%s\",\"func\":", i + 1, st->event, e->host ? "B" : "A");
	json_string(stdout, e->func);
	fputs(",\"tracepoint\":", stdout);
	if (pw_tp_names[e->tp])
		json_string(stdout, pw_tp_names[e->tp]);
	else
		fputs("null", stdout);
	fputs(",\"text\":", stdout);
	json_string(stdout, st->text);
	fputs(",\"highlights\":[", stdout);
	for (size_t k = 0; k < st->n_highlights; k++) {
		const struct pw_lesson_highlight *h = &st->highlights[k];

		printf("%s{\"kind\":\"%s\",\"name\":", k ? "," : "", pw_highlight_kind_names[h->kind]);
		json_string(stdout, h->name);
		printf(",\"host\":\"%s\"", h->host ? "B" : "A");
		if (h->slot >= 0)
			printf(",\"slot\":%d", h->slot);
		fputs("}", stdout);
	}
	fputs("]", stdout);
	if (q) {
		fputs(",\"question\":{\"text\":", stdout);
		json_string(stdout, q->text);
		fputs(",\"options\":[", stdout);
		for (int k = 0; k < q->n_options; k++) {
			if (k)
				fputs(",", stdout);
			json_string(stdout, q->options[k]);
		}
		printf("],\"answer\":%d,\"given\":%d,\"right\":%s,\"explanation\":", q->answer, given,
		       given == q->answer ? "true" : "false");
		json_string(stdout, q->explanation);
		fputs("}", stdout);
	}
	if (st->notes) {
		fputs(",\"notes\":", stdout);
		json_string(stdout, st->notes);
	}
	fputs("}\n", stdout);
}

static void print_step_text(const struct pw_lesson *l, size_t i, const struct pw_event *e, int given)
{
	const struct pw_lesson_step *st = pw_lesson_step(l, i);
	const struct pw_lesson_question *q = st->question;

	printf("Step %zu/%zu: event %ld, host %s, %s, tracepoint %s\n", i + 1, pw_lesson_step_count(l), st->event,
	       e->host ? "B" : "A", e->func, pw_tp_names[e->tp] ? pw_tp_names[e->tp] : "-");
	printf("  %s\n", st->text);
	if (q) {
		printf("  Question: %s\n", q->text);
		for (int k = 0; k < q->n_options; k++)
			printf("    %d) %s\n", k + 1, q->options[k]);
		printf("  Answer given: %d) %s: %s\n", given + 1, q->options[given],
		       given == q->answer ? "right" : "wrong");
		if (given != q->answer)
			printf("  The right answer: %d) %s\n", q->answer + 1, q->options[q->answer]);
		printf("  %s\n", q->explanation);
	}
	printf("\n");
}

static int lesson_play(int argc, char **argv)
{
	const char *file = NULL;
	int json = 0, first = 0, right = 0, questions = 0;
	struct pw_lesson *l;
	struct pw_timeline *tl;
	char err[512] = "";

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			play_help(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--answers")) {
			if (i + 1 >= argc || (strcmp(argv[i + 1], "auto") && strcmp(argv[i + 1], "first"))) {
				fprintf(stderr, "packetwalk lesson play: --answers takes auto or first\n");
				return 2;
			}
			first = !strcmp(argv[++i], "first");
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "packetwalk lesson play: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (file) {
			fprintf(stderr, "packetwalk lesson play: one lesson at a time ('%s' and '%s')\n", file, argv[i]);
			return 2;
		} else {
			file = argv[i];
		}
	}
	if (!file) {
		fprintf(stderr, "packetwalk lesson play: name a lesson file\n");
		return 2;
	}
	l = pw_lesson_load(file);
	if (!l) {
		fprintf(stderr, "packetwalk lesson play: out of memory\n");
		return 1;
	}
	tl = pw_lesson_ok(l) ? walk_source(NULL, pw_lesson_source(l), err, sizeof(err)) : NULL;
	if (pw_lesson_ok(l) && !tl)
		fprintf(stderr, "%s: source: cannot walk it: %s\n", file, err);
	if (tl)
		pw_lesson_resolve(l, tl);
	if (!tl || !pw_lesson_ok(l)) {
		for (size_t i = 0; i < pw_lesson_error_count(l); i++)
			fprintf(stderr, "%s\n", pw_lesson_error(l, i));
		pw_timeline_destroy(tl);
		pw_lesson_free(l);
		return 1;
	}
	if (!json)
		printf("%s (%s, %d minutes)\n%s\n\n", pw_lesson_title(l), pw_lesson_level_names[pw_lesson_level(l)],
		       pw_lesson_minutes(l), pw_lesson_summary(l));
	for (size_t i = 0; i < pw_lesson_step_count(l); i++) {
		const struct pw_lesson_step *st = pw_lesson_step(l, i);
		const struct pw_event *e = pw_timeline_event(tl, (size_t)st->event);
		int given = -1;

		if (st->question) {
			given = first ? 0 : st->question->answer;
			questions++;
			right += given == st->question->answer;
		}
		if (json)
			print_step_json(l, i, e, given);
		else
			print_step_text(l, i, e, given);
	}
	if (json)
		printf("{\"score\":%d,\"questions\":%d}\n", right, questions);
	else
		printf("Score: %d/%d\n", right, questions);
	pw_timeline_destroy(tl);
	pw_lesson_free(l);
	return 0;
}

static int lesson_list(int argc, char **argv)
{
	const char *dir = NULL;
	struct pw_course *c;
	char err[512];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			list_help(stdout);
			return 0;
		}
		if ((argv[i][0] == '-' && argv[i][1]) || dir) {
			fprintf(stderr, "packetwalk lesson list: unexpected '%s'\n", argv[i]);
			return 2;
		}
		dir = argv[i];
	}
	if (!dir)
		dir = pw_lesson_default_dir();
	c = pw_course_open(dir, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "packetwalk lesson list: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < pw_course_count(c); i++) {
		struct pw_lesson *l = pw_course_lesson(c, i);
		const char *file = strrchr(pw_lesson_file(l), '/');
		int ok = pw_lesson_check(l, walk_source, NULL);
		int lv = pw_lesson_level(l);

		/* A lesson too broken to have an id is named by its file. */
		printf("%-28s %-44s %-12s %3d min  %s\n", pw_lesson_id(l) ? pw_lesson_id(l) : file ? file + 1 : pw_lesson_file(l),
		       pw_lesson_title(l) ? pw_lesson_title(l) : "-",
		       lv >= 0 ? pw_lesson_level_names[lv] : "-", pw_lesson_minutes(l) > 0 ? pw_lesson_minutes(l) : 0,
		       ok ? "OK" : pw_lesson_error(l, 0));
	}
	pw_course_close(c);
	return 0;
}

int cmd_lesson(int argc, char **argv)
{
	if (argc < 2) {
		lesson_help(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		lesson_help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "check"))
		return lesson_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "play"))
		return lesson_play(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return lesson_list(argc - 1, argv + 1);
	fprintf(stderr, "packetwalk lesson: unknown command '%s' (check, play, list)\n", argv[1]);
	return 2;
}
