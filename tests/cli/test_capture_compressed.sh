#!/usr/bin/env bash
# test_capture_compressed.sh: a compressed capture reads as the same
# capture uncompressed, through every command that reads one.
#
# Usage: bash test_capture_compressed.sh /path/to/packetwalk   (PW_SOURCE_DIR = source root)
#
# captures/linux-tcp-hello.pcap, and the same frames written as pcapng
# here, are compressed with gzip (python3's gzip), zstd and lz4 (their
# command-line tools, when installed; a format whose tool is missing is
# left out and said so). For each copy, `dissect -r`, `trace -r`,
# `trace -r --frame 5`, `trace --json -r` with a filter, `verify -r` and
# `verify --json -r` must print exactly what they print for the
# uncompressed file, with the same exit status. One pcapng.gz of the
# shared corpus, when there is one, is held against its gunzipped copy.
# Exit 0 pass, 77 skip (no python3), 1 fail.
set -u
BIN=${1:?usage: test_capture_compressed.sh /path/to/packetwalk}
SRC=${PW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

if ! command -v python3 >/dev/null; then
	echo "skipped: python3 not found"
	exit 77
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$BIN" "$SRC" "$TMP" <<'PY'
import glob, gzip, os, shutil, struct, subprocess, sys

binary, src, tmp = sys.argv[1:4]
failures = []
compared = 0


def to_pcapng(pcap, out):
    """The pcap's frames as a pcapng file: one section, one interface in
    nanoseconds, one enhanced packet block a frame."""
    with open(pcap, "rb") as f:
        b = f.read()
    magic, _, _, _, _, snap, lt = struct.unpack("<IHHiIII", b[:24])
    nano = magic == 0xA1B23C4D

    def block(t, body):
        body += bytes(-len(body) % 4)
        return struct.pack("<II", t, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))

    out_b = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
             block(1, struct.pack("<HHI", lt, 0, snap) + struct.pack("<HHB3x", 9, 1, 9) + bytes(4))]
    off = 24
    while off + 16 <= len(b):
        sec, frac, caplen, length = struct.unpack("<IIII", b[off:off + 16])
        ts = sec * 10**9 + (frac if nano else frac * 1000)
        data = b[off + 16:off + 16 + caplen]
        out_b.append(block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, caplen, length) + data))
        off += 16 + caplen
    with open(out, "wb") as f:
        f.write(b"".join(out_b))


def compress(path):
    """path.gz, and path.zst and path.lz4 when their tools are here."""
    copies = []
    with open(path, "rb") as f, open(path + ".gz", "wb") as g:
        g.write(gzip.compress(f.read()))
    copies.append(path + ".gz")
    for tool, ext, args in (("zstd", ".zst", ["-q", "-f"]), ("lz4", ".lz4", ["-q", "-f"])):
        if shutil.which(tool):
            subprocess.run([tool] + args + [path, path + ext], check=True)
            copies.append(path + ext)
        else:
            print("note: %s not installed: no %s copy" % (tool, ext))
    return copies


COMMANDS = (["dissect", "-r"], ["trace", "-r"], ["trace", "--frame", "5", "-r"],
            ["trace", "--json", "tcp", "and", "port", "80", "-r"], ["verify", "-r"], ["verify", "--json", "-r"])


def same(plain, copy, commands=COMMANDS, must_read=True):
    global compared
    for cmd in commands:
        want = subprocess.run([binary] + cmd + [plain], capture_output=True, timeout=120)
        got = subprocess.run([binary] + cmd + [copy], capture_output=True, timeout=120)
        compared += 1
        what = "packetwalk %s %s" % (" ".join(cmd), os.path.basename(copy))
        if got.returncode != want.returncode:
            failures.append("%s: status %d, uncompressed %d: %s" % (what, got.returncode, want.returncode,
                                                                     got.stderr.decode()[-300:]))
        if got.stdout != want.stdout:
            failures.append("%s: output differs from the uncompressed file's (%d and %d bytes)"
                            % (what, len(got.stdout), len(want.stdout)))
        if got.stderr.replace(copy.encode(), b"FILE") != want.stderr.replace(plain.encode(), b"FILE"):
            failures.append("%s: stderr %r, uncompressed %r" % (what, got.stderr[:200], want.stderr[:200]))
        if must_read and want.returncode != 0:
            failures.append("packetwalk %s %s: status %d" % (" ".join(cmd), plain, want.returncode))


pcap = os.path.join(tmp, "linux-tcp-hello.pcap")
shutil.copy(os.path.join(src, "captures", "linux-tcp-hello.pcap"), pcap)
ng = os.path.join(tmp, "linux-tcp-hello.pcapng")
to_pcapng(pcap, ng)
for plain in (pcap, ng):
    for copy in compress(plain):
        same(plain, copy)
# The pcapng holds the pcap's frames: trace and verify agree on it too.
same(pcap, ng, COMMANDS[1:])

corpus = sorted(glob.glob(os.path.join(src, "..", "shared", "corpus", "*", "*.pcapng.gz")))
if corpus:
    icmp = [c for c in corpus if os.path.basename(c) == "icmp.pcapng.gz"]
    gz = (icmp or corpus)[0]
    plain = os.path.join(tmp, os.path.basename(gz)[:-3])
    with gzip.open(gz, "rb") as f, open(plain, "wb") as g:
        g.write(f.read())
    same(plain, gz, (["dissect", "-r"], ["trace", "-r"], ["verify", "-r"]), must_read=False)
else:
    print("note: no corpus pcapng.gz found")

for f in failures:
    print("FAIL " + f)
if failures:
    print("FAILED: %d problems in %d comparisons" % (len(failures), compared))
    sys.exit(1)
print("PASS: %d comparisons, compressed and uncompressed alike" % compared)
PY
