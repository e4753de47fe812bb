#!/usr/bin/env bash
# test_window_xvfb.sh: the window shows the whole picture at every size, on an
# X server with no window manager (Xvfb alone), where SDL's full screen once
# drew a 1920x1080 picture into a window that stayed 1280x720.
#
#   bash tests/cli/test_window_xvfb.sh /path/to/packetwalk     (env PW_SOURCE_DIR)
#
# On a 1920x1080 Xvfb screen, with the mouse parked in the top-left corner:
# (a) the window opens at 1536x864 (the largest 16:9 inside 80% of the screen);
# (b) Enter on the start screen plays the first lesson: the window's part of
#     a screenshot matches `packetwalk render --lesson ... --lesson-step 1` at
#     the window's size, over the whole window and each edge band (top bar,
#     scrubber, left and right columns; tests/cli/window_shot.py);
# (c) F: the window covers the screen (1920x1080 at 0,0) and matches the
#     1920x1080 picture;
# (d) F11: back to 1536x864, matching again;
# (e) the window resized by hand (xdotool windowsize) to 1024x768 and 1600x900
#     matches the picture at each size;
# (f) on a 1152x864 screen the window opens at 1024x576 (never smaller), on an
#     800x600 screen at 800x450 (the screen is smaller than that).
# A screenshot that does not match yet is taken again, up to 8 times a second
# apart: the software renderer on a loaded machine can be slow to redraw.
#
# Needs Xvfb, xdotool, xwd, xwininfo and python3 (Debian: xvfb xdotool
# x11-apps x11-utils python3). Exit 0 = pass, 77 = skipped, anything else =
# fail.
set -u

PW=${1:-}
if [ -z "$PW" ] || [ ! -x "$PW" ]; then
	echo "FAIL: usage: bash $0 /path/to/packetwalk (got '${PW}', not an executable)"
	exit 1
fi
for tool in Xvfb xdotool xwd xwininfo python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "skipped: $tool is not installed (Debian: apt-get install xvfb xdotool x11-apps x11-utils python3)"
		exit 77
	fi
done
SRC=${PW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHOT="$SRC/tests/cli/window_shot.py"
LESSON="$SRC/lessons/01-skb-anatomy.json"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-window.XXXXXX") || { echo "FAIL: mktemp -d failed"; exit 1; }
xvfb_pid=""
app_pid=""
stop_app() {
	if [ -n "$app_pid" ]; then
		kill "$app_pid" 2>/dev/null
		wait "$app_pid" 2>/dev/null
		app_pid=""
	fi
}
stop_xvfb() {
	if [ -n "$xvfb_pid" ]; then
		kill "$xvfb_pid" 2>/dev/null
		wait "$xvfb_pid" 2>/dev/null
		xvfb_pid=""
	fi
}
trap 'stop_app; stop_xvfb; rm -rf "$tmp"' EXIT

failures=0
checks=0
ok() { checks=$((checks + 1)); echo "ok   - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $*"; }

# start_xvfb WxH: an X server on a free display (Xvfb picks it and writes
# its number to -displayfd), no window manager; sets DISPLAY.
start_xvfb() {
	: >"$tmp/display"
	Xvfb -displayfd 3 -screen 0 "${1}x24" -nolisten tcp -noreset 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 100); do
		[ -s "$tmp/display" ] && break
		sleep 0.1
	done
	if [ ! -s "$tmp/display" ]; then
		echo "FAIL: Xvfb did not start: $(tail -3 "$tmp/xvfb.log")"
		exit 1
	fi
	export DISPLAY=":$(head -1 "$tmp/display")"
	# SDL on X11, whatever else the machine has.
	export SDL_VIDEODRIVER=x11
	unset WAYLAND_DISPLAY
	xdotool mousemove 0 0
}

# start_app: the window with no arguments (the course's start screen), from
# the source tree so that its lessons/ is the course; sets $win.
start_app() {
	(cd "$SRC" && exec env PW_DEBUG_WINDOW=1 "$PW" </dev/null >"$tmp/app.out" 2>>"$tmp/app.err") &
	app_pid=$!
	win=$(timeout 30 xdotool search --sync --name '^packetwalk$' 2>/dev/null | head -1)
	if [ -z "$win" ]; then
		echo "FAIL: no packetwalk window appeared in 30 s on $DISPLAY"
		sed -e 's/^/       app: /' "$tmp/app.err" | tail -5
		exit 1
	fi
}

# geometry: "W H X Y" of the window as the X server has it.
geometry() {
	xwininfo -id "$win" | awk '/Absolute upper-left X:/ { x = $4 } /Absolute upper-left Y:/ { y = $4 }
		/^  Width:/ { w = $2 } /^  Height:/ { h = $2 } END { print w, h, x, y }'
}

# wait_size W H [X Y]: waits up to 8 s for the X window to be W x H (at X,Y).
wait_size() {
	local want="$1 $2" g
	for _ in $(seq 40); do
		g=$(geometry)
		if [ "${g% * *}" = "$want" ] && { [ $# -lt 4 ] || [ "${g#* * }" = "$3 $4" ]; }; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# expect_size DESC W H [X Y]
expect_size() {
	local desc=$1
	shift
	if wait_size "$@"; then
		ok "$desc: the X window is $1x$2${3:+ at $3,$4}"
	else
		fail "$desc: expected the X window $1x$2${3:+ at $3,$4}, got $(geometry | awk '{ print $1 "x" $2 " at " $3 "," $4 }')"
		sed -e 's/^/       app: /' "$tmp/app.err" | tail -3
	fi
}

# expect_picture DESC: the window's part of the screen matches the lesson's
# first stop drawn by `render` at the window's size.
expect_picture() {
	local desc=$1 w h x y ref out i
	out="no screenshot could be taken"
	for i in $(seq 8); do
		sleep 1
		# The geometry again at every try: a window manager-less move can
		# land after the resize the caller waited for.
		read -r w h x y <<<"$(geometry)"
		ref="$tmp/ref-${w}x${h}.png"
		# render draws offscreen and needs no display; with one, SDL starts
		# D-Bus, whose allocations LeakSanitizer reports in a sanitizer build.
		if [ ! -f "$ref" ] && ! env -u DISPLAY "$PW" render --lesson "$LESSON" --lesson-step 1 --size "${w}x${h}" \
			-o "$ref" </dev/null >"$tmp/render.out" 2>"$tmp/render.err"; then
			fail "$desc: render --lesson $LESSON --lesson-step 1 --size ${w}x${h}: $(head -1 "$tmp/render.err")"
			return
		fi
		xwd -root -silent >"$tmp/shot.xwd" 2>/dev/null || continue
		if out=$(python3 "$SHOT" "$tmp/shot.xwd" "$x" "$y" "$w" "$h" "$ref" "$tmp/window-${w}x${h}.png" 2>&1); then
			i=0
			break
		fi
	done
	if [ "$i" -eq 0 ]; then
		ok "$desc: $out"
	else
		fail "$desc: $out"
		sed -e 's/^/       app: /' "$tmp/app.err" | tail -3
	fi
	# The window's part and the reference, to look at, when run by hand
	# with PW_KEEP_SHOTS=DIR.
	if [ -n "${PW_KEEP_SHOTS:-}" ]; then
		mkdir -p "$PW_KEEP_SHOTS" && cp "$tmp/window-${w}x${h}.png" "$ref" "$PW_KEEP_SHOTS/" 2>/dev/null
	fi
}

# ------------------------------------------------------------ 1920x1080
echo "# a 1920x1080 screen, no window manager"
start_xvfb 1920x1080
start_app
expect_size "(a) the first window" 1536 864 192 108

xdotool key --window "$win" Return
expect_picture "(b) the first lesson's first stop in the first window"

xdotool key --window "$win" f
expect_size "(c) F: full screen" 1920 1080 0 0
expect_picture "(c) F: full screen"

xdotool key --window "$win" F11
expect_size "(d) F11: back to the window" 1536 864 192 108
expect_picture "(d) F11: back to the window"

xdotool windowsize "$win" 1024 768
expect_size "(e) resized by hand" 1024 768
expect_picture "(e) resized to 1024x768 (4:3)"

xdotool windowsize "$win" 1600 900
expect_size "(e) resized by hand" 1600 900
expect_picture "(e) resized to 1600x900"
stop_app
stop_xvfb

# ----------------------------------------------------- smaller screens
for case in "1152x864 1024 576" "800x600 800 450"; do
	read -r screen w h <<<"$case"
	echo "# a $screen screen"
	start_xvfb "$screen"
	start_app
	expect_size "(f) the first window on a $screen screen" "$w" "$h"
	stop_app
	stop_xvfb
done

echo "# $checks checks, $failures failed"
[ "$failures" -eq 0 ]
