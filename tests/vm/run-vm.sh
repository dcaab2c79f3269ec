#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh MODE BZIMAGE INITRD OUTDIR
#   MODE check: console to OUTDIR/console.log, results to OUTDIR/results.log
#   MODE demo, bench: console on stdout
# TCG unless a short probe (cached per machine) shows that KVM boots here.
# VM_TIMEOUT (seconds, default 1800) bounds a hanging guest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/versions.sh"
mode=$1 kernel=$2 initrd=$3 out=$4
mkdir -p "$out"

base=(qemu-system-x86_64 -smp 2 -m 1024 -display none -monitor none -no-reboot
	-kernel "$kernel" -initrd "$initrd")
cmdline="console=ttyS0 panic=-1 slub_debug=FZPU printk.time=1"

# KVM: nested virtualisation often hangs right after the BIOS, so only use it
# when a 20-second probe boot reached /init.
probe_file="$DAOS_CACHE/kvm-probe-$(hostname)"
accel=(-accel tcg -cpu max)
if [ -w /dev/kvm ]; then
	if ! [ -f "$probe_file" ]; then
		if timeout -k 2 20 "${base[@]}" -accel kvm -cpu host -serial stdio \
			-append "$cmdline daosvm=probe" 2>/dev/null | grep -q DAOS-PROBE-OK; then
			echo kvm >"$probe_file"
		else
			echo tcg >"$probe_file"
		fi
	fi
	[ "$(cat "$probe_file")" = kvm ] && accel=(-accel kvm -cpu host)
fi
echo "run-vm: ${accel[1]}" >&2

case $mode in
check)
	rm -f "$out/console.log" "$out/results.log"
	rc=0
	timeout -k 10 "${VM_TIMEOUT:-1800}" "${base[@]}" "${accel[@]}" \
		-serial "file:$out/console.log" -serial "file:$out/results.log" \
		-append "$cmdline daosvm=check" || rc=$?
	[ $rc = 124 ] && echo "run-vm: guest timed out after ${VM_TIMEOUT:-1800} s; log kept in $out" >&2
	exit $rc
	;;
demo | bench)
	exec timeout -k 10 "${VM_TIMEOUT:-1200}" "${base[@]}" "${accel[@]}" \
		-serial stdio -append "$cmdline quiet daosvm=$mode"
	;;
*)
	echo "run-vm: unknown mode $mode" >&2
	exit 2
	;;
esac
