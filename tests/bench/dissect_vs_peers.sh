#!/usr/bin/env bash
# dissect_vs_peers.sh: `packetwalk dissect` beside its peers, tshark and
# tcpdump, reading the same large capture. A benchmark, not a test.
#
# Usage: tests/bench/dissect_vs_peers.sh [PACKETWALK] [FRAMES] [RUNS]
#        (defaults build/packetwalk, 1000000, 3)
#
# A python3 generator writes FRAMES Ethernet frames to a pcap in a
# temporary folder: IPv4 TCP (mostly full 1448-byte segments, some pure
# ACKs), UDP (DNS-sized to 1200 bytes), ICMP echo and ARP, about 960
# bytes a frame on average (1,000,000 frames: about 0.97 GB). The file is
# read once to have it in the page cache, then, RUNS times each, in the
# same session:
#   packetwalk dissect -r FILE > /dev/null
#   tshark -r FILE -T fields -E occurrence=f -e (the same 36 fields) > /dev/null
#   tcpdump -nr FILE > /dev/null
# and the script prints the median time and frames per second of each and
# the ratios. Then, for packetwalk: the time from start to the first line
# of output reaching a pipe, and the peak resident memory (/usr/bin/time's
# maximum RSS) after FRAMES/10 and FRAMES frames, to show that memory
# grows with the frame index (4 bytes a frame) and not with the file.
# Targets (the issue's): packetwalk at least 10x tshark's speed, and no
# slower than tcpdump. A peer that is not installed is left out.
set -euo pipefail

PW=${1:-build/packetwalk}
FRAMES=${2:-1000000}
RUNS=${3:-3}
command -v python3 >/dev/null || { echo "dissect_vs_peers: python3 is needed" >&2; exit 2; }
[ -x "$PW" ] || { echo "dissect_vs_peers: $PW is not an executable" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$PW" "$FRAMES" "$RUNS" "$TMP" <<'PY'
import os, random, resource, shutil, statistics, struct, subprocess, sys, time

pw, frames, runs, tmp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
FIELDS = ("frame.number frame.len frame.cap_len eth.src eth.dst eth.type vlan.id ip.version "
          "ip.hdr_len ip.len ip.id ip.flags.df ip.flags.mf ip.frag_offset ip.ttl ip.proto "
          "ip.checksum ip.src ip.dst ipv6.src ipv6.dst ipv6.nxt tcp.srcport tcp.dstport "
          "tcp.seq_raw tcp.ack_raw tcp.hdr_len tcp.flags tcp.window_size_value tcp.len "
          "udp.srcport udp.dstport udp.length icmp.type icmp.code arp.opcode").split()


def csum(b):
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(proto, payload, ident):
    h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                    bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    return h[:10] + struct.pack(">H", csum(h)) + h[12:] + payload


def pool(r):
    a, b = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")
    out = []
    for i in range(512):
        k = i % 20
        if k < 13:    # TCP: full segments, some pure ACKs
            n = 0 if k in (3, 9) else 1448
            t = struct.pack(">HHIIHHHH", 40000 + i % 7, 443, r.getrandbits(32), r.getrandbits(32),
                            (8 << 12) | (0x18 if n else 0x10), 501, 0, 0) + bytes([1, 1, 8, 10]) + bytes(8)
            out.append(b + a + b"\x08\x00" + ip4(6, t + bytes(n), i))
        elif k < 17:  # UDP, DNS-sized to large
            n = r.choice([40, 120, 512, 1200])
            out.append(b + a + b"\x08\x00" + ip4(17, struct.pack(">HHHH", 5000 + i, 53, 8 + n, 0) + bytes(n), i))
        elif k < 19:  # ICMP echo
            out.append(b + a + b"\x08\x00" + ip4(1, struct.pack(">BBHHH", 8, 0, 0, 1, i) + bytes(56), i))
        else:         # ARP request, padded to 60
            arp = struct.pack(">HHBBH6s4s6s4s", 1, 0x800, 6, 4, 1, a, bytes([192, 0, 2, 1]), bytes(6),
                              bytes([192, 0, 2, 2]))
            out.append(b"\xff" * 6 + a + b"\x08\x06" + arp + bytes(18))
    return out


def generate(path, n):
    p = pool(random.Random(1))
    rec = struct.Struct("<IIII")
    with open(path, "wb", buffering=1 << 22) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, 1))
        chunk = []
        for i in range(n):
            fr = p[(i * 37) % 512]
            chunk.append(rec.pack(1767225600 + i // 100000, (i % 100000) * 10000, len(fr), len(fr)))
            chunk.append(fr)
            if len(chunk) >= 20000:
                f.write(b"".join(chunk))
                chunk = []
        f.write(b"".join(chunk))


def timed(args):
    with open(os.devnull, "wb") as null:
        t0 = time.monotonic()
        subprocess.run(args, stdout=null, stderr=subprocess.DEVNULL, check=True)
        return time.monotonic() - t0


def first_line_time(args):
    t0 = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.readline()
    dt = time.monotonic() - t0
    p.kill()
    p.wait()
    return dt


def peak_rss_kb(args):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, check=True).stderr.decode().strip().splitlines()
    return int(out[-1])


big = os.path.join(tmp, "bench.pcap")
t0 = time.monotonic()
generate(big, frames)
size = os.path.getsize(big)
print("capture: %d frames, %d bytes (%.1f bytes a frame), written in %.1f s"
      % (frames, size, (size - 24) / frames - 16, time.monotonic() - t0))
with open(big, "rb") as f:  # into the page cache
    while f.read(1 << 24):
        pass

tools = [("packetwalk dissect", [pw, "dissect", "-r", big])]
if shutil.which("tshark"):
    args = ["tshark", "-n", "-r", big, "-T", "fields", "-E", "occurrence=f"]
    for fld in FIELDS:
        args += ["-e", fld]
    tools.append(("tshark -T fields (36)", args))
if shutil.which("tcpdump"):
    tools.append(("tcpdump -n", ["tcpdump", "-nr", big]))

medians = {}
for name, args in tools:
    times = [timed(args) for _ in range(runs)]
    medians[name] = statistics.median(times)
    print("%-24s median %7.3f s  %12s frames/s   (runs: %s)"
          % (name, medians[name], "{:,.0f}".format(frames / medians[name]),
             ", ".join("%.3f" % t for t in times)))
base = medians["packetwalk dissect"]
for name in medians:
    if name != "packetwalk dissect":
        print("packetwalk is %.1fx as fast as %s" % (medians[name] / base, name))

print("time to the first frame on a pipe: %.1f ms" % (1000 * statistics.median(
    first_line_time([pw, "dissect", "-r", big]) for _ in range(runs))))
small = os.path.join(tmp, "small.pcap")
generate(small, max(frames // 10, 1))
for n, path in ((max(frames // 10, 1), small), (frames, big)):
    print("peak RSS after %d frames: %d KB" % (n, peak_rss_kb([pw, "dissect", "-r", path])))
PY
