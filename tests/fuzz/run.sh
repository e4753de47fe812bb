#!/usr/bin/env bash
# run.sh: runs each libFuzzer harness for a while and fails on any crash.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [PARALLEL [HARNESS...]]
#
# BUILD_DIR is a PW_FUZZ build (dev.sh fuzz makes build-fuzz). The seeds are
# made from the tree into BUILD_DIR/fuzz/seeds (with the shared corpus of
# test captures when ../shared/corpus exists); each harness then runs on
# BUILD_DIR/fuzz/corpus/NAME (kept between runs, so it grows), its seeds and
# tests/fuzz/regressions/NAME, for SECONDS, PARALLEL harnesses at a time
# (default 1). Logs go to BUILD_DIR/fuzz/logs/NAME.log, crash inputs to
# BUILD_DIR/fuzz/crashes/NAME/. Prints one line per harness: executions,
# executions per second, libFuzzer's cov: and ft: at the end.
# Exit status: 0 no crash, 1 a harness crashed (its log is printed), 2 usage.
set -euo pipefail

BUILD=${1:?usage: run.sh BUILD_DIR SECONDS [PARALLEL [HARNESS...]]}
SECONDS_EACH=${2:?usage: run.sh BUILD_DIR SECONDS [PARALLEL [HARNESS...]]}
PARALLEL=${3:-1}
shift $(($# < 3 ? $# : 3))
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=(capture dissect replay lesson)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
OUT=$BUILD/fuzz

case $SECONDS_EACH in '' | *[!0-9]*) echo "run.sh: SECONDS must be a whole number" >&2; exit 2 ;; esac
case $PARALLEL in '' | *[!0-9]* | 0) echo "run.sh: PARALLEL must be 1 or more" >&2; exit 2 ;; esac

# Longest input each harness is given: a capture of a few dozen frames, a
# jumbo frame, a lesson four times the course's largest.
declare -A MAX_LEN=([capture]=65536 [replay]=16384 [dissect]=9100 [lesson]=32768)
# libpcap's words, which the fuzzer cannot see it compare (see the file).
declare -A DICT=([capture]=$SRC/tests/fuzz/capture.dict [replay]=$SRC/tests/fuzz/capture.dict)

extra=()
[ -d "$SRC/../shared/corpus" ] && extra=("$SRC/../shared/corpus")
rm -rf "$OUT/seeds"
mkdir -p "$OUT/logs"
"$BUILD/tests/fuzz/fuzz_seeds" "$SRC" "$OUT/seeds" "${extra[@]}"

run_one() {
	local h=$1 bin=$BUILD/tests/fuzz/fuzz_$1 dict=()
	mkdir -p "$OUT/corpus/$h" "$OUT/crashes/$h"
	[ -z "${DICT[$h]:-}" ] || dict=("-dict=${DICT[$h]}")
	# New inputs go to the first folder; a harness with no regression yet
	# has no folder of them (git keeps no empty folder).
	local dirs=("$OUT/corpus/$h" "$OUT/seeds/$h")
	[ ! -d "$SRC/tests/fuzz/regressions/$h" ] || dirs+=("$SRC/tests/fuzz/regressions/$h")
	# -timeout: an input that takes 10 s is a hang, a finding like a crash.
	# -rss_limit_mb: a run that needs 2 GiB is one too.
	nice -n 10 "$bin" -max_total_time="$SECONDS_EACH" -max_len="${MAX_LEN[$h]}" -timeout=10 "${dict[@]}" \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/crashes/$h/" \
		"${dirs[@]}" >"$OUT/logs/$h.log" 2>&1
}

summary() {
	local h=$1 log=$OUT/logs/$1.log
	local runs rate cov ft
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	echo "fuzz $h: ${runs:-?} executions, ${rate:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}"
}

for h in "${HARNESSES[@]}"; do
	[ -x "$BUILD/tests/fuzz/fuzz_$h" ] || { echo "run.sh: no harness fuzz_$h in $BUILD (configure with -DPW_FUZZ=ON)" >&2; exit 2; }
done

failed=()
pids=()
names=()
wait_one() {
	# The oldest running harness: they all run for the same time.
	local pid=${pids[0]} h=${names[0]}
	pids=("${pids[@]:1}")
	names=("${names[@]:1}")
	if wait "$pid"; then
		summary "$h"
	else
		echo "fuzz $h: CRASH (inputs in $OUT/crashes/$h/); its log:"
		tail -n 60 "$OUT/logs/$h.log"
		failed+=("$h")
	fi
}
for h in "${HARNESSES[@]}"; do
	[ ${#pids[@]} -lt "$PARALLEL" ] || wait_one
	echo "fuzz $h: ${SECONDS_EACH} s, log $OUT/logs/$h.log"
	run_one "$h" &
	pids+=($!)
	names+=("$h")
done
while [ ${#pids[@]} -gt 0 ]; do
	wait_one
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "run.sh: crashes in ${failed[*]}" >&2
	exit 1
fi
echo "run.sh: no crash in ${HARNESSES[*]}"
