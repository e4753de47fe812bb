#!/usr/bin/env bash
# test_kernel_oracle.sh: the real kernel as the judge of the model.
#
# Runs ../shared/tools/kernel-oracle.sh (five small exchanges between two
# network namespaces on a veth pair, traced and captured), then checks:
#   1. every frame the real kernel sent, in the pcaps of both ends, is
#      rebuilt by `packetwalk verify` identical or identical but for
#      checksums (the veth offloads leave partial checksums);
#   2. the model's matching scenario queues the same frames on each host:
#      the lengths net:net_dev_queue reports, in order, per host;
#   3. netif_receive_skb reports frame length - 14 on both, for frames of
#      60 bytes or more (shorter ones the model's NIC pads; veth does not);
#   4. drop reasons the kernel gave (kfree_skb) for the exchange appear in
#      the model too (e.g. ping_rcv's NO_SOCKET for a raw-socket ping).
set -u
PW=${1:?usage: test_kernel_oracle.sh PACKETWALK}
ORACLE=${PW_SOURCE_DIR:-.}/../shared/tools/kernel-oracle.sh
[ -r "$ORACLE" ] || { echo "skipped: kernel oracle not found ($ORACLE)"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skipped: the kernel oracle needs root"; exit 77; }
for c in ip tc ethtool tcpdump ping python3 nstat; do
	command -v "$c" >/dev/null || { echo "skipped: $c is not installed"; exit 77; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! bash "$ORACLE" "$T/oracle" tcp-hello udp-dns-like icmp-ping udp-frag arp-first > "$T/oracle.log" 2>&1; then
	echo "skipped: the kernel oracle could not run here:"
	tail -5 "$T/oracle.log"
	exit 77
fi
fail=0
for f in "$T"/oracle/*.pcap; do
	"$PW" verify -r "$f" --json > "$T/v.json" || { echo "FAIL: verify -r $f exited $?"; fail=1; continue; }
	python3 - "$f" "$T/v.json" <<'PY' || fail=1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[2])]
s = rows[-1]
bad = [r for r in rows[:-1] if r["result"] not in ("identical", "checksum_only")]
name = sys.argv[1].rsplit("/", 1)[-1]
if bad or s["frames"] == 0:
    print("FAIL: %s: %s" % (name, bad[:3] or "no frames"))
    sys.exit(1)
print("ok: %s: %d frames, %d identical, %d identical but for checksums" % (name, s["frames"], s["identical"], s["checksum_only"]))
PY
done
run() { # scenario options -> json file
	local out=$1
	shift
	"$PW" trace --json "$@" > "$out" || { echo "FAIL: trace $* exited $?"; fail=1; }
}
run "$T/tcp.json" -s tcp
run "$T/udp.json" -s udp
run "$T/ping.json" -s ping --count 3
run "$T/frag.json" -s frag
run "$T/arp.json" -s arp
python3 - "$T" <<'PY' || fail=1
import json, re, sys
T = sys.argv[1]
pairs = {"tcp-hello": "tcp", "udp-dns-like": "udp", "icmp-ping": "ping", "udp-frag": "frag", "arp-first": "arp"}
ev_re = re.compile(r"\b(net_dev_queue|netif_receive_skb): dev=(\S+) .*?len=(\d+)")
drop_re = re.compile(r"kfree_skb: .*reason: (\w+)")
fail = False
for oracle, model in pairs.items():
    q = {"pwo-a": [], "pwo-b": []}
    r = {"pwo-a": [], "pwo-b": []}
    drops = set()
    for line in open("%s/oracle/%s.trace.txt" % (T, oracle)):
        m = ev_re.search(line)
        if m and m.group(2) in q:
            (q if m.group(1) == "net_dev_queue" else r)[m.group(2)].append(int(m.group(3)))
        d = drop_re.search(line)
        if d and "family=17" not in line and "tpacket_rcv" not in line and "NOT_SPECIFIED" not in d.group(1):
            drops.add(d.group(1))
    mq = {"A": [], "B": []}
    mr = {"A": [], "B": []}
    mdrops = set()
    for line in open("%s/%s.json" % (T, model)):
        e = json.loads(line)
        if e["tracepoint"] == "net:net_dev_queue":
            mq[e["host"]].append(e["skb"]["len"])
        if e["tracepoint"] == "net:netif_receive_skb":
            mr[e["host"]].append(e["skb"]["len"])
        if e["drop_reason"]:
            mdrops.add(e["drop_reason"])
    for dev, host in (("pwo-a", "A"), ("pwo-b", "B")):
        if q[dev] != mq[host]:
            print("FAIL: %s/%s: frames queued on %s: kernel %s, model %s" % (oracle, model, host, q[dev], mq[host]))
            fail = True
        else:
            print("ok: %s/%s: host %s queues the kernel's frames: %s" % (oracle, model, host, q[dev]))
        kr = [n for n in r[dev] if n + 14 >= 60]
        mrr = [n for n in mr[host] if n + 14 > 60 or n + 14 == 60 and n in kr]
        if kr != mrr:
            print("FAIL: %s/%s: netif_receive_skb lengths on %s: kernel %s, model %s" % (oracle, model, host, kr, mrr))
            fail = True
    missing = drops - mdrops
    if missing:
        print("FAIL: %s/%s: the kernel dropped with %s, the model never does" % (oracle, model, sorted(missing)))
        fail = True
    elif drops:
        print("ok: %s/%s: the kernel's drop reasons %s appear in the model" % (oracle, model, sorted(drops)))
sys.exit(1 if fail else 0)
PY
[ $fail = 0 ] && echo "the model agrees with this machine's kernel ($(uname -r))"
exit $fail
