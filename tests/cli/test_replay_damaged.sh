#!/usr/bin/env bash
# test_replay_damaged.sh: damaged frames and fragments walked to where
# Linux stops them.
#
# The frames and fragment sets of damaged_frames.py each carry one lie (a
# total length past the frame, a TCP data offset below 5, overlapping
# fragments, ...). For each, `trace -r` must walk the frame to the function
# the kernel drops it in, with the kernel's drop reason; for fragments, the
# receiver's reassembly queue must free and keep what Linux's frees and
# keeps, and rebuild the datagram exactly when Linux does. As root, the same
# frames go through this machine's kernel between two network namespaces
# first, so the expectations in damaged_frames.py are checked against the
# real kernel on every run (skipped, with a line saying so, without root).
#
# Also: `dissect` notes a total length past the frame as tshark does; the
# frames the model walks as captured are put on its wire byte for byte as
# captured, the same under any MALLOC_PERTURB_ (no uninitialised byte).
set -u
PW=${1:?usage: test_replay_damaged.sh PACKETWALK}
SRC=${PW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v python3 > /dev/null || { echo "skipped: python3 not found"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if [ "$(id -u)" = 0 ] && command -v ip > /dev/null && ip netns add "pwdmg$$" 2> /dev/null; then
	ip netns del "pwdmg$$"
	if ! timeout 120 python3 "$SRC/tests/cli/damaged_frames.py" kernel > "$T/kernel.json" 2> "$T/kernel.err"; then
		echo "note: the kernel run failed ($(head -1 "$T/kernel.err")); expectations not checked against it"
		rm -f "$T/kernel.json"
	fi
else
	echo "note: not root or no network namespaces: expectations not checked against the running kernel"
fi

python3 - "$PW" "$SRC/tests/cli" "$T" <<'PY'
import json, os, subprocess, sys

pw, here, tmp = sys.argv[1:4]
sys.path.insert(0, here)
import damaged_frames as dm

fails = []
def check(cond, msg):
    if not cond:
        fails.append(msg)
    return cond

QUEUE_FUNCS = {"ip_defrag", "inet_frag_rbtree_purge"}

# 1. The kernel, when it ran, agrees with the expectations.
kpath = os.path.join(tmp, "kernel.json")
if os.path.exists(kpath):
    k = json.load(open(kpath))
    for name, _, fn, reason in dm.FRAMES:
        drops = [e for e in k.get(name, []) if e[0] == "kfree_skb"]
        check(drops[:1] == [["kfree_skb", fn, reason]],
              "kernel: %s: expected kfree_skb at %s (%s), the kernel did %s" % (name, fn, reason, k.get(name)))
    for name, _, queue, whole in dm.FRAG_SETS:
        got = [tuple(e) for e in k.get(name, []) if e[1] in QUEUE_FUNCS]
        check(got == [tuple(e) for e in queue], "kernel: %s: queue events %s, expected %s" % (name, got, queue))
        rebuilt = any(e[1] == "inet_frag_reasm_prepare" for e in k.get(name, []))
        check(rebuilt == whole, "kernel: %s: reassembled %s, expected %s" % (name, rebuilt, whole))
    print("ok: this machine's kernel drops the %d damaged frames and treats the %d fragment sets as expected"
          % (len(dm.FRAMES), len(dm.FRAG_SETS)))

def trace(path, *extra, env=None):
    r = subprocess.run([pw, "trace", "--json", "-r", path] + list(extra), capture_output=True, text=True, env=env)
    if not check(r.returncode == 0, "trace -r %s exited %d: %s" % (path, r.returncode, r.stderr.strip())):
        return []
    return [json.loads(l) for l in r.stdout.splitlines()]

# 2. Each damaged frame dies where the kernel kills it.
pcap = os.path.join(tmp, "damaged.pcap")
dm.write_pcap(pcap, [f for _, f, _, _ in dm.FRAMES])
for i, (name, _, fn, reason) in enumerate(dm.FRAMES, 1):
    ev = trace(pcap, "--frame", str(i))
    drops = [(e["func"], e["drop_reason"]) for e in ev if e["host"] == "B" and e["tracepoint"] == "skb:kfree_skb"]
    check(drops == [(fn, reason)], "model: %s (frame %d): B drops %s, expected [(%s, %s)]" % (name, i, drops, fn, reason))
    check(not any("not walked" in e["text"] for e in ev), "model: %s: not walked" % name)
if not fails:
    print("ok: trace -r walks all %d damaged frames to the kernel's function and drop reason" % len(dm.FRAMES))

# 3. Fragment sets: the receiver's queue does what Linux's does.
for name, frames, queue, whole in dm.FRAG_SETS:
    path = os.path.join(tmp, name + ".pcap")
    dm.write_pcap(path, frames)
    ev = trace(path)
    got = [(e["tracepoint"].split(":")[1], e["func"], e["drop_reason"]) for e in ev
           if e["host"] == "B" and e["func"] in QUEUE_FUNCS and e["tracepoint"] in ("skb:kfree_skb", "skb:consume_skb")]
    check(got == [tuple(q) for q in queue], "model: %s: queue events %s, expected %s" % (name, got, queue))
    rebuilt = any(e["host"] == "B" and e["func"] == "ip_frag_reasm" and e["op"] != "free" for e in ev)
    check(rebuilt == whole, "model: %s: reassembled %s, expected %s" % (name, rebuilt, whole))
if not fails:
    print("ok: the %d fragment sets: the receiver's ip_defrag frees, keeps and rebuilds as Linux does"
          % len(dm.FRAG_SETS))

# 4. dissect notes the lying total length, as tshark's expert note does.
r = subprocess.run([pw, "dissect", "-r", pcap], capture_output=True, text=True)
first = json.loads(r.stdout.splitlines()[0]) if r.returncode == 0 and r.stdout else {}
check("IPv4 total length exceeds packet length" in first.get("note", ""),
      "dissect: frame 1's note is %r" % first.get("note"))
check(first.get("udp.srcport") == "40000", "dissect: frame 1's UDP layer is no longer read: %s" % first)

# 5. What goes on the wire as captured is the captured bytes, padded with
# zeros, whatever the heap held before (MALLOC_PERTURB_ fills it).
def pcap_frames(path):
    import struct
    data = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(data):
        cl = struct.unpack("<I", data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + cl])
        off += 16 + cl
    return out

for name, frames, _, _ in dm.FRAG_SETS:
    if name in ("frag-clean",):
        continue
    path = os.path.join(tmp, name + ".pcap")
    outs = []
    for perturb in ("0", "165", "90"):
        out = os.path.join(tmp, "%s.%s.out.pcap" % (name, perturb))
        env = dict(os.environ, MALLOC_PERTURB_=perturb)
        trace(path, "--pcap-out", out, env=env)
        outs.append(open(out, "rb").read() if os.path.exists(out) else b"")
    check(outs[0] == outs[1] == outs[2], "%s: --pcap-out differs between MALLOC_PERTURB_ runs" % name)
    sent = pcap_frames(os.path.join(tmp, "%s.0.out.pcap" % name))
    want = [f + b"\0" * max(0, 60 - len(f)) for f in frames]
    check(sent == want, "%s: the frames on the model's wire are not the captured ones" % name)
if not fails:
    print("ok: frames walked as captured go on the wire byte for byte, the same under any MALLOC_PERTURB_")

# 6. verify counts them as not rebuilt, with the reason, and exits 0.
r = subprocess.run([pw, "verify", "--json", "-r", pcap], capture_output=True, text=True)
check(r.returncode == 0, "verify -r damaged.pcap exited %d: %s" % (r.returncode, r.stderr))
if r.returncode == 0:
    summary = json.loads(r.stdout.splitlines()[-1])
    if check(summary.get("different") == 0 and summary.get("unsupported") == len(dm.FRAMES) - 4,
             "verify: %s" % summary):
        print("ok: verify: %d damaged frames not rebuilt, each with its reason; the 4 with a bad checksum "
              "rebuilt identical but for their checksums" % summary["unsupported"])

for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
PY
