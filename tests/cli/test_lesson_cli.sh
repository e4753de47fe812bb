#!/usr/bin/env bash
# test_lesson_cli.sh: the course and 'packetwalk lesson'.
#
#   PW_SOURCE_DIR=/path/to/source bash tests/cli/test_lesson_cli.sh /path/to/packetwalk
#
# (a) 'lesson check' passes every lesson of lessons/ (one OK line each);
# (b) every lesson plays to its end headless: 6 to 14 steps, each paused at
#     an event, at least one checkpoint, and with --answers auto a full
#     score; --answers first scores no more than auto; the complete example
#     of lessons/README.md checks OK;
# (c) each broken fixture of tests/lesson/fixtures/ (one per kind of
#     problem) gives exactly the lines of its .expected file, and exit 1;
# (d) 'lesson list' lists the twelve lessons OK, and a broken lesson with
#     its first problem;
# (e) --help exits 0 for every command; bad usage exits 2.
#
# Exit 0 = pass, 77 = skipped, anything else = fail.
set -u

PW=${1:-}
if [ -z "$PW" ] || [ ! -x "$PW" ]; then
	echo "FAIL: usage: bash $0 /path/to/packetwalk (got '${PW}', not an executable)"
	exit 1
fi
SRC=${PW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (needed to read the play output)"
	exit 77
fi
cd "$SRC" || { echo "FAIL: cannot cd to $SRC"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-lesson.XXXXXX") || { echo "FAIL: mktemp -d failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT

failures=0
checks=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
check() {
	checks=$((checks + 1))
}

# (a) every lesson of the course checks OK.
lessons=(lessons/[0-9][0-9]-*.json)
check
if [ "${#lessons[@]}" -lt 12 ]; then
	fail "expected at least 12 lessons in lessons/, found ${#lessons[@]}"
fi
"$PW" lesson check "${lessons[@]}" >"$tmp/check.out" 2>"$tmp/check.err"
rc=$?
check
[ "$rc" -eq 0 ] || fail "lesson check lessons/*.json exited $rc: $(cat "$tmp/check.out" "$tmp/check.err")"
check
ok=$(grep -c ': OK (' "$tmp/check.out")
[ "$ok" -eq "${#lessons[@]}" ] || fail "expected ${#lessons[@]} OK lines, got $ok: $(cat "$tmp/check.out")"

# (b) every lesson plays to its end, and auto answers score full marks.
for f in "${lessons[@]}"; do
	for mode in auto first; do
		"$PW" lesson play "$f" --answers "$mode" --json >"$tmp/play.$mode" 2>"$tmp/play.err"
		rc=$?
		check
		[ "$rc" -eq 0 ] || fail "lesson play $f --answers $mode exited $rc: $(cat "$tmp/play.err")"
	done
	check
	msg=$(python3 - "$f" "$tmp/play.auto" "$tmp/play.first" <<'EOF'
import json, sys
name, auto, first = sys.argv[1], sys.argv[2], sys.argv[3]
def load(path):
    return [json.loads(l) for l in open(path) if l.strip()]
a, b = load(auto), load(first)
steps, end = a[:-1], a[-1]
problems = []
if not 6 <= len(steps) <= 14:
    problems.append("%d steps (the course wants 6 to 14)" % len(steps))
last = -1
for s in steps:
    if not isinstance(s.get("event"), int) or s["event"] < last:
        problems.append("step %s pauses at event %r, not in order" % (s.get("step"), s.get("event")))
    last = s.get("event", last)
    if not s.get("text"):
        problems.append("step %s has no narration" % s.get("step"))
    q = s.get("question")
    if q and (q["given"] != q["answer"] or not q["right"] or not q["explanation"]):
        problems.append("step %s: auto did not answer right" % s.get("step"))
if end.get("questions", 0) < 1:
    problems.append("no checkpoint question")
if end.get("score") != end.get("questions"):
    problems.append("auto scored %s of %s" % (end.get("score"), end.get("questions")))
if b[-1].get("questions") != end.get("questions") or b[-1].get("score", 99) > end.get("score", 0):
    problems.append("--answers first: %r against auto %r" % (b[-1], end))
print("; ".join(problems))
EOF
)
	[ -z "$msg" ] || fail "$f: $msg"
done

# The text output carries the score line too.
"$PW" lesson play lessons/01-skb-anatomy.json >"$tmp/play.txt" 2>&1
check
grep -q '^Score: 5/5$' "$tmp/play.txt" || fail "text play of lesson 1: no 'Score: 5/5' line: $(tail -3 "$tmp/play.txt")"
check
grep -q '^Step 1/12: event ' "$tmp/play.txt" || fail "text play of lesson 1: no 'Step 1/12: event' line"
"$PW" lesson play lessons/01-skb-anatomy.json --answers first >"$tmp/play.txt" 2>&1
check
grep -q '^Score: 1/5$' "$tmp/play.txt" || fail "lesson 1 with --answers first: expected 'Score: 1/5': $(tail -1 "$tmp/play.txt")"

# The complete example of lessons/README.md is a valid lesson.
python3 - lessons/README.md "$tmp/example.json" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"## A complete example\n\n```json\n(.*?)```", text, re.S)
open(sys.argv[2], "w").write(m.group(1) if m else "")
EOF
"$PW" lesson check "$tmp/example.json" >"$tmp/example.out" 2>&1
check
grep -q ': OK (00-example, 2 steps, 1 question)$' "$tmp/example.out" ||
	fail "the example of lessons/README.md does not check: $(cat "$tmp/example.out")"

# (c) one fixture per kind of problem, each with its exact message.
fixtures=(tests/lesson/fixtures/*.json)
check
[ "${#fixtures[@]}" -ge 10 ] || fail "expected at least 10 fixtures, found ${#fixtures[@]}"
for f in "${fixtures[@]}"; do
	want=${f%.json}.expected
	"$PW" lesson check "$f" >"$tmp/fx.out" 2>"$tmp/fx.err"
	rc=$?
	check
	[ "$rc" -eq 1 ] || fail "lesson check $f exited $rc, expected 1"
	check
	if ! diff -u "$want" "$tmp/fx.out" >"$tmp/fx.diff"; then
		fail "lesson check $f: output differs from $want:"
		cat "$tmp/fx.diff"
	fi
	# A broken lesson must not play, and must not crash anything.
	"$PW" lesson play "$f" >/dev/null 2>"$tmp/fx.err"
	rc=$?
	check
	[ "$rc" -eq 1 ] || fail "lesson play $f exited $rc, expected 1"
	check
	diff -q "$want" "$tmp/fx.err" >/dev/null || fail "lesson play $f: stderr is not the problem list"
done
# Several files at once: every problem, every OK, status 1.
"$PW" lesson check lessons/01-skb-anatomy.json tests/lesson/fixtures/bad-answer.json >"$tmp/mix.out" 2>&1
rc=$?
check
[ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/mix.out")" -eq 2 ] || fail "check of one good and one bad file: rc $rc, $(cat "$tmp/mix.out")"
"$PW" lesson check no-such-lesson.json >"$tmp/none.out" 2>&1
check
grep -qx 'no-such-lesson.json: cannot read it: No such file or directory' "$tmp/none.out" ||
	fail "missing lesson file: $(cat "$tmp/none.out")"

# (d) list: the course, and a directory with a broken lesson.
"$PW" lesson list lessons >"$tmp/list.out" 2>&1
rc=$?
check
[ "$rc" -eq 0 ] || fail "lesson list exited $rc"
check
[ "$(grep -c ' OK$' "$tmp/list.out")" -eq "${#lessons[@]}" ] || fail "lesson list: not every lesson OK: $(cat "$tmp/list.out")"
check
grep -q '^01-skb-anatomy .*Anatomy of an sk_buff .*beginner .* 15 min  OK$' "$tmp/list.out" ||
	fail "lesson list: no line for lesson 1: $(head -1 "$tmp/list.out")"
mkdir "$tmp/course"
cp lessons/09-ping.json tests/lesson/fixtures/bad-answer.json tests/lesson/fixtures/syntax-error.json "$tmp/course/"
"$PW" lesson list "$tmp/course" >"$tmp/list2.out" 2>&1
check
grep -q "^bad-answer .*steps\[0\].question.answer: 5 is not one of the 3 options (0..2)$" "$tmp/list2.out" ||
	fail "lesson list: broken lesson not shown with its problem: $(cat "$tmp/list2.out")"
check
grep -q "^syntax-error.json .*line 4, column 3: JSON syntax error" "$tmp/list2.out" ||
	fail "lesson list: unreadable lesson not named by its file: $(cat "$tmp/list2.out")"
check
[ "$(wc -l <"$tmp/list2.out")" -eq 3 ] || fail "lesson list of 3 files printed: $(cat "$tmp/list2.out")"

# (e) help and bad usage.
for sub in "" "check" "play" "list"; do
	"$PW" lesson $sub --help >"$tmp/help.out" 2>&1
	rc=$?
	check
	[ "$rc" -eq 0 ] && grep -q 'Usage: packetwalk lesson' "$tmp/help.out" || fail "lesson $sub --help: rc $rc"
done
for args in "" "frobnicate" "check" "check --bogus x.json" "play" "play --bogus lessons/09-ping.json" \
	"play lessons/09-ping.json --answers sometimes" "play lessons/09-ping.json lessons/08-udp-request-reply.json" \
	"list --bogus" "list a b"; do
	"$PW" lesson $args >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	check
	[ "$rc" -eq 2 ] || fail "lesson $args: exit $rc, expected 2"
	check
	[ -s "$tmp/bad.err" ] || fail "lesson $args: no message on stderr"
done
"$PW" --help >"$tmp/help.out" 2>&1
check
grep -q 'packetwalk lesson' "$tmp/help.out" || fail "packetwalk --help does not mention the lesson command"

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
