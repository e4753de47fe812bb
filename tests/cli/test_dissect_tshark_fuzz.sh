#!/usr/bin/env bash
# test_dissect_tshark_fuzz.sh: `packetwalk dissect` against a live tshark on
# generated frames, many of them damaged on purpose.
#
# Usage: bash test_dissect_tshark_fuzz.sh /path/to/packetwalk   (PW_SOURCE_DIR = source root)
#
# A seeded generator (python3) writes one pcap per link type packetwalk
# reads (Ethernet, Linux cooked v1 and v2, NULL, LOOP, raw 101, IPv4 228,
# and raw as DLT 12 and 14), 2,000 frames each: IPv4 (options, source
# routes, fragments), IPv6 (extension headers), TCP, UDP, ICMP, ARP, other
# protocols, 802.1Q/802.1ad/QinQ tags, 802.3 lengths, Cisco ISL, link
# padding; a third of them with
# random bytes changed, some cut short, some with a wire length above what
# was captured. tshark reads the same files (-T fields -E occurrence=f, the
# 36 fields), and the frames are compared with the rule of
# test_dissect_corpus.sh: for every layer packetwalk prints, every field of
# that layer must equal tshark's. Under the sanitizers this is also a fuzz
# run of the reader and the parsers. PW_FUZZ_SEED changes the seed (1).
# Exit 0 pass, 77 skip (no tshark or python3), 1 fail.
set -u
BIN=${1:?usage: test_dissect_tshark_fuzz.sh /path/to/packetwalk}
for tool in tshark python3; do
	if ! command -v $tool >/dev/null; then
		echo "skipped: $tool not found"
		exit 77
	fi
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$BIN" "$TMP" "${PW_FUZZ_SEED:-1}" <<'PY'
import concurrent.futures, json, random, struct, subprocess, sys

binary, tmp, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
FRAMES = 2000
FIELDS = ("frame.number frame.len frame.cap_len eth.src eth.dst eth.type vlan.id ip.version "
          "ip.hdr_len ip.len ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.ttl ip.proto "
          "ip.checksum ip.src ip.dst ipv6.src ipv6.dst ipv6.nxt tcp.srcport tcp.dstport "
          "tcp.seq_raw tcp.ack_raw tcp.hdr_len tcp.flags tcp.window_size_value tcp.len "
          "udp.srcport udp.dstport udp.length icmp.type icmp.code arp.opcode").split()
LAYERS = [
    ("frame", "frame.number", FIELDS[0:3]),
    ("eth", "eth.src", FIELDS[3:6]),
    ("vlan", "vlan.id", ["vlan.id"]),
    ("ip", "ip.hdr_len", FIELDS[7:19]),
    ("ipv6", "ipv6.src", ["ip.version", "ipv6.src", "ipv6.dst", "ipv6.nxt"]),
    ("tcp", "tcp.srcport", FIELDS[22:30]),
    ("udp", "udp.srcport", FIELDS[30:33]),
    ("icmp", "icmp.type", FIELDS[33:35]),
    ("arp", "arp.opcode", ["arp.opcode"]),
]


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def rbytes(r, n):
    return bytes(r.randint(0, 255) for _ in range(n))


def tcp(r):
    nopt = r.choice([0, 0, 4, 12, 20, 40])
    opts = bytes(r.choice([1, 1, 0, 2, 3, 4, 8, r.randint(0, 255)]) for _ in range(nopt))
    doff = 5 + nopt // 4
    return struct.pack(">HHIIHHHH", r.randint(0, 65535), r.randint(0, 65535), r.getrandbits(32),
                       r.getrandbits(32), (doff << 12) | r.randint(0, 0xFFF), r.randint(0, 65535),
                       0, 0) + opts + bytes(r.randint(0, 40))


def udp(r):
    data = bytes(r.randint(0, 40))
    return struct.pack(">HHHH", r.randint(0, 65535), r.randint(0, 65535), 8 + len(data), 0) + data


def icmp(r):
    return struct.pack(">BBHHH", r.choice([0, 3, 8, 11, 5, r.randint(0, 255)]), r.randint(0, 15),
                       0, 1, 2) + bytes(r.randint(0, 30))


def ip4(r):
    proto = r.choice([6, 6, 17, 17, 1, 47, 2, 132])
    payload = {6: tcp, 17: udp, 1: icmp}.get(proto, lambda r: bytes(r.randint(0, 30)))(r)
    opts = b""
    if r.random() < 0.25:
        # Options of every kind tshark knows, with right and wrong lengths.
        o = b""
        for _ in range(r.randint(1, 3)):
            kind = r.choice([0, 1, 7, 11, 12, 25, 68, 82, 130, 131, 133, 134, 136, 137, 148, 149, 30, 222])
            good = {7: 7, 11: 4, 12: 4, 25: 8, 68: 12, 82: 12, 130: 11, 131: 7, 133: 3, 134: 10,
                    136: 4, 137: 11, 148: 4, 149: 6}.get(kind, 4)
            olen = good if r.random() < 0.6 else r.randint(0, 14)
            o += bytes([kind]) if kind in (0, 1) else bytes([kind, olen, 4]) + rbytes(r, max(olen - 3, 0))
        n = min(40, (len(o) + 3) // 4 * 4)
        opts = (o + bytes(40))[:n]
    ihl = 5 + len(opts) // 4
    flags = r.choice([0, 0x4000, 0x4000, 0x2000, 0x2000 | r.randint(1, 50), r.randint(1, 100), 0x8000])
    h = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), r.randint(0, 65535), flags,
                    r.randint(1, 255), proto, 0, rbytes(r, 4), rbytes(r, 4)) + opts
    return 0x0800, h[:10] + struct.pack(">H", csum(h)) + h[12:] + payload


def ip6(r):
    nh = r.choice([6, 17, 58, 0, 44, 43, 60, 59])
    payload = {6: tcp, 17: udp}.get(nh, lambda r: bytes(r.randint(8, 30)))(r)
    addrs = bytes(r.randint(0, 255) if r.random() < 0.3 else 0 for _ in range(32))
    return 0x86DD, struct.pack(">IHBB", 0x60000000, len(payload), nh, 64) + addrs + payload


def arp(r):
    return 0x0806, struct.pack(">HHBBH", r.choice([1, 1, 1, 6]), r.choice([0x800, 0x800, 0x86DD]),
                               r.choice([6, 6, 8]), r.choice([4, 4, 16]), r.randint(0, 4)) + rbytes(r, 20)


def network(r):
    k = r.random()
    if k < 0.55:
        return ip4(r)
    if k < 0.75:
        return ip6(r)
    if k < 0.92:
        return arp(r)
    return r.choice([0x88CC, 0x8847, 0x0101, 0x05DC, 0x05DD, 0x0600, 0x8137]), bytes(r.randint(0, 40))


def frame(r, linktype):
    et, net = network(r)
    if r.random() < 0.3:
        net = bytearray(net)
        for _ in range(r.choice([1, 1, 2, 3])):
            if net:
                net[r.randrange(len(net))] = r.randint(0, 255)
        net = bytes(net)
    if linktype == 1:
        tags = b"".join(struct.pack(">HH", r.choice([0x8100, 0x88A8, 0x9100]), r.randint(0, 0xFFFF))
                        for _ in range(r.choice([0, 0, 0, 1, 1, 2])))
        # Now and then a Cisco ISL destination (its frame is read by neither).
        macs = bytes([r.choice([0x01, 0x0C]), 0, 0x0C, 0, 0]) + rbytes(r, 7) if r.random() < 0.03 else rbytes(r, 12)
        fr = macs + tags + struct.pack(">H", et) + net
        if r.random() < 0.2:
            fr += bytes(r.randint(0, 20))
    elif linktype == 113:
        fr = struct.pack(">HHH8sH", r.randint(0, 4), r.choice([1, 1, 1, 772, 778, 824]), 6, bytes(8), et) + net
    elif linktype == 276:
        fr = struct.pack(">HHIHBB8s", et, 0, 1, r.choice([1, 1, 772, 824]), 0, 6, bytes(8)) + net
    elif linktype in (0, 108):
        family = {0x0800: 2, 0x86DD: r.choice([24, 28, 30])}.get(et, r.randint(0, 40))
        little = linktype == 0 and r.random() < 0.5
        fr = struct.pack("<I" if little else ">I", family) + net
    else:
        fr = net
    wire = len(fr)
    x = r.random()
    if x < 0.15:
        fr = fr[: r.randint(0, len(fr))]
    elif x < 0.2:
        wire += r.randint(1, 100)
    return fr, wire


def write(path, linktype, r):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, linktype))
        for i in range(FRAMES):
            fr, wire = frame(r, linktype)
            f.write(struct.pack("<IIII", 1767225600 + i, i, len(fr), wire) + fr)


def compare(linktype):
    path = "%s/fuzz-%d.pcap" % (tmp, linktype)
    write(path, linktype, random.Random(seed * 1000 + linktype))
    args = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f", "-E", "separator=/t"]
    for f in FIELDS:
        args += ["-e", f]
    ts = subprocess.run(args, capture_output=True).stdout.decode("utf-8", "replace").split("\n")
    theirs = [{k: v for k, v in zip(FIELDS, line.split("\t")) if v} for line in ts if line]
    p = subprocess.run([binary, "dissect", "-r", path], capture_output=True)
    problems, claimed = [], 0
    if p.returncode != 0 or p.stderr:
        problems.append("link type %d: exit %d: %s" % (linktype, p.returncode, p.stderr.decode()[:300]))
    ours = {}
    for line in p.stdout.decode().splitlines():
        o = json.loads(line)
        ours[o["frame.number"]] = o
    if len(theirs) != FRAMES or len(ours) != FRAMES:
        problems.append("link type %d: tshark read %d frames, packetwalk %d, of %d"
                        % (linktype, len(theirs), len(ours), FRAMES))
    agree = 0
    for t in theirs:
        o = ours.get(t.get("frame.number"), {})
        ok = True
        for layer, marker, fields in LAYERS:
            claim = marker in o or (layer == "vlan" and "eth.src" in o and t.get("eth.type") in ("0x8100", "0x9100"))
            if not claim:
                continue
            claimed += 1
            for f in fields:
                if o.get(f) != t.get(f):
                    ok = False
                    problems.append("link type %d frame %s: %s: tshark %r, packetwalk %r (note %r)"
                                    % (linktype, t.get("frame.number"), f, t.get(f), o.get(f), o.get("note")))
        agree += ok
    return linktype, agree, len(theirs), claimed, problems


total = agreeing = 0
problems = []
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    for lt, agree, n, claimed, probs in ex.map(compare, [1, 113, 276, 0, 108, 101, 228, 12, 14]):
        print("link type %3d: %d of %d frames agree (%d layers claimed)" % (lt, agree, n, claimed))
        total += n
        agreeing += agree
        problems += probs
for p in problems[:200]:
    print("DISAGREE " + p)
if problems:
    print("FAILED: %d problems (seed %d)" % (len(problems), seed))
    sys.exit(1)
print("PASS: %d of %d frames agree (seed %d)" % (agreeing, total, seed))
PY
