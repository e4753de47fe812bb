#!/usr/bin/env bash
# test_pcap_tshark.sh: the frames 'trace --pcap-out' writes, read by tshark.
#
#   bash tests/cli/test_pcap_tshark.sh /path/to/packetwalk
#
# For tcp udp ping arp frag burst noport rxdrop rcvbuf: with IP, TCP and UDP
# checksum validation on, tshark's expert info ('-z expert,note') has no
# error or warning (malformed packets, bad checksums, "previous segment not
# captured", ...) and no note other than the connection set-up/close ones
# (no retransmission, duplicate ACK, out-of-order, ...); and tshark reads
# as many frames as the JSON trace of the same run has op "wire" events.
# For badcsum (frame 4 corrupted on purpose): exactly one bad checksum, in
# frame 4, and no warning.
#
# Exit 0 = pass, 77 = skipped (no tshark or python3), anything else = fail.
set -u

PW=${1:-}
if [ -z "$PW" ] || [ ! -x "$PW" ]; then
	echo "FAIL: usage: bash $0 /path/to/packetwalk (got '${PW}', not an executable)"
	exit 1
fi
if ! command -v tshark >/dev/null 2>&1; then
	echo "skipped: tshark is not installed"
	exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (needed to read tshark's report and the NDJSON)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-tshark.XXXXXX") || { echo "FAIL: mktemp -d failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT
# tshark wants a writable home for its profile; keep it out of the real one.
export HOME="$tmp/home"
mkdir -p "$HOME"

TSHARK_OPTS=(-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE)

# expert.py SCENARIO EXPERT_TXT: judges tshark's '-z expert,note -q' report.
cat >"$tmp/expert.py" <<'EOF'
import re, sys

scen, path = sys.argv[1], sys.argv[2]
section = None
summary_col = None
entries = []   # (section, frequency, group, protocol, summary)
for line in open(path, encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    m = re.match(r"^(Errors|Warnings|Notes|Chats|Comments) \((\d+)\)", line)
    if m:
        section = m.group(1)
        continue
    if "Frequency" in line and "Summary" in line:
        summary_col = line.index("Summary")
        continue
    m = re.match(r"^\s+(\d+)\s+\S", line)
    if section and m and summary_col is not None:
        head = line[:summary_col].split()
        entries.append((section, int(m.group(1)), " ".join(head[1:-1]), head[-1] if len(head) > 1 else "",
                        line[summary_col:].strip()))

# Notes that a clean exchange produces: the connection opening and closing.
ALLOWED_NOTE = re.compile(r"connection (establish|closing)|initiates the connection|undergoes the connection",
                          re.I)
problems = []
if scen == "badcsum":
    errs = [e for e in entries if e[0] == "Errors"]
    bad = [e for e in errs if "checksum" in e[4].lower()]
    if len(bad) != 1 or bad[0][1] != 1 or len(errs) != 1:
        problems.append("expected exactly one error, one bad checksum (frame 4, corrupted on purpose), got %s"
                        % ([("%s x%d: %s" % (e[0], e[1], e[4])) for e in errs] or "no errors"))
    for e in entries:
        if e[0] == "Warnings":
            problems.append("expected no expert warning, got %s x%d [%s/%s]: %s" % (e[0], e[1], e[2], e[3], e[4]))
else:
    for e in entries:
        if e[0] in ("Errors", "Warnings"):
            problems.append("expected no expert %s, got %d x [%s/%s]: %s" % (e[0].lower(), e[1], e[2], e[3], e[4]))
        elif e[0] == "Notes" and not ALLOWED_NOTE.search(e[4]):
            problems.append("expected only connection set-up/close notes, got note %d x [%s/%s]: %s"
                            % (e[1], e[2], e[3], e[4]))
for p in problems:
    print("       %s: %s" % (scen, p))
if problems:
    sys.exit(1)
print(", ".join("%s %d x %s" % (e[0][:-1].lower(), e[1], e[4]) for e in entries) or "no expert entries")
EOF

failures=0
checks=0
ok() { checks=$((checks + 1)); echo "ok   - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $*"; }

for s in tcp udp ping arp frag burst noport rxdrop rcvbuf badcsum; do
	pcap="$tmp/$s.pcap"
	"$PW" trace -s "$s" --json --pcap-out "$pcap" >"$tmp/$s.json" 2>"$tmp/$s.err" </dev/null
	rc=$?
	if [ "$rc" -ne 0 ] || [ ! -s "$pcap" ]; then
		fail "trace -s $s --json --pcap-out: expected exit status 0 and a pcap, got status $rc, pcap of $(wc -c <"$pcap" 2>/dev/null || echo 0) bytes"
		sed -e 's/^/       stderr: /' "$tmp/$s.err" | head -5
		continue
	fi

	# tshark's expert report.
	tshark -r "$pcap" "${TSHARK_OPTS[@]}" -z expert,note -q >"$tmp/$s.expert" 2>/dev/null </dev/null
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$s: tshark -r $s.pcap -z expert,note: expected exit status 0, got $rc"
		continue
	fi
	if verdict=$(python3 "$tmp/expert.py" "$s" "$tmp/$s.expert"); then
		ok "$s: tshark expert info is clean for this scenario ($verdict)"
	else
		fail "$s: tshark's expert info reports problems:"
		echo "$verdict"
		sed -e 's/^/       tshark: /' "$tmp/$s.expert" | grep -v '^       tshark: *$'
	fi

	# Frame count: tshark against the JSON's wire events.
	tframes=$(tshark -r "$pcap" "${TSHARK_OPTS[@]}" -T fields -e frame.number 2>/dev/null </dev/null | grep -c .)
	wires=$(python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["op"] == "wire"))' "$tmp/$s.json")
	if [ "$tframes" -eq "$wires" ] && [ "$wires" -gt 0 ]; then
		ok "$s: tshark reads $tframes frames = $wires op \"wire\" events in the JSON of the same run"
	else
		fail "$s: expected tshark to read as many frames as the JSON has op \"wire\" events ($wires, > 0), got $tframes"
	fi

	if [ "$s" = badcsum ]; then
		badframes=$(tshark -r "$pcap" "${TSHARK_OPTS[@]}" \
			-Y 'ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0' \
			-T fields -e frame.number 2>/dev/null </dev/null | tr '\n' ' ' | sed 's/ *$//')
		if [ "$badframes" = "4" ]; then
			ok "badcsum: the one bad checksum is in frame 4 (the frame --corrupt flipped)"
		else
			fail "badcsum: expected the bad checksum in frame 4 only, got bad checksums in frame(s): '${badframes}'"
		fi
	fi
done

echo "# $checks checks, $failures failed"
[ "$failures" -eq 0 ] || exit 1
exit 0
