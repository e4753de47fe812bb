#!/usr/bin/env bash
# test_replay_cli.sh: `trace -r` and `verify` on the project's captures.
#   - verify rebuilds every frame of the real-kernel captures identical or
#     identical but for checksums, and every frame of the model's own
#     captures identical;
#   - trace -r walks each frame up to the receiver's socket, --frame N
#     walks one, a filter selects frames, and bad input is refused clearly.
set -u
PW=${1:?usage: test_replay_cli.sh PACKETWALK}
SRC=${PW_SOURCE_DIR:-.}
C=$SRC/captures
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

summary() { # file [filter...] -> "frames identical checksum_only different unsupported"
	"$PW" verify --json -r "$@" | tail -1 | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["frames"], s["identical"], s["checksum_only"], s["different"], s["unsupported"])'
}

for f in "$C"/linux-*.pcap; do
	read -r n i c d u <<< "$(summary "$f")"
	want=$(tcpdump -r "$f" 2>/dev/null | wc -l)
	if [ "$n" = "$want" ] && [ "$d" = 0 ] && [ "$u" = 0 ] && [ $((i + c)) = "$n" ]; then
		ok "$(basename "$f"): $n frames: $i identical, $c identical but for checksums"
	else
		bad "$(basename "$f"): $n frames (tcpdump reads $want): $i identical, $c checksum only, $d different, $u unsupported"
	fi
done
for f in "$C"/model-*.pcap; do
	read -r n i c d u <<< "$(summary "$f")"
	[ "$n" -gt 0 ] && [ "$i" = "$n" ] && ok "$(basename "$f"): all $n frames identical" ||
		bad "$(basename "$f"): $n frames, $i identical, $c checksum only, $d different, $u unsupported"
done

# The walk of a whole capture: every frame crosses the model's wire once,
# and the receiver reads the data.
"$PW" trace --json -r "$C/linux-tcp-hello.pcap" > "$T/t.json" || bad "trace -r exited $?"
python3 - "$T/t.json" <<'PY' || fail=1
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
wire = [e for e in ev if e["op"] == "wire"]
rcv = [e["skb"]["len"] for e in ev if e["tracepoint"] == "net:netif_receive_skb"]
recv = [e["text"] for e in ev if e["tracepoint"] == "sock:sock_recv_length" and e["host"] == "B"]
assert [e["i"] for e in ev] == list(range(len(ev))), "event numbers are not 0, 1, 2, ..."
assert len(wire) == 8, "8 frames on the wire, got %d" % len(wire)
assert rcv == [60, 60, 52, 69, 52, 52, 52, 52], "netif_receive_skb lengths %s" % rcv
assert any("17 bytes" in t for t in recv), "B never read the 17 bytes: %s" % recv
print("ok: trace -r linux-tcp-hello.pcap: 8 frames walked, netif_receive_skb lengths %s, B reads 17 bytes" % rcv)
PY

"$PW" trace --json -r "$C/linux-tcp-hello.pcap" --frame 4 > "$T/f4.json" || bad "trace -r --frame 4 exited $?"
python3 - "$T/f4.json" <<'PY' || fail=1
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
wire = [e for e in ev if e["op"] == "wire"]
assert len(wire) == 1, "--frame 4 put %d frames on the wire" % len(wire)
assert any(e["tracepoint"] == "skb:skb_copy_datagram_iovec" and e["host"] == "B" for e in ev), "B did not copy the data out"
print("ok: trace -r --frame 4: one frame walked, B copies its 17 bytes to the application")
PY

read -r n i c d u <<< "$(summary "$C/linux-arp.pcap" arp)"
[ "$n" = 2 ] && ok "filter 'arp' selects the 2 ARP frames" || bad "filter 'arp' selected $n frames, expected 2"
read -r n i c d u <<< "$(summary "$C/linux-tcp-hello.pcap" 'tcp[tcpflags] & tcp-syn != 0')"
[ "$n" = 2 ] && ok "filter on the SYN flag selects 2 frames" || bad "SYN filter selected $n frames, expected 2"

# A Linux cooked (SLL) capture, made from an Ethernet one, walks too.
python3 - "$C/linux-udp-dns.pcap" "$T/sll.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
magic, vmaj, vmin, tz, sig, snap, lt = struct.unpack("<IHHiIII", data[:24])
out = [struct.pack("<IHHiIII", magic, vmaj, vmin, tz, sig, snap, 113)]
off = 24
while off + 16 <= len(data):
    s, us, cl, ln = struct.unpack("<IIII", data[off:off + 16])
    fr = data[off + 16:off + 16 + cl]
    sll = struct.pack(">HHH8sH", 4, 1, 6, fr[6:12] + b"\0\0", struct.unpack(">H", fr[12:14])[0])
    body = sll + fr[14:]
    out.append(struct.pack("<IIII", s, us, len(body), ln - 14 + 16) + body)
    off += 16 + cl
open(sys.argv[2], "wb").write(b"".join(out))
PY
read -r n i c d u <<< "$(summary "$T/sll.pcap")"
[ "$n" = 2 ] && [ "$d" = 0 ] && [ "$u" = 0 ] && ok "a Linux cooked capture is walked and rebuilt ($i identical, $c checksum only)" ||
	bad "cooked capture: $n frames, $d different, $u unsupported"

expect() { # status, stderr pattern, args...
	local want=$1 pat=$2
	shift 2
	"$PW" "$@" > /dev/null 2> "$T/err"
	local got=$?
	if [ "$got" = "$want" ] && grep -q -- "$pat" "$T/err"; then
		ok "packetwalk $* -> status $got: $(head -1 "$T/err")"
	else
		bad "packetwalk $*: status $got (want $want), stderr: $(head -2 "$T/err")"
	fi
}
expect 1 "$T/nothing.pcap" trace -r "$T/nothing.pcap"
expect 1 "only 8 frames" trace -r "$C/linux-tcp-hello.pcap" --frame 99
expect 2 "--frame" trace -r "$C/linux-tcp-hello.pcap" --frame 0
expect 2 "needs -r" trace --frame 3
expect 2 "needs -r" trace tcp port 80
expect 1 "linux-tcp-hello.pcap" verify -r "$C/linux-tcp-hello.pcap" "tcp port"
expect 2 "-r FILE" verify
expect 2 "unknown option" verify -r "$C/linux-tcp-hello.pcap" --bogus
printf 'not a capture at all' > "$T/junk.pcap"
expect 1 "junk.pcap" verify -r "$T/junk.pcap"
exit $fail
