#!/usr/bin/env bash
# test_kernel_syn.sh: the model's TCP SYN options against a SYN the running
# Linux kernel sends.
#
#   bash tests/cli/test_kernel_syn.sh /path/to/packetwalk      (as root)
#
# Two network namespaces joined by a veth pair (192.0.2.1/24 and
# 192.0.2.2/24, documentation addresses; nothing leaves the namespaces).
# tcpdump captures the SYN of a connect() from namespace a to
# 192.0.2.2:5001 (nobody listens: the RST answer is fine). Then the TCP
# options of that SYN and of the model's SYN (frame 1 of
# 'trace -s tcp --pcap-out') must have the same layout (option kinds,
# lengths and NOP padding: MSS, SACK_PERM, TIMESTAMP, NOP, WSCALE), the same
# MSS (1460 at MTU 1500) and the same TCP header length (40). TSval and
# the window scale shift may differ.
#
# Exit 0 = pass, 77 = skipped (not root, no ip netns / tcpdump / python3,
# namespaces cannot be created), anything else = fail.
set -u

PW=${1:-}
if [ -z "$PW" ] || [ ! -x "$PW" ]; then
	echo "FAIL: usage: bash $0 /path/to/packetwalk (got '${PW}', not an executable)"
	exit 1
fi
if [ "${EUID:-$(id -u)}" -ne 0 ]; then
	echo "skipped: not root (network namespaces and tcpdump need root)"
	exit 77
fi
for tool in ip tcpdump python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "skipped: $tool is not installed"
		exit 77
	fi
done
if ! ip netns list >/dev/null 2>&1; then
	echo "skipped: 'ip netns' does not work here"
	exit 77
fi

ns_a="pwt$$-a"
ns_b="pwt$$-b"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-syn.XXXXXX") || { echo "FAIL: mktemp -d failed"; exit 1; }
tcpdump_pid=
made_a=
made_b=
cleanup() {
	if [ -n "$tcpdump_pid" ] && kill -0 "$tcpdump_pid" 2>/dev/null; then
		kill "$tcpdump_pid" 2>/dev/null
		wait "$tcpdump_pid" 2>/dev/null
	fi
	# Only the namespaces this run created.
	[ -n "$made_a" ] && ip netns del "$ns_a" 2>/dev/null
	[ -n "$made_b" ] && ip netns del "$ns_b" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ------------------------------------------------------------- namespaces
if ip netns add "$ns_a" 2>"$tmp/ns.err"; then
	made_a=1
	ip netns add "$ns_b" 2>"$tmp/ns.err" && made_b=1
fi
if [ -z "$made_a" ] || [ -z "$made_b" ]; then
	echo "skipped: cannot create network namespaces: $(head -1 "$tmp/ns.err")"
	exit 77
fi
# The veth pair is created with its ends straight in the two namespaces.
if ! {
	ip -n "$ns_a" link add veth0 address 02:00:00:00:00:01 type veth \
		peer name veth1 address 02:00:00:00:00:02 netns "$ns_b" &&
		ip -n "$ns_a" addr add 192.0.2.1/24 dev veth0 &&
		ip -n "$ns_b" addr add 192.0.2.2/24 dev veth1 &&
		ip -n "$ns_a" link set lo up && ip -n "$ns_b" link set lo up &&
		ip -n "$ns_a" link set veth0 up && ip -n "$ns_b" link set veth1 up
} 2>"$tmp/ns.err"; then
	echo "skipped: cannot set up the veth pair between the namespaces: $(head -1 "$tmp/ns.err")"
	exit 77
fi
# The kernel's defaults, set explicitly in case this machine differs.
# shellcheck disable=SC2016 # $k is expanded by the inner sh
ip netns exec "$ns_a" sh -c 'for k in tcp_timestamps tcp_sack tcp_window_scaling; do
	echo 1 >/proc/sys/net/ipv4/$k; done' 2>/dev/null
mtu=$(ip netns exec "$ns_a" cat /sys/class/net/veth0/mtu 2>/dev/null || echo "?")
echo "# namespaces $ns_a (192.0.2.1, veth0) and $ns_b (192.0.2.2, veth1), MTU $mtu"

# --------------------------------------------------------- the kernel SYN
kpcap="$tmp/kernel.pcap"
ip netns exec "$ns_a" tcpdump -Z root -U -n -i veth0 -w "$kpcap" -c 1 'tcp[tcpflags] & tcp-syn != 0' \
	>"$tmp/tcpdump.out" 2>"$tmp/tcpdump.err" </dev/null &
tcpdump_pid=$!
for _ in $(seq 1 100); do
	grep -q "listening on" "$tmp/tcpdump.err" 2>/dev/null && break
	kill -0 "$tcpdump_pid" 2>/dev/null || break
	sleep 0.05
done
if ! grep -q "listening on" "$tmp/tcpdump.err" 2>/dev/null; then
	echo "FAIL - tcpdump in $ns_a: expected it to start listening on veth0 within 5 s, got:"
	sed -e 's/^/       tcpdump: /' "$tmp/tcpdump.err" | head -5
	exit 1
fi
ip netns exec "$ns_a" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(2)
try:
    s.connect(("192.0.2.2", 5001))
    print("# connect(): connected")
except OSError as e:
    print("# connect():", e, "(expected: nobody listens, the SYN is what counts)")
s.close()' </dev/null
for _ in $(seq 1 100); do
	kill -0 "$tcpdump_pid" 2>/dev/null || break
	sleep 0.05
done
if kill -0 "$tcpdump_pid" 2>/dev/null; then
	echo "FAIL - tcpdump in $ns_a: expected it to capture one SYN and exit within 5 s, it is still waiting"
	exit 1
fi
wait "$tcpdump_pid"
tcpdump_rc=$?
tcpdump_pid=
if [ "$tcpdump_rc" -ne 0 ] || [ ! -s "$kpcap" ]; then
	echo "FAIL - tcpdump: expected exit status 0 and a capture file, got status $tcpdump_rc, file of $(wc -c <"$kpcap" 2>/dev/null || echo 0) bytes"
	sed -e 's/^/       tcpdump: /' "$tmp/tcpdump.err" | head -5
	exit 1
fi
# The namespaces have done their work.
ip netns del "$ns_a" 2>/dev/null && made_a=
ip netns del "$ns_b" 2>/dev/null && made_b=

# ---------------------------------------------------------- the model SYN
mpcap="$tmp/model.pcap"
if ! "$PW" trace -s tcp --pcap-out "$mpcap" >/dev/null 2>"$tmp/pw.err" </dev/null; then
	echo "FAIL - packetwalk trace -s tcp --pcap-out: expected exit status 0, got:"
	sed -e 's/^/       stderr: /' "$tmp/pw.err" | head -5
	exit 1
fi

# ------------------------------------------------------------- compare
python3 - "$kpcap" "$mpcap" <<'EOF'
import struct, sys

NAMES = {0: "EOL", 1: "NOP", 2: "MSS", 3: "WSCALE", 4: "SACK_PERM", 5: "SACK", 8: "TIMESTAMP", 30: "MPTCP",
         34: "TFO"}

def first_frame(path):
    """Link type and bytes of the first record of a classic pcap file."""
    data = open(path, "rb").read()
    if len(data) < 24:
        raise ValueError("%s: %d bytes, too short for a pcap header" % (path, len(data)))
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("%s: not a classic pcap file (magic %s)" % (path, magic.hex()))
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0x0FFFFFFF
    if len(data) < 40:
        raise ValueError("%s: no packet record" % path)
    incl = struct.unpack(end + "I", data[32:36])[0]
    return linktype, data[40:40 + incl]

def ip_packet(linktype, frame):
    if linktype == 1:            # Ethernet (tcpdump on veth, and the model)
        off, etype = 14, struct.unpack(">H", frame[12:14])[0]
        while etype in (0x8100, 0x88A8):
            etype = struct.unpack(">H", frame[off + 2:off + 4])[0]
            off += 4
    elif linktype == 113:        # Linux cooked v1
        off, etype = 16, struct.unpack(">H", frame[14:16])[0]
    elif linktype == 276:        # Linux cooked v2
        off, etype = 20, struct.unpack(">H", frame[0:2])[0]
    elif linktype in (12, 101):  # raw IP
        off, etype = 0, 0x0800
    else:
        raise ValueError("unsupported link type %d" % linktype)
    if etype != 0x0800:
        raise ValueError("first frame is not IPv4 (ethertype 0x%04x)" % etype)
    return frame[off:]

def syn_options(path):
    ip = ip_packet(*first_frame(path))
    ihl = (ip[0] & 0x0F) * 4
    if ip[0] >> 4 != 4 or ip[9] != 6:
        raise ValueError("first packet is not IPv4 TCP (version %d, protocol %d)" % (ip[0] >> 4, ip[9]))
    tcp = ip[ihl:]
    hlen = (tcp[12] >> 4) * 4
    flags = tcp[13]
    if not flags & 0x02 or flags & 0x10:
        raise ValueError("first TCP segment is not a SYN (flags 0x%02x)" % flags)
    opts, i, layout, values = tcp[20:hlen], 0, [], {}
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            layout.append(("EOL", 0, 1))
            break
        if kind == 1:
            layout.append(("NOP", 1, 1))
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2 or i + opts[i + 1] > len(opts):
            raise ValueError("bad option length at option byte %d: %s" % (i, opts.hex()))
        ln = opts[i + 1]
        body = opts[i + 2:i + ln]
        layout.append((NAMES.get(kind, "kind%d" % kind), kind, ln))
        if kind == 2:
            values["MSS"] = struct.unpack(">H", body)[0]
        elif kind == 3:
            values["WSCALE shift"] = body[0]
        elif kind == 8:
            values["TSval"], values["TSecr"] = struct.unpack(">II", body)
        i += ln
    return {"hlen": hlen, "layout": layout, "values": values, "window": struct.unpack(">H", tcp[14:16])[0]}

def show(e):
    return ", ".join(n if n in ("NOP", "EOL") else "%s(%d,%d)" % (n, k, l) for n, k, l in e["layout"])

failed = False
try:
    kern = syn_options(sys.argv[1])
except (ValueError, IndexError, struct.error) as x:
    print("FAIL - kernel SYN (tcpdump capture): %s" % x)
    sys.exit(1)
try:
    model = syn_options(sys.argv[2])
except (ValueError, IndexError, struct.error) as x:
    print("FAIL - model SYN (frame 1 of trace -s tcp --pcap-out): %s" % x)
    sys.exit(1)

for who, e in (("kernel", kern), ("model ", model)):
    print("# %s SYN: header %d bytes, window %d, options: %s" % (who, e["hlen"], e["window"], show(e)))
    print("#             values: %s" % ", ".join("%s %s" % kv for kv in sorted(e["values"].items())))

if kern["layout"] == model["layout"]:
    print("ok   - option layout identical: %s" % show(kern))
else:
    print("FAIL - option layout: expected the kernel's %s, got the model's %s" % (show(kern), show(model)))
    failed = True
expected = [("MSS", 2, 4), ("SACK_PERM", 4, 2), ("TIMESTAMP", 8, 10), ("NOP", 1, 1), ("WSCALE", 3, 3)]
if kern["layout"] != expected:
    print("note - the kernel's layout differs from the usual Linux one (%s); check its sysctls"
          % show({"layout": expected}))
km, mm = kern["values"].get("MSS"), model["values"].get("MSS")
if km is not None and km == mm:
    print("ok   - MSS equal: %d" % km)
else:
    print("FAIL - MSS: expected the kernel's %s, got the model's %s" % (km, mm))
    failed = True
if kern["hlen"] == model["hlen"]:
    print("ok   - TCP header length equal: %d bytes" % kern["hlen"])
else:
    print("FAIL - TCP header length: expected the kernel's %d, got the model's %d" % (kern["hlen"], model["hlen"]))
    failed = True
print("# not compared (they may differ): TSval (kernel %s, model %s), window scale shift (kernel %s, model %s)"
      % (kern["values"].get("TSval"), model["values"].get("TSval"),
         kern["values"].get("WSCALE shift"), model["values"].get("WSCALE shift")))
sys.exit(1 if failed else 0)
EOF
