#!/bin/sh
# ARINC653 on the arm64 hypervisor: in qemu-arinc653.yaml (10 ms major
# frame: rt 2 ms, noisy 7 ms, 1 ms idle) every window must open at an
# instruction-exact time: the nominal start each HVLAB_A653_WINDOW
# record carries must follow the table to the nanosecond, and the switch
# must come right after it.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$tmp/a653
"$HVLAB" run bench/scenarios/qemu-arinc653.yaml --backend qemu --out "$out" -q ||
	fail "exit $?"
"$HVLAB" trace dump "$out/trace.xt" | grep ' HVLAB_A653_WINDOW ' >"$tmp/win" ||
	fail "no window records"
# "S.NNNNNNNNN cpu0 HVLAB_A653_WINDOW cpu=0 index=I dv=... len=L start=S"
# Every nominal start must be epoch + k x 10 ms + the window's offset
# (0 or 2 ms), exactly; the decision that opens it may only come after
# it, by less than 2 us (the switch path, or a guest exit in progress).
awk '{
	t = $1; sub(/\./, "", t); t = t + 0
	split($5, a, "="); i = a[2]
	split($8, b, "="); start = b[2] + 0
	if (NR == 1) epoch = start
	off = (i == 0) ? 0 : 2000000
	k = int((start - epoch - off) / 10000000)
	if (start != epoch + k * 10000000 + off) {
		printf "window %d starts at %d: not epoch %d + k x 10 ms + %d\n", i, start, epoch, off
		bad = 1
	}
	# frame 0 opens once boot is done; every later window on time
	if (start >= epoch + 10000000 && (t < start || t - start >= 2000)) {
		printf "window %d (start %d) opened at %d\n", i, start, t
		bad = 1
	}
	n[i]++
	if (start >= epoch + 10000000 && t - start > worst) worst = t - start
} END {
	if (n[0] < 50 || n[1] < 50) { print "too few frames: " n[0] " " n[1]; bad = 1 }
	printf "%d frames checked, decisions at most %d ns after the window start\n", n[0], worst
	exit bad
}' "$tmp/win" || fail "window starts do not match the table"
grep -q 'irqlat: samples 2000 ' "$out/console.log" || fail "rt did not finish"
echo "qemu arinc653: ok"
