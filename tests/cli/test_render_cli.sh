#!/usr/bin/env bash
# test_render_cli.sh: the command line of 'packetwalk render' (and a short
# run of 'packetwalk bench render').
#
#   bash tests/cli/test_render_cli.sh /path/to/packetwalk     (env PW_SOURCE_DIR)
#
# (a) --help exits 0 and documents every option and the --steps file names;
# (b) render -s tcp --step 40 --size 1280x720 -o x.png writes a valid PNG of
#     that size, read here with Python's struct and zlib (signature, chunk
#     CRCs, IHDR, the zlib stream, one filter byte per row, a picture that is
#     not one flat colour); the same command twice gives the same bytes;
# (c) --steps 10..12 writes x-0010.png, x-0011.png and x-0012.png;
# (d) bad usage exits 2 naming the problem: bad --size, a step past the end,
#     no -o, no step, a bad --tween, an unknown option;
# (e) an unwritable -o exits 1 with a message naming the file;
# (f) -r walks a shipped capture and draws one of its steps; a filter that no
#     frame matches is an error naming the file and the filter;
# (g) bench render prints one JSON object with the documented keys;
# (h) --lesson FILE --lesson-step N draws a stop of a lesson, with and without
#     --answer K, normal and projection (an answered checkpoint is another
#     picture than the open one); a stop past the end (naming how many the
#     lesson has), --answer at a stop with no checkpoint (naming the stops
#     with one), an answer the checkpoint does not have, --lesson-step 0,
#     --lesson-step without --lesson, --lesson with --step or a scenario
#     exit 2 with their messages; a broken lesson exits 1 naming its file.
# Everything draws offscreen with SDL's software renderer: no display needed.
#
# Exit 0 = pass, 77 = skipped, anything else = fail.
set -u

PW=${1:-}
if [ -z "$PW" ] || [ ! -x "$PW" ]; then
	echo "FAIL: usage: bash $0 /path/to/packetwalk (got '${PW}', not an executable)"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (needed to read the PNG files)"
	exit 77
fi
SRC=${PW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-render.XXXXXX") || { echo "FAIL: mktemp -d failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT

failures=0
checks=0
ok() { checks=$((checks + 1)); echo "ok   - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $*"; }

# run OUT ERR ARGS...: runs packetwalk with stdin closed, sets $rc.
run() {
	local out=$1 err=$2
	shift 2
	"$PW" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
}

show_stderr() { sed -e 's/^/       stderr: /' "$1" | head -5; }

# The PNG reader: prints "W H" and exits 0, or prints what is wrong and
# exits 1. Independent of src/view/png.c: zlib inflates the stream.
cat >"$tmp/pngcheck.py" <<'EOF'
import struct, sys, zlib

path = sys.argv[1]
want_w, want_h = int(sys.argv[2]), int(sys.argv[3])
d = open(path, "rb").read()
def die(msg):
    print("%s: %s" % (path, msg))
    sys.exit(1)
if d[:8] != b"\x89PNG\r\n\x1a\n":
    die("expected the PNG signature, got %r" % d[:8])
pos, chunks, z = 8, [], b""
while pos < len(d):
    if pos + 12 > len(d):
        die("chunk header cut at byte %d of %d" % (pos, len(d)))
    n, = struct.unpack(">I", d[pos:pos + 4])
    typ, body = d[pos + 4:pos + 8], d[pos + 8:pos + 8 + n]
    crc, = struct.unpack(">I", d[pos + 8 + n:pos + 12 + n])
    if zlib.crc32(typ + body) & 0xffffffff != crc:
        die("chunk %s: CRC %08x, computed %08x" % (typ, crc, zlib.crc32(typ + body) & 0xffffffff))
    chunks.append(typ)
    if typ == b"IHDR":
        w, h, depth, ctype, comp, filt, inter = struct.unpack(">IIBBBBB", body)
        if (w, h) != (want_w, want_h):
            die("IHDR: expected %dx%d, got %dx%d" % (want_w, want_h, w, h))
        if (depth, ctype, comp, filt, inter) != (8, 6, 0, 0, 0):
            die("IHDR: expected 8-bit RGBA (8, 6, 0, 0, 0), got %r" % ((depth, ctype, comp, filt, inter),))
    elif typ == b"IDAT":
        z += body
    pos += 12 + n
if chunks[0] != b"IHDR" or chunks[-1] != b"IEND":
    die("expected IHDR first and IEND last, got %r" % chunks)
try:
    raw = zlib.decompress(z)
except zlib.error as e:
    die("zlib stream: %s" % e)
row = 1 + 4 * want_w
if len(raw) != row * want_h:
    die("expected %d bytes of image data, got %d" % (row * want_h, len(raw)))
if any(raw[y * row] != 0 for y in range(want_h)):
    die("expected filter byte 0 on every row")
colours = set()
for y in range(0, want_h, 7):
    r = raw[y * row + 1:(y + 1) * row]
    for x in range(0, len(r), 4 * 5):
        colours.add(r[x:x + 4])
if len(colours) < 20:
    die("expected a picture, got %d distinct colours in a sample" % len(colours))
alphas = set(raw[y * row + 4 + 4 * x] for y in range(0, want_h, 13) for x in range(0, want_w, 11))
if alphas != {255}:
    die("expected opaque pixels (alpha 255), got alphas %r" % sorted(alphas)[:5])
print(want_w, want_h)
EOF

# png_ok FILE W H DESC
png_ok() {
	local msg
	if msg=$(python3 "$tmp/pngcheck.py" "$1" "$2" "$3" 2>&1); then
		ok "$4: a valid ${2}x${3} RGBA PNG"
	else
		fail "$4: $msg"
	fi
}

# ---------------------------------------------------------------- (a) --help
echo "# (a) render --help"
run "$tmp/help.out" "$tmp/help.err" render --help
if [ "$rc" -eq 0 ]; then
	ok "render --help exits 0"
else
	fail "render --help: expected exit status 0, got $rc"
	show_stderr "$tmp/help.err"
fi
for o in --step --steps --tween --projection --size -o -r --frame --scenario "-0010.png" --lesson \
	--lesson-step --answer "stop N of M" "Exit status"; do
	if grep -qF -- "$o" "$tmp/help.out"; then
		ok "render --help mentions $o"
	else
		fail "render --help: expected the text '$o' in the help, got no mention"
	fi
done

# ------------------------------------------------------------- (b) one step
echo "# (b) render -s tcp --step 40 --size 1280x720"
run "$tmp/b.out" "$tmp/b.err" render -s tcp --step 40 --size 1280x720 -o "$tmp/x.png"
if [ "$rc" -ne 0 ]; then
	fail "render -s tcp --step 40 --size 1280x720 -o x.png: expected exit status 0, got $rc"
	show_stderr "$tmp/b.err"
else
	ok "render -s tcp --step 40 --size 1280x720 exits 0"
	png_ok "$tmp/x.png" 1280 720 "x.png"
	run "$tmp/b2.out" "$tmp/b2.err" render -s tcp --step 40 --size 1280x720 -o "$tmp/x2.png"
	if [ "$rc" -eq 0 ] && cmp -s "$tmp/x.png" "$tmp/x2.png"; then
		ok "the same render twice gives the same bytes"
	else
		fail "the same render twice: expected identical files (status $rc), they differ"
	fi
fi
run "$tmp/p.out" "$tmp/p.err" render -s udp --step 3 --tween 0.5 --projection --size 800x600 -o "$tmp/p.png"
if [ "$rc" -ne 0 ]; then
	fail "render -s udp --step 3 --tween 0.5 --projection --size 800x600: expected exit status 0, got $rc"
	show_stderr "$tmp/p.err"
else
	png_ok "$tmp/p.png" 800 600 "a 4:3 picture, projection mode, mid-tween"
fi

# ----------------------------------------------------------- (c) step range
echo "# (c) render --steps 10..12"
run "$tmp/c.out" "$tmp/c.err" render -s tcp --steps 10..12 --size 640x360 -o "$tmp/seq.png"
if [ "$rc" -ne 0 ]; then
	fail "render --steps 10..12: expected exit status 0, got $rc"
	show_stderr "$tmp/c.err"
else
	for s in 0010 0011 0012; do
		if [ -f "$tmp/seq-$s.png" ]; then
			png_ok "$tmp/seq-$s.png" 640 360 "seq-$s.png"
		else
			fail "render --steps 10..12 -o seq.png: expected seq-$s.png, got: $(cd "$tmp" && ls seq* 2>/dev/null | tr '\n' ' ')"
		fi
	done
	n=$(cd "$tmp" && ls seq* 2>/dev/null | wc -l)
	if [ "$n" -eq 3 ]; then
		ok "render --steps 10..12 writes exactly three files"
	else
		fail "render --steps 10..12: expected three files, got $n: $(cd "$tmp" && ls seq* | tr '\n' ' ')"
	fi
fi

# ------------------------------------------------------------ (d) bad usage
echo "# (d) bad usage exits 2 with a message on stderr"
# expect_usage_error "DESCRIPTION" "WORD1|WORD2..." ARGS...: every WORD must
# appear in stderr, and no file may be written.
expect_usage_error() {
	local what=$1 words=$2 w
	shift 2
	rm -f "$tmp/bad.png"
	run "$tmp/bad.out" "$tmp/bad.err" "$@"
	local desc="packetwalk $*"
	if [ "$rc" -ne 2 ]; then
		fail "$desc ($what): expected exit status 2, got $rc"
		show_stderr "$tmp/bad.err"
		return
	fi
	local IFS='|'
	for w in $words; do
		if ! grep -qF -- "$w" "$tmp/bad.err"; then
			fail "$desc ($what): expected stderr to name '$w', got: $(head -1 "$tmp/bad.err")"
			return
		fi
	done
	if [ -e "$tmp/bad.png" ]; then
		fail "$desc ($what): expected no file written, got bad.png"
		return
	fi
	ok "$desc exits 2: $(head -1 "$tmp/bad.err")"
}
expect_usage_error "size without x" "--size|1280" render --step 1 --size 1280 -o "$tmp/bad.png"
expect_usage_error "size too small" "--size|8x8" render --step 1 --size 8x8 -o "$tmp/bad.png"
expect_usage_error "size not a number" "--size|wide" render --step 1 --size widexhigh -o "$tmp/bad.png"
expect_usage_error "size too large" "--size|99999x99999" render --step 1 --size 99999x99999 -o "$tmp/bad.png"
expect_usage_error "step past the end" "100000|past the end" render -s tcp --step 100000 --size 320x180 -o "$tmp/bad.png"
expect_usage_error "range past the end" "past the end" render -s tcp --steps 10..100000 --size 320x180 -o "$tmp/bad.png"
expect_usage_error "range backwards" "--steps|12..10" render --steps 12..10 --size 320x180 -o "$tmp/bad.png"
expect_usage_error "no -o" "-o" render -s tcp --step 1 --size 320x180
expect_usage_error "no step" "--step" render -s tcp --size 320x180 -o "$tmp/bad.png"
expect_usage_error "no size" "--size" render -s tcp --step 1 -o "$tmp/bad.png"
expect_usage_error "tween out of range" "--tween|1.5" render --step 1 --tween 1.5 --size 320x180 -o "$tmp/bad.png"
expect_usage_error "unknown option" "--bogus" render --bogus
expect_usage_error "unknown scenario" "nope" render -s nope --step 1 --size 320x180 -o "$tmp/bad.png"
expect_usage_error "filter without -r" "-r" render tcp port 80 --step 1 --size 320x180 -o "$tmp/bad.png"

# ---------------------------------------------------------- (e) unwritable -o
echo "# (e) -o into a directory that does not exist"
badpng="$tmp/nonexistent-dir/x.png"
run "$tmp/e.out" "$tmp/e.err" render -s tcp --step 5 --size 320x180 -o "$badpng"
if [ "$rc" -ne 1 ]; then
	fail "render -o $badpng: expected exit status 1, got $rc"
	show_stderr "$tmp/e.err"
elif ! grep -qF -- "$badpng" "$tmp/e.err"; then
	fail "render -o $badpng: expected stderr to name the file, got: $(head -1 "$tmp/e.err")"
else
	ok "render -o $badpng exits 1: $(head -1 "$tmp/e.err")"
fi

# --------------------------------------------------------------- (f) capture
echo "# (f) render -r a capture"
cap="$SRC/captures/linux-tcp-hello.pcap"
if [ ! -f "$cap" ]; then
	fail "expected the shipped capture $cap"
else
	run "$tmp/f.out" "$tmp/f.err" render -r "$cap" --step 30 --size 960x540 -o "$tmp/cap.png"
	if [ "$rc" -ne 0 ]; then
		fail "render -r linux-tcp-hello.pcap --step 30: expected exit status 0, got $rc"
		show_stderr "$tmp/f.err"
	else
		png_ok "$tmp/cap.png" 960 540 "render -r linux-tcp-hello.pcap --step 30"
	fi
	# The replay's timeline is kept whole: its last step can be drawn.
	last=$("$PW" trace -r "$cap" --json </dev/null 2>/dev/null | wc -l)
	if [ "$last" -gt 1 ]; then
		run "$tmp/f2.out" "$tmp/f2.err" render -r "$cap" --step $((last - 1)) --size 320x180 -o "$tmp/last.png"
		if [ "$rc" -eq 0 ]; then
			ok "render -r: the capture's last step ($((last - 1)), as trace -r numbers it) is drawn"
		else
			fail "render -r --step $((last - 1)) (the last of trace -r's $last events): expected exit status 0, got $rc"
			show_stderr "$tmp/f2.err"
		fi
		expect_usage_error "capture step past the end" "past the end" render -r "$cap" --step "$last" --size 320x180 -o "$tmp/bad.png"
	else
		fail "trace -r $cap --json: expected events, got $last lines"
	fi
	# A filter no frame matches: a clear message, not a picture of two
	# idle hosts.
	run "$tmp/f3.out" "$tmp/f3.err" render -r "$cap" udp --step 0 --size 320x180 -o "$tmp/none.png"
	if [ "$rc" -eq 1 ] && grep -q "no frame of .*linux-tcp-hello.pcap matches the filter 'udp'" "$tmp/f3.err" &&
		[ ! -e "$tmp/none.png" ]; then
		ok "render -r with a filter no frame matches: exit 1, the file and the filter named, no picture"
	else
		fail "render -r $cap udp: expected exit 1 naming the file and the filter and no PNG, got $rc"
		show_stderr "$tmp/f3.err"
	fi
fi

# ------------------------------------------------------------ (g) the bench
echo "# (g) bench render"
run "$tmp/g.out" "$tmp/g.err" bench render --size 320x180 --frames 90
if [ "$rc" -ne 0 ]; then
	fail "bench render --size 320x180 --frames 90: expected exit status 0, got $rc"
	show_stderr "$tmp/g.err"
else
	msg=$(python3 - "$tmp/g.out" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
if len(lines) != 1:
    print("expected one line of JSON, got %d" % len(lines)); sys.exit(1)
d = json.loads(lines[0])
keys = ["bench", "size", "frames", "p50_ms", "p95_ms", "p99_ms", "step_p99_ms", "empty_p50_ms",
        "empty_p99_ms", "rss_growth_kb"]
missing = [k for k in keys if k not in d]
if missing:
    print("expected keys %s, missing %s" % (keys, missing)); sys.exit(1)
if d["bench"] != "render" or d["size"] != "320x180" or d["frames"] != 90:
    print("expected bench render, size 320x180, frames 90, got %r %r %r" % (d["bench"], d["size"], d["frames"])); sys.exit(1)
for k in keys[3:9]:
    if not isinstance(d[k], (int, float)) or d[k] <= 0:
        print("expected %s to be a positive number, got %r" % (k, d[k])); sys.exit(1)
EOF
	)
	if [ $? -eq 0 ]; then
		ok "bench render prints one JSON object with the documented keys"
	else
		fail "bench render: $msg"
	fi
fi
run "$tmp/g2.out" "$tmp/g2.err" bench render --frames 0
if [ "$rc" -eq 2 ] && grep -qF -- "--frames" "$tmp/g2.err"; then
	ok "bench render --frames 0 exits 2: $(head -1 "$tmp/g2.err")"
else
	fail "bench render --frames 0: expected exit status 2 naming --frames, got $rc: $(head -1 "$tmp/g2.err")"
fi

# ------------------------------------------------------------- (h) lessons
echo "# (h) render --lesson"
lesson="$SRC/lessons/01-skb-anatomy.json"
# How many stops the lesson has and which have a checkpoint, from 'lesson
# play' (which numbers stops from 1, as --lesson-step does).
"$PW" lesson play "$lesson" --json </dev/null >"$tmp/play.json" 2>"$tmp/play.err"
read -r nstops qstop noq nopts <<<"$(python3 - "$tmp/play.json" <<'EOF'
import json, sys
steps = [json.loads(l) for l in open(sys.argv[1]) if '"step"' in l]
q = [s for s in steps if "question" in s]
nq = [s for s in steps if "question" not in s]
print(len(steps), q[0]["step"], nq[0]["step"], len(q[0]["question"]["options"]))
EOF
)"
if [ -z "${nopts:-}" ]; then
	fail "lesson play $lesson --json: expected stops with and without a checkpoint, got: $(head -1 "$tmp/play.err")"
else
	ok "lesson 01: $nstops stops, a checkpoint at stop $qstop ($nopts options), none at stop $noq"
	for mode in "" --projection; do
		tag=${mode:-normal}
		run "$tmp/h.out" "$tmp/h.err" render --lesson "$lesson" --lesson-step "$noq" $mode --size 1280x720 -o "$tmp/l-$tag.png"
		if [ "$rc" -eq 0 ]; then
			png_ok "$tmp/l-$tag.png" 1280 720 "render --lesson 01 --lesson-step $noq${mode:+ $mode}"
		else
			fail "render --lesson $lesson --lesson-step $noq${mode:+ $mode}: expected exit status 0, got $rc"
			show_stderr "$tmp/h.err"
		fi
		run "$tmp/h.out" "$tmp/h.err" render --lesson "$lesson" --lesson-step "$qstop" $mode --size 1280x720 -o "$tmp/q-$tag.png"
		run "$tmp/h2.out" "$tmp/h2.err" render --lesson "$lesson" --lesson-step "$qstop" --answer 1 $mode --size 1280x720 -o "$tmp/a-$tag.png"
		if [ "$rc" -eq 0 ] && [ -f "$tmp/q-$tag.png" ]; then
			png_ok "$tmp/a-$tag.png" 1280 720 "render --lesson 01 --lesson-step $qstop --answer 1${mode:+ $mode}"
			if cmp -s "$tmp/q-$tag.png" "$tmp/a-$tag.png"; then
				fail "render --lesson-step $qstop${mode:+ $mode}: expected --answer 1 to draw another picture than the open checkpoint, got the same bytes"
			else
				ok "render --lesson-step $qstop --answer 1${mode:+ $mode}: the answered checkpoint is another picture than the open one"
			fi
		else
			fail "render --lesson $lesson --lesson-step $qstop [--answer 1]${mode:+ $mode}: expected exit status 0, got $rc"
			show_stderr "$tmp/h2.err"
		fi
	done
	expect_usage_error "a stop past the end" "--lesson-step $((nstops + 1))|past the end|$nstops steps" \
		render --lesson "$lesson" --lesson-step $((nstops + 1)) --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "stop 0" "--lesson-step|from 1" render --lesson "$lesson" --lesson-step 0 --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "no checkpoint at the stop" "--answer|stop $noq|no checkpoint|$qstop" \
		render --lesson "$lesson" --lesson-step "$noq" --answer 1 --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "an answer the checkpoint does not have" "--answer $((nopts + 1))|$nopts options" \
		render --lesson "$lesson" --lesson-step "$qstop" --answer $((nopts + 1)) --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "answer 0" "--answer|from 1" render --lesson "$lesson" --lesson-step "$qstop" --answer 0 --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "--lesson-step without --lesson" "--lesson FILE" render --lesson-step 1 --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "--lesson without a stop" "--lesson-step" render --lesson "$lesson" --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "--lesson with --step" "--lesson-step|--step" render --lesson "$lesson" --step 3 --size 320x180 -o "$tmp/bad.png"
	expect_usage_error "--lesson with a scenario" "own source" render --lesson "$lesson" --lesson-step 1 -s udp --size 320x180 -o "$tmp/bad.png"
	# A broken lesson: its problems listed, status 1, no picture.
	broken=$(ls "$SRC"/tests/lesson/fixtures/*.json 2>/dev/null | head -1)
	if [ -n "$broken" ]; then
		run "$tmp/h3.out" "$tmp/h3.err" render --lesson "$broken" --lesson-step 1 --size 320x180 -o "$tmp/broken.png"
		if [ "$rc" -eq 1 ] && grep -qF "$(basename "$broken")" "$tmp/h3.err" && [ ! -e "$tmp/broken.png" ]; then
			ok "render --lesson $(basename "$broken") (a broken lesson) exits 1: $(head -1 "$tmp/h3.err")"
		else
			fail "render --lesson $broken: expected exit status 1 naming the file and no PNG, got $rc: $(head -1 "$tmp/h3.err")"
		fi
	else
		fail "expected broken lesson fixtures in $SRC/tests/lesson/fixtures"
	fi
fi

echo "# $checks checks, $failures failed"
[ "$failures" -eq 0 ]
