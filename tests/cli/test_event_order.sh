#!/usr/bin/env bash
# test_event_order.sh: the order and content of the events 'trace --json'
# prints, checked against what the kernel does.
#
#   bash tests/cli/test_event_order.sh /path/to/packetwalk
#
# Every scenario (tcp udp ping arp frag burst rxdrop noport badcsum rcvbuf):
#   - transmit: each skb's net:net_dev_queue comes before its
#     net:net_dev_start_xmit, and a net:net_dev_xmit (skb null, same host)
#     follows that start_xmit before the host's next net_dev_queue;
#   - every irq:softirq_raise is followed by a napi:napi_poll on the host;
#   - at net:netif_receive_skb: network - mac == 14, data == network and
#     len == the len at the skb's __skb_put in igb_build_skb - 14;
#   - a queue with a capacity (cap > 0) never holds more than cap.
# tcp also: each "(NIC) DMA write" comes before the next
#   irq:irq_handler_entry on its host, and the k-th DMA write on a host
#   comes before the k-th igb_build_skb put there.
# Then one expectation per scenario: burst QDISC_DROP (only with a full
# band), rxdrop a NIC drop, noport NO_SOCKET + icmp:icmp_send, badcsum
# TCP_CSUM + tcp:tcp_retransmit_skb, rcvbuf SOCKET_RCVBUFF, frag three
# fragments from A + ip_frag_reasm on B, arp the parked skb on arp_queue.
#
# Exit 0 = pass, 77 = skipped, anything else = fail.
set -u

PW=${1:-}
if [ -z "$PW" ] || [ ! -x "$PW" ]; then
	echo "FAIL: usage: bash $0 /path/to/packetwalk (got '${PW}', not an executable)"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (needed to read the NDJSON)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-order.XXXXXX") || { echo "FAIL: mktemp -d failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/order.py" <<'EOF'
import json, sys

scen, path = sys.argv[1], sys.argv[2]
ev = [json.loads(l) for l in open(path, encoding="utf-8")]
fails = []
oks = []

def fail(msg):
    fails.append(msg)

def ok(msg):
    oks.append(msg)

def tp(e):
    return e["tracepoint"] or ""

def sid(e):
    return e["skb"]["id"] if e["skb"] else None

def brief(e):
    return "event %d (%s %s %s%s)" % (e["i"], e["host"], e["func"], tp(e) or e["op"],
                                       ", skb %d" % sid(e) if e["skb"] else "")

# --- transmit: net_dev_queue -> net_dev_start_xmit -> net_dev_xmit ---------
nq = nstart = 0
for qi, q in enumerate(ev):
    if tp(q) != "net:net_dev_queue":
        continue
    nq += 1
    if not q["skb"]:
        fail("%s: expected net_dev_queue to carry an skb, got null" % brief(q))
        continue
    start = next((e for e in ev[qi + 1:] if tp(e) == "net:net_dev_start_xmit"
                  and e["host"] == q["host"] and sid(e) == sid(q)), None)
    dropped = next((e for e in ev[qi + 1:] if e["op"] == "drop" and sid(e) == sid(q)), None)
    if start is None:
        if dropped is None:
            fail("%s: expected a later net:net_dev_start_xmit for skb %d on host %s, got none "
                 "(and the skb was not dropped)" % (brief(q), sid(q), q["host"]))
        continue
    if dropped is not None and dropped["i"] < start["i"]:
        fail("%s: skb %d was dropped at event %d, expected no net_dev_start_xmit after that, got event %d"
             % (brief(q), sid(q), dropped["i"], start["i"]))
        continue
    nstart += 1
    # The next net_dev_xmit or net_dev_queue on this host after start_xmit.
    nxt = next((e for e in ev[start["i"] + 1:] if e["host"] == q["host"]
                and tp(e) in ("net:net_dev_xmit", "net:net_dev_queue", "net:net_dev_start_xmit")), None)
    if nxt is None or tp(nxt) != "net:net_dev_xmit":
        fail("%s: expected net:net_dev_xmit on host %s after net_dev_start_xmit (event %d) and before "
             "the next net_dev_queue/start_xmit there, got %s" %
             (brief(q), q["host"], start["i"], brief(nxt) if nxt else "end of trace"))
    elif nxt["skb"] is not None:
        fail("%s: expected net:net_dev_xmit to have skb null (the driver owns the skb), got skb %d"
             % (brief(nxt), sid(nxt)))
if nq == 0:
    fail("expected at least one net:net_dev_queue event, got none")
else:
    ok("%d net_dev_queue, %d followed by net_dev_start_xmit then net_dev_xmit (skb null, same host)" % (nq, nstart))

# --- softirq_raise is followed by napi_poll on the same host ---------------
nraise = 0
for ri, r in enumerate(ev):
    if tp(r) != "irq:softirq_raise":
        continue
    nraise += 1
    if not any(tp(e) == "napi:napi_poll" and e["host"] == r["host"] for e in ev[ri + 1:]):
        fail("%s: expected a later napi:napi_poll on host %s, got none" % (brief(r), r["host"]))
if nraise:
    ok("%d irq:softirq_raise, each followed by napi:napi_poll on its host" % nraise)

# --- netif_receive_skb: headers and length ----------------------------------
nrecv = 0
for ri, r in enumerate(ev):
    if tp(r) != "net:netif_receive_skb":
        continue
    nrecv += 1
    k = r["skb"]
    if not k:
        fail("%s: expected net:netif_receive_skb to carry an skb, got null" % brief(r))
        continue
    if k["network"] - k["mac"] != 14:
        fail("%s: expected network - mac = 14 (the Ethernet header), got %d - %d = %d"
             % (brief(r), k["network"], k["mac"], k["network"] - k["mac"]))
    if k["data"] != k["network"]:
        fail("%s: expected data == network (data points at the IP header), got data %d, network %d"
             % (brief(r), k["data"], k["network"]))
    put = None
    for e in reversed(ev[:ri]):
        if e["op"] == "put" and sid(e) == k["id"] and e["host"] == r["host"] \
                and e["func"] in ("igb_build_skb", "__skb_put"):
            put = e
            break
    if put is None:
        fail("%s: expected an earlier igb_build_skb/__skb_put event (op put) for skb %d, got none"
             % (brief(r), k["id"]))
    elif k["len"] != put["skb"]["len"] - 14:
        fail("%s: expected len = frame length at %s - 14 = %d - 14 = %d, got %d"
             % (brief(r), brief(put), put["skb"]["len"], put["skb"]["len"] - 14, k["len"]))
if nrecv == 0:
    fail("expected at least one net:netif_receive_skb event, got none")
else:
    ok("%d net:netif_receive_skb: network - mac = 14, data = network, len = put len - 14" % nrecv)

# --- bounded queues never overflow ------------------------------------------
nqev = 0
for e in ev:
    q = e["queue"]
    if q and q["cap"] > 0:
        nqev += 1
        if not 0 <= q["len"] <= q["cap"]:
            fail("%s: expected 0 <= %s len <= cap %d, got len %d" % (brief(e), q["name"], q["cap"], q["len"]))
ok("%d events on bounded queues: 0 <= len <= cap" % nqev)

# --- tcp: RX DMA before the interrupt and before the driver reads it --------
if scen == "tcp":
    ndma = 0
    for di, d in enumerate(ev):
        if not (d["op"] == "dma" and d["layer"] == "nic" and d["func"] == "(NIC) DMA write"):
            continue
        ndma += 1
        irq = next((e for e in ev[di + 1:] if tp(e) == "irq:irq_handler_entry" and e["host"] == d["host"]), None)
        if irq is None:
            fail("%s: expected an irq:irq_handler_entry on host %s after the DMA write, got none"
                 % (brief(d), d["host"]))
    for h in ("A", "B"):
        dmas = [e for e in ev if e["host"] == h and e["op"] == "dma" and e["func"] == "(NIC) DMA write"]
        puts = [e for e in ev if e["host"] == h and e["op"] == "put" and e["func"] == "igb_build_skb"]
        if len(dmas) != len(puts):
            fail("host %s: expected one igb_build_skb put per (NIC) DMA write, got %d DMA writes and %d puts"
                 % (h, len(dmas), len(puts)))
        for n, (d, p) in enumerate(zip(dmas, puts), 1):
            if d["i"] > p["i"]:
                fail("host %s: expected DMA write #%d (event %d) before igb_build_skb put #%d, got the put first "
                     "(%s)" % (h, n, d["i"], n, brief(p)))
            elif not any(tp(e) == "irq:irq_handler_entry" and e["host"] == h for e in ev[d["i"]:p["i"]]):
                fail("host %s: expected an irq:irq_handler_entry between DMA write #%d (event %d) and its put "
                     "(event %d), got none" % (h, n, d["i"], p["i"]))
    if ndma == 0:
        fail("expected (NIC) DMA write events, got none")
    else:
        ok("%d (NIC) DMA write events, each before the next irq_handler_entry on its host and before its igb_build_skb put"
           % ndma)

drops = [e for e in ev if e["op"] == "drop"]
reasons = sorted({e["drop_reason"] for e in ev if e["drop_reason"]})

def want_reason(r, host=None):
    hits = [e for e in ev if e["drop_reason"] == r and (host is None or e["host"] == host)]
    if not hits:
        fail("expected an event with drop_reason %s%s, got drop reasons %s"
             % (r, " on host " + host if host else "", reasons or "none"))
    else:
        ok("%d drop(s) with reason %s (first: %s)" % (len(hits), r, brief(hits[0])))
    return hits

def want_tp(name, host=None):
    hits = [e for e in ev if tp(e) == name and (host is None or e["host"] == host)]
    if not hits:
        fail("expected a %s tracepoint%s, got none" % (name, " on host " + host if host else ""))
    else:
        ok("%d %s event(s) (first: %s)" % (len(hits), name, brief(hits[0])))
    return hits

if scen == "burst":
    hits = want_reason("QDISC_DROP", "A")
    enq = [e for e in ev if e["layer"] == "qdisc" and e["op"] == "enqueue"]
    if not enq:
        fail("expected qdisc enqueue events (layer qdisc, op enqueue), got none")
    bad = [e for e in enq if not e["queue"] or e["queue"]["len"] > e["queue"]["cap"]]
    for e in bad[:5]:
        fail("%s: expected a qdisc enqueue with queue.len <= queue.cap, got queue %r" % (brief(e), e["queue"]))
    if enq and not bad:
        ok("%d qdisc enqueues, queue.len <= queue.cap (max len %d, cap %d)" %
           (len(enq), max(e["queue"]["len"] for e in enq), enq[0]["queue"]["cap"]))
    # A QDISC_DROP happens only when the band is full.
    last = {}
    for e in ev:
        q = e["queue"]
        if e["layer"] == "qdisc" and q:
            last[e["host"]] = q
        if e["drop_reason"] == "QDISC_DROP":
            q = last.get(e["host"])
            if q is None or q["len"] != q["cap"]:
                fail("%s: expected the qdisc band to be full at a QDISC_DROP, got %r" % (brief(e), q))
    if hits:
        ok("every QDISC_DROP comes with the band full")

if scen == "rxdrop":
    nic = [e for e in drops if e["layer"] == "nic"]
    if not nic:
        fail("expected an event with op drop and layer nic (no RX descriptor), got drops in layers %s"
             % sorted({e["layer"] for e in drops}))
    else:
        ok("%d NIC drops (first: %s)" % (len(nic), brief(nic[0])))

if scen == "noport":
    want_reason("NO_SOCKET", "B")
    want_tp("icmp:icmp_send", "B")

if scen == "badcsum":
    d = want_reason("TCP_CSUM")
    r = want_tp("tcp:tcp_retransmit_skb")
    if d and r and not any(x["i"] > d[0]["i"] for x in r):
        fail("expected a tcp:tcp_retransmit_skb after the TCP_CSUM drop (event %d), got retransmits only at %s"
             % (d[0]["i"], [x["i"] for x in r]))
    elif d and r:
        ok("a retransmission follows the TCP_CSUM drop")
        # The FIN sent right after the corrupted segment reaches B out of
        # order (seq != rcv_nxt). tcp_data_queue -> tcp_data_queue_ofo and
        # __tcp_ack_snd_check answer it at once with a duplicate ACK (the
        # model, without an out-of-order queue, says it drops out-of-order
        # segments and sends a duplicate ACK too): B puts a frame on the
        # wire before A's retransmission.
        first_rtx = next(x for x in r if x["i"] > d[0]["i"])
        b_wire = [e for e in ev[d[0]["i"] + 1:first_rtx["i"]] if e["op"] == "wire" and e["host"] == "B"]
        ooo = [e for e in ev[d[0]["i"] + 1:first_rtx["i"]] if e["host"] == "B" and e["func"] == "tcp_v4_rcv"]
        if not b_wire:
            fail("expected B to answer the out-of-order segment it receives after the TCP_CSUM drop (event %d)%s "
                 "with a duplicate ACK on the wire before A's retransmission (event %d), got no frame from B "
                 "in between" % (d[0]["i"], " (event %d: \"%s\")" % (ooo[0]["i"], ooo[0]["text"]) if ooo else "",
                                 first_rtx["i"]))
        else:
            ok("B sends a duplicate ACK (frame %s) for the out-of-order segment before the retransmission"
               % b_wire[0].get("frame"))

if scen == "rcvbuf":
    want_reason("SOCKET_RCVBUFF", "B")

if scen == "frag":
    wires = [e for e in ev if e["op"] == "wire" and e["host"] == "A"]
    if len(wires) != 3:
        fail("expected 3 wire events from host A (4000 bytes at MTU 1500 = 3 fragments), got %d" % len(wires))
    else:
        ok("3 wire frames from host A (frames %s)" % [e.get("frame") for e in wires])
    reasm = [e for e in ev if e["func"] == "ip_frag_reasm" and e["host"] == "B"]
    if not reasm:
        fail("expected an ip_frag_reasm event on host B, got none")
    elif wires and reasm[0]["i"] < wires[-1]["i"]:
        fail("expected ip_frag_reasm on B (event %d) after the last fragment went on the wire (event %d), got it before"
             % (reasm[0]["i"], wires[-1]["i"]))
    else:
        ok("ip_frag_reasm on host B at event %d, after the last fragment" % reasm[0]["i"])

if scen == "arp":
    wires = [e for e in ev if e["op"] == "wire"]
    first_wire = wires[0]["i"] if wires else len(ev)
    park = [e for e in ev if e["host"] == "A" and e["op"] == "enqueue" and e["queue"]
            and e["queue"]["name"] == "arp_queue" and e["i"] < first_wire]
    if not park:
        fail("expected an arp_queue enqueue on host A before the first wire frame (event %d), got none" % first_wire)
    elif not park[0]["skb"]:
        fail("%s: expected the arp_queue enqueue to carry the parked skb, got null" % brief(park[0]))
    else:
        p = park[0]
        deq = [e for e in ev[p["i"] + 1:] if e["host"] == "A" and e["op"] == "dequeue"
               and sid(e) == sid(p) and e["queue"] and e["queue"]["name"] == "arp_queue"]
        if not deq:
            fail("%s: expected skb %d to be dequeued from arp_queue on host A later, got no dequeue"
                 % (brief(p), sid(p)))
        elif deq[0]["ctx"] != "softirq:NET_RX":
            fail("%s: expected the arp_queue dequeue in ctx softirq:NET_RX (the ARP reply's receive path), got %s"
                 % (brief(deq[0]), deq[0]["ctx"]))
        else:
            ok("skb %d parked on arp_queue at event %d (before the first wire frame, event %d), dequeued at "
               "event %d in softirq:NET_RX" % (sid(p), p["i"], first_wire, deq[0]["i"]))
            sent = [e for e in wires if sid(e) == sid(p) and e["host"] == "A" and e["i"] > deq[0]["i"]]
            if not sent:
                fail("expected the parked skb %d to go on the wire from A after its dequeue, got no such wire event"
                     % sid(p))
            else:
                ok("the parked skb %d then goes on the wire as frame %s" % (sid(p), sent[0].get("frame")))

for m in oks:
    print("       %s: %s" % (scen, m))
for m in fails[:20]:
    print("  FAIL %s: %s" % (scen, m))
if len(fails) > 20:
    print("  FAIL %s: ... and %d more" % (scen, len(fails) - 20))
sys.exit(1 if fails else 0)
EOF

failures=0
for s in tcp udp ping arp frag burst rxdrop noport badcsum rcvbuf; do
	"$PW" trace -s "$s" --json >"$tmp/$s.json" 2>"$tmp/$s.err" </dev/null
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL - trace -s $s --json: expected exit status 0, got $rc"
		sed -e 's/^/       stderr: /' "$tmp/$s.err" | head -5
		failures=$((failures + 1))
		continue
	fi
	echo "# scenario $s ($(wc -l <"$tmp/$s.json") events)"
	if python3 "$tmp/order.py" "$s" "$tmp/$s.json"; then
		echo "ok   - $s: event order and contents as expected"
	else
		echo "FAIL - $s: see the expectations above"
		failures=$((failures + 1))
	fi
done

echo "# 10 scenarios, $failures failed"
[ "$failures" -eq 0 ] || exit 1
exit 0
