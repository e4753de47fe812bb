#!/usr/bin/env bash
# test_replay_hostile.sh: every file of the shared corpus (tcpdump's and
# Wireshark's test captures, tcpdump's overflow reproducers among them)
# through `trace -r` and `verify`. Each run must end with status 0 or 1 (a
# file that cannot be read is status 1 with a message), within 20 s, and
# with no sanitizer report. Under the ASan build this is the test that
# proves no out-of-bounds read on hostile input.
set -u
PW=${1:?usage: test_replay_hostile.sh PACKETWALK}
CORPUS=${PW_SOURCE_DIR:-.}/../shared/corpus
[ -d "$CORPUS" ] || { echo "skipped: corpus not found ($CORPUS)"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
find "$CORPUS" -type f ! -name '*.tsv' ! -name '*.md' | sort > "$T/files"
n=$(wc -l < "$T/files")
[ "$n" -gt 0 ] || { echo "skipped: corpus is empty"; exit 77; }

export PW T
check() {
	local f=$1 cmd st
	for cmd in trace verify; do
		timeout 20 "$PW" "$cmd" -r "$f" > /dev/null 2> "$T/err.$$"
		st=$?
		if [ "$st" -gt 1 ] || grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$T/err.$$"; then
			echo "FAIL: packetwalk $cmd -r $f: status $st"
			head -5 "$T/err.$$"
		elif [ "$st" = 1 ] && ! grep -qF "$(basename "$f")" "$T/err.$$"; then
			echo "FAIL: packetwalk $cmd -r $f: status 1 without a message naming the file"
		fi
	done
	rm -f "$T/err.$$"
}
export -f check
xargs -a "$T/files" -P 2 -I{} bash -c 'check "$@"' _ {} > "$T/out"
if grep -q FAIL "$T/out"; then
	cat "$T/out"
	echo "$(grep -c '^FAIL' "$T/out") failures over $n files"
	exit 1
fi
echo "ok: $n corpus files through trace -r and verify: no crash, no sanitizer report, every refusal named"
