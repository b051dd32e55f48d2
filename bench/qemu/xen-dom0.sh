#!/bin/sh
# The irqlat guest as dom0 on Debian's Xen 4.17 under QEMU: the Xen
# figures hvlab's are compared with. Fetches xen-hypervisor-4.17-arm64
# from Debian's archive into build/xen/ (once; needs root for
# `dpkg --add-architecture arm64`), builds the guests, boots Xen with the
# guest as dom0 (credit2, one dom0 vCPU pinned to pCPU 0, timer_slop=0)
# and prints the guest's summary line for each WFI mode: trap (the vCPU
# blocks in Xen, the "blocked" case) and native (the vCPU stays running).
# -icount shift=0: one instruction = 1 ns, and two runs print the same.
# Not a test (it downloads a package): a figure to read.
#
# usage: sh bench/qemu/xen-dom0.sh [trap|native ...]   (default: both)
# XEN_OPTS adds Xen command-line options; the consoles are kept in
# build/xen/dom0-MODE.log.
set -eu
QEMU=${QEMU:-qemu-system-aarch64}
DIR=build/xen
PKG="xen-hypervisor-4.17-arm64"
GUEST=build/arm64/guests/irqlat.bin
[ $# -gt 0 ] || set -- trap native

fail() { echo "xen-dom0: $*" >&2; exit 1; }

command -v "$QEMU" >/dev/null 2>&1 || fail "$QEMU not found"
make --no-print-directory -s guests >/dev/null || fail "make guests failed"

# Xen's arm64 Image (the .efi next to it is the same image for UEFI).
xen=$DIR/root/boot/xen-4.17-arm64
if [ ! -f "$xen" ]; then
	mkdir -p "$DIR"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64 || fail "dpkg --add-architecture arm64 (root?)"
		apt-get update -qq || fail "apt-get update"
	fi
	rm -f "$DIR/$PKG"_*.deb
	(cd "$DIR" && apt-get download -q "$PKG:arm64") >&2 ||
		fail "apt-get download $PKG:arm64"
	dpkg-deb -x "$DIR/$PKG"_*.deb "$DIR/root"
	[ -f "$xen" ] || fail "no $xen in $DIR/${PKG}_*.deb"
fi

# run MODE: boot Xen with irqlat as dom0, vwfi=MODE; console in $log.
# After "hvlab-guest: done" the guest powers off with PSCI SYSTEM_OFF,
# which from dom0 halts the machine and QEMU exits; a guest that does
# not is stopped here once it is done. The module needs bootargs (the
# guest ignores them): without, Xen takes /chosen/bootargs, where QEMU
# puts -append, as dom0's and boots with its defaults.
run() {
	log=$DIR/dom0-$1.log
	timeout 300 "$QEMU" -M virt,virtualization=on,gic-version=3 \
		-cpu max -smp 4 -m 1G -icount shift=0,sleep=off -seed 1 \
		-nographic -kernel "$xen" \
		-append "dom0_mem=256M console=dtuart dtuart=/pl011@9000000 sched=credit2 dom0_max_vcpus=1 dom0_vcpus_pin vwfi=$1 timer_slop=0 ${XEN_OPTS:-}" \
		-device guest-loader,addr=0x49000000,kernel="$GUEST",bootargs=console=hvc0 \
		</dev/null >"$log.raw" 2>&1 &
	qemu=$!
	while kill -0 "$qemu" 2>/dev/null; do
		if grep -q '^hvlab-guest: done' "$log.raw"; then
			sleep 2
			kill "$qemu" 2>/dev/null || true
			break
		fi
		sleep 1
	done
	wait "$qemu" || true
	tr -d '\r' <"$log.raw" >"$log"
	rm -f "$log.raw"
	line=$(grep '^irqlat: samples ' "$log") || {
		tail -20 "$log" >&2
		fail "vwfi=$1: no irqlat summary (console: $log)"
	}
	echo "xen 4.17 dom0, credit2, vwfi=$1: $line"
}

for mode in "$@"; do
	case $mode in
	trap | native) run "$mode" ;;
	*) fail "unknown mode $mode (trap or native)" ;;
	esac
done
