#!/usr/bin/env bash
# dev.sh: one-command set-up for packetwalk on Debian 12.
#
#   ./dev.sh app [OPTIONS]  install what is missing, build, open the app
#   ./dev.sh test           install what is missing, build, run the whole test
#                           suite, then again under AddressSanitizer and
#                           UndefinedBehaviorSanitizer
#   ./dev.sh build          install what is missing and build only
#   ./dev.sh fuzz [SECONDS] install what is missing, build the libFuzzer harnesses
#                           with clang in build-fuzz/, run each for SECONDS
#                           (default 600; PW_FUZZ_JOBS=2 runs two at a time);
#                           fails on any crash (tests/fuzz/README.md)
#
# Packages come from Debian with apt-get (as root, or through sudo). With
# CI set, warnings are errors.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES="build-essential cmake pkg-config libsdl2-dev libsdl2-ttf-dev libpcap-dev libcjson-dev
tshark tcpdump iproute2 ethtool iputils-ping python3 xvfb xauth zlib1g-dev
libzstd-dev liblz4-dev"
# The fuzz harnesses: clang, its libFuzzer and sanitizer runtimes, and
# llvm's coverage tools (tests/fuzz/coverage.sh).
PACKAGES="$PACKAGES clang libclang-rt-14-dev llvm"
# The window's full screen without a window manager asks the X server
# (libX11); its test drives the window on Xvfb (xdotool, xwd, xwininfo).
PACKAGES="$PACKAGES libx11-dev xdotool x11-apps x11-utils"
JOBS=$(nproc 2>/dev/null || echo 2)

install_deps() {
	local missing=() p
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "dev.sh: installing ${missing[*]}"
	local sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	# tshark asks whether non-root users may capture; the default (no) is fine.
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

configure_build() {
	local dir=$1
	shift
	local werror=OFF
	[ -n "${CI:-}" ] && werror=ON
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPW_WERROR=$werror "$@" >/dev/null
	cmake --build "$dir" -j "$JOBS"
}

cmd=${1:-app}
[ $# -gt 0 ] && shift
case "$cmd" in
app)
	install_deps
	configure_build build
	exec ./build/packetwalk "$@"
	;;
build)
	install_deps
	configure_build build
	;;
test)
	install_deps
	configure_build build
	ctest --test-dir build --output-on-failure -j "$JOBS"
	echo "dev.sh: the same suite under AddressSanitizer and UndefinedBehaviorSanitizer"
	configure_build build-asan -DPW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build-asan --output-on-failure -j "$JOBS"
	;;
fuzz)
	install_deps
	# Not configure_build: clang, and only the harnesses (everything in this
	# build carries the fuzzer's instrumentation and both sanitizers).
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPW_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j "$JOBS" --target fuzz_capture fuzz_dissect fuzz_replay fuzz_lesson fuzz_seeds
	exec tests/fuzz/run.sh build-fuzz "${1:-600}" "${PW_FUZZ_JOBS:-1}"
	;;
*)
	echo "usage: ./dev.sh app [OPTIONS] | test | build | fuzz [SECONDS]" >&2
	exit 2
	;;
esac
