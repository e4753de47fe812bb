#!/usr/bin/env bash
# test_dissect_corpus.sh: `packetwalk dissect` held against tshark 4.0 over
# the shared corpus (tcpdump's and Wireshark's test captures), field by field.
#
# Usage: bash test_dissect_corpus.sh /path/to/packetwalk   (PW_SOURCE_DIR = source root)
#
# For every capture NAME with a NAME.tshark.tsv beside it (tshark -T fields
# -E occurrence=f, so each cell is the first occurrence of the field in the
# frame, that is the outermost layer), packetwalk's NDJSON is compared with
# the TSV, frame by frame.
#
# What packetwalk claims to dissect, per layer and per frame:
#   frame  always: frame.number frame.len frame.cap_len
#   eth    when it prints eth.src: eth.src eth.dst eth.type
#   vlan   when it prints vlan.id, or claims eth and tshark's eth.type is an
#          802.1Q TPID (0x8100, 0x9100): vlan.id. A vlan.id tshark shows on a
#          frame whose Ethernet type is not a tag comes from a frame tunnelled
#          inside (ERSPAN, VXLAN, ...), deeper than packetwalk reads.
#   ip     when it prints ip.hdr_len: ip.version ... ip.dst (13 fields)
#   ipv6   when it prints ipv6.src: ip.version (tshark's IPv6 fills it too)
#          ipv6.src ipv6.dst ipv6.nxt
#   tcp    when it prints tcp.srcport: the 8 tcp.* fields
#   udp    when it prints udp.srcport: udp.srcport udp.dstport udp.length
#   icmp   when it prints icmp.type: icmp.type icmp.code
#   arp    when it prints arp.opcode: arp.opcode
# For a claimed layer, every one of its fields must be equal in both: a
# field one side has and the other lacks is a disagreement. Fields of layers
# packetwalk does not claim are not compared (tshark reads far more
# protocols, and reads inside tunnels and ICMP errors). A frame agrees when
# all its claimed layers do. Frames whose object carries a "note" are
# counted as not (fully) dissected, grouped by the note.
#
# gzip-compressed captures (NAME.pcap.gz, as Wireshark's suite keeps them)
# are read directly, as tshark reads them, and compared like the others.
# Frames tshark read and libpcap refused (a pcapng interface of a second
# link type) are counted apart, with libpcap's message.
#
# Prints the agreement rate (frames fully agreeing / frames compared), the
# frames not dissected by reason, and fails listing every disagreement.
# Exit 0 pass, 77 skip (no corpus, no python3), 1 fail.
set -u
BIN=${1:?usage: test_dissect_corpus.sh /path/to/packetwalk}
SRC=${PW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CORPUS="$SRC/../shared/corpus"

if [ ! -d "$CORPUS/tcpdump" ] && [ ! -d "$CORPUS/wireshark" ]; then
	echo "skipped: corpus not found"
	exit 77
fi
if ! command -v python3 >/dev/null; then
	echo "skipped: python3 not found"
	exit 77
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$BIN" "$CORPUS" "$TMP" <<'PY'
import collections, concurrent.futures, glob, json, os, re, subprocess, sys

binary, corpus, tmp = sys.argv[1:4]

LAYERS = [
    ("frame", "frame.number", ["frame.number", "frame.len", "frame.cap_len"]),
    ("eth", "eth.src", ["eth.src", "eth.dst", "eth.type"]),
    ("vlan", "vlan.id", ["vlan.id"]),
    ("ip", "ip.hdr_len", ["ip.version", "ip.hdr_len", "ip.len", "ip.id", "ip.flags.df",
                          "ip.flags.mf", "ip.frag_offset", "ip.ttl", "ip.proto",
                          "ip.checksum", "ip.src", "ip.dst"]),
    ("ipv6", "ipv6.src", ["ip.version", "ipv6.src", "ipv6.dst", "ipv6.nxt"]),
    ("tcp", "tcp.srcport", ["tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw",
                            "tcp.hdr_len", "tcp.flags", "tcp.window_size_value", "tcp.len"]),
    ("udp", "udp.srcport", ["udp.srcport", "udp.dstport", "udp.length"]),
    ("icmp", "icmp.type", ["icmp.type", "icmp.code"]),
    ("arp", "arp.opcode", ["arp.opcode"]),
]
VLAN_TPIDS = {"0x8100", "0x9100"}


def read_tsv(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.read().split("\n")
    head = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        if line:
            rows.append({k: v for k, v in zip(head, line.split("\t")) if v != ""})
    return rows


def run(capture):
    try:
        p = subprocess.run([binary, "dissect", "-r", capture], capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return capture, None, "timed out after 120 s", [], []
    frames = []
    bad = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        try:
            frames.append(json.loads(line))
        except ValueError:
            bad.append(line[:200])
    return capture, p.returncode, p.stderr.decode("utf-8", "replace").strip(), frames, bad


def main():
    tsvs = sorted(glob.glob(os.path.join(corpus, "*", "*.tshark.tsv")))
    jobs = []      # (capture to run, tsv, display name)
    failures = []
    gz = set()     # names of the gzip-compressed captures
    for tsv in tsvs:
        capture = tsv[: -len(".tshark.tsv")]
        name = os.path.relpath(capture, corpus)
        with open(capture, "rb") as fh:
            if fh.read(2) == b"\x1f\x8b":
                gz.add(name)
        jobs.append((capture, tsv, name))

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
        results = list(ex.map(lambda j: run(j[0]), jobs))

    compared = agreeing = 0
    gz_compared = gz_agreeing = 0
    claimed = collections.Counter()
    notes = collections.Counter()
    refused = collections.Counter()
    disagreements = []
    files = 0
    for (capture, tsv, name), res in zip(jobs, results):
        _, rc, stderr, ours, bad = res
        files += 1
        if rc is None or rc not in (0, 1):
            failures.append("%s: exit status %s: %s" % (name, rc, stderr[:300]))
            continue
        if "runtime error" in stderr or "Sanitizer" in stderr:
            failures.append("%s: sanitizer report: %s" % (name, stderr[:300]))
        if bad:
            failures.append("%s: %d lines are not JSON, e.g. %r" % (name, len(bad), bad[0]))
        if rc == 1 and not stderr:
            failures.append("%s: exit 1 without a message" % name)
        theirs = read_tsv(tsv)
        by_number = {o.get("frame.number"): o for o in ours}
        for t in theirs:
            num = t.get("frame.number")
            o = by_number.get(num)
            if o is None:
                # libpcap stopped before this frame (the message is on stderr).
                reason = re.sub(r"frame \d+: ", "", stderr.split(": ", 1)[-1]) if stderr else "no output"
                refused[reason] += 1
                continue
            compared += 1
            gz_compared += name in gz
            ok = True
            for layer, marker, fields in LAYERS:
                claim = marker in o
                if layer == "vlan" and "eth.src" in o and t.get("eth.type") in VLAN_TPIDS:
                    claim = True
                if not claim:
                    continue
                claimed[layer] += 1
                for f in fields:
                    if o.get(f) != t.get(f):
                        ok = False
                        disagreements.append("%s frame %s: %s: tshark %r, packetwalk %r"
                                             % (name, num, f, t.get(f), o.get(f)))
            if ok:
                agreeing += 1
                gz_agreeing += name in gz
            if "note" in o:
                notes[o["note"]] += 1
        extra = [n for n in by_number if n not in {t.get("frame.number") for t in theirs}]
        if extra:
            failures.append("%s: packetwalk printed frames tshark does not have: %s"
                            % (name, ", ".join(sorted(extra, key=int)[:10])))

    print("corpus: %d captures (%d gzip-compressed, read directly)" % (files, len(gz)))
    rate = 100.0 * agreeing / compared if compared else 0.0
    print("agreement: %d of %d frames compared agree with tshark on every claimed layer (%.2f%%)"
          % (agreeing, compared, rate))
    print("  of which in the gzip-compressed captures: %d of %d" % (gz_agreeing, gz_compared))
    print("claimed layers (frames): " + ", ".join("%s %d" % (l, claimed[l]) for l, _, _ in LAYERS))
    if refused:
        print("frames tshark read but libpcap refused: %d" % sum(refused.values()))
        for reason, n in refused.most_common():
            print("  %6d  %s" % (n, reason))
    print("frames with a note (not dissected to the end, or not walkable): %d" % sum(notes.values()))
    grouped = collections.Counter()
    for note, n in notes.items():
        grouped[re.sub(r"\b\d+\b", "N", note) if note.startswith(("truncated", "invalid")) else note] += n
    for note, n in grouped.most_common():
        print("  %6d  %s" % (n, note))
    for d in disagreements:
        print("DISAGREE " + d)
    for f in failures:
        print("FAIL " + f)
    if disagreements or failures:
        print("FAILED: %d disagreements, %d other failures" % (len(disagreements), len(failures)))
        return 1
    print("PASS")
    return 0


sys.exit(main())
PY
