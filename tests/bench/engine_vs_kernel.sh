#!/usr/bin/env bash
# engine_vs_kernel.sh: the engine benchmark beside its peer, the real kernel.
#
# Usage (root): tests/bench/engine_vs_kernel.sh [PACKETWALK] [RUNS]
#
# The kernel: a TCP stream between two network namespaces on a veth pair,
# with segmentation and receive offloads off (ethtool -K tso off gso off
# gro off on both ends), so every 1448-byte segment walks the whole
# TX and RX path as one skb. It counts the segments the receiver reads in
# 3 s. The model: `packetwalk bench engine` walks 1,000,000 segments with
# the timeline discarded. Both run RUNS times (default 5) in the same
# session; the script prints each run and the medians as JSON.
# All traffic stays inside the two namespaces (192.0.2.0/24).
set -euo pipefail

PW=${1:-build/packetwalk}
RUNS=${2:-5}
SECS=3
TAG=pwb$$
NSA=$TAG-a NSB=$TAG-b

[ "$(id -u)" = 0 ] || { echo "engine_vs_kernel: must run as root (network namespaces)" >&2; exit 2; }
cleanup() { ip netns del "$NSA" 2>/dev/null || true; ip netns del "$NSB" 2>/dev/null || true; }
trap cleanup EXIT

ip netns add "$NSA"
ip netns add "$NSB"
ip link add "$TAG-va" netns "$NSA" type veth peer name "$TAG-vb" netns "$NSB"
ip -n "$NSA" addr add 192.0.2.1/24 dev "$TAG-va"
ip -n "$NSB" addr add 192.0.2.2/24 dev "$TAG-vb"
ip -n "$NSA" link set lo up
ip -n "$NSB" link set lo up
ip -n "$NSA" link set "$TAG-va" up
ip -n "$NSB" link set "$TAG-vb" up
ip netns exec "$NSA" ethtool -K "$TAG-va" tso off gso off gro off >/dev/null 2>&1 || true
ip netns exec "$NSB" ethtool -K "$TAG-vb" tso off gso off gro off >/dev/null 2>&1 || true

kernel_run() {
	ip netns exec "$NSB" python3 - "$SECS" <<'PY' &
import socket, sys, time
secs = float(sys.argv[1])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", 5201)); s.listen(1)
c, _ = s.accept()
buf = bytearray(1 << 20); n = 0
c.recv_into(buf)  # the first bytes start the clock
t0 = time.monotonic()
while time.monotonic() - t0 < secs:
    k = c.recv_into(buf)
    if not k: break
    n += k
dt = time.monotonic() - t0
print(n / 1448 / dt)
c.close()
PY
	local srv=$!
	sleep 0.5
	ip netns exec "$NSA" python3 - "$SECS" <<'PY' >/dev/null 2>&1 || true
import socket, sys, time
s = socket.create_connection(("192.0.2.2", 5201))
data = b"x" * (1 << 20)
t0 = time.monotonic()
try:
    while time.monotonic() - t0 < float(sys.argv[1]) + 1:
        s.sendall(data)
except OSError:
    pass
PY
	wait "$srv"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

k=() m=()
for r in $(seq "$RUNS"); do
	kv=$(kernel_run)
	mv=$("$PW" bench engine --frames 1000000 | python3 -c 'import json,sys; print(json.load(sys.stdin)["frames_per_s"])')
	echo "run $r: kernel $(printf %.0f "$kv") segments/s, model $(printf %.0f "$mv") segments/s" >&2
	k+=("$kv") m+=("$mv")
done
km=$(printf '%s\n' "${k[@]}" | median)
mm=$(printf '%s\n' "${m[@]}" | median)
rss=$("$PW" bench engine --frames 1000000 | python3 -c 'import json,sys; print(json.load(sys.stdin)["peak_rss_kb"])')
rss_small=$("$PW" bench engine --frames 100000 | python3 -c 'import json,sys; print(json.load(sys.stdin)["peak_rss_kb"])')
python3 - "$km" "$mm" "$rss_small" "$rss" "$RUNS" <<'PY'
import json, sys
km, mm, rs, rl, runs = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(json.dumps({"runs": runs, "kernel_segments_per_s_median": round(km), "model_segments_per_s_median": round(mm),
                  "model_over_kernel": round(mm / km, 2), "peak_rss_kb_100k_frames": rs, "peak_rss_kb_1m_frames": rl}))
PY
