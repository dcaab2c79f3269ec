#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM (busybox). The kernel command line picks the job with
# daosvm=check|demo|bench (unknown parameters reach init as environment
# variables).
#
# check: results go to the second serial port (/dev/ttyS1) in sections the
# host parses (tests/vm/summarize.py):
#   @@DAOS begin <kind> <name>  ...TAP or KTAP...  @@DAOS end <rc>
# and the kernel log stays on the console (ttyS0) for the report scan.

/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config
mount -t tmpfs tmp /tmp
mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
ip link set lo up
export LD_LIBRARY_PATH=/usr/lib
TEST_TIMEOUT=${daostimeout:-300}

finish() {
	sync
	poweroff -f
}

demo() {
	echo "== insmod daos.ko"
	insmod /daos.ko || finish
	for ex in /examples/*; do
		echo "== $ex"
		"$ex"
		echo "== $ex exited with $?"
	done
	echo "== daos version"
	daos version
	echo "== daos target list"
	daos target list
	echo "== daos container create /tmp/tool.container"
	daos container create /tmp/tool.container
	daos container query /tmp/tool.container
	daos epoch query /tmp/tool.container
	daos stats
	daos container unlink /tmp/tool.container
	rmmod daos
	finish
}

bench() {
	insmod /daos.ko || finish
	for b in /bench/*; do
		"$b"
	done
	rmmod daos
	finish
}

[ "$daosvm" = probe ] && { echo DAOS-PROBE-OK; finish; }
[ "$daosvm" = demo ] && demo
[ "$daosvm" = bench ] && bench

exec 3>/dev/ttyS1
say() { echo "$*" >&3; }
step_no=0
# check NAME CMD...: one TAP line in the current "vm" section.
check() {
	name=$1
	shift
	step_no=$((step_no + 1))
	if "$@" >/tmp/step.out 2>&1; then
		say "ok $step_no - $name"
		sed 's/^/# /' /tmp/step.out >&3
	else
		say "not ok $step_no - $name"
		sed 's/^/# /' /tmp/step.out >&3
	fi
}
param() { cat "/sys/module/daos/parameters/$1"; }
# Seconds since boot, as a TAP comment: where the run's time goes.
mark() { say "# at $(cut -d' ' -f1 /proc/uptime) s: $*"; }

# Forget leak suspects from boot, so the scan at the end is about us.
# In the background, while the tests start: a scan reports only objects
# older than 5 s at its start, so it can only forget boot's.
(echo scan >/sys/kernel/debug/kmemleak && echo clear >/sys/kernel/debug/kmemleak) &
boot_scan=$!

say "@@DAOS begin vm load"
# Every allocation of the module's init fails in turn (tests/vm/load_faults.c).
mark "booted"
check "a load fails cleanly whichever allocation of the module's fails" load_faults /daos.ko
mark "load faults walked"
check "insmod daos.ko" insmod /daos.ko
mark "loaded, KUnit ran"
check "/dev/daos is a character device" test -c /dev/daos
check "max_eq_events is in sysfs with its default" test "$(param max_eq_events)" = 1048576
check "max_eq_events refuses 0" sh -c '! echo 0 >/sys/module/daos/parameters/max_eq_events'
check "max_eq_events takes a new value" sh -c 'echo 64 >/sys/module/daos/parameters/max_eq_events && test "$(cat /sys/module/daos/parameters/max_eq_events)" = 64 && echo 1048576 >/sys/module/daos/parameters/max_eq_events'
check "max_eqs_per_file is in sysfs with its default" test "$(param max_eqs_per_file)" = 256
check "max_eqs_per_file refuses 0" sh -c '! echo 0 >/sys/module/daos/parameters/max_eqs_per_file'
check "debugfs counts no operation" test "$(cat /sys/kernel/debug/daos/operations)" = 0
check "daos version talks to the module" sh -c 'daos version | grep -q "^module ABI 1\.2, features"'
check "daos target list shows the 4 default targets" sh -c 'test "$(daos target list | grep -c " 100% ")" = 4'
check "daos container create, query, epoch query, unlink" sh -c '
	daos container create /tmp/tool.co --shards 6 | grep -q "6 shards" &&
	daos container query /tmp/tool.co | grep -q "6 shards (0 stuck, 0 disabled)" &&
	daos epoch query /tmp/tool.co | grep -q "HCE 1, HSE 1" &&
	daos container snapshot /tmp/tool.co 1 /tmp/tool.snap | grep -q "snapshot of" &&
	daos container unlink /tmp/tool.snap >/dev/null &&
	daos container unlink /tmp/tool.co >/dev/null && ! test -e /tmp/tool.co'
check "daos target fail and restore, through configfs" sh -c '
	daos target fail 3 >/dev/null && daos target list | grep -q "^ *3 *failed" &&
	daos target restore 3 >/dev/null && daos target list | grep -q "^ *3 *100%" &&
	rmdir /sys/kernel/config/daos/3'
check "daos target add makes a target where it is told" sh -c '
	daos target add 12 --node 4 --type ssd --latency-us 10 --capacity-mb 8 >/dev/null &&
	daos target list | grep -q "^ *12 *100% *ssd *0 *0 *4 .* 8.0M" &&
	test "$(cat /sys/kernel/config/daos/12/latency_us)" = 10 &&
	rmdir /sys/kernel/config/daos/12 && ! daos target list | grep -q "^ *12 "'
check "daos: a missing container is a sentence, exit status 1" sh -c '
	daos container query /tmp/nothing 2>&1 | grep -qx "daos: /tmp/nothing: No such file or directory"; test $? = 0 &&
	{ daos container query /tmp/nothing 2>/dev/null; test $? = 1; }'
check "daos stats shows each target's request counters" sh -c '
	test "$(daos stats | grep -c "^target ")" = 4 && daos stats | grep -q "pages_per_request 1:"'
check "daos: a bad command line is exit status 2" sh -c 'daos container frob 2>/dev/null; test $? = 2'
check "rmmod is refused while a configfs target directory exists" sh -c '
	mkdir /sys/kernel/config/daos/0 && ! rmmod daos 2>/dev/null; rc=$?; rmdir /sys/kernel/config/daos/0; exit $rc'
say "1..$step_no"
say "@@DAOS end 0"

for suite in /sys/kernel/debug/kunit/daos_*; do
	[ -e "$suite/results" ] || continue
	say "@@DAOS begin kunit ${suite##*/}"
	cat "$suite/results" >&3
	say "@@DAOS end 0"
done

for t in /tests/*; do
	say "@@DAOS begin selftest ${t##*/}"
	echo "selftest ${t##*/}" >/dev/kmsg
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout -s KILL "$TEST_TIMEOUT" "$t" >&3 2>&3
	rc=$?
	say "# ${t##*/} took $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime) s"
	say "@@DAOS end $rc"
done

step_no=0
say "@@DAOS begin vm unload"
mark "selftests ran"
exec 4</dev/daos
check "rmmod is refused while /dev/daos is open" sh -c '! rmmod daos'
exec 4<&-
# Everything the tests left running was cancelled when their files closed:
# rmmod has nothing to wait for (a no-op left running would hold it for up
# to an hour).
timed_rmmod() {
	t0=$(date +%s)
	rmmod daos || return 1
	t=$(($(date +%s) - t0))
	echo "rmmod took ${t}s"
	[ $t -le 5 ]
}
check "rmmod works after close, at once" timed_rmmod
check "/dev/daos is gone" sh -c '! test -e /dev/daos'
# kmemleak reports only objects older than 5 s, and wants two scans.
wait $boot_scan
sleep 6
echo scan >/sys/kernel/debug/kmemleak
echo scan >/sys/kernel/debug/kmemleak
check "kmemleak finds no unreferenced object" sh -c 'test -r /sys/kernel/debug/kmemleak && ! grep . /sys/kernel/debug/kmemleak'
mark "kmemleak scanned"
cat /sys/kernel/debug/kmemleak >/dev/console
say "1..$step_no"
say "@@DAOS end 0"
say "@@DAOS done"
finish
