/* test_lesson.c: the lesson loader over small JSON texts: every kind of
 * problem with its exact message, the accessors of a good lesson, resolving
 * pause points and highlights against a real timeline, and the course
 * directory. Run under LeakSanitizer, it also shows that nothing leaks on
 * any of these paths, broken lessons included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "lesson/lesson_priv.h"
#include "test.h"

#define LOAD(text) pw_lesson_load_text("t.json", PW_SOURCE_DIR "/lessons", text, strlen(text))

/* A lesson whose steps are given by the caller (a JSON array's inside). */
static char *lesson_with(const char *source, const char *steps)
{
	static const char *fmt = "{\"id\":\"t\",\"title\":\"T\",\"level\":\"beginner\",\"minutes\":5,"
				 "\"summary\":\"S\",\"source\":%s,\"steps\":[%s]}";
	size_t n = strlen(fmt) + strlen(source) + strlen(steps) + 1;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, fmt, source, steps);
	return s;
}

/* Checks that the lesson's problems are exactly want[] (NULL-terminated). */
static void expect_errors(const struct pw_lesson *l, const char *const *want, const char *what)
{
	size_t n = 0;

	while (want[n])
		n++;
	CHECK(pw_lesson_error_count(l) == n, "%s: expected %zu problems, got %zu (first: %s)", what, n,
	      pw_lesson_error_count(l), pw_lesson_error(l, 0) ? pw_lesson_error(l, 0) : "none");
	for (size_t i = 0; i < n && i < pw_lesson_error_count(l); i++)
		CHECK(!strcmp(pw_lesson_error(l, i), want[i]), "%s: problem %zu: expected \"%s\", got \"%s\"", what, i,
		      want[i], pw_lesson_error(l, i));
}

static void check_text(const char *text, const char *const *want, const char *what)
{
	struct pw_lesson *l = LOAD(text);

	CHECK(l != NULL, "%s: load returned NULL", what);
	if (!l)
		return;
	expect_errors(l, want, what);
	CHECK(!pw_lesson_ok(l), "%s: a broken lesson says OK", what);
	pw_lesson_free(l);
}

static void test_syntax(void)
{
	check_text("{\n  \"id\": \"x\",\n  \"title\": \"t\" \"level\": 1}",
		   (const char *const[]){ "t.json: line 3, column 16: JSON syntax error near '\"level\": 1}'", NULL },
		   "missing comma");
	check_text("{\"id\":", (const char *const[]){ "t.json: line 1, column 7: JSON syntax error at the end of the file "
							  "(something is not closed)", NULL },
		   "unclosed");
	check_text("", (const char *const[]){ "t.json: the file is empty (a lesson is a JSON object)", NULL }, "empty");
	check_text("[1, 2]", (const char *const[]){ "t.json: a lesson is a JSON object, not an array", NULL }, "array");
	{
		/* A NUL byte inside the text: reported, not read past. */
		static const char nul[] = "{\"id\":\n\"a\0b\"}";
		struct pw_lesson *l = pw_lesson_load_text("t.json", NULL, nul, sizeof(nul) - 1);

		CHECK(l && pw_lesson_error_count(l) == 1 &&
			      !strcmp(pw_lesson_error(l, 0), "t.json: line 2, column 3: a NUL byte; a lesson is UTF-8 text"),
		      "NUL byte: got %s", l ? pw_lesson_error(l, 0) : "NULL");
		pw_lesson_free(l);
	}
	{
		/* NULL text is an empty lesson, not a crash. */
		struct pw_lesson *l = pw_lesson_load_text(NULL, NULL, NULL, 5);

		CHECK(l && pw_lesson_error_count(l) == 1, "NULL text: %zu problems", l ? pw_lesson_error_count(l) : 0);
		pw_lesson_free(l);
	}
}

static void test_schema(void)
{
	check_text("{\"id\":\"x\",\"title\":\"T\",\"levle\":\"beginner\",\"minutes\":5,\"summary\":\"S\","
		   "\"source\":{\"scenario\":\"tcp\"},\"steps\":[{\"pause_at\":{\"func\":\"tcp_connect\"},\"text\":\"a\"}]}",
		   (const char *const[]){ "t.json: levle: unknown key (did you mean 'level'?)", "t.json: level: required, but missing",
					  NULL },
		   "unknown key");
	check_text("{\"id\":\"x\",\"title\":\"T\",\"title\":\"U\",\"level\":\"beginner\",\"minutes\":5,\"summary\":\"S\","
		   "\"source\":{\"scenario\":\"tcp\"},\"steps\":[{\"pause_at\":{\"func\":\"tcp_connect\"},\"text\":\"a\"}]}",
		   (const char *const[]){ "t.json: title: given twice (keys must be unique)", NULL }, "duplicate key");
	check_text("{\"id\":\"Bad Id\",\"title\":7,\"level\":\"expert\",\"minutes\":2.5,\"summary\":\"\","
		   "\"source\":{\"scenario\":\"tcp\"},\"steps\":[]}",
		   (const char *const[]){ "t.json: id: 'Bad Id': use lower-case letters, digits and '-' only",
					  "t.json: title: expected a string, got a number", "t.json: summary: is empty",
					  "t.json: level: unknown level 'expert'", "t.json: minutes: expected a whole number, got 2.5",
					  "t.json: steps: is empty; a lesson needs at least one step", NULL },
		   "types");
	check_text("{\"zzz\":1}",
		   (const char *const[]){ "t.json: zzz: unknown key (known here: id, title, level, minutes, summary, source, steps)",
					  "t.json: id: required, but missing", "t.json: title: required, but missing",
					  "t.json: summary: required, but missing", "t.json: level: required, but missing",
					  "t.json: minutes: required, but missing", "t.json: source: required, but missing",
					  "t.json: steps: required, but missing", NULL },
		   "everything missing");
}

static void test_source(void)
{
	static const char *step = "{\"pause_at\":{\"func\":\"tcp_connect\"},\"text\":\"a\"}";
	static const struct {
		const char *source;
		const char *want;
	} cases[] = {
		{ "{\"scenario\":\"tpc\"}", "t.json: source.scenario: unknown scenario 'tpc' (did you mean 'tcp'?)" },
		{ "{\"scenario\":\"zzzzzz\"}", "t.json: source.scenario: unknown scenario 'zzzzzz'" },
		{ "{}", "t.json: source: needs a \"scenario\" or a \"capture\"" },
		{ "{\"scenario\":\"tcp\",\"capture\":\"x.pcap\"}",
		  "t.json: source: names both a scenario and a capture; a lesson walks one of them" },
		{ "{\"scenario\":\"tcp\",\"mtu\":9000}", "t.json: source: --mtu 9000 is out of range (68..1500)" },
		{ "{\"scenario\":\"tcp\",\"payload\":-1}", "t.json: source.payload: -1 is out of range (0..4294967295)" },
		{ "{\"scenario\":\"tcp\",\"qdisc_limit\":3}",
		  "t.json: source.qdisc_limit: unknown key (did you mean 'qdisc-limit'?)" },
		{ "{\"scenario\":\"tcp\",\"arp\":1}", "t.json: source.arp: expected true or false, got a number" },
		{ "{\"scenario\":\"tcp\",\"frame\":1}", "t.json: source.frame: only a capture takes a frame" },
		{ "{\"capture\":\"captures/linux-tcp-hello.pcap\",\"payload\":3}",
		  "t.json: source.payload: a capture source takes only capture, filter and frame" },
		{ "{\"capture\":\"captures/none.pcap\"}",
		  "t.json: source.capture: cannot find 'captures/none.pcap' (looked in " PW_SOURCE_DIR
		  "/lessons and the directories above it)" },
		{ "{\"capture\":\"captures/linux-tcp-hello.pcap\",\"frame\":0}", "t.json: source.frame: 0 is out of range (1..4294967295)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = lesson_with(cases[i].source, step);

		check_text(text, (const char *const[]){ cases[i].want, NULL }, cases[i].source);
		free(text);
	}
	/* Knobs reach the parameters; a capture is found from lessons/ upwards. */
	{
		char *text = lesson_with("{\"scenario\":\"burst\",\"payload\":100,\"qdisc-limit\":4,\"arp\":true,\"seed\":7}", step);
		struct pw_lesson *l = LOAD(text);
		const struct pw_lesson_source *src = l ? pw_lesson_source(l) : NULL;

		CHECK(src && !strcmp(src->scenario, "burst") && src->params.payload == 100 && src->params.qdisc_limit == 4 &&
			      src->params.tx_ring == 16 && src->params.arp == 1 && src->params.seed == 7 && !src->capture,
		      "burst knobs not applied over the scenario's defaults");
		pw_lesson_free(l);
		free(text);
	}
	{
		char *text = lesson_with("{\"capture\":\"captures/linux-tcp-hello.pcap\",\"filter\":\"tcp\",\"frame\":4}", step);
		struct pw_lesson *l = LOAD(text);
		const struct pw_lesson_source *src = l ? pw_lesson_source(l) : NULL;

		CHECK(l && pw_lesson_ok(l), "capture source: %s", l ? pw_lesson_error(l, 0) : "NULL");
		CHECK(src && !src->scenario && !strcmp(src->capture, "captures/linux-tcp-hello.pcap") &&
			      src->capture_path && access(src->capture_path, R_OK) == 0 && !strcmp(src->filter, "tcp") &&
			      src->frame == 4,
		      "capture source fields");
		pw_lesson_free(l);
		free(text);
	}
}

static void test_steps(void)
{
	static const char *src = "{\"scenario\":\"tcp\"}";
	static const struct {
		const char *steps;
		const char *want[4];
	} cases[] = {
		{ "{\"pause_at\":{\"func\":\"x\"},\"text\":\"a\",\"question\":{\"text\":\"q\",\"options\":[\"a\",\"b\",\"c\"],"
		  "\"answer\":5,\"explanation\":\"e\"}}",
		  { "t.json: steps[0].question.answer: 5 is not one of the 3 options (0..2)" } },
		{ "{\"pause_at\":{\"func\":\"x\"},\"text\":\"a\",\"question\":{\"text\":\"q\",\"options\":[\"a\"],"
		  "\"answer\":0,\"explanation\":\"e\"}}",
		  { "t.json: steps[0].question.options: 1 option; a question has 2 to 4" } },
		{ "{\"pause_at\":{\"func\":\"x\"},\"text\":\"a\",\"question\":{\"options\":[\"a\",3],\"answer\":\"0\"}}",
		  { "t.json: steps[0].question.text: required, but missing",
		    "t.json: steps[0].question.explanation: required, but missing",
		    "t.json: steps[0].question.options[1]: expected a string, got a number",
		    "t.json: steps[0].question.answer: expected a whole number, got a string" } },
		{ "{\"pause_at\":{\"nth\":2},\"text\":\"a\"}",
		  { "t.json: steps[0].pause_at: names no event: give at least one of func, tracepoint, layer, host, op, "
		    "drop_reason, queue, ctx" } },
		{ "{\"pause_at\":{\"tracepoint\":\"net:net_dev_que\",\"host\":\"C\",\"nth\":0},\"text\":\"a\"}",
		  { "t.json: steps[0].pause_at.tracepoint: unknown tracepoint 'net:net_dev_que' (did you mean "
		    "'net:net_dev_queue'?)",
		    "t.json: steps[0].pause_at.host: unknown host (A or B) 'C'",
		    "t.json: steps[0].pause_at.nth: 0 is out of range (1..1000000000)" } },
		{ "{\"pause_at\":{\"layer\":\"tpc\",\"op\":\"pul\",\"drop_reason\":\"TCP_CSUMM\",\"queue\":\"tx ring\"},\"text\":\"a\"}",
		  { "t.json: steps[0].pause_at.layer: unknown layer 'tpc' (did you mean 'tcp'?)",
		    "t.json: steps[0].pause_at.op: unknown op 'pul' (did you mean 'put'?)",
		    "t.json: steps[0].pause_at.drop_reason: unknown drop reason 'TCP_CSUMM' (did you mean 'TCP_CSUM'?)",
		    "t.json: steps[0].pause_at.queue: unknown queue 'tx ring' (did you mean 'tx_ring'?)" } },
		{ "{\"pause_at\":{\"func\":\"x\"},\"text\":\"a\",\"highlights\":[{\"queue\":\"sk_recieve_queue\"},"
		  "{\"pointer\":\"data\",\"lane\":\"ip\"},{},{\"lane\":\"ip\",\"slot\":1}]}",
		  { "t.json: steps[0].highlights[0].queue: unknown queue 'sk_recieve_queue' (did you mean 'sk_receive_queue'?)",
		    "t.json: steps[0].highlights[1]: names both 'pointer' and 'lane'; one highlight shows one thing",
		    "t.json: steps[0].highlights[2]: highlights nothing: give one of pointer, offset, queue, ring, header, lane, host",
		    "t.json: steps[0].highlights[3].slot: only a ring highlight has slots" } },
		{ "{\"pause_at\":{\"func\":\"x\"},\"txet\":\"a\",\"notes\":5}",
		  { "t.json: steps[0].txet: unknown key (did you mean 'text'?)", "t.json: steps[0].text: required, but missing",
		    "t.json: steps[0].notes: expected a string, got a number" } },
		{ "7", { "t.json: steps[0]: expected an object, got a number" } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = lesson_with(src, cases[i].steps);
		const char *want[5] = { NULL };

		memcpy(want, cases[i].want, sizeof(cases[i].want));
		check_text(text, want, cases[i].steps);
		free(text);
	}
}

/* The tcp scenario's timeline, kept, for resolving. */
static struct pw_timeline *tcp_timeline(void)
{
	struct pw_timeline *tl = pw_timeline_create(1);
	struct pw_params p;
	struct pw_result res;
	char err[256];

	pw_params_defaults(&p, "tcp");
	if (tl && pw_engine_run(&p, tl, NULL, NULL, &res, err, sizeof(err))) {
		pw_timeline_destroy(tl);
		return NULL;
	}
	return tl;
}

static struct pw_timeline *walk_tcp(void *ctx, const struct pw_lesson_source *src, char *err, size_t errlen)
{
	(void)ctx;
	if (!src->scenario || strcmp(src->scenario, "tcp")) {
		snprintf(err, errlen, "this test walks only tcp");
		return NULL;
	}
	return tcp_timeline();
}

static void test_resolve(void)
{
	struct pw_timeline *tl = tcp_timeline();
	char *text;
	struct pw_lesson *l;

	CHECK(tl != NULL, "the tcp scenario did not run");
	if (!tl)
		return;
	/* A good lesson: every step found, in order, with its highlights' hosts. */
	text = lesson_with("{\"scenario\":\"tcp\"}",
			   "{\"pause_at\":{\"func\":\"tcp_stream_alloc_skb\",\"op\":\"alloc\"},\"text\":\"alloc\","
			   "\"highlights\":[{\"pointer\":\"head\"},{\"queue\":\"sk_receive_queue\",\"host\":\"B\"}],\"notes\":\"n\"},"
			   "{\"pause_at\":{\"func\":\"ip_rcv_core\",\"host\":\"B\",\"nth\":3},\"text\":\"ip\","
			   "\"highlights\":[{\"header\":\"tcp\"},{\"offset\":\"transport\"},{\"ring\":\"rx\",\"slot\":2}],"
			   "\"question\":{\"text\":\"q\",\"options\":[\"a\",\"b\"],\"answer\":1,\"explanation\":\"e\"}},"
			   "{\"pause_at\":{\"func\":\"ip_rcv_core\",\"host\":\"B\",\"nth\":3},\"text\":\"same event again\"}");
	l = LOAD(text);
	free(text);
	CHECK(l && pw_lesson_ok(l), "good lesson broken at load: %s", l ? pw_lesson_error(l, 0) : "NULL");
	if (l) {
		const struct pw_lesson_step *s0 = pw_lesson_step(l, 0), *s1 = pw_lesson_step(l, 1);

		CHECK(s0 && s0->event == -1 && !pw_lesson_resolved(l), "steps have no event before resolve");
		CHECK_EQ_INT(pw_lesson_resolve(l, tl), 0);
		CHECK(pw_lesson_resolved(l) && pw_lesson_ok(l), "resolve: %s", pw_lesson_error(l, 0));
		CHECK(s0->event >= 0 && !strcmp(pw_timeline_event(tl, (size_t)s0->event)->func, "tcp_stream_alloc_skb"),
		      "step 0 event %ld", s0->event);
		CHECK(s1->event > s0->event && !strcmp(pw_timeline_event(tl, (size_t)s1->event)->func, "ip_rcv_core") &&
			      pw_timeline_event(tl, (size_t)s1->event)->host == 1,
		      "step 1 event %ld", s1->event);
		CHECK(pw_lesson_step(l, 2)->event == s1->event, "two steps may pause at one event");
		CHECK(s0->n_highlights == 2 && s0->highlights[0].kind == PW_HL_POINTER && s0->highlights[0].index == 0 &&
			      s0->highlights[0].host == 0 && s0->highlights[1].kind == PW_HL_QUEUE &&
			      s0->highlights[1].index == PW_Q_SK_RECEIVE && s0->highlights[1].host == 1,
		      "step 0 highlights");
		CHECK(s1->highlights[0].kind == PW_HL_HEADER && s1->highlights[0].index == PW_HDR_TCP &&
			      s1->highlights[0].host == 1 && s1->highlights[2].kind == PW_HL_RING && s1->highlights[2].index == 1 &&
			      s1->highlights[2].slot == 2,
		      "step 1 highlights");
		CHECK(s1->question && s1->question->n_options == 2 && s1->question->answer == 1 &&
			      !strcmp(s1->question->options[1], "b") && !strcmp(s1->question->explanation, "e"),
		      "step 1 question");
		CHECK(!s0->question && s0->notes && !strcmp(s0->notes, "n") && !s1->notes, "notes");
		CHECK(!strcmp(pw_lesson_id(l), "t") && !strcmp(pw_lesson_title(l), "T") &&
			      pw_lesson_level(l) == PW_LEVEL_BEGINNER && pw_lesson_minutes(l) == 5 &&
			      !strcmp(pw_lesson_summary(l), "S") && pw_lesson_step_count(l) == 3 &&
			      pw_lesson_question_count(l) == 1 && !pw_lesson_step(l, 3) && !strcmp(pw_lesson_file(l), "t.json"),
		      "accessors");
	}
	pw_lesson_free(l);

	/* Unreachable pause points, each explained; order; highlights the scene lacks. */
	text = lesson_with("{\"scenario\":\"tcp\"}",
			   "{\"pause_at\":{\"func\":\"tcp_close\"},\"text\":\"a\"},"
			   "{\"pause_at\":{\"func\":\"tcp_v4_connect\"},\"text\":\"b\",\"highlights\":[{\"pointer\":\"data\"}]},"
			   "{\"pause_at\":{\"func\":\"ip_rcv_croe\",\"host\":\"B\"},\"text\":\"c\"},"
			   "{\"pause_at\":{\"tracepoint\":\"tcp:tcp_bad_csum\"},\"text\":\"d\"},"
			   "{\"pause_at\":{\"func\":\"ip_rcv_core\",\"op\":\"alloc\"},\"text\":\"e\"},"
			   "{\"pause_at\":{\"func\":\"tcp_time_wait\",\"nth\":2},\"text\":\"f\"},"
			   "{\"pause_at\":{\"func\":\"tcp_time_wait\"},\"text\":\"g\",\"highlights\":[{\"header\":\"eth\"}]},"
			   "{\"pause_at\":{\"func\":\"tcp_connect\",\"op\":\"alloc\",\"nth\":2},\"text\":\"h\","
			   "\"highlights\":[{\"offset\":\"mac\"},{\"header\":\"udp\"},{\"ring\":\"tx\",\"slot\":256}]}");
	l = LOAD(text);
	free(text);
	CHECK(l && pw_lesson_ok(l), "second lesson broken at load");
	if (l) {
		static const char *const want[] = {
			"t.json: steps[1].pause_at: pauses at event 4 (tcp_v4_connect on A), before steps[0]'s event 221 "
			"(tcp_close on A); steps must pause in timeline order",
			"t.json: steps[1].highlights[0].pointer: event 4 (tcp_v4_connect on A) carries no skb to show a pointer in",
			"t.json: steps[2].pause_at.func: no event calls 'ip_rcv_croe' in this scenario (did you mean 'ip_rcv_core'?)",
			"t.json: steps[3].pause_at.tracepoint: no event fires 'tcp:tcp_bad_csum' in this scenario",
			"t.json: steps[4].pause_at: no event matches all of: func 'ip_rcv_core', op 'alloc'",
			"t.json: steps[5].pause_at.nth: asks for match 2, but only 1 event matches",
			"t.json: steps[6].highlights[0].header: event 446 (tcp_time_wait on A) carries no skb to show a header in",
			"t.json: steps[7].pause_at.nth: asks for match 2, but only 1 event matches",
			NULL,
		};

		CHECK_EQ_INT(pw_lesson_resolve(l, tl), 8);
		expect_errors(l, want, "unreachable");
		CHECK(!pw_lesson_resolved(l) && pw_lesson_step(l, 2)->event == -1, "a missed step keeps event -1");
		/* Resolving again replaces the problems instead of adding to them. */
		CHECK_EQ_INT(pw_lesson_resolve(l, tl), 8);
		CHECK_EQ_INT(pw_lesson_error_count(l), 8);
	}
	pw_lesson_free(l);

	text = lesson_with("{\"scenario\":\"tcp\"}",
			   "{\"pause_at\":{\"func\":\"tcp_connect\",\"op\":\"alloc\"},\"text\":\"h\","
			   "\"highlights\":[{\"offset\":\"mac\"},{\"header\":\"udp\"},{\"ring\":\"tx\",\"slot\":256},"
			   "{\"pointer\":\"end\"},{\"lane\":\"nic\",\"host\":\"B\"},{\"host\":\"B\"}]}");
	l = LOAD(text);
	free(text);
	if (l) {
		static const char *const want[] = {
			"t.json: steps[0].highlights[0].offset: the skb's mac header offset is not set at event 6 (tcp_connect on A)",
			"t.json: steps[0].highlights[1].header: the skb at event 6 (tcp_connect on A) holds no udp header",
			"t.json: steps[0].highlights[2].slot: descriptor 256 is past the end of A's 256-descriptor tx ring",
			NULL,
		};
		const struct pw_lesson_step *s;

		pw_lesson_resolve(l, tl);
		expect_errors(l, want, "scene");
		s = pw_lesson_step(l, 0);
		CHECK(s->highlights[4].kind == PW_HL_LANE && s->highlights[4].index == 5 && s->highlights[4].host == 1 &&
			      s->highlights[5].kind == PW_HL_HOST && s->highlights[5].index == 1 &&
			      !strcmp(s->highlights[5].name, "B"),
		      "lane and host highlights");
	}
	pw_lesson_free(l);

	/* pw_lesson_check with a walk callback, and a walk that fails. */
	text = lesson_with("{\"scenario\":\"tcp\"}", "{\"pause_at\":{\"func\":\"tcp_v4_connect\"},\"text\":\"a\"}");
	l = LOAD(text);
	CHECK(l && pw_lesson_check(l, walk_tcp, NULL) && pw_lesson_resolved(l), "check with a walk");
	pw_lesson_free(l);
	free(text);
	text = lesson_with("{\"scenario\":\"udp\"}", "{\"pause_at\":{\"func\":\"x\"},\"text\":\"a\"}");
	l = LOAD(text);
	CHECK(l && !pw_lesson_check(l, walk_tcp, NULL) && pw_lesson_error_count(l) == 1 &&
		      !strcmp(pw_lesson_error(l, 0), "t.json: source: cannot walk it: this test walks only tcp"),
	      "failed walk: %s", l ? pw_lesson_error(l, 0) : "NULL");
	pw_lesson_free(l);
	free(text);
	/* A lesson broken at load is neither walked nor resolved. */
	l = LOAD("{}");
	CHECK(l && !pw_lesson_check(l, walk_tcp, NULL) && pw_lesson_resolve(l, tl) == 0 && !pw_lesson_source(l),
	      "broken lesson resolved");
	pw_lesson_free(l);
	pw_timeline_destroy(tl);
}

static void test_suggest(void)
{
	static const char *const names[] = { "ip_rcv", "ip_rcv_core", "tcp_v4_rcv", NULL, "steps" };

	CHECK(!strcmp(lesson_suggest("ip_rvc", names, 5), "ip_rcv"), "a swap is one edit");
	CHECK(!strcmp(lesson_suggest("IP_RCV", names, 5), "ip_rcv"), "case is ignored");
	CHECK(!strcmp(lesson_suggest("stpes", names, 5), "steps"), "stpes");
	CHECK(lesson_suggest("xyz", names, 5) == NULL, "nothing close");
	CHECK(lesson_suggest("a", names, 0) == NULL, "no names");
	{
		char longword[200];

		memset(longword, 'a', sizeof(longword) - 1);
		longword[sizeof(longword) - 1] = '\0';
		CHECK(lesson_suggest(longword, names, 5) == NULL, "a very long word is no typo of a name");
	}
}

static void test_course(void)
{
	char dir[] = "/tmp/pw-course-XXXXXX", path[512], err[256];
	struct pw_course *c;
	FILE *f;

	pw_lesson_free(NULL);
	pw_course_close(NULL);
	c = pw_course_open("/nonexistent/dir", err, sizeof(err));
	CHECK(!c && strstr(err, "/nonexistent/dir: "), "missing dir: %s", err);
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp failed");
		return;
	}
	snprintf(path, sizeof(path), "%s/02-b.json", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("{ broken", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/01-a.json", dir);
	f = fopen(path, "w");
	if (f) {
		fputs("{\"id\":\"a\",\"title\":\"A\",\"level\":\"advanced\",\"minutes\":3,\"summary\":\"s\","
		      "\"source\":{\"scenario\":\"tcp\"},\"steps\":[{\"pause_at\":{\"func\":\"tcp_v4_connect\"},\"text\":\"t\"}]}",
		      f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	c = pw_course_open(dir, err, sizeof(err));
	CHECK(c && pw_course_count(c) == 2, "course of 2 lessons: %zu", c ? pw_course_count(c) : 0);
	if (c && pw_course_count(c) == 2) {
		CHECK(pw_lesson_ok(pw_course_lesson(c, 0)) && !strcmp(pw_lesson_id(pw_course_lesson(c, 0)), "a") &&
			      pw_lesson_level(pw_course_lesson(c, 0)) == PW_LEVEL_ADVANCED,
		      "first lesson in name order");
		CHECK(!pw_lesson_ok(pw_course_lesson(c, 1)) && !pw_lesson_id(pw_course_lesson(c, 1)) &&
			      pw_lesson_minutes(pw_course_lesson(c, 1)) == -1 && pw_lesson_level(pw_course_lesson(c, 1)) == -1,
		      "the broken lesson is listed, broken");
		CHECK(!pw_course_lesson(c, 2), "past the end");
	}
	pw_course_close(c);
	snprintf(path, sizeof(path), "%s/01-a.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/02-b.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	unlink(path);
	rmdir(dir);
	{
		struct pw_lesson *l = pw_lesson_load("/nonexistent/x.json");

		CHECK(l && !strcmp(pw_lesson_error(l, 0), "/nonexistent/x.json: cannot read it: No such file or directory"),
		      "missing file: %s", l ? pw_lesson_error(l, 0) : "NULL");
		pw_lesson_free(l);
	}
}

/* Every lesson of the course loads clean (resolving is the CLI test's job). */
static void test_course_dir(void)
{
	char err[256];
	struct pw_course *c = pw_course_open(PW_SOURCE_DIR "/lessons", err, sizeof(err));

	CHECK(c && pw_course_count(c) >= 12, "the course has %zu lessons", c ? pw_course_count(c) : 0);
	for (size_t i = 0; c && i < pw_course_count(c); i++)
		CHECK(pw_lesson_ok(pw_course_lesson(c, i)), "%s", pw_lesson_error(pw_course_lesson(c, i), 0));
	pw_course_close(c);
}

int main(void)
{
	test_syntax();
	test_schema();
	test_source();
	test_steps();
	test_resolve();
	test_suggest();
	test_course();
	test_course_dir();
	return test_report("test_lesson");
}
