#!/bin/sh
# The floor run: the bench guests on bare QEMU (EL1, no hypervisor).
# irqlat with 300 samples prints a sane summary (0 < min <= avg <= p99 <=
# max < 100 us) and powers the machine off by itself, and two runs print
# the same bytes (-icount). Also: the same on cortex-a53 (62.5 MHz
# counter), tasks meets every deadline, hog's write outside RAM faults,
# and parameters of the wrong kind are refused.
# Fails without qemu-system-aarch64 or the cross compiler, which
# ci/install-deps.sh installs.
set -eu
CROSS=${CROSS:-aarch64-linux-gnu-}
QEMU=${QEMU:-qemu-system-aarch64}
OUT=build/arm64/guests

for tool in "$QEMU" "${CROSS}gcc"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL: $tool not found: run ci/install-deps.sh"
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

make --no-print-directory guests CROSS="$CROSS" >"$tmp/build.log" 2>&1 ||
	{ cat "$tmp/build.log"; fail "make guests"; }

# put_u64 FILE OFFSET VALUE: a little-endian 64-bit field of the params
# block (bench/guests/README.md has the offsets).
put_u64() {
	v=$3
	bytes=""
	for _ in 1 2 3 4 5 6 7 8; do
		bytes="$bytes$(printf '\\%03o' $((v & 255)))"
		v=$((v >> 8))
	done
	# shellcheck disable=SC2059
	printf "$bytes" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# run CPU IMAGE NAME: boot IMAGE bare; console in $tmp/NAME (no CRs).
# QEMU must exit by itself (PSCI SYSTEM_OFF) well within the timeout.
run() {
	rc=0
	timeout 60 "$QEMU" -M virt,gic-version=3 -cpu "$1" -smp 1 -m 1G \
		-icount shift=0,sleep=off -seed 1 -nographic \
		-device loader,file="$2",addr=0x40200000,force-raw=on \
		-device loader,addr=0x40200000,cpu-num=0 \
		</dev/null >"$tmp/$3.raw" 2>"$tmp/$3.err" || rc=$?
	tr -d '\r' <"$tmp/$3.raw" >"$tmp/$3"
	[ "$rc" -eq 0 ] || {
		cat "$tmp/$3" "$tmp/$3.err"
		fail "$3: QEMU exit $rc (124: the guest did not power off)"
	}
}

# field NAME KEY: the number after KEY on the "irqlat: samples" line.
field() {
	sed -n "s/^irqlat: samples .* $2 \([0-9]*\) .*/\1/p" "$tmp/$1"
}

cp "$OUT/irqlat.bin" "$tmp/irqlat.bin"
put_u64 "$tmp/irqlat.bin" 80 300 # samples
run max "$tmp/irqlat.bin" a
run max "$tmp/irqlat.bin" b
line=$(grep '^irqlat: samples ' "$tmp/a") || {
	cat "$tmp/a"
	fail "irqlat printed no summary line"
}
min=$(field a min)
avg=$(field a avg)
p99=$(field a p99)
max=$(field a max)
[ "$(echo "$line" | cut -d' ' -f3)" = 300 ] || fail "not 300 samples: $line"
if [ -z "$min" ] || [ -z "$avg" ] || [ -z "$p99" ] || [ -z "$max" ]; then
	fail "unparsable: $line"
fi
if ! { [ "$min" -gt 0 ] && [ "$min" -le "$avg" ] && [ "$avg" -le "$max" ] &&
	[ "$p99" -le "$max" ] && [ "$max" -lt 100000 ]; }; then
	fail "insane figures: $line"
fi
grep -q '^irqlat: response min [0-9]* avg [0-9]* max [0-9]* ns$' "$tmp/a" ||
	fail "no response line: $(cat "$tmp/a")"
[ "$(tail -1 "$tmp/a")" = "hvlab-guest: done" ] ||
	fail "last line: $(tail -1 "$tmp/a")"
cmp -s "$tmp/a" "$tmp/b" || {
	diff "$tmp/a" "$tmp/b" || true
	fail "two irqlat runs printed different output"
}

# A 62.5 MHz counter: 16 ns resolution, so the floor may read 0.
run cortex-a53 "$tmp/irqlat.bin" a53
grep -q '^irqlat: counter 62500000 Hz' "$tmp/a53" || fail "a53: $(cat "$tmp/a53")"
grep -q '^irqlat: samples 300 min [0-9]* avg' "$tmp/a53" || fail "a53 summary"

# tasks: the default set (utilisation 0.45) meets every deadline bare.
run max "$OUT/tasks.bin" tasks
[ "$(grep -c '^tasks: task [0-9] prio [0-9]* jobs [0-9]* max response [0-9]* ns misses 0$' "$tmp/tasks")" -eq 3 ] ||
	fail "tasks: $(cat "$tmp/tasks")"
grep -q '^tasks: task 2 prio 1 jobs 20 ' "$tmp/tasks" || fail "tasks: jobs of task 2"
[ "$(tail -1 "$tmp/tasks")" = "hvlab-guest: done" ] || fail "tasks: no done line"

# hog: after 1 ms it writes outside its RAM; bare, that is an abort.
cp "$OUT/hog.bin" "$tmp/hog.bin"
put_u64 "$tmp/hog.bin" 112 1000000 # fault_after_ns
run max "$tmp/hog.bin" hog
grep -q '^hog: writing outside RAM at 0x80000000$' "$tmp/hog" || fail "hog: $(cat "$tmp/hog")"
grep -q '^hvlab-guest: synchronous exception: ESR 0x96.* FAR 0x80000000$' "$tmp/hog" ||
	fail "hog: no data abort: $(cat "$tmp/hog")"

# Parameters for a hog in an irqlat image: refused, status 2.
cp "$OUT/irqlat.bin" "$tmp/wrong.bin"
printf '\002' | dd of="$tmp/wrong.bin" bs=1 seek=72 conv=notrunc 2>/dev/null
run max "$tmp/wrong.bin" wrong
grep -q '^hvlab-guest: parameters of kind 2 (hog) in the irqlat image$' "$tmp/wrong" ||
	fail "wrong kind: $(cat "$tmp/wrong")"
[ "$(tail -1 "$tmp/wrong")" = "hvlab-guest: done, status 2" ] || fail "wrong kind: status"

echo "ok: guest floor: $line"
