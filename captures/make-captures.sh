#!/usr/bin/env bash
# make-captures.sh: remake the captures in this folder.
#
# Usage (root, after a build):  captures/make-captures.sh [PATH/TO/packetwalk]   (default build/packetwalk)
#
# linux-*.pcap: real traffic of this machine's kernel between two network
#   namespaces joined by a veth pair (A 192.0.2.1 02:00:00:00:00:01, B 192.0.2.2
#   02:00:00:00:00:02, MTU 1500), captured with tcpdump on A's end. The traffic
#   never leaves the two namespaces. Every exchange but linux-arp starts with
#   permanent neighbour entries, so it has no ARP.
# model-*.pcap: the same kinds of exchange made by packetwalk's model
#   (packetwalk trace -s NAME --pcap-out FILE).
set -euo pipefail
PW=$(realpath "${1:-build/packetwalk}")
cd "$(dirname "$0")"
[ "$(id -u)" = 0 ] || { echo "make-captures: must run as root" >&2; exit 2; }
TAG=pwc$$
NSA=$TAG-a NSB=$TAG-b
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del "$NSA" 2>/dev/null || true
	ip netns del "$NSB" 2>/dev/null || true
}
trap cleanup EXIT

setup() {
	cleanup
	PIDS=()
	ip netns add "$NSA"
	ip netns add "$NSB"
	ip link add va netns "$NSA" type veth peer name vb netns "$NSB"
	ip -n "$NSA" link set va address 02:00:00:00:00:01
	ip -n "$NSB" link set vb address 02:00:00:00:00:02
	ip -n "$NSA" addr add 192.0.2.1/24 dev va
	ip -n "$NSB" addr add 192.0.2.2/24 dev vb
	for ns in "$NSA" "$NSB"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	ip -n "$NSA" link set va up
	ip -n "$NSB" link set vb up
	if [ "${1:-}" != arp ]; then
		ip -n "$NSA" neigh replace 192.0.2.2 lladdr 02:00:00:00:00:02 dev va nud permanent
		ip -n "$NSB" neigh replace 192.0.2.1 lladdr 02:00:00:00:00:01 dev vb nud permanent
	fi
}

capture() { # name, then the commands run in A
	local name=$1
	shift
	ip netns exec "$NSA" tcpdump -i va -U -w "$name.pcap" -Z root 2>/dev/null &
	local td=$!
	sleep 0.5
	ip netns exec "$NSA" "$@"
	sleep 0.5
	kill -INT "$td"
	wait "$td" 2>/dev/null || true
	echo "made $name.pcap ($(tcpdump -r "$name.pcap" 2>/dev/null | wc -l) frames)"
}

server() { # the python server B runs in the background
	ip netns exec "$NSB" python3 -c "$1" &
	PIDS+=($!)
	sleep 0.3
}

setup
server 'import socket
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("192.0.2.2",5001)); s.listen(1)
c,_=s.accept()
while c.recv(65536): pass
c.close()'
capture linux-tcp-hello python3 -c 'import socket
s=socket.socket(); s.bind(("192.0.2.1",40001)); s.connect(("192.0.2.2",5001)); s.sendall(b"hello packet walk"); s.close()'

setup
server 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.2",53))
d,a=s.recvfrom(512); s.sendto(d[:2]+b"\x81\x80"+d[4:6]+b"\x00\x01\x00\x00\x00\x00"+d[12:]+b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x35", a)'
capture linux-udp-dns python3 -c 'import socket
q=bytes.fromhex("123401000001000000000000")+b"\x0apacketwalk\x07example\x03org\x00"+bytes.fromhex("00010001")
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.1",40002)); s.sendto(q,("192.0.2.2",53)); s.settimeout(2); s.recvfrom(512)'

setup
capture linux-ping ping -c 2 -i 0.2 192.0.2.2

setup
server 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.2",9000)); s.recvfrom(65536)'
capture linux-udp-frag python3 -c 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.1",40002)); s.sendto(b"hello packet walk "*222+b"hell",("192.0.2.2",9000))'

setup arp
server 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.2",7)); d,a=s.recvfrom(512); s.sendto(d,a)'
capture linux-arp python3 -c 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.1",40002)); s.sendto(b"hello arp",("192.0.2.2",7)); s.settimeout(2); s.recvfrom(512)'

for s in tcp udp ping arp frag burst; do
	"$PW" trace -s "$s" --pcap-out "model-$s.pcap" >/dev/null
	echo "made model-$s.pcap"
done
