#!/usr/bin/env bash
# test_dissect_hostile.sh: `packetwalk dissect` on hostile input.
#
# Usage: bash test_dissect_hostile.sh /path/to/packetwalk   (PW_SOURCE_DIR = source root)
#
# 1. Every file of the shared corpus (tcpdump's bug reproducers *_asan*,
#    hoobr_*, heapoverflow-* among them), capture or not, compressed or not:
#    each run must end with status 0 or 1 (never a signal: status < 128),
#    print nothing a sanitizer prints ("runtime error", "AddressSanitizer",
#    "LeakSanitizer"), and finish in under 10 s. Runs two at a time.
#    Without the corpus this part is skipped and the rest still runs.
# 2. Small hostile captures made here with python3, each with the message
#    the issue asks for: IPv4 IHL 3, IHL 15 with 34 bytes captured, a total
#    length past the frame, TCP data offset 4 and 15, a zero-length frame, a
#    record claiming more than the snapshot length (and more than libpcap's
#    maximum), a file cut in the middle of a record, a wrong magic, a gzip
#    file empty once decompressed, a gzip file cut short in the middle and
#    one damaged in the middle (the frames before, then the message), an xz
#    file, a missing file, a directory, and the command's bad usage.
# Exit 0 pass, 77 skip (no python3), 1 fail.
set -u
BIN=${1:?usage: test_dissect_hostile.sh /path/to/packetwalk}
SRC=${PW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CORPUS="$SRC/../shared/corpus"

if ! command -v python3 >/dev/null; then
	echo "skipped: python3 not found"
	exit 77
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$BIN" "$CORPUS" "$TMP" <<'PY'
import concurrent.futures, gzip, json, os, struct, subprocess, sys, time

binary, corpus, tmp = sys.argv[1:4]
failures = []
SANITIZER = ("runtime error", "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer")


def run(args, timeout=10):
    t0 = time.monotonic()
    try:
        p = subprocess.run([binary] + args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, b"", b"", timeout
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def check_run(name, rc, err, secs):
    text = err.decode("utf-8", "replace")
    if rc is None:
        failures.append("%s: still running after 10 s" % name)
    elif rc < 0 or rc >= 128:
        failures.append("%s: killed by signal or crashed (status %d): %s" % (name, rc, text[-300:]))
    elif rc not in (0, 1):
        failures.append("%s: exit status %d: %s" % (name, rc, text[-300:]))
    if any(s in text for s in SANITIZER):
        failures.append("%s: sanitizer report: %s" % (name, text[:400]))


# ---- 1. the whole corpus ----
files = []
if os.path.isdir(corpus):
    for root, _, names in os.walk(corpus):
        files += [os.path.join(root, n) for n in names]
    files.sort()

    def one(path):
        rc, out, err, secs = run(["dissect", "-r", path])
        return path, rc, out, err, secs

    slowest = (0.0, "")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for path, rc, out, err, secs in ex.map(one, files):
            name = os.path.relpath(path, corpus)
            check_run(name, rc, err, secs)
            slowest = max(slowest, (secs, name))
            # Whatever happened, stdout is whole NDJSON lines.
            for line in out.decode("utf-8", "replace").splitlines()[:100000]:
                try:
                    json.loads(line)
                except ValueError:
                    failures.append("%s: not JSON: %r" % (name, line[:120]))
                    break
            if rc == 1 and not err.strip():
                failures.append("%s: exit 1 without a message" % name)
    print("corpus: %d files run, slowest %.2f s (%s)" % (len(files), slowest[0], slowest[1]))
else:
    print("corpus not found: only the crafted captures are run")

# ---- 2. crafted captures ----
ETH = bytes.fromhex("020000000002" "020000000001")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(proto, payload, ihl=5, tot=None, opts=b""):
    tot = 4 * max(ihl, 5) + len(payload) if tot is None else tot
    h = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, tot, 0x1234, 0x4000, 64, proto, 0,
                    bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])) + opts
    return h[:10] + struct.pack(">H", csum(h)) + h[12:] + payload


def tcp(doff=5, data=b""):
    return struct.pack(">HHIIHHHH", 40000, 80, 1, 2, (doff << 12) | 0x18, 501, 0, 0) + \
        bytes(max(doff - 5, 0) * 4) + data


def pcap(name, records, linktype=1, snaplen=65535, magic=0xA1B2C3D4):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
        for i, r in enumerate(records):
            data, caplen, length = (r + (None, None))[:3] if isinstance(r, tuple) else (r, None, None)
            caplen = len(data) if caplen is None else caplen
            length = len(data) if length is None else length
            f.write(struct.pack("<IIII", 1767225600 + i, 0, caplen, length) + data)
    return path


def dissect(path, *extra):
    rc, out, err, secs = run(["dissect", "-r", path] + list(extra))
    check_run(os.path.basename(path), rc, err, secs)
    objs = []
    for line in out.decode().splitlines():
        objs.append(json.loads(line))
    return rc, objs, err.decode().strip()


def expect(name, cond, what):
    if not cond:
        failures.append("%s: %s" % (name, what))


def expect_note(name, obj, note):
    expect(name, obj.get("note") == note, "note %r, want %r" % (obj.get("note"), note))


udp = struct.pack(">HHHH", 1000, 53, 12, 0) + b"abcd"

# IPv4 IHL 3.
rc, objs, err = dissect(pcap("ihl3.pcap", [ETH + b"\x08\x00" + ip4(17, udp, ihl=3)]))
expect("ihl3", rc == 0 and len(objs) == 1, "rc %d, %d frames" % (rc, len(objs)))
expect_note("ihl3", objs[0], "invalid: IPv4 ihl 3 (must be at least 5)")
expect("ihl3", "ip.version" not in objs[0] and "eth.type" in objs[0], "fields %s" % objs[0])

# IHL 15 with 34 bytes of the header captured (Ethernet, and raw IP).
hdr15 = ip4(6, b"", ihl=15, tot=60, opts=bytes(40))
rc, objs, err = dissect(pcap("ihl15.pcap", [(ETH + b"\x08\x00" + hdr15[:34], None, 74)]))
expect_note("ihl15", objs[0], "truncated: IPv4 header says 60 bytes, 34 captured")
rc, objs, err = dissect(pcap("ihl15-raw.pcap", [(hdr15[:34], None, 60)], linktype=101))
expect_note("ihl15-raw", objs[0], "truncated: IPv4 header says 60 bytes, 34 captured")

# A total length larger than the frame: read, tcp.len from the frame, and
# noted as tshark's expert note has it.
rc, objs, err = dissect(pcap("totlen.pcap", [ETH + b"\x08\x00" + ip4(6, tcp(5, b"xyz"), tot=1500)]))
o = objs[0]
expect("totlen", o.get("ip.len") == "1500" and o.get("tcp.len") == "3" and
       o.get("note") == "IPv4 total length exceeds packet length: 1500 bytes, 43 in the frame",
       "got %s" % o)

# TCP data offset 4 and 15.
rc, objs, err = dissect(pcap("doff4.pcap", [ETH + b"\x08\x00" + ip4(6, tcp(4, bytes(20)))]))
expect_note("doff4", objs[0], "invalid: TCP doff 4 (must be at least 5)")
expect("doff4", "ip.src" in objs[0] and "tcp.srcport" not in objs[0], "fields %s" % objs[0])
seg = tcp(15)[:30]
rc, objs, err = dissect(pcap("doff15.pcap", [ETH + b"\x08\x00" + ip4(6, seg)]))
expect_note("doff15", objs[0], "truncated: TCP header says 60 bytes, 30 captured")

# A zero-length frame.
rc, objs, err = dissect(pcap("zero.pcap", [b""]))
expect("zero", rc == 0 and objs and objs[0].get("frame.cap_len") == "0", "got %s" % objs)
expect_note("zero", objs[0], "truncated: Ethernet header says 14 bytes, 0 captured")

# A record claiming more than the snapshot length: libpcap keeps the snapshot.
big = ETH + b"\x08\x00" + ip4(17, udp) + bytes(100)
rc, objs, err = dissect(pcap("oversnap.pcap", [big, ETH + b"\x08\x00" + ip4(17, udp)], snaplen=64))
expect("oversnap", rc == 0 and len(objs) == 2, "rc %d, %d frames: %s" % (rc, len(objs), err))
expect("oversnap", objs and objs[0].get("frame.cap_len") == str(len(big)), "got %s" % objs[:1])
expect_note("oversnap", objs[0], "the record says %d bytes captured, more than the file's snapshot "
            "length: libpcap kept the first 64" % len(big))
expect("oversnap", len(objs) > 1 and objs[1].get("udp.length") == "12", "second frame %s" % objs[1:])
# ... and more than any snapshot libpcap accepts: damage, with libpcap's reason.
path = pcap("overmax.pcap", [big, (big, 300000, 300000)])
rc, objs, err = dissect(path)
expect("overmax", rc == 1 and len(objs) == 1, "rc %d, %d frames" % (rc, len(objs)))
expect("overmax", err.startswith(path + ": frame 2: invalid packet capture length 300000"), "stderr %r" % err)

# A file cut in the middle of a record: the frames before, then the message.
path = pcap("cut.pcap", [ETH + b"\x08\x00" + ip4(17, udp)] * 3)
with open(path, "r+b") as f:
    f.truncate(os.path.getsize(path) - 7)
rc, objs, err = dissect(path)
expect("cut", rc == 1 and [o["frame.number"] for o in objs] == ["1", "2"], "rc %d, frames %s" % (rc, objs))
want = "%s: frame 3: truncated dump file; tried to read 46 captured bytes, only got 39" % path
expect("cut", err == want, "stderr %r, want %r" % (err, want))

# A wrong magic, gzip, a missing file, a directory, an empty file.
path = os.path.join(tmp, "wrong-magic.pcap")
with open(path, "wb") as f:
    f.write(b"\xde\xad\xbe\xef" + bytes(40))
rc, objs, err = dissect(path)
expect("magic", rc == 1 and not objs and err.startswith(path + ": not a capture file: it starts with de ad be ef"),
       "rc %d, stderr %r" % (rc, err))
expect("magic", "\n" not in err, "more than one line: %r" % err)
path = os.path.join(tmp, "x.pcap.gz")
with open(path, "wb") as f:
    f.write(gzip.compress(b""))
rc, objs, err = dissect(path)
want = "%s: empty once decompressed (gzip), too short to be a capture file" % path
expect("gzip-empty", rc == 1 and err == want, "rc %d, stderr %r" % (rc, err))
# The same, one byte short of its trailer.
with open(path, "wb") as f:
    f.write(gzip.compress(b"")[:-1])
rc, objs, err = dissect(path)
want = "%s: the gzip data is cut short: the file ends at byte 19, inside a gzip member" % path
expect("gzip-trailer", rc == 1 and err == want, "rc %d, stderr %r" % (rc, err))
# gzip read directly: the same frames as the plain file.
plain = pcap("many.pcap", [ETH + b"\x08\x00" + ip4(17, udp + bytes(i % 50)) for i in range(3000)])
with open(plain, "rb") as f:
    raw = f.read()
path = plain + ".gz"
with open(path, "wb") as f:
    f.write(gzip.compress(raw))
rc, objs, err = dissect(path)
rc0, objs0, _ = dissect(plain)
expect("gzip", rc == 0 and objs == objs0 and len(objs) == 3000, "rc %d, %d frames, stderr %r" % (rc, len(objs), err))
# Cut short in the middle: the frames before the cut, then the message.
z = gzip.compress(raw)
path = os.path.join(tmp, "cut.pcap.gz")
with open(path, "wb") as f:
    f.write(z[: len(z) // 2])
rc, objs, err = dissect(path)
n = len(objs)
want = "%s: frame %d: the gzip data is cut short: the file ends at byte %d, inside a gzip member" % (
    path, n + 1, len(z) // 2)
expect("gzip-cut", rc == 1 and 0 < n < 3000 and objs == objs0[:n] and err == want,
       "rc %d, %d frames, stderr %r, want %r" % (rc, n, err, want))
# Damaged in the middle: a second gzip member whose first block has type 3.
half = 24 + sum(16 + 14 + 20 + 12 + i % 50 for i in range(1500))
m1, m2 = gzip.compress(raw[:half]), bytearray(gzip.compress(raw[half:]))
m2[10] |= 0x06
path = os.path.join(tmp, "damaged.pcap.gz")
with open(path, "wb") as f:
    f.write(m1 + bytes(m2))
rc, objs, err = dissect(path)
want = "%s: frame 1501: the gzip data is damaged at byte %d of the file (invalid block type)" % (
    path, len(m1) + 11)
expect("gzip-damaged", rc == 1 and objs == objs0[:1500] and err == want,
       "rc %d, %d frames, stderr %r, want %r" % (rc, len(objs), err, want))
# xz stays refused, with the command that decompresses it.
path = os.path.join(tmp, "x.pcap.xz")
with open(path, "wb") as f:
    f.write(bytes.fromhex("fd377a585a000004e6d6b446"))
rc, objs, err = dissect(path)
want = "%s: compressed with xz; decompress it first (unxz -k %s)" % (path, path)
expect("xz", rc == 1 and err == want, "rc %d, stderr %r" % (rc, err))
path = os.path.join(tmp, "nothing-here.pcap")
rc, objs, err = dissect(path)
expect("missing", rc == 1 and err == path + ": No such file or directory", "rc %d, stderr %r" % (rc, err))
rc, objs, err = dissect(tmp)
expect("directory", rc == 1 and err == tmp + ": Is a directory", "rc %d, stderr %r" % (rc, err))
path = os.path.join(tmp, "empty.pcap")
open(path, "wb").close()
rc, objs, err = dissect(path)
expect("empty", rc == 1 and err == path + ": empty, too short to be a capture file", "stderr %r" % err)

# Usage.
rc, out, err, _ = run(["dissect", "--bogus"])
expect("usage", rc == 2 and b"--bogus" in err, "rc %s, stderr %r" % (rc, err))
rc, out, err, _ = run(["dissect"])
expect("usage", rc == 2 and b"-r FILE" in err, "no -r: rc %s, stderr %r" % (rc, err))
rc, out, err, _ = run(["dissect", "-r"])
expect("usage", rc == 2, "-r without a file: rc %s" % rc)
rc, out, err, _ = run(["dissect", "--help"])
expect("usage", rc == 0 and b"tcp.window_size_value" in out and b"Exit status" in out, "--help: rc %s" % rc)
# The filter is the rest of the arguments, joined.
path = pcap("mixed.pcap", [ETH + b"\x08\x00" + ip4(17, udp), ETH + b"\x08\x00" + ip4(6, tcp())])
rc, objs, err = dissect(path, "tcp", "and", "port", "80")
expect("filter", rc == 0 and [o["frame.number"] for o in objs] == ["2"], "rc %d, frames %s" % (rc, objs))
rc, objs, err = dissect(path, "tcp", "and")
expect("filter", rc == 1 and err.startswith(path + ': filter "tcp and": '), "rc %d, stderr %r" % (rc, err))

for f in failures:
    print("FAIL " + f)
if failures:
    print("FAILED: %d problems" % len(failures))
    sys.exit(1)
print("PASS")
PY
