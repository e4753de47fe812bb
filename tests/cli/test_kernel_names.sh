#!/usr/bin/env bash
# test_kernel_names.sh: every tracepoint and drop-reason name the model
# prints must exist in the running kernel: tracepoints as directories under
# tracefs events/, drop reasons in skb:kfree_skb's format (the kernel's own
# list, printed from enum skb_drop_reason).
set -u
PW=${1:?usage: test_kernel_names.sh PACKETWALK}
[ "$(id -u)" = 0 ] || { echo "skipped: needs root to mount tracefs"; exit 77; }
T=$(mktemp -d)
MOUNTED=0
cleanup() { [ "$MOUNTED" = 1 ] && umount "$T/tfs"; rm -rf "$T"; }
trap cleanup EXIT
mkdir "$T/tfs"
if [ -d /sys/kernel/tracing/events ]; then
	TFS=/sys/kernel/tracing
elif mount -t tracefs nodev "$T/tfs" 2>/dev/null; then
	MOUNTED=1
	TFS=$T/tfs
else
	echo "skipped: tracefs cannot be mounted here"
	exit 77
fi
[ -r "$TFS/events/skb/kfree_skb/format" ] || { echo "skipped: no skb:kfree_skb tracepoint in this kernel"; exit 77; }
echo "kernel $(uname -r), tracefs at $TFS"
"$PW" trace --list-names > "$T/names" || { echo "FAIL: trace --list-names exited $?"; exit 1; }
fail=0 n=0
while read -r kind name; do
	n=$((n + 1))
	case $kind in
	tracepoint)
		if [ ! -d "$TFS/events/${name%%:*}/${name#*:}" ]; then
			echo "FAIL: tracepoint $name is not in this kernel ($TFS/events/${name%%:*}/${name#*:})"
			fail=1
		fi
		;;
	drop_reason)
		if ! grep -q "\"$name\"" "$TFS/events/skb/kfree_skb/format"; then
			echo "FAIL: drop reason $name is not in this kernel's enum skb_drop_reason"
			fail=1
		fi
		;;
	*) echo "FAIL: unexpected line '$kind $name'"; fail=1 ;;
	esac
done < "$T/names"
[ "$n" -ge 30 ] || { echo "FAIL: only $n names listed"; fail=1; }
[ $fail = 0 ] && echo "all $n names exist in the running kernel"
exit $fail
