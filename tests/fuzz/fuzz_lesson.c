/* fuzz_lesson.c: the lesson loader (lesson/lesson.h) on JSON text, and
 * `lesson check`'s resolve against the source's timeline.
 *
 * The input is the lesson's text, loaded with pw_lesson_load_text as if
 * it sat in the course's lessons/ directory (so "captures/x.pcap" is
 * found in the source tree); one input in eight is also loaded from a
 * file with pw_lesson_load. A lesson that loads without a problem is
 * resolved against the timeline of its source, which is walked the way
 * `lesson check` walks it (a scenario through pw_engine_run, a capture
 * through the replay) and kept: most inputs are mutations of a few
 * lessons and share a handful of sources, so resolving, not walking, is
 * what each input pays for. Walks that would take long (thousands of
 * frames: a bulk stream, a count in the millions) are not made; their
 * lessons are checked as loaded.
 *
 * Checked: every problem is a readable line; a lesson without problems
 * has every field its users read (cmd_lesson.c's play prints them
 * unchecked): strings, a level and minutes in range, 2 to 4 options and
 * an answer among them, highlight kinds in their list, and after a clean
 * resolve an event inside the timeline for every step, in order; a second
 * resolve finds what the first found.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/replay_input.h"
#include "fuzz.h"
#include "lesson/lesson.h"

#ifndef PW_SOURCE_DIR
#error "PW_SOURCE_DIR (the source tree, for lessons/ and captures/) must be defined"
#endif

/* Frames a kept walk may cost at most (an estimate from the knobs). */
#define MAX_WALK_FRAMES 64
#define CACHE 4

struct cached {
	char key[1600];
	struct pw_timeline *tl; /* NULL: the walk failed (or was not made) */
	int used;
};

static struct cached cache[CACHE];
static unsigned cache_next;

/* Only regular files of the tree's captures/: a lesson may name any path,
 * and a fuzzer would find /dev/stdin. */
static int capture_allowed(const char *path)
{
	char real[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	size_t n;

	if (!realpath(path, real) || !realpath(PW_SOURCE_DIR "/captures", dir))
		return 0;
	n = strlen(dir);
	return !strncmp(real, dir, n) && real[n] == '/' && stat(real, &st) == 0 && S_ISREG(st.st_mode) &&
	       st.st_size < (1 << 20);
}

/* A bound on the frames a scenario's walk puts on the wire, from its knobs
 * (the defaults of engine.c: at most 50 sends but bulk's 1000, 4000 bytes). */
static int walk_is_cheap(const struct pw_lesson_source *src)
{
	const struct pw_params *p = &src->params;
	uint64_t count = p->count ? p->count : !strcmp(src->scenario, "bulk") ? 1000 : 50;
	uint64_t payload = p->payload ? p->payload : 4000;

	return count * (payload / (p->mtu - 60) + 1) <= MAX_WALK_FRAMES;
}

/* The walk of cmd_lesson.c's walk_source (app/source.c's source_walk). */
static struct pw_timeline *walk(const struct pw_lesson_source *src)
{
	struct pw_timeline *tl = pw_timeline_create(1);
	struct pw_result res;
	char err[512];
	int rc;

	if (!tl)
		return NULL;
	memset(&res, 0, sizeof(res));
	if (src->capture_path) {
		static struct replay_input in;
		struct pw_replay r = { .next = replay_input_next, .next_ctx = &in };
		struct pw_params p = src->params;

		memset(&in, 0, sizeof(in));
		p.scenario = NULL;
		in.cap = pw_capture_open(src->capture_path, src->filter, err, sizeof(err));
		if (!in.cap) {
			pw_timeline_destroy(tl);
			return NULL;
		}
		in.only = src->frame;
		rc = pw_engine_replay(&p, &r, tl, &res, err, sizeof(err));
		pw_capture_close(in.cap);
		if (!rc && !res.walked)
			rc = -1;
	} else {
		rc = pw_engine_run(&src->params, tl, NULL, NULL, &res, err, sizeof(err));
	}
	FUZZ_CHECK(res.live_skbs == 0, "the lesson's walk left %u skbs alive", res.live_skbs);
	if (rc) {
		pw_timeline_destroy(tl);
		return NULL;
	}
	return tl;
}

/* The source's timeline, walked once; NULL when it cannot be or would
 * cost too much. */
static const struct pw_timeline *source_timeline(const struct pw_lesson_source *src)
{
	const struct pw_params *p = &src->params;
	struct cached *c;
	char key[sizeof(cache[0].key)];

	if (src->capture_path ? !capture_allowed(src->capture_path) : !src->scenario || !walk_is_cheap(src))
		return NULL;
	if ((size_t)snprintf(key, sizeof(key), "%s|%s|%s|%u|%u %u %u %u %u %u %u %u %u %u %u %d %llu",
			     src->scenario ? src->scenario : "", src->capture_path ? src->capture_path : "",
			     src->filter ? src->filter : "", src->frame, p->payload, p->count, p->mtu, p->qdisc_limit,
			     p->tx_ring, p->rx_ring, p->napi_weight, p->link_mbps, p->rcvbuf, p->itr_us, p->corrupt,
			     p->arp, (unsigned long long)p->seed) >= sizeof(key))
		return NULL;
	for (int i = 0; i < CACHE; i++)
		if (cache[i].used && !strcmp(cache[i].key, key))
			return cache[i].tl;
	c = &cache[cache_next++ % CACHE];
	pw_timeline_destroy(c->tl);
	snprintf(c->key, sizeof(c->key), "%s", key);
	c->tl = walk(src);
	c->used = 1;
	return c->tl;
}

static void check_errors(const struct pw_lesson *l)
{
	size_t n = pw_lesson_error_count(l);

	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(fuzz_str(pw_lesson_error(l, i), 1 << 20, "a problem") > 0, "an empty problem line");
	FUZZ_CHECK(pw_lesson_error(l, n) == NULL, "a problem past the count");
	FUZZ_CHECK(pw_lesson_ok(l) == (n == 0), "ok %d with %zu problems", pw_lesson_ok(l), n);
}

/* What a lesson without problems promises its players. */
static void check_ok_lesson(const struct pw_lesson *l)
{
	size_t questions = 0;

	fuzz_str(pw_lesson_id(l), 1 << 20, "id");
	fuzz_str(pw_lesson_title(l), 1 << 20, "title");
	fuzz_str(pw_lesson_summary(l), 1 << 20, "summary");
	FUZZ_CHECK(pw_lesson_level(l) >= 0 && pw_lesson_level(l) < PW_LEVEL_COUNT, "level %d", pw_lesson_level(l));
	FUZZ_CHECK(pw_lesson_minutes(l) >= 1 && pw_lesson_minutes(l) <= 600, "minutes %d", pw_lesson_minutes(l));
	FUZZ_CHECK(pw_lesson_source(l) != NULL, "no source");
	FUZZ_CHECK(pw_lesson_step_count(l) > 0, "no steps");
	FUZZ_CHECK(pw_lesson_step(l, pw_lesson_step_count(l)) == NULL, "a step past the count");
	for (size_t i = 0; i < pw_lesson_step_count(l); i++) {
		const struct pw_lesson_step *st = pw_lesson_step(l, i);
		const struct pw_lesson_question *q;

		FUZZ_CHECK(st != NULL, "step %zu is NULL", i);
		fuzz_str(st->text, 1 << 20, "step text");
		if (st->notes)
			fuzz_str(st->notes, 1 << 20, "notes");
		if (st->pause.func)
			fuzz_str(st->pause.func, 1 << 20, "pause func");
		FUZZ_CHECK(st->pause.nth >= 1, "step %zu: nth %u", i, st->pause.nth);
		FUZZ_CHECK(st->pause.tracepoint < PW_TP_COUNT && st->pause.layer < PW_LAYER_COUNT &&
				   st->pause.host < PW_HOSTS && st->pause.op < PW_OP_COUNT &&
				   st->pause.drop < PW_DROP_COUNT && st->pause.queue < PW_Q_COUNT &&
				   st->pause.ctx < PW_CTX_COUNT,
			   "step %zu: a pause criterion out of its list", i);
		for (size_t k = 0; k < st->n_highlights; k++) {
			const struct pw_lesson_highlight *h = &st->highlights[k];

			FUZZ_CHECK(h->kind >= 0 && h->kind < PW_HL_COUNT, "step %zu highlight %zu: kind %d", i, k, h->kind);
			FUZZ_CHECK(h->index >= 0, "step %zu highlight %zu: index %d", i, k, h->index);
			fuzz_str(h->name, 1 << 20, "highlight name");
			FUZZ_CHECK(h->host >= -1 && h->host < PW_HOSTS && h->slot >= -1 && h->slot < 4096,
				   "step %zu highlight %zu: host %d slot %d", i, k, h->host, h->slot);
		}
		q = st->question;
		if (!q)
			continue;
		questions++;
		fuzz_str(q->text, 1 << 20, "question");
		fuzz_str(q->explanation, 1 << 20, "explanation");
		FUZZ_CHECK(q->n_options >= 2 && q->n_options <= 4, "step %zu: %d options", i, q->n_options);
		FUZZ_CHECK(q->answer >= 0 && q->answer < q->n_options, "step %zu: answer %d of %d", i, q->answer,
			   q->n_options);
		for (int k = 0; k < q->n_options; k++)
			fuzz_str(q->options[k], 1 << 20, "option");
	}
	FUZZ_CHECK(pw_lesson_question_count(l) == questions, "%zu questions counted, %zu found",
		   pw_lesson_question_count(l), questions);
}

static void check_resolved(const struct pw_lesson *l, const struct pw_timeline *tl)
{
	long prev = -1;

	for (size_t i = 0; i < pw_lesson_step_count(l); i++) {
		const struct pw_lesson_step *st = pw_lesson_step(l, i);

		FUZZ_CHECK(st->event >= -1 && st->event < (long)pw_timeline_count(tl), "step %zu at event %ld of %zu",
			   i, st->event, pw_timeline_count(tl));
		for (size_t k = 0; k < st->n_highlights; k++)
			FUZZ_CHECK(st->highlights[k].host == 0 || st->highlights[k].host == 1 || st->event < 0,
				   "step %zu highlight %zu: host %d after resolve", i, k, st->highlights[k].host);
		if (!pw_lesson_ok(l))
			continue;
		FUZZ_CHECK(st->event >= prev && st->event >= 0, "a clean resolve put step %zu at %ld after %ld", i,
			   st->event, prev);
		prev = st->event;
	}
	if (pw_lesson_ok(l))
		FUZZ_CHECK(pw_lesson_resolved(l), "no problem, but not resolved");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pw_lesson *l = pw_lesson_load_text("fuzz.json", PW_SOURCE_DIR "/lessons", (const char *)data, size);
	const struct pw_timeline *tl;

	if (!l)
		return 0; /* out of memory */
	check_errors(l);
	fuzz_str(pw_lesson_file(l), 4096, "file name");
	if (size % 8 == 7) {
		struct pw_lesson *f = pw_lesson_load(fuzz_file(data, size));

		if (f) {
			check_errors(f);
			pw_lesson_free(f);
		}
	}
	if (!pw_lesson_ok(l)) {
		pw_lesson_free(l);
		return 0;
	}
	check_ok_lesson(l);
	tl = source_timeline(pw_lesson_source(l));
	if (tl) {
		int found = pw_lesson_resolve(l, tl);
		size_t problems = pw_lesson_error_count(l);

		FUZZ_CHECK(found >= 0 && (size_t)found == problems, "resolve says %d problems, the list has %zu", found,
			   problems);
		check_errors(l);
		check_resolved(l, tl);
		FUZZ_CHECK(pw_lesson_resolve(l, tl) == found && pw_lesson_error_count(l) == problems,
			   "a second resolve finds other problems");
	}
	pw_lesson_free(l);
	return 0;
}
