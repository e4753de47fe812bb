#!/usr/bin/env bash
# test_hostile_inputs.sh: hostile input to every command that reads a
# capture (dissect, trace -r, verify -r, render -r) and to their flags.
#
# Usage: bash test_hostile_inputs.sh /path/to/packetwalk   (PW_SOURCE_DIR = source root)
#
# Inputs, made here with python3 (seeded, so a failure can be made again):
#   - per link type the dissector reads (Ethernet 1, raw IP 101 and 228,
#     Linux cooked 113 and 276, NULL 0, LOOP 108), 10,000 frames of random
#     bytes, and 10,000 whose link and IPv4 headers are well formed (right
#     checksum) around random fields and payloads: IHL, total length,
#     fragment offsets, TCP/UDP/ICMP headers, ARP and 802.1Q for Ethernet;
#   - 100,000 zero-length frames;
#   - pcapng files with many interfaces: 1,000 of one link type, 200
#     of many link types, a packet on an interface that does not exist;
#   - a FIFO (named pipe) with a pcap, the same gzip-compressed, a pcapng,
#     garbage, and nothing, each written by a process on the other end;
#   - a directory, a 0-byte file, a missing file;
#   - bad flag values: --frame 0, -1, 18446744073709551616,
#     9223372036854775808, 1x (and +1, " 1", "", none) for trace, verify
#     and render; a few other numeric flags.
# Every run must end with status 0, or 1 or 2 with a one-line message on
# stderr naming the file, the frame or the flag; within its time limit
# (timeout); with no sanitizer report and no signal. A FIFO's reading must
# give what the same regular file gives.
# Exit 0 pass, 77 skip (no python3 or mkfifo), 1 fail.
set -u
BIN=${1:?usage: test_hostile_inputs.sh /path/to/packetwalk}

for tool in python3 mkfifo timeout; do
	if ! command -v "$tool" >/dev/null; then
		echo "skipped: $tool not found"
		exit 77
	fi
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$BIN" "$TMP" <<'PY'
import gzip, os, random, struct, subprocess, sys, threading

binary, tmp = sys.argv[1:3]
failures = []
runs = 0
SANITIZER = ("runtime error", "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer")


def run(args, limit, want=(0, 1), names=()):
    """Runs packetwalk; checks the status, the message and the time."""
    global runs
    runs += 1
    what = "packetwalk " + " ".join(args)
    try:
        p = subprocess.run([binary] + args, capture_output=True, timeout=limit)
    except subprocess.TimeoutExpired:
        failures.append("%s: still running after %d s" % (what, limit))
        return None, b"", ""
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode < 0 or p.returncode >= 128:
        failures.append("%s: killed by a signal (status %d): %s" % (what, p.returncode, err[-300:]))
    elif p.returncode not in want:
        failures.append("%s: status %d, want one of %s: %s" % (what, p.returncode, want, err[-300:]))
    if any(s in err for s in SANITIZER):
        failures.append("%s: sanitizer report: %s" % (what, err[:600]))
    if p.returncode in (1, 2):
        lines = err.strip().splitlines()
        if len(lines) != 1:
            failures.append("%s: status %d with %d lines on stderr: %r" % (what, p.returncode, len(lines), err[:300]))
        elif names and not any(n in lines[0] for n in names):
            failures.append("%s: the message names none of %s: %r" % (what, names, lines[0]))
    return p.returncode, p.stdout, err.strip()


def readers(path, limit=60, want=(0, 1), render=True):
    """dissect, trace -r, verify -r and render -r of path."""
    names = (path,)
    out = {}
    for cmd in (["dissect", "-r", path], ["trace", "-r", path], ["verify", "-r", path]):
        out[cmd[0]] = run(cmd, limit, want, names)
    if render:
        out["render"] = run(["render", "-r", path, "--step", "3", "--size", "320x180",
                             "-o", os.path.join(tmp, "r.png")], limit, want + (2,), names + ("step",))
    return out


def write_pcap(name, linktype, frames, snaplen=262144):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for i, d in enumerate(frames):
            f.write(struct.pack("<IIII", 1767225600 + i // 1000, (i % 1000) * 1000, len(d), len(d)) + d)
    return path


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


# ---- random captures, per link type ----
LINKTYPES = (1, 101, 228, 113, 276, 0, 108)


def random_frame(r):
    n = r.choice((0, 1, 3, 4, 13, 14, 15, 19, 20, 34, 40, 54, 60, 100, 576, 1500, 1514, 1518, 9000))
    return r.randbytes(r.randrange(0, 3000) if r.random() < 0.3 else n)


def ipv4(r):
    ihl = r.choice((5, 5, 5, 5, 6, 15, r.randrange(0, 16)))
    proto = r.choice((1, 6, 17, 6, 17, 1, 2, 47, r.randrange(256)))
    l4len = r.choice((0, 4, 8, 20, 28, 40, 60, r.randrange(0, 1480), r.randrange(0, 3000)))
    if proto == 6:
        doff = r.choice((5, 5, 8, 15, r.randrange(16)))
        l4 = struct.pack(">HHIIHHHH", r.randrange(65536), r.choice((80, 443, r.randrange(65536))),
                         r.getrandbits(32), r.getrandbits(32), (doff << 12) | r.randrange(4096),
                         r.randrange(65536), r.randrange(65536), r.randrange(65536))
        l4 += r.randbytes(max(l4len - 20, 0))
    elif proto == 17:
        l4 = struct.pack(">HHHH", r.randrange(65536), r.choice((53, r.randrange(65536))),
                         r.choice((8 + l4len, 8, 0, 7, r.randrange(65536))), r.randrange(65536))
        l4 += r.randbytes(l4len)
    elif proto == 1:
        l4 = struct.pack(">BBHHH", r.choice((0, 3, 8, 11, r.randrange(256))), r.randrange(16),
                         0, r.randrange(65536), r.randrange(65536)) + r.randbytes(l4len)
        l4 = l4[:2] + struct.pack(">H", csum(l4)) + l4[4:]
    else:
        l4 = r.randbytes(l4len)
    opts = r.randbytes(max(ihl - 5, 0) * 4)
    tot = r.choice((4 * max(ihl, 5) + len(l4),) * 4 + (r.randrange(65536), 20, 0))
    frag = r.choice((0x4000, 0, 0, 0x2000 | r.randrange(0x2000), r.randrange(0x2000), r.randrange(65536)))
    src = r.choice((bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]), r.randbytes(4), bytes(4), b"\xff" * 4))
    dst = r.choice((bytes([192, 0, 2, 2]), bytes([192, 0, 2, 1]), r.randbytes(4), b"\xe0\0\0\1"))
    h = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, r.randrange(256), tot & 0xFFFF, r.randrange(65536), frag,
                    r.choice((64, 1, 0, 255)), proto, 0, src, dst) + opts
    h = h[:10] + struct.pack(">H", csum(h) if r.random() < 0.9 else r.randrange(65536)) + h[12:]
    d = h + l4
    if r.random() < 0.1:
        d = d[: r.randrange(len(d) + 1)]
    return d


def shaped_frame(r, linktype):
    if linktype == 1 and r.random() < 0.1:
        arp = struct.pack(">HHBBH6s4s6s4s", r.choice((1, r.randrange(65536))), r.choice((0x800, r.randrange(65536))),
                          r.choice((6, r.randrange(256))), r.choice((4, r.randrange(256))), r.choice((1, 2, r.randrange(65536))),
                          r.randbytes(6), bytes([192, 0, 2, 1]), r.randbytes(6), bytes([192, 0, 2, 2]))
        return b"\xff" * 6 + b"\x02\0\0\0\0\x01\x08\x06" + arp[: r.choice((28, 28, r.randrange(29)))]
    ip = ipv4(r)
    if linktype == 1:
        tags = b"".join(struct.pack(">HH", r.choice((0x8100, 0x88A8)), r.randrange(65536))
                        for _ in range(r.choice((0, 0, 0, 1, 2, 5))))
        return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01" + tags + b"\x08\x00" + ip
    if linktype in (101, 228):
        return ip
    if linktype == 113:
        return struct.pack(">HHH8sH", r.choice((0, 4, r.randrange(65536))), 1, r.choice((6, r.randrange(65536))),
                           r.randbytes(8), 0x0800) + ip
    if linktype == 276:
        return struct.pack(">HHIHBB8s", 0x0800, 0, r.randrange(1 << 32), 1, r.randrange(5),
                           r.choice((6, r.randrange(256))), r.randbytes(8)) + ip
    if linktype == 0:
        return struct.pack("<I", r.choice((2, 2, 24, r.randrange(1 << 32)))) + ip
    return struct.pack(">I", r.choice((2, 2, 24, r.randrange(1 << 32)))) + ip


for lt in LINKTYPES:
    r = random.Random(1000 + lt)
    readers(write_pcap("random-%d.pcap" % lt, lt, [random_frame(r) for _ in range(10000)]))
    readers(write_pcap("shaped-%d.pcap" % lt, lt, [shaped_frame(r, lt) for _ in range(10000)]))

# ---- 100,000 zero-length frames ----
path = write_pcap("zero-length.pcap", 1, [b""] * 100000)
res = readers(path)
rc, out, _ = res["dissect"]
if rc == 0 and out.count(b"\n") != 100000:
    failures.append("%s: dissect printed %d lines, want 100000" % (path, out.count(b"\n")))
rc, out, _ = res["verify"]
if rc == 0 and b"100000 frames: 0 identical" not in out:
    failures.append("%s: verify's summary: %r" % (path, out[-200:]))


# ---- pcapng with many interfaces ----
def block(btype, body):
    body += bytes(-len(body) % 4)
    return struct.pack("<II", btype, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))


SHB = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(linktype):
    return block(1, struct.pack("<HHI", linktype, 0, 262144))


def epb(ifid, data, ts=0):
    return block(6, struct.pack("<IIIII", ifid, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data)) + data)


def write_ng(name, blocks):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(SHB + b"".join(blocks))
    return path


r = random.Random(5)
eth = lambda: shaped_frame(r, 1)
readers(write_ng("one-type-1000-interfaces.pcapng",
                 [idb(1) for _ in range(1000)] + [epb(i % 1000, eth(), i) for i in range(3000)]))
many = (1, 101, 113, 276, 0, 108, 228, 127, 105, 147, 9, 12, 14, 0xFFFF, 0xFFFE, 65000)
rc = readers(write_ng("many-types.pcapng",
                      [b for i in range(200) for b in (idb(many[i % len(many)]), epb(i, eth(), i))]))
if rc["dissect"][0] != 1 or ": frame 2: " not in rc["dissect"][2]:
    failures.append("many-types.pcapng: dissect should stop at frame 2 with a message: %r" % (rc["dissect"][2],))
readers(write_ng("missing-interface.pcapng", [idb(1), epb(0, eth()), epb(5000, eth()), epb(0, eth())]))
readers(write_ng("interfaces-only.pcapng", [idb(lt) for lt in many]))

# ---- FIFOs ----
plain = write_pcap("fifo-source.pcap", 1, [shaped_frame(r, 1) for _ in range(2000)])
with open(plain, "rb") as f:
    plain_bytes = f.read()
ng = write_ng("fifo-source.pcapng", [idb(1)] + [epb(0, shaped_frame(r, 1), i) for i in range(500)])
with open(ng, "rb") as f:
    ng_bytes = f.read()
fifo = os.path.join(tmp, "capture.fifo")
os.mkfifo(fifo)


def feed(data):
    """A writer on the other end of the FIFO: opens it (which waits for
    the reader) and writes data in pieces. Gives up after 30 s."""
    def writer():
        try:
            fd = os.open(fifo, os.O_WRONLY)
        except OSError:
            return
        try:
            for i in range(0, len(data), 4093):
                os.write(fd, data[i:i + 4093])
        except OSError:
            pass  # the reader stopped early
        finally:
            os.close(fd)
    t = threading.Thread(target=writer, daemon=True)
    t.start()
    return t


def unblock(t):
    """If the reader never opened the FIFO, the writer still waits: open
    the reading end once so that it finishes."""
    t.join(1)
    if t.is_alive():
        try:
            fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
            os.read(fd, 1 << 20)
            os.close(fd)
        except OSError:
            pass
        t.join(5)


def via_fifo(data, args, limit=30, want=(0, 1)):
    t = feed(data)
    res = run([a if a != "FIFO" else fifo for a in args], limit, want, (fifo,))
    unblock(t)
    return res


for label, data, regular in (("pcap", plain_bytes, plain), ("pcap.gz", gzip.compress(plain_bytes), plain),
                             ("pcapng", ng_bytes, ng)):
    for args in (["dissect", "-r", "FIFO"], ["trace", "-r", "FIFO"], ["verify", "-r", "FIFO"],
                 ["trace", "-r", "FIFO", "--frame", "7"], ["dissect", "-r", "FIFO", "udp"]):
        got = via_fifo(data, args)
        want = run([a if a != "FIFO" else regular for a in args], 30, names=(regular,))
        if got[0] != want[0] or got[1] != want[1]:
            failures.append("FIFO (%s): packetwalk %s: status %s and %d bytes, the regular file gives %s and %d "
                            "bytes; stderr %r" % (label, " ".join(args), got[0], len(got[1]), want[0], len(want[1]),
                                                 got[2][:200]))
rc, _, err = via_fifo(b"this is not a capture file, it is text\n" * 10, ["dissect", "-r", "FIFO"])
if rc != 1 or "not a capture file" not in err:
    failures.append("FIFO of text: status %s, %r" % (rc, err))
rc, _, err = via_fifo(b"", ["trace", "-r", "FIFO"])
if rc != 1 or err != "packetwalk trace: %s: empty, too short to be a capture file" % fifo:
    failures.append("empty FIFO: status %s, %r" % (rc, err))
rc, out, err = via_fifo(plain_bytes[: len(plain_bytes) // 2], ["dissect", "-r", "FIFO"])
if rc != 1 or "truncated dump file" not in err or not out:
    failures.append("FIFO cut in the middle: status %s, %d bytes out, %r" % (rc, len(out), err))
rc, out, err = via_fifo(gzip.compress(plain_bytes)[:5000], ["verify", "-r", "FIFO"])
if rc != 1 or "the gzip data is cut short" not in err:
    failures.append("gzip FIFO cut short: status %s, %r" % (rc, err))
via_fifo(plain_bytes, ["render", "-r", "FIFO", "--step", "2", "--size", "320x180", "-o", os.path.join(tmp, "f.png")])

# ---- a directory, an empty file, a missing file ----
empty = os.path.join(tmp, "empty.pcap")
open(empty, "wb").close()
for path, msg in ((tmp, tmp + ": Is a directory"),
                  (empty, empty + ": empty, too short to be a capture file"),
                  (os.path.join(tmp, "missing.pcap"), os.path.join(tmp, "missing.pcap") + ": No such file or directory")):
    for cmd, res in readers(path, want=(1,)).items():
        if res[0] == 1 and not res[2].endswith(msg):
            failures.append("packetwalk %s -r %s: %r, want it to end with %r" % (cmd, path, res[2], msg))

# ---- flags ----
good = os.path.join(os.environ.get("PW_SOURCE_DIR", "."), "captures", "linux-tcp-hello.pcap")
if not os.path.exists(good):
    good = plain
png = os.path.join(tmp, "flag.png")
bad_frames = ["0", "-1", "18446744073709551616", "9223372036854775808", "1x", "+1", " 1", "", "0x10",
              "-18446744073709551615", "4294967296"]
for cmd in ("trace", "verify", "render"):
    extra = ["--step", "0", "--size", "320x180", "-o", png] if cmd == "render" else []
    for v in bad_frames:
        run([cmd, "-r", good, "--frame", v] + extra, 20, (2,), ("--frame",))
    run([cmd, "-r", good] + extra + ["--frame"], 20, (2,), ("--frame",))
    # The largest frame number is a number; the capture has fewer frames.
    run([cmd, "-r", good, "--frame", "4294967295"] + extra, 20, (1,), ("--frame 4294967295",))
for args, flag in ((["trace", "--count", "-1"], "--count"), (["trace", "--mtu", "99999999999"], "--mtu"),
                   (["trace", "--seed", "1x"], "--seed"), (["trace", "--payload", " 5"], "--payload"),
                   (["render", "--step", "-1", "--size", "320x180", "-o", png], "--step"),
                   (["render", "--step", "18446744073709551616", "--size", "320x180", "-o", png], "--step"),
                   (["render", "--step", "0", "--size", "0x0", "-o", png], "--size"),
                   (["render", "--step", "0", "--size", "99999x99999", "-o", png], "--size"),
                   (["render", "--steps", "5..1", "--size", "320x180", "-o", png], "--steps"),
                   (["render", "--step", "0", "--tween", "nan", "--size", "320x180", "-o", png], "--tween"),
                   (["bench", "engine", "--frames", "-18446744073709551615"], "--frames"),
                   (["dissect", "-r"], "-r"), (["verify", "-r"], "-r"), (["trace", "-r"], "-r")):
    run(args, 20, (2,), (flag,))

for f in failures:
    print("FAIL " + f)
if failures:
    print("FAILED: %d problems in %d runs" % (len(failures), runs))
    sys.exit(1)
print("PASS: %d runs" % runs)
PY
