#!/bin/sh
# hvlab compare --backend qemu: qemu-null.yaml under null, RTDS and
# credit2 on the arm64 hypervisor. Every run happens under QEMU (each
# directory has the console and device tree), the report has the irqlat
# guest's latencies per scheduler and its CDF plot data, and hvlab report
# works on a QEMU run directory as on a sim one.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$tmp/cmp
"$HVLAB" compare bench/scenarios/qemu-null.yaml --backend qemu \
	--sched null,rtds,credit2 --out "$out" --no-gnuplot -q || fail "exit $?"
for s in null rtds credit2; do
	for f in trace.xt summary.txt console.log machine.dtb wcrt.txt; do
		[ -s "$out/$s/$f" ] || fail "$s/$f missing"
	done
	grep -q '(hv) run ended .*every guest finished' "$out/$s/console.log" ||
		fail "$s: not finished"
done
grep -q '^| rt | irq latency p50 | [0-9.]* | [0-9.]* | [0-9.]* |$' "$out/compare.md" ||
	fail "no latency row: $(grep '| rt |' "$out/compare.md")"
[ -s "$out/plots/irq_cdf_rt.dat" ] || fail "no CDF data"
"$HVLAB" compare bench/scenarios/qemu-null.yaml --backend xen --out "$tmp/x" \
	2>"$tmp/err" && fail "backend xen accepted"
grep -q "backend 'xen': expected sim or qemu" "$tmp/err" || fail "$(cat "$tmp/err")"
"$HVLAB" report "$out/null" -q || fail "report: exit $?"
[ -s "$out/null/report.md" ] || fail "report.md missing"
grep -q '^| rt | ' "$out/null/report.md" ||
	fail "report without rt's row: $(head -20 "$out/null/report.md")"
echo "qemu compare: ok"
