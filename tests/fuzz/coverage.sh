#!/usr/bin/env bash
# coverage.sh: line coverage of each fuzz harness over its corpus, measured
# with clang's source-based coverage (not libFuzzer's cov:/ft: counters,
# which count edges and features, not lines).
#
#   tests/fuzz/coverage.sh FUZZ_BUILD_DIR [HARNESS...]
#
# FUZZ_BUILD_DIR is where dev.sh fuzz (tests/fuzz/run.sh) kept its corpora
# (FUZZ_BUILD_DIR/fuzz/corpus/NAME, .../seeds/NAME). The harnesses are built
# once more without libFuzzer, with -fprofile-instr-generate
# -fcoverage-mapping, in FUZZ_BUILD_DIR-cov, and each one's fuzz_NAME_run
# runs every input of its corpus, seeds and regressions once. Prints, per
# harness, llvm-cov's totals over the source folders the harness is there to
# test; the full reports are left in FUZZ_BUILD_DIR-cov/coverage/NAME.txt.
# Exit status: 0, 1 a step failed, 2 usage.
set -euo pipefail

FUZZ=${1:?usage: coverage.sh FUZZ_BUILD_DIR [HARNESS...]}
shift
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=(capture dissect replay lesson)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ=$(cd "$FUZZ" && pwd)
COV=$FUZZ-cov
OUT=$COV/coverage

# The code each harness is there to test (what its figures are out of).
declare -A UNDER_TEST=(
	[capture]="src/capture"
	[dissect]="src/proto"
	[replay]="src/capture src/engine src/net src/nic src/skb src/proto src/timeline"
	[lesson]="src/lesson"
)

CC=clang cmake -S "$SRC" -B "$COV" -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" >/dev/null
targets=()
for h in "${HARNESSES[@]}"; do targets+=("fuzz_${h}_run"); done
cmake --build "$COV" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" >/dev/null
mkdir -p "$OUT"

for h in "${HARNESSES[@]}"; do
	bin=$COV/tests/fuzz/fuzz_${h}_run
	inputs=()
	for d in "$FUZZ/fuzz/corpus/$h" "$FUZZ/fuzz/seeds/$h" "$SRC/tests/fuzz/regressions/$h"; do
		[ ! -d "$d" ] || inputs+=("$d")
	done
	[ ${#inputs[@]} -gt 0 ] || { echo "coverage.sh: no inputs for $h in $FUZZ/fuzz" >&2; exit 1; }
	rm -f "$OUT/$h".*.profraw
	LLVM_PROFILE_FILE="$OUT/$h.%p.profraw" nice -n 10 "$bin" "${inputs[@]}" 2>/dev/null | tail -n 1
	llvm-profdata merge -sparse "$OUT/$h".*.profraw -o "$OUT/$h.profdata"
	srcs=()
	for d in ${UNDER_TEST[$h]}; do srcs+=("$SRC/$d"); done
	llvm-cov report "$bin" -instr-profile="$OUT/$h.profdata" "${srcs[@]}" >"$OUT/$h.txt"
	# TOTAL: regions, missed, %, functions, missed, %, lines, missed, %, branches...
	awk -v h="$h" -v under="${UNDER_TEST[$h]}" '/^TOTAL/ {
		printf "coverage %s (%s): lines %s (%d of %d), functions %s, regions %s\n",
		       h, under, $10, $8 - $9, $8, $7, $4 }' "$OUT/$h.txt"
done
