#!/bin/sh
# The arm64 hypervisor under QEMU (hvlab run --backend qemu), the smoke
# test of docs/arm64.md: two domains on two pCPUs under null, and irqlat
# sharing a pCPU with a hog under credit2 and under RTDS. Each run must
# finish by itself (exit 0), its trace must decode, its IRQ latencies
# must be all there and sane for its scheduler, and a second run must
# give a byte-identical trace, console and device tree (-icount).
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

command -v qemu-system-aarch64 >/dev/null ||
	fail "qemu-system-aarch64 missing: run ci/install-deps.sh"

# check NAME SAMPLES MAX_US: the rt domain's latency line in summary.txt
check() {
	name=$1 samples=$2 max_us=$3
	out=$tmp/$name
	"$HVLAB" run "bench/scenarios/qemu-$name.yaml" --backend qemu \
		--out "$out" -q || fail "$name: exit $?: $(tail -5 "$out/console.log")"
	grep -q '(hv) run ended .*every guest finished' "$out/console.log" ||
		fail "$name: the run did not end with every guest finished"
	"$HVLAB" trace stats "$out/trace.xt" >"$tmp/stats" ||
		fail "$name: trace does not decode"
	grep -q '^lost records: 0 ' "$tmp/stats" || fail "$name: lost records"
	line=$(grep -m1 'irq latency' "$out/summary.txt") ||
		fail "$name: no IRQ latency in summary.txt"
	echo "$name: $line"
	echo "$line" | awk -v n="$samples" -v max="$max_us" '{
		for (i = 1; i <= NF; i++) v[$i] = $(i + 1)
		if ($4 != "n=" n) exit 1
		if (!(v["min"] > 0 && v["min"] <= v["mean"] && v["mean"] <= v["p99"] &&
		      v["p99"] <= v["max"] && v["max"] < max)) exit 1
	}' || fail "$name: implausible latencies (want n=$samples, 0 < min <= mean <= p99 <= max < $max_us us)"
	# the guest's own summary agrees with the trace's sample count
	grep -q "irqlat: samples $samples " "$out/console.log" ||
		fail "$name: guest summary missing"
	"$HVLAB" run "bench/scenarios/qemu-$name.yaml" --backend qemu \
		--out "$out.again" -q || fail "$name: second run: exit $?"
	cmp -s "$out/trace.xt" "$out.again/trace.xt" ||
		fail "$name: two runs gave different traces"
	cmp -s "$out/console.log" "$out.again/console.log" ||
		fail "$name: two runs gave different consoles"
	cmp -s "$out/machine.dtb" "$out.again/machine.dtb" ||
		fail "$name: two runs gave different device trees"
}

# null: a dedicated pCPU, wake-up from blocked through the list registers
check null 500 10
# RTDS: rt's server preempts the hog at once
check rtds 500 50
# credit2: the hog keeps the pCPU until its ratelimit and credit allow
check credit2 200 20000
# the release image (machine.qemu.build: release, -DNDEBUG) is built on
# demand and runs the same scenario to the same end, a little faster
sed 's/^    timeout: 120s$/    timeout: 120s\n    build: release/' \
	bench/scenarios/qemu-null.yaml >"$tmp/release.yaml"
grep -q 'build: release' "$tmp/release.yaml" || fail "could not make release.yaml"
"$HVLAB" run "$tmp/release.yaml" --backend qemu --out "$tmp/rel" -q ||
	fail "release: exit $?"
grep -q "irqlat: samples 500 " "$tmp/rel/console.log" || fail "release: no samples"
[ -s build/arm64-release/hvlab.elf ] || fail "release image not built"
# cortex-a53: the counter runs at 62.5 MHz (one tick = 16 ns) and the
# hypervisor and the guest both convert ticks to ns
sed 's/^    cpu: max$/    cpu: cortex-a53/' bench/scenarios/qemu-null.yaml \
	>"$tmp/a53.yaml"
"$HVLAB" run "$tmp/a53.yaml" --backend qemu --out "$tmp/a53" -q ||
	fail "cortex-a53: exit $?"
grep -q '(hv) 2 pCPUs, counter 62500000 Hz' "$tmp/a53/console.log" ||
	fail "cortex-a53: counter: $(head -3 "$tmp/a53/console.log")"
lat=$(sed -n 's/.*irqlat: samples 500 min \([0-9]*\) .*/\1/p' "$tmp/a53/console.log")
[ -n "$lat" ] && [ "$lat" -gt 0 ] && [ "$lat" -lt 10000 ] ||
	fail "cortex-a53: min latency '$lat' ns, expected 0 < min < 10 us"
echo "qemu smoke: ok"
