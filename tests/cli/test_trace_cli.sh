#!/usr/bin/env bash
# test_trace_cli.sh: the command line of 'packetwalk trace'.
#
#   bash tests/cli/test_trace_cli.sh /path/to/packetwalk
#
# (a) --help exits 0 and lists every scenario and the main options;
# (b) bad usage exits 2 with a message on stderr that names the problem;
# (c) an unwritable --pcap-out file exits 1 with a message naming the file;
# (d) --json prints well-formed NDJSON with every documented key and type,
#     i counting up from 0 and t_ns never decreasing, for every scenario;
# (e) the output is deterministic and --seed changes it.
#
# Exit 0 = pass, 77 = skipped, anything else = fail.
set -u

PW=${1:-}
if [ -z "$PW" ] || [ ! -x "$PW" ]; then
	echo "FAIL: usage: bash $0 /path/to/packetwalk (got '${PW}', not an executable)"
	exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "skipped: python3 is not installed (needed to parse the NDJSON)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-cli.XXXXXX") || { echo "FAIL: mktemp -d failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT

failures=0
checks=0
ok() { checks=$((checks + 1)); echo "ok   - $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL - $*"; }

# run OUT ERR ARGS...: runs packetwalk with stdin closed, sets $rc.
run() {
	local out=$1 err=$2
	shift 2
	"$PW" "$@" >"$out" 2>"$err" </dev/null
	rc=$?
}

show_stderr() { sed -e 's/^/       stderr: /' "$1" | head -5; }

# ---------------------------------------------------------------- (a) --help
echo "# (a) trace --help"
run "$tmp/help.out" "$tmp/help.err" trace --help
if [ "$rc" -eq 0 ]; then
	ok "trace --help exits 0"
else
	fail "trace --help: expected exit status 0, got $rc"
	show_stderr "$tmp/help.err"
fi
for s in tcp udp ping arp frag burst; do
	# A scenario is listed on its own indented line: "        tcp      TCP: ...".
	if grep -Eq "^[[:space:]]+${s}[[:space:]]" "$tmp/help.out"; then
		ok "trace --help lists scenario '$s'"
	else
		fail "trace --help: expected a line listing scenario '$s' (indented name, then its summary), got none"
	fi
done
for o in --json --pcap-out --payload --mtu --qdisc-limit --tx-ring --rx-ring; do
	if grep -qF -- "$o" "$tmp/help.out"; then
		ok "trace --help mentions $o"
	else
		fail "trace --help: expected the text '$o' in the help, got no mention"
	fi
done

# ---------------------------------------------------------- (b) bad usage
echo "# (b) bad usage exits 2 with a message on stderr"
# expect_usage_error "DESCRIPTION" "WORD1|WORD2..." ARGS...: every WORD must
# appear in stderr (they name the problem), stdout must stay empty.
expect_usage_error() {
	local what=$1 words=$2 w
	shift 2
	run "$tmp/bad.out" "$tmp/bad.err" "$@"
	local desc="packetwalk $*"
	if [ "$rc" -ne 2 ]; then
		fail "$desc ($what): expected exit status 2, got $rc"
		show_stderr "$tmp/bad.err"
		return
	fi
	if [ ! -s "$tmp/bad.err" ]; then
		fail "$desc ($what): expected an error message on stderr, got nothing"
		return
	fi
	local IFS='|'
	for w in $words; do
		if ! grep -qF -- "$w" "$tmp/bad.err"; then
			fail "$desc ($what): expected stderr to name '$w', got: $(head -1 "$tmp/bad.err")"
			return
		fi
	done
	if [ -s "$tmp/bad.out" ]; then
		fail "$desc ($what): expected nothing on stdout, got $(wc -c <"$tmp/bad.out") bytes: $(head -c 120 "$tmp/bad.out")"
		return
	fi
	ok "$desc exits 2: $(head -1 "$tmp/bad.err")"
}
expect_usage_error "unknown option" "--bogus" trace --bogus
expect_usage_error "unknown scenario" "nope" trace -s nope
expect_usage_error "not a number" "--mtu|abc" trace --mtu abc
expect_usage_error "MTU below 68" "--mtu|20" trace --mtu 20
expect_usage_error "ring not a power of two" "--tx-ring|100" trace --tx-ring 100
expect_usage_error "missing file name" "--pcap-out" trace --pcap-out
expect_usage_error "unknown subcommand" "frobnicate" frobnicate

# The --mtu range that --help documents is the one enforced: its upper
# bound runs, one more is refused.
mtu_max=$(sed -n 's/^ *--mtu N .*[^0-9]\([0-9][0-9]*\)\.\.\([0-9][0-9]*\).*/\2/p' "$tmp/help.out" | head -1)
if [ -z "$mtu_max" ]; then
	fail "trace --help: expected the --mtu line to document a range MIN..MAX, got: $(grep -e '--mtu' "$tmp/help.out" | head -1)"
else
	run "$tmp/m.out" "$tmp/m.err" trace -s udp --mtu "$mtu_max"
	if [ "$rc" -eq 0 ]; then
		ok "trace --mtu $mtu_max (the documented maximum) exits 0"
	else
		fail "trace --mtu $mtu_max (the maximum --help documents): expected exit status 0, got $rc: $(head -1 "$tmp/m.err")"
	fi
	expect_usage_error "MTU above the documented maximum $mtu_max" "--mtu|$((mtu_max + 1))" trace -s udp --mtu $((mtu_max + 1))
fi

# -------------------------------------------------- (c) unwritable pcap file
echo "# (c) --pcap-out into a directory that does not exist"
badpcap="$tmp/nonexistent-dir/x.pcap"
run "$tmp/c.out" "$tmp/c.err" trace -s udp --pcap-out "$badpcap"
if [ "$rc" -ne 1 ]; then
	fail "trace --pcap-out $badpcap: expected exit status 1, got $rc"
	show_stderr "$tmp/c.err"
elif ! grep -qF -- "$badpcap" "$tmp/c.err"; then
	fail "trace --pcap-out $badpcap: expected stderr to name the file, got: $(head -1 "$tmp/c.err")"
else
	ok "trace --pcap-out $badpcap exits 1: $(head -1 "$tmp/c.err")"
fi

# ------------------------------------------------------- (d) NDJSON schema
echo "# (d) --json schema, for every scenario"
cat >"$tmp/schema.py" <<'EOF'
import json, sys

path, scen = sys.argv[1], sys.argv[2]
errors = []
def err(msg):
    errors.append(msg)

def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)

STR = "string"
OPT_STR = "string or null"
INT = "integer"
FIELDS = [("i", INT), ("t_ns", INT), ("host", STR), ("ctx", STR), ("layer", STR),
          ("func", STR), ("src", STR), ("tracepoint", OPT_STR), ("op", STR),
          ("skb", "object or null"), ("queue", "object or null"),
          ("drop_reason", OPT_STR), ("text", STR)]
SKB_INTS = ["id", "head", "data", "tail", "end", "len", "mac", "network", "transport"]

def type_ok(v, want):
    if want == INT:
        return is_int(v)
    if want == STR:
        return isinstance(v, str)
    if want == OPT_STR:
        return v is None or isinstance(v, str)
    return v is None or isinstance(v, dict)

def tname(v):
    return "null" if v is None else type(v).__name__

n = 0
prev_t = None
frames = 0
with open(path, "rb") as f:
    for lineno, raw in enumerate(f, 1):
        if len(errors) >= 10:
            break
        where = "line %d" % lineno
        try:
            e = json.loads(raw.decode("utf-8"))
        except Exception as x:
            err("%s: expected a JSON object, got unparsable text (%s): %r" % (where, x, raw[:100]))
            continue
        if not isinstance(e, dict):
            err("%s: expected a JSON object, got %s" % (where, tname(e)))
            continue
        where = "line %d (i=%s)" % (lineno, e.get("i"))
        for k, want in FIELDS:
            if k not in e:
                err("%s: expected key '%s', got keys %s" % (where, k, sorted(e)))
            elif not type_ok(e[k], want):
                err("%s: expected '%s' to be %s, got %s %r" % (where, k, want, tname(e[k]), e[k]))
        n += 1
        if any(k not in e or not type_ok(e[k], w) for k, w in FIELDS):
            continue
        if e["i"] != lineno - 1:
            err("%s: expected i = %d (counting up from 0 by 1, one event a line), got %d"
                % (where, lineno - 1, e["i"]))
        if prev_t is not None and e["t_ns"] < prev_t:
            err("%s: expected t_ns >= %d (the previous event's), got %d" % (where, prev_t, e["t_ns"]))
        prev_t = e["t_ns"]
        if e["host"] not in ("A", "B"):
            err("%s: expected host 'A' or 'B', got %r" % (where, e["host"]))
        for k in ("ctx", "layer", "func", "op", "text"):
            if not e[k]:
                err("%s: expected a non-empty '%s', got an empty string" % (where, k))
        skb = e["skb"]
        if skb is not None:
            missing = [k for k in SKB_INTS if k not in skb]
            if missing:
                err("%s: expected skb keys %s, got keys %s (missing %s)" % (where, SKB_INTS, sorted(skb), missing))
            for k in SKB_INTS:
                if k in skb and not is_int(skb[k]):
                    err("%s: expected skb.%s to be an integer, got %s %r" % (where, k, tname(skb[k]), skb[k]))
            if all(is_int(skb.get(k)) for k in ("head", "data", "tail", "end")):
                if not (skb["head"] <= skb["data"] <= skb["tail"] <= skb["end"]):
                    err("%s: expected head <= data <= tail <= end in skb %d, got %d %d %d %d" %
                        (where, skb["id"], skb["head"], skb["data"], skb["tail"], skb["end"]))
            if all(is_int(skb.get(k)) for k in ("data", "tail", "len", "data_len")):
                if skb["len"] != skb["tail"] - skb["data"] + skb["data_len"]:
                    err("%s: expected skb %d len = tail - data + data_len = %d, got %d" %
                        (where, skb["id"], skb["tail"] - skb["data"] + skb["data_len"], skb["len"]))
        q = e["queue"]
        if q is not None:
            for k, want in (("name", STR), ("len", INT), ("cap", INT)):
                if k not in q:
                    err("%s: expected queue key '%s', got keys %s" % (where, k, sorted(q)))
                elif not type_ok(q[k], want):
                    err("%s: expected queue.%s to be %s, got %s %r" % (where, k, want, tname(q[k]), q[k]))
        # Wire events carry the wire frame number, 1, 2, 3, ...
        if e["op"] == "wire":
            frames += 1
            if e.get("frame") != frames:
                err("%s: expected wire event to carry frame %d, got %r" % (where, frames, e.get("frame")))
        elif e.get("frame") is not None:
            err("%s: expected no frame number on a non-wire event (op %s), got %r" % (where, e["op"], e["frame"]))

if n == 0 and not errors:
    err("expected at least one event, got an empty output")
for m in errors:
    print("       %s: %s" % (scen, m))
if errors:
    sys.exit(1)
print("%d events, %d wire frames" % (n, frames))
EOF
for s in tcp udp ping arp frag burst rxdrop noport badcsum rcvbuf; do
	run "$tmp/$s.json" "$tmp/$s.err" trace -s "$s" --json
	if [ "$rc" -ne 0 ]; then
		fail "trace -s $s --json: expected exit status 0, got $rc"
		show_stderr "$tmp/$s.err"
		continue
	fi
	if summary=$(python3 "$tmp/schema.py" "$tmp/$s.json" "$s"); then
		ok "trace -s $s --json: every line is JSON with the documented keys and types; i = 0,1,2...; t_ns never decreases ($summary)"
	else
		fail "trace -s $s --json: the NDJSON does not match the documented schema:"
		echo "$summary"
	fi
done

# ---------------------------------------------------------- (e) determinism
echo "# (e) determinism"
run "$tmp/d1.json" "$tmp/d1.err" trace -s tcp --json
rc1=$rc
run "$tmp/d2.json" "$tmp/d2.err" trace -s tcp --json
if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
	fail "trace -s tcp --json twice: expected exit status 0 both times, got $rc1 and $rc"
elif cmp -s "$tmp/d1.json" "$tmp/d2.json"; then
	ok "two runs of trace -s tcp --json are byte-identical ($(wc -c <"$tmp/d1.json") bytes)"
else
	fail "two runs of trace -s tcp --json: expected identical output, got a difference: $(cmp "$tmp/d1.json" "$tmp/d2.json" 2>&1)"
fi

run "$tmp/p1.out" "$tmp/p1.err" trace -s tcp --pcap-out "$tmp/p1.pcap"
rc1=$rc
run "$tmp/p2.out" "$tmp/p2.err" trace -s tcp --pcap-out "$tmp/p2.pcap"
rc2=$rc
run "$tmp/p3.out" "$tmp/p3.err" trace -s tcp --seed 2 --pcap-out "$tmp/p3.pcap"
rc3=$rc
if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ] || [ "$rc3" -ne 0 ]; then
	fail "trace -s tcp --pcap-out (seed 1, 1, 2): expected exit status 0 each time, got $rc1 $rc2 $rc3"
elif [ ! -s "$tmp/p1.pcap" ] || [ ! -s "$tmp/p3.pcap" ]; then
	fail "trace -s tcp --pcap-out: expected non-empty pcap files, got sizes $(wc -c <"$tmp/p1.pcap") and $(wc -c <"$tmp/p3.pcap")"
else
	if cmp -s "$tmp/p1.pcap" "$tmp/p2.pcap"; then
		ok "two runs of trace -s tcp --pcap-out write byte-identical pcaps ($(wc -c <"$tmp/p1.pcap") bytes)"
	else
		fail "two runs of trace -s tcp --pcap-out: expected identical pcaps, got a difference: $(cmp "$tmp/p1.pcap" "$tmp/p2.pcap" 2>&1)"
	fi
	if cmp -s "$tmp/p1.pcap" "$tmp/p3.pcap"; then
		fail "trace -s tcp --seed 2 --pcap-out: expected a pcap different from seed 1's, got an identical file"
	else
		ok "--seed 2 changes the pcap ($(cmp "$tmp/p1.pcap" "$tmp/p3.pcap" 2>&1 | head -1))"
	fi
fi

echo "# $checks checks, $failures failed"
[ "$failures" -eq 0 ] || exit 1
exit 0
