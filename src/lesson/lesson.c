/* lesson.c: reading a lesson file into a struct pw_lesson, and its
 * accessors.
 *
 * The JSON is parsed with cJSON, checked against the format of
 * lessons/README.md and copied into the lesson's own structures; the cJSON
 * tree is freed before returning, so nothing outside this folder sees
 * cJSON. Checking goes on after a problem, so that an author sees every
 * problem of a file at once, not one per run.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "engine/scenario.h"
#include "lesson/lesson_priv.h"

/* Lessons are a few kilobytes; anything this large is not one. */
#define MAX_FILE (4u << 20)
#define PATHLEN 256

const char *const pw_lesson_level_names[PW_LEVEL_COUNT] = { "beginner", "intermediate", "advanced" };
const char *const pw_highlight_kind_names[PW_HL_COUNT] = { "pointer", "offset", "queue", "ring",
							   "header", "lane", "host" };
const char *const pw_lesson_lane_names[PW_LESSON_LANES] = { "socket", "transport", "ip", "dev", "driver", "nic" };
const char *const pw_lesson_pointer_names[4] = { "head", "data", "tail", "end" };
const char *const pw_lesson_offset_names[3] = { "mac", "network", "transport" };
const char *const pw_lesson_header_names[PW_HDR_COUNT] = { "eth", "ip", "tcp", "udp", "icmp", "arp" };
const char *const pw_lesson_ring_names[2] = { "tx", "rx" };
static const char *const host_names[PW_HOSTS] = { "A", "B" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* --- the problem list and owned strings ---------------------------------- */

void lesson_error(struct pw_lesson *l, const char *path, const char *fmt, ...)
{
	char msg[768], *line;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l->n_errors == l->cap_errors) {
		size_t cap = l->cap_errors ? l->cap_errors * 2 : 8;
		char **e = realloc(l->errors, cap * sizeof(*e));

		if (!e)
			return;
		l->errors = e;
		l->cap_errors = cap;
	}
	n = path && *path ? snprintf(NULL, 0, "%s: %s: %s", l->file, path, msg)
			  : snprintf(NULL, 0, "%s: %s", l->file, msg);
	line = malloc((size_t)n + 1);
	if (!line)
		return;
	if (path && *path)
		snprintf(line, (size_t)n + 1, "%s: %s: %s", l->file, path, msg);
	else
		snprintf(line, (size_t)n + 1, "%s: %s", l->file, msg);
	l->errors[l->n_errors++] = line;
}

char *lesson_strdup(struct pw_lesson *l, const char *s)
{
	char *d;

	if (l->n_strings == l->cap_strings) {
		size_t cap = l->cap_strings ? l->cap_strings * 2 : 32;
		char **v = realloc(l->strings, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->strings = v;
		l->cap_strings = cap;
	}
	d = strdup(s);
	if (d)
		l->strings[l->n_strings++] = d;
	return d;
}

/* --- reading JSON values, with a problem for each surprise ---------------- */

/* buf = "path.key" (or "key" at the top), cut to PATHLEN. */
static void join(char *buf, const char *path, const char *key)
{
	size_t n = 0;

	for (const char *s = path ? path : ""; *s && n < PATHLEN - 1; s++)
		buf[n++] = *s;
	if (n && n < PATHLEN - 1)
		buf[n++] = '.';
	for (const char *s = key; *s && n < PATHLEN - 1; s++)
		buf[n++] = *s;
	buf[n] = '\0';
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "something else";
}

/*
 * Reports keys of obj that are not in known[] (with the closest known key,
 * since an unknown key is nearly always a typo: "stpes"), and keys given
 * twice (cJSON keeps both; the second would be silently ignored).
 */
static void check_keys(struct pw_lesson *l, const cJSON *obj, const char *path, const char *const *known, size_t n)
{
	char p[PATHLEN], hint[128];

	for (const cJSON *c = obj->child; c; c = c->next) {
		join(p, path, c->string);
		if (lesson_name_index(c->string, known, n) < 0) {
			if (!lesson_suggest(c->string, known, n)) {
				char list[256] = "";

				for (size_t i = 0; i < n; i++)
					snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
						 known[i]);
				lesson_error(l, p, "unknown key (known here: %s)", list);
			} else {
				lesson_error(l, p, "unknown key%s", lesson_did_you_mean(hint, sizeof(hint), c->string, known, n));
			}
			continue;
		}
		for (const cJSON *d = obj->child; d != c; d = d->next)
			if (!strcmp(d->string, c->string)) {
				lesson_error(l, p, "given twice (keys must be unique)");
				break;
			}
	}
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A member of the type is() accepts (what names it in messages); NULL
 * when absent (a problem if required) or of another type. */
static const cJSON *get_typed(struct pw_lesson *l, const cJSON *obj, const char *path, const char *key, int required,
			      cJSON_bool (*is)(const cJSON *const), const char *what)
{
	const cJSON *v = member(obj, key);
	char p[PATHLEN];

	join(p, path, key);
	if (!v) {
		if (required)
			lesson_error(l, p, "required, but missing");
		return NULL;
	}
	if (!is(v)) {
		lesson_error(l, p, "expected %s, got %s", what, type_name(v));
		return NULL;
	}
	return v;
}

/* A non-empty string member; NULL when absent (a problem if required) or bad. */
static const char *get_string(struct pw_lesson *l, const cJSON *obj, const char *path, const char *key, int required)
{
	const cJSON *v = get_typed(l, obj, path, key, required, cJSON_IsString, "a string");
	char p[PATHLEN];

	if (!v)
		return NULL;
	if (!v->valuestring[0]) {
		join(p, path, key);
		lesson_error(l, p, "is empty");
		return NULL;
	}
	return v->valuestring;
}

/* A whole-number member in [min, max]: 1 with *out set, 0 when absent
 * (a problem if required) or bad. */
static int get_int(struct pw_lesson *l, const cJSON *obj, const char *path, const char *key, int required, double min,
		   double max, long long *out)
{
	const cJSON *v = member(obj, key);
	char p[PATHLEN];

	join(p, path, key);
	if (!v) {
		if (required)
			lesson_error(l, p, "required, but missing");
		return 0;
	}
	if (!cJSON_IsNumber(v)) {
		lesson_error(l, p, "expected a whole number, got %s", type_name(v));
		return 0;
	}
	if (v->valuedouble != floor(v->valuedouble)) {
		lesson_error(l, p, "expected a whole number, got %g", v->valuedouble);
		return 0;
	}
	if (v->valuedouble < min || v->valuedouble > max) {
		lesson_error(l, p, "%.0f is out of range (%.0f..%.0f)", v->valuedouble, min, max);
		return 0;
	}
	*out = (long long)v->valuedouble;
	return 1;
}

static const cJSON *get_object(struct pw_lesson *l, const cJSON *obj, const char *path, const char *key, int required)
{
	return get_typed(l, obj, path, key, required, cJSON_IsObject, "an object");
}

static const cJSON *get_array(struct pw_lesson *l, const cJSON *obj, const char *path, const char *key, int required)
{
	return get_typed(l, obj, path, key, required, cJSON_IsArray, "an array");
}

/*
 * A string member that must be one of names[0..n): its index, or -1 when
 * absent or not a known name (a problem, with the closest name). what
 * names the kind of thing for the message ("tracepoint").
 */
static int get_name(struct pw_lesson *l, const cJSON *obj, const char *path, const char *key, const char *what,
		    const char *const *names, size_t n)
{
	const char *s = get_string(l, obj, path, key, 0);
	char p[PATHLEN], hint[128];
	int i;

	if (!s)
		return -1;
	i = lesson_name_index(s, names, n);
	if (i < 0) {
		join(p, path, key);
		lesson_error(l, p, "unknown %s '%s'%s", what, s, lesson_did_you_mean(hint, sizeof(hint), s, names, n));
	}
	return i;
}

/* --- the source ------------------------------------------------------------ */

static const struct {
	const char *key;
	size_t offset;
} knobs[] = {
	{ "payload", offsetof(struct pw_params, payload) },
	{ "count", offsetof(struct pw_params, count) },
	{ "mtu", offsetof(struct pw_params, mtu) },
	{ "qdisc-limit", offsetof(struct pw_params, qdisc_limit) },
	{ "tx-ring", offsetof(struct pw_params, tx_ring) },
	{ "rx-ring", offsetof(struct pw_params, rx_ring) },
	{ "napi-budget", offsetof(struct pw_params, napi_weight) },
	{ "link-mbps", offsetof(struct pw_params, link_mbps) },
	{ "rcvbuf", offsetof(struct pw_params, rcvbuf) },
	{ "itr-us", offsetof(struct pw_params, itr_us) },
	{ "corrupt", offsetof(struct pw_params, corrupt) },
};

static const char *const source_keys[] = { "scenario", "capture", "filter", "frame", "payload", "count",
					   "mtu", "qdisc-limit", "tx-ring", "rx-ring", "napi-budget", "link-mbps",
					   "rcvbuf", "itr-us", "corrupt", "arp", "seed" };

/* Looks for a relative capture path from the lesson's directory upwards,
 * so that "captures/x.pcap" is found from lessons/ as from any folder
 * deeper in the repository. */
static void find_capture(struct pw_lesson *l, const char *capture)
{
	char buf[PATH_MAX];

	if (capture[0] == '/') {
		if (!access(capture, R_OK))
			l->src.capture_path = lesson_strdup(l, capture);
		return;
	}
	snprintf(buf, sizeof(buf), "%s", l->dir);
	for (int up = 0; up < 8; up++) {
		char try[PATH_MAX + 8];

		if ((size_t)snprintf(try, sizeof(try), "%s/%s", buf, capture) >= sizeof(try))
			return;
		if (!access(try, R_OK)) {
			l->src.capture_path = lesson_strdup(l, try);
			return;
		}
		if (strlen(buf) + 4 >= sizeof(buf))
			return;
		strcat(buf, "/..");
	}
}

static void parse_source(struct pw_lesson *l, const cJSON *root)
{
	const cJSON *s = get_object(l, root, NULL, "source", 1);
	const char *scenario, *capture, *filter;
	char p[PATHLEN], hint[128], err[256];
	long long v;

	if (!s)
		return;
	check_keys(l, s, "source", source_keys, N(source_keys));
	scenario = get_string(l, s, "source", "scenario", 0);
	capture = get_string(l, s, "source", "capture", 0);
	if (member(s, "scenario") && member(s, "capture")) {
		lesson_error(l, "source", "names both a scenario and a capture; a lesson walks one of them");
		return;
	}
	if (!member(s, "scenario") && !member(s, "capture")) {
		lesson_error(l, "source", "needs a \"scenario\" or a \"capture\"");
		return;
	}
	if (member(s, "scenario")) {
		const char *names[32];
		size_t n = 0;

		if (!scenario)
			return;
		for (const struct pw_scenario_info *si = pw_scenarios; si->name && n < N(names); si++)
			names[n++] = si->name;
		if (!pw_scenario_find(scenario)) {
			lesson_error(l, "source.scenario", "unknown scenario '%s'%s", scenario,
				     lesson_did_you_mean(hint, sizeof(hint), scenario, names, n));
			return;
		}
		l->src.scenario = lesson_strdup(l, scenario);
		pw_params_defaults(&l->src.params, l->src.scenario);
		for (size_t k = 0; k < N(knobs); k++)
			if (get_int(l, s, "source", knobs[k].key, 0, 0, 4294967295.0, &v))
				*(uint32_t *)((char *)&l->src.params + knobs[k].offset) = (uint32_t)v;
		if (get_int(l, s, "source", "seed", 0, 0, 4294967295.0, &v))
			l->src.params.seed = (uint64_t)v;
		if (member(s, "arp")) {
			if (cJSON_IsBool(member(s, "arp")))
				l->src.params.arp = cJSON_IsTrue(member(s, "arp")) ? 1 : -1;
			else
				lesson_error(l, "source.arp", "expected true or false, got %s", type_name(member(s, "arp")));
		}
		if (member(s, "filter"))
			lesson_error(l, "source.filter", "only a capture takes a filter");
		if (member(s, "frame"))
			lesson_error(l, "source.frame", "only a capture takes a frame");
		if (pw_params_check(&l->src.params, err, sizeof(err)))
			lesson_error(l, "source", "%s", err);
		l->src.filter = "";
		l->have_source = l->src.scenario != NULL;
		return;
	}
	if (!capture)
		return;
	for (size_t k = 0; k < N(source_keys); k++) {
		const char *key = source_keys[k];

		if (strcmp(key, "capture") && strcmp(key, "filter") && strcmp(key, "frame") && member(s, key)) {
			join(p, "source", key);
			lesson_error(l, p, "a capture source takes only capture, filter and frame");
		}
	}
	pw_params_defaults(&l->src.params, NULL);
	l->src.capture = lesson_strdup(l, capture);
	filter = get_string(l, s, "source", "filter", 0);
	if (filter && strlen(filter) > 1023)
		lesson_error(l, "source.filter", "longer than 1023 characters");
	l->src.filter = lesson_strdup(l, filter && strlen(filter) <= 1023 ? filter : "");
	if (get_int(l, s, "source", "frame", 0, 1, 4294967295.0, &v))
		l->src.frame = (uint32_t)v;
	find_capture(l, capture);
	if (!l->src.capture_path)
		lesson_error(l, "source.capture", "cannot find '%s' (looked in %s and the directories above it)",
			     capture, l->dir);
	l->have_source = l->src.capture && l->src.capture_path && l->src.filter;
}

/* --- steps ------------------------------------------------------------------ */

static const char *const step_keys[] = { "pause_at", "text", "highlights", "question", "notes" };
static const char *const pause_keys[] = { "func", "tracepoint", "layer", "host", "op", "drop_reason", "queue",
					  "ctx", "nth" };
static const char *const highlight_keys[] = { "pointer", "offset", "queue", "ring", "header", "lane", "host", "slot" };
static const char *const question_keys[] = { "text", "options", "answer", "explanation" };

static void parse_pause(struct pw_lesson *l, const cJSON *step, const char *path, struct pw_lesson_pause *pa)
{
	const cJSON *o;
	char p[PATHLEN];
	const char *func;
	long long v;
	int criteria = 0;

	join(p, path, "pause_at");
	*pa = (struct pw_lesson_pause){ NULL, -1, -1, -1, -1, -1, -1, -1, 1 };
	o = get_object(l, step, path, "pause_at", 1);
	if (!o)
		return;
	check_keys(l, o, p, pause_keys, N(pause_keys));
	func = get_string(l, o, p, "func", 0);
	if (func)
		pa->func = lesson_strdup(l, func);
	pa->tracepoint = get_name(l, o, p, "tracepoint", "tracepoint", pw_tp_names, PW_TP_COUNT);
	pa->layer = get_name(l, o, p, "layer", "layer", pw_layer_names, PW_LAYER_COUNT);
	pa->host = get_name(l, o, p, "host", "host (A or B)", host_names, PW_HOSTS);
	pa->op = get_name(l, o, p, "op", "op", pw_op_names, PW_OP_COUNT);
	pa->drop = get_name(l, o, p, "drop_reason", "drop reason", pw_drop_names, PW_DROP_COUNT);
	pa->queue = get_name(l, o, p, "queue", "queue", pw_queue_names, PW_Q_COUNT);
	pa->ctx = get_name(l, o, p, "ctx", "context", pw_ctx_names, PW_CTX_COUNT);
	if (get_int(l, o, p, "nth", 0, 1, 1e9, &v))
		pa->nth = (uint32_t)v;
	for (size_t k = 0; k < N(pause_keys); k++)
		if (strcmp(pause_keys[k], "nth") && member(o, pause_keys[k]))
			criteria++;
	if (!criteria)
		lesson_error(l, p, "names no event: give at least one of func, tracepoint, layer, host, op, "
				   "drop_reason, queue, ctx");
}

static void parse_highlight(struct pw_lesson *l, const cJSON *h, const char *path, struct pw_lesson_highlight *out)
{
	static const struct {
		const char *key, *what;
		const char *const *names;
		size_t n;
	} kinds[] = {
		[PW_HL_POINTER] = { "pointer", "pointer", pw_lesson_pointer_names, 4 },
		[PW_HL_OFFSET] = { "offset", "header offset", pw_lesson_offset_names, 3 },
		[PW_HL_QUEUE] = { "queue", "queue", pw_queue_names, PW_Q_COUNT },
		[PW_HL_RING] = { "ring", "ring (tx or rx)", pw_lesson_ring_names, 2 },
		[PW_HL_HEADER] = { "header", "header", pw_lesson_header_names, PW_HDR_COUNT },
		[PW_HL_LANE] = { "lane", "lane", pw_lesson_lane_names, PW_LESSON_LANES },
	};
	int found = 0;
	long long v;

	*out = (struct pw_lesson_highlight){ .kind = -1, .index = -1, .host = -1, .slot = -1 };
	if (!cJSON_IsObject(h)) {
		lesson_error(l, path, "expected an object, got %s", type_name(h));
		return;
	}
	check_keys(l, h, path, highlight_keys, N(highlight_keys));
	for (int k = 0; k < (int)N(kinds); k++) {
		if (!member(h, kinds[k].key))
			continue;
		if (found++) {
			lesson_error(l, path, "names both '%s' and '%s'; one highlight shows one thing",
				     pw_highlight_kind_names[out->kind], kinds[k].key);
			continue;
		}
		out->kind = k;
		out->index = get_name(l, h, path, kinds[k].key, kinds[k].what, kinds[k].names, kinds[k].n);
		if (out->index >= 0)
			out->name = lesson_strdup(l, member(h, kinds[k].key)->valuestring);
	}
	if (member(h, "host")) {
		out->host = get_name(l, h, path, "host", "host (A or B)", host_names, PW_HOSTS);
		if (!found && out->host >= 0) {
			out->kind = PW_HL_HOST;
			out->index = out->host;
			out->name = host_names[out->host];
		}
		found = found || out->host >= 0;
	}
	if (member(h, "slot")) {
		char p[PATHLEN];

		join(p, path, "slot");
		if (out->kind != PW_HL_RING)
			lesson_error(l, p, "only a ring highlight has slots");
		else if (get_int(l, h, path, "slot", 0, 0, 4095, &v))
			out->slot = (int)v;
	}
	if (!found && !member(h, "host"))
		lesson_error(l, path, "highlights nothing: give one of pointer, offset, queue, ring, header, lane, host");
}

static void parse_question(struct pw_lesson *l, const cJSON *step, const char *path, struct lesson_step_priv *st)
{
	const cJSON *q = get_object(l, step, path, "question", 0), *opts;
	struct pw_lesson_question *out = &st->q;
	char p[PATHLEN], po[PATHLEN + 16];
	const char *s;
	long long v;
	int n = 0, ok;

	if (!q)
		return;
	join(p, path, "question");
	check_keys(l, q, p, question_keys, N(question_keys));
	s = get_string(l, q, p, "text", 1);
	out->text = s ? lesson_strdup(l, s) : NULL;
	s = get_string(l, q, p, "explanation", 1);
	out->explanation = s ? lesson_strdup(l, s) : NULL;
	ok = out->text && out->explanation;
	opts = get_array(l, q, p, "options", 1);
	if (opts) {
		int size = cJSON_GetArraySize(opts);

		if (size < 2 || size > 4) {
			join(po, p, "options");
			lesson_error(l, po, "%d option%s; a question has 2 to 4", size, size == 1 ? "" : "s");
			ok = 0;
		}
		for (const cJSON *o = opts->child; o; o = o->next, n++) {
			char idx[24];

			snprintf(idx, sizeof(idx), "options[%d]", n);
			join(po, p, idx);
			if (!cJSON_IsString(o)) {
				lesson_error(l, po, "expected a string, got %s", type_name(o));
				ok = 0;
			} else if (!o->valuestring[0]) {
				lesson_error(l, po, "is empty");
				ok = 0;
			} else if (n < 4) {
				out->options[n] = lesson_strdup(l, o->valuestring);
			}
		}
		out->n_options = n > 4 ? 4 : n;
	} else {
		ok = 0;
	}
	if (get_int(l, q, p, "answer", 1, -1e9, 1e9, &v)) {
		out->answer = (int)v;
		if (opts && (v < 0 || v >= n)) {
			join(po, p, "answer");
			lesson_error(l, po, "%lld is not one of the %d options (0..%d)", v, n, n - 1);
			ok = 0;
		}
	} else {
		ok = 0;
	}
	st->has_question = ok;
}

static void parse_steps(struct pw_lesson *l, const cJSON *root)
{
	const cJSON *steps = get_array(l, root, NULL, "steps", 1);
	size_t n = steps ? (size_t)cJSON_GetArraySize(steps) : 0, i = 0;

	if (!steps)
		return;
	if (!n) {
		lesson_error(l, "steps", "is empty; a lesson needs at least one step");
		return;
	}
	l->steps = calloc(n, sizeof(*l->steps));
	if (!l->steps) {
		lesson_error(l, "steps", "out of memory");
		return;
	}
	l->n_steps = n;
	for (const cJSON *s = steps->child; s; s = s->next, i++) {
		struct lesson_step_priv *st = &l->steps[i];
		const cJSON *hl;
		char p[PATHLEN];
		const char *text, *notes;

		snprintf(p, sizeof(p), "steps[%zu]", i);
		st->pub.event = -1;
		st->pub.pause = (struct pw_lesson_pause){ NULL, -1, -1, -1, -1, -1, -1, -1, 1 };
		if (!cJSON_IsObject(s)) {
			lesson_error(l, p, "expected an object, got %s", type_name(s));
			continue;
		}
		check_keys(l, s, p, step_keys, N(step_keys));
		parse_pause(l, s, p, &st->pub.pause);
		text = get_string(l, s, p, "text", 1);
		st->pub.text = text ? lesson_strdup(l, text) : NULL;
		notes = get_string(l, s, p, "notes", 0);
		st->pub.notes = notes ? lesson_strdup(l, notes) : NULL;
		hl = get_array(l, s, p, "highlights", 0);
		if (hl && cJSON_GetArraySize(hl) > 0) {
			size_t nh = (size_t)cJSON_GetArraySize(hl), k = 0;

			st->hl = calloc(nh, sizeof(*st->hl));
			st->hl_host = calloc(nh, 1);
			if (!st->hl || !st->hl_host) {
				lesson_error(l, p, "out of memory");
				continue;
			}
			for (const cJSON *h = hl->child; h; h = h->next, k++) {
				char ph[PATHLEN + 24];

				snprintf(ph, sizeof(ph), "%s.highlights[%zu]", p, k);
				parse_highlight(l, h, ph, &st->hl[k]);
				st->hl_host[k] = (signed char)st->hl[k].host;
			}
			st->pub.highlights = st->hl;
			st->pub.n_highlights = nh;
		}
		parse_question(l, s, p, st);
		st->pub.question = st->has_question ? &st->q : NULL;
	}
}

/* --- the lesson as a whole ----------------------------------------------------- */

static const char *const lesson_keys[] = { "id", "title", "level", "minutes", "summary", "source", "steps" };

/* Line and column (both from 1) of byte pos in text. */
static void line_col(const char *text, size_t pos, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void syntax_error(struct pw_lesson *l, const char *text, size_t len, const char *at)
{
	size_t pos = at && at >= text && at <= text + len ? (size_t)(at - text) : len, line, col, k = 0;
	char near[32];

	if (pos >= len) {
		line_col(text, len, &line, &col);
		lesson_error(l, NULL, "line %zu, column %zu: JSON syntax error at the end of the file (something is "
				      "not closed)", line, col);
		return;
	}
	line_col(text, pos, &line, &col);
	while (k < 16 && pos + k < len && (unsigned char)text[pos + k] >= 0x20)
		k++;
	/* A short excerpt, marked when cut, is enough to find the place. */
	snprintf(near, sizeof(near), "%.*s%s", (int)k, text + pos,
		 pos + k < len && (unsigned char)text[pos + k] >= 0x20 ? "..." : "");
	lesson_error(l, NULL, "line %zu, column %zu: JSON syntax error near '%s'", line, col, near);
}

static void parse(struct pw_lesson *l, const char *text, size_t len)
{
	const char *end = NULL, *s, *nul;
	char *copy;
	cJSON *root;
	long long v;
	int lv;

	/* An editor's byte-order mark is not JSON but is no mistake either. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	if (!len) {
		lesson_error(l, NULL, "the file is empty (a lesson is a JSON object)");
		return;
	}
	nul = memchr(text, '\0', len);
	if (nul) {
		size_t line, col;

		line_col(text, (size_t)(nul - text), &line, &col);
		lesson_error(l, NULL, "line %zu, column %zu: a NUL byte; a lesson is UTF-8 text", line, col);
		return;
	}
	/* cJSON reads to the terminating NUL, and a parse that runs out of text
	 * then points at that NUL: the error can say "at the end of the file". */
	copy = malloc(len + 1);
	if (!copy) {
		lesson_error(l, NULL, "out of memory");
		return;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	root = cJSON_ParseWithOpts(copy, &end, 1);
	if (!root) {
		syntax_error(l, copy, len, end);
		free(copy);
		return;
	}
	free(copy);
	if (!cJSON_IsObject(root)) {
		lesson_error(l, NULL, "a lesson is a JSON object, not %s", type_name(root));
		cJSON_Delete(root);
		return;
	}
	check_keys(l, root, NULL, lesson_keys, N(lesson_keys));
	if ((s = get_string(l, root, NULL, "id", 1)) != NULL) {
		l->id = lesson_strdup(l, s);
		for (const char *c = s; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-')) {
				lesson_error(l, "id", "'%s': use lower-case letters, digits and '-' only", s);
				break;
			}
	}
	if ((s = get_string(l, root, NULL, "title", 1)) != NULL)
		l->title = lesson_strdup(l, s);
	if ((s = get_string(l, root, NULL, "summary", 1)) != NULL)
		l->summary = lesson_strdup(l, s);
	if (!member(root, "level"))
		lesson_error(l, "level", "required, but missing");
	lv = get_name(l, root, NULL, "level", "level", pw_lesson_level_names, PW_LEVEL_COUNT);
	l->level = lv;
	if (get_int(l, root, NULL, "minutes", 1, 1, 600, &v))
		l->minutes = (int)v;
	parse_source(l, root);
	parse_steps(l, root);
	/* Everything needed has been copied out of the tree. */
	cJSON_Delete(root);
}

static struct pw_lesson *lesson_new(const char *name, const char *dir)
{
	struct pw_lesson *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->level = -1;
	l->minutes = -1;
	l->file = strdup(name ? name : "(lesson)");
	l->dir = strdup(dir && *dir ? dir : ".");
	if (!l->file || !l->dir) {
		pw_lesson_free(l);
		return NULL;
	}
	return l;
}

struct pw_lesson *pw_lesson_load_text(const char *name, const char *dir, const char *text, size_t len)
{
	struct pw_lesson *l = lesson_new(name, dir);

	if (!l)
		return NULL;
	parse(l, text ? text : "", text ? len : 0);
	l->n_load_errors = l->n_errors;
	return l;
}

struct pw_lesson *pw_lesson_load(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct pw_lesson *l;
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) ? (int)(slash - path) : 1, path);
	else
		snprintf(dir, sizeof(dir), ".");
	l = lesson_new(path, dir);
	if (!l)
		return NULL;
	f = fopen(path, "rb");
	if (!f) {
		lesson_error(l, NULL, "cannot read it: %s", strerror(errno));
		l->n_load_errors = l->n_errors;
		return l;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *b;

			cap = cap ? cap * 2 : 16384;
			if (cap > MAX_FILE + 1 || !(b = realloc(buf, cap))) {
				lesson_error(l, NULL, cap > MAX_FILE + 1 ? "larger than 4 MiB: not a lesson" : "out of memory");
				break;
			}
			buf = b;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				lesson_error(l, NULL, "cannot read it: %s", strerror(errno));
			break;
		}
	}
	fclose(f);
	if (!l->n_errors)
		parse(l, buf ? buf : "", len);
	free(buf);
	l->n_load_errors = l->n_errors;
	return l;
}

void pw_lesson_free(struct pw_lesson *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_steps; i++) {
		free(l->steps[i].hl);
		free(l->steps[i].hl_host);
	}
	free(l->steps);
	for (size_t i = 0; i < l->n_errors; i++)
		free(l->errors[i]);
	free(l->errors);
	for (size_t i = 0; i < l->n_strings; i++)
		free(l->strings[i]);
	free(l->strings);
	free(l->file);
	free(l->dir);
	free(l);
}

/* --- accessors ------------------------------------------------------------------ */

int pw_lesson_ok(const struct pw_lesson *l) { return l->n_errors == 0; }
size_t pw_lesson_error_count(const struct pw_lesson *l) { return l->n_errors; }
const char *pw_lesson_error(const struct pw_lesson *l, size_t i) { return i < l->n_errors ? l->errors[i] : NULL; }
const char *pw_lesson_file(const struct pw_lesson *l) { return l->file; }
const char *pw_lesson_id(const struct pw_lesson *l) { return l->id; }
const char *pw_lesson_title(const struct pw_lesson *l) { return l->title; }
int pw_lesson_level(const struct pw_lesson *l) { return l->level; }
int pw_lesson_minutes(const struct pw_lesson *l) { return l->minutes; }
const char *pw_lesson_summary(const struct pw_lesson *l) { return l->summary; }
size_t pw_lesson_step_count(const struct pw_lesson *l) { return l->n_steps; }
int pw_lesson_resolved(const struct pw_lesson *l) { return l->resolved; }

const struct pw_lesson_source *pw_lesson_source(const struct pw_lesson *l)
{
	return l->have_source ? &l->src : NULL;
}

const struct pw_lesson_step *pw_lesson_step(const struct pw_lesson *l, size_t i)
{
	return i < l->n_steps ? &l->steps[i].pub : NULL;
}

size_t pw_lesson_question_count(const struct pw_lesson *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n_steps; i++)
		n += l->steps[i].pub.question != NULL;
	return n;
}
