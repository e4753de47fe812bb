#!/usr/bin/env python3
"""damaged_frames.py: Ethernet frames from 192.0.2.1 to 192.0.2.2, each
carrying one lie a receiving Linux stack detects, and what Linux 6.18
does with it (where it drops the frame, and the drop reason).

    damaged_frames.py pcap FILE   writes them as a pcap (LINKTYPE_ETHERNET)
    damaged_frames.py frags NAME FILE   writes one set of fragments as a pcap
    damaged_frames.py kernel      sends them all through this machine's kernel (root):
                                  the receiver's kfree_skb/consume_skb events as JSON
    damaged_frames.py list        prints name, expected function, reason

The expectations were read off this machine's kernel: each frame sent with
an AF_PACKET socket from one network namespace over a veth pair to the
other, with the skb:kfree_skb tracepoint recording location and reason.
"""
import struct, sys

SRC_MAC = bytes.fromhex("020000000001")
DST_MAC = bytes.fromhex("020000000002")
SIP = bytes([192, 0, 2, 1])
DIP = bytes([192, 0, 2, 2])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s >> 16) + (s & 0xFFFF)
    return (~s) & 0xFFFF


def ip4(proto, l4, tot_len=None, ihl=5, version=4, bad_csum=False, frag=0, ident=0x4242):
    opts = b"\x01" * (max(ihl, 5) * 4 - 20)
    tl = 20 + len(opts) + len(l4) if tot_len is None else tot_len
    h = struct.pack("!BBHHHBBH4s4s", (version << 4) | ihl, 0, tl, ident, frag, 64, proto, 0, SIP, DIP) + opts
    c = csum(h) ^ (0x5555 if bad_csum else 0)
    return h[:10] + struct.pack("!H", c) + h[12:] + l4


def pseudo(proto, n):
    return SIP + DIP + struct.pack("!BBH", 0, proto, n)


def udp(payload, ulen=None, bad_csum=False, sport=40000, dport=7):
    n = 8 + len(payload)
    ul = n if ulen is None else ulen
    h = struct.pack("!HHHH", sport, dport, ul, 0)
    c = csum(pseudo(17, n) + h + payload) or 0xFFFF
    if bad_csum:
        c ^= 0x0F0F
    return h[:6] + struct.pack("!H", c) + payload


def tcp(payload, doff=5, bad_csum=False, flags=0x18, hdr_extra=b""):
    h = struct.pack("!HHIIBBHHH", 40000, 80, 1000, 2000, doff << 4, flags, 64240, 0, 0) + hdr_extra
    c = csum(pseudo(6, len(h) + len(payload)) + h + payload)
    if bad_csum:
        c ^= 0x0F0F
    return h[:16] + struct.pack("!H", c) + h[18:] + payload


def icmp_echo(payload, bad_csum=False):
    h = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1)
    c = csum(h + payload) ^ (0x0F0F if bad_csum else 0)
    return h[:2] + struct.pack("!H", c) + h[4:] + payload


def eth(l3):
    return DST_MAC + SRC_MAC + b"\x08\x00" + l3


def pad(frame):
    return frame + b"\0" * max(0, 60 - len(frame))


P = b"packetwalk damaged frame"

# name, frame, the function Linux drops it in, the drop reason
FRAMES = [
    ("ip-totlen-past-frame", eth(ip4(17, udp(P[:17]), tot_len=1400)), "ip_rcv_core", "PKT_TOO_SMALL"),
    ("ip-totlen-below-header", pad(eth(ip4(17, udp(P), tot_len=16))), "ip_rcv_core", "IP_INHDR"),
    ("ip-ihl-4", pad(eth(ip4(17, udp(P), ihl=4))), "ip_rcv_core", "IP_INHDR"),
    ("ip-version-6", pad(eth(ip4(17, udp(P), version=6))), "ip_rcv_core", "IP_INHDR"),
    ("ip-ihl-past-frame", eth(ip4(17, b"", ihl=15)[:20] + b"\x01" * 26), "ip_rcv_core", "IP_INHDR"),
    ("ip-bad-checksum", pad(eth(ip4(17, udp(P), bad_csum=True))), "ip_rcv_core", "IP_CSUM"),
    ("udp-short-header", pad(eth(ip4(17, b"\x9c\x40\x00\x07"))), "__udp4_lib_rcv", "NOT_SPECIFIED"),
    ("udp-length-past-datagram", pad(eth(ip4(17, udp(P, ulen=200)))), "__udp4_lib_rcv", "PKT_TOO_SMALL"),
    ("udp-length-below-header", pad(eth(ip4(17, udp(P, ulen=4)))), "__udp4_lib_rcv", "PKT_TOO_SMALL"),
    ("udp-bad-checksum", pad(eth(ip4(17, udp(P, bad_csum=True)))), "__udp4_lib_rcv", "UDP_CSUM"),
    ("tcp-short-header", pad(eth(ip4(6, tcp(b"")[:12]))), "tcp_v4_rcv", "NOT_SPECIFIED"),
    ("tcp-doff-4", pad(eth(ip4(6, tcp(P, doff=4)))), "tcp_v4_rcv", "PKT_TOO_SMALL"),
    ("tcp-doff-past-segment", pad(eth(ip4(6, tcp(b"", doff=15, flags=0x10)))), "tcp_v4_rcv", "NOT_SPECIFIED"),
    ("tcp-bad-checksum", pad(eth(ip4(6, tcp(P, bad_csum=True)))), "tcp_v4_rcv", "TCP_CSUM"),
    ("icmp-bad-checksum", pad(eth(ip4(1, icmp_echo(P, bad_csum=True)))), "icmp_rcv", "ICMP_CSUM"),
]


def frag(off, mf, payload, ident, proto=17):
    """One IPv4 fragment: payload at byte off of the datagram."""
    return pad(eth(ip4(proto, payload, frag=(off // 8) | (0x2000 if mf else 0), ident=ident)))


DGRAM = udp(bytes(range(56)))  # 64 bytes: a UDP header and 56 of data

# Sets of fragments, each sent on its own (each with its own IP id, so that
# a queue one set leaves waiting takes nothing of the next), and what the receiver's
# reassembly does: the kfree_skb/consume_skb events at ip_defrag and
# inet_frag_rbtree_purge, in order, and whether the datagram is rebuilt.
FRAG_SETS = [
    ("frag-clean", [frag(0, 1, DGRAM[:24], 0x5150), frag(24, 1, DGRAM[24:48], 0x5150), frag(48, 0, DGRAM[48:], 0x5150)],
     [], True),
    ("frag-overlap", [frag(0, 1, DGRAM[:24], 0x5151), frag(16, 1, DGRAM[16:40], 0x5151), frag(40, 0, DGRAM[40:], 0x5151)],
     [("kfree_skb", "ip_defrag", "NOT_SPECIFIED"), ("consume_skb", "inet_frag_rbtree_purge", None)], False),
    # The overlap makes up for the hole in a byte count: only coverage tells.
    ("frag-overlap-hole", [frag(0, 1, DGRAM[:24], 0x5156), frag(8, 1, DGRAM[8:32], 0x5156),
                           frag(48, 0, DGRAM[48:], 0x5156)],
     [("kfree_skb", "ip_defrag", "NOT_SPECIFIED"), ("consume_skb", "inet_frag_rbtree_purge", None)], False),
    ("frag-duplicate", [frag(0, 1, DGRAM[:24], 0x5152), frag(0, 1, DGRAM[:24], 0x5152), frag(24, 0, DGRAM[24:], 0x5152)],
     [("kfree_skb", "ip_defrag", "DUP_FRAG")], True),
    ("frag-inside-run", [frag(0, 1, DGRAM[:16], 0x5153), frag(16, 1, DGRAM[16:32], 0x5153), frag(8, 1, DGRAM[8:24], 0x5153),
                         frag(32, 0, DGRAM[32:], 0x5153)],
     [("kfree_skb", "ip_defrag", "DUP_FRAG")], True),
    ("frag-two-ends", [frag(0, 1, DGRAM[:24], 0x5154), frag(40, 0, DGRAM[40:], 0x5154), frag(24, 0, DGRAM[24:48], 0x5154)],
     [("kfree_skb", "ip_defrag", "NOT_SPECIFIED"), ("consume_skb", "inet_frag_rbtree_purge", None),
      ("consume_skb", "inet_frag_rbtree_purge", None)], False),
    ("frag-udp-length-lies", [frag(0, 1, udp(bytes(range(56)), ulen=200)[:24], 0x5155), frag(24, 0, DGRAM[24:], 0x5155)],
     [], True),
]


def kernel_run(names):
    """Sends every frame of FRAMES, and every set of FRAG_SETS, from one
    network namespace to another over a veth pair, with AF_PACKET, and
    returns for each name the receiver's kfree_skb and consume_skb events
    as (tracepoint, function, reason). Needs root and tracefs; everything
    made is removed on the way out."""
    import os, re, subprocess, time
    tag = "pwd%d" % os.getpid()
    na, nb, tr = tag + "a", tag + "b", "/sys/kernel/tracing"
    inst = "%s/instances/%s" % (tr, tag)

    def sh(*cmd):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    if not os.path.isdir(tr + "/events"):
        sh("mount", "-t", "tracefs", "nodev", tr)
    results = {}
    try:
        sh("ip", "netns", "add", na)
        sh("ip", "netns", "add", nb)
        for n in (na, nb):
            sh("ip", "netns", "exec", n, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
        sh("ip", "link", "add", "pwda", "netns", na, "type", "veth", "peer", "name", "pwdb", "netns", nb)
        sh("ip", "-n", na, "link", "set", "pwda", "address", "02:00:00:00:00:01", "up")
        sh("ip", "-n", nb, "link", "set", "pwdb", "address", "02:00:00:00:00:02", "up")
        sh("ip", "-n", na, "addr", "add", "192.0.2.1/24", "dev", "pwda")
        sh("ip", "-n", nb, "addr", "add", "192.0.2.2/24", "dev", "pwdb")
        os.mkdir(inst)
        for ev in ("skb/kfree_skb", "skb/consume_skb", "net/netif_receive_skb"):
            open("%s/events/%s/enable" % (inst, ev), "w").write("1")
        groups = [(n, [f]) for n, f, _, _ in FRAMES] + [(n, fs) for n, fs, _, _ in FRAG_SETS]
        for name, frames in groups:
            if name not in names:
                continue
            open(inst + "/trace", "w").write("")
            open(inst + "/tracing_on", "w").write("1")
            code = ("import socket,sys\ns=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\n"
                    "s.bind(('pwda',0))\nfor h in sys.argv[1:]: s.send(bytes.fromhex(h))\n")
            subprocess.run(["ip", "netns", "exec", na, sys.executable, "-c", code] + [f.hex() for f in frames],
                           check=True)
            time.sleep(0.2)
            open(inst + "/tracing_on", "w").write("0")
            text = open(inst + "/trace").read()
            # The skbs the receiver got, each from its netif_receive_skb
            # to its first free (addresses are reused by other work).
            live, evs = set(), []
            for m in re.finditer(r"(netif_receive_skb|kfree_skb|consume_skb): (?:dev=(\w+) )?skbaddr=(\w+)"
                                 r"(?:.*?location=(\w+)\S*(?: reason: (\w+))?)?", text):
                tp, dev, addr, loc, reason = m.groups()
                if tp == "netif_receive_skb":
                    if dev == "pwdb":
                        live.add(addr)
                elif addr in live and loc != "tpacket_rcv":
                    live.discard(addr)
                    evs.append((tp, loc, reason))
            results[name] = evs
    finally:
        subprocess.run(["rmdir", inst], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "netns", "del", na], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "netns", "del", nb], stderr=subprocess.DEVNULL)
    return results


def write_pcap(path, frames):
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    for i, fr in enumerate(frames):
        out.append(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)
    open(path, "wb").write(b"".join(out))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pcap":
        write_pcap(sys.argv[2], [f for _, f, _, _ in FRAMES])
    elif len(sys.argv) == 4 and sys.argv[1] == "frags":
        write_pcap(sys.argv[3], next(fr for n, fr, _, _ in FRAG_SETS if n == sys.argv[2]))
    elif len(sys.argv) == 2 and sys.argv[1] == "kernel":
        import json
        print(json.dumps(kernel_run({n for n, _, _, _ in FRAMES} | {n for n, _, _, _ in FRAG_SETS})))
    elif len(sys.argv) == 2 and sys.argv[1] == "list":
        for n, _, fn, r in FRAMES:
            print(n, fn, r)
    else:
        sys.exit(__doc__)
