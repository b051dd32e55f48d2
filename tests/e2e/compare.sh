#!/bin/sh
# hvlab compare on the example scenario: all four schedulers run, the
# reports exist and agree, each run's scenario.yaml repeats its trace with
# hvlab run, hvlab gate works on a run directory, and a scenario without
# an ARINC653 table reports that scheduler as not run.
set -eu
HVLAB=${HVLAB:-build/hvlab}
BUILD=${BUILD:-build}
JSON_CHECK=$BUILD/tests/tools/json_check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

out=$tmp/cmp
"$HVLAB" compare bench/scenarios/compare.yaml --out "$out" >"$tmp/stdout" ||
	fail "compare: exit $?"
for f in compare.md compare.json plots/irq_cdf.gp plots/irq_cdf_ctrl.dat plots/irq_cdf_net.dat; do
	[ -s "$out/$f" ] || fail "$f missing"
done
for s in credit2 rtds arinc653 null; do
	for f in trace.xt summary.txt scenario.yaml wcrt.txt; do
		[ -s "$out/$s/$f" ] || fail "$s/$f missing"
	done
	grep -q "^| $s | " "$out/compare.md" || fail "no verdict row for $s"
	grep -q "\"sched\": \"$s\", \"ran\": true" "$out/compare.json" || fail "json: $s"
done
# The example's verdicts (see the comments in compare.yaml).
grep -q '^| rtds | met | met | \*\*yes\*\* |$' "$out/compare.md" || fail "rtds verdict"
grep -q '^| arinc653 | met | met | \*\*yes\*\* |$' "$out/compare.md" || fail "arinc653 verdict"
grep -q '^| credit2 | .* | not guaranteed | no |$' "$out/compare.md" || fail "credit2 verdict"
grep -q '^- \*\*null\*\*: does not meet every deadline' "$out/compare.md" || fail "null verdict"
grep -q '^rtds      meets every deadline' "$tmp/stdout" || fail "stdout: $(cat "$tmp/stdout")"
grep -q '| ctrl | irq latency p50 |' "$out/compare.md" || fail "metrics table"
grep -q '| flight | control_law (10000.000) |' "$out/compare.md" || fail "bounds table"
# plot columns: p, then one per scheduler
awk '!/^#/ { if (NF != 5) exit 1 }' "$out/plots/irq_cdf_ctrl.dat" || fail "dat columns"
tail -1 "$out/plots/irq_cdf_ctrl.dat" | grep -q '^1.0000 ' || fail "dat last row"
if [ -x "$JSON_CHECK" ]; then
	"$JSON_CHECK" "$out/compare.json" || fail "compare.json is not JSON"
fi
if command -v gnuplot >/dev/null 2>&1; then
	[ -s "$out/plots/irq_cdf_ctrl.svg" ] || fail "gnuplot is installed but no SVG"
	grep -q 'plots/irq_cdf_ctrl.svg' "$out/compare.md" || fail "md lacks the image"
fi

# Each run is repeatable with hvlab run.
"$HVLAB" run "$out/arinc653/scenario.yaml" --out "$tmp/again" -q
cmp -s "$tmp/again/trace.xt" "$out/arinc653/trace.xt" || fail "hvlab run does not repeat the arinc653 trace"

# Budgets travel with the variant: rtds meets them, credit2 does not.
"$HVLAB" gate "$out/rtds" -q || fail "gate on the rtds run"
set +e
"$HVLAB" gate "$out/credit2" -q
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "gate on the credit2 run: exit $rc, expected 1"

# Deterministic, wherever the output goes.
"$HVLAB" compare bench/scenarios/compare.yaml --out "$tmp/cmp2" -q
for f in compare.md compare.json plots/irq_cdf_ctrl.dat null/wcrt.txt; do
	cmp -s "$out/$f" "$tmp/cmp2/$f" || fail "$f differs between runs"
done

# Not into a non-empty directory without --force.
set +e
"$HVLAB" compare bench/scenarios/compare.yaml --out "$out" -q 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "non-empty out: exit $rc, expected 2"

# The demo without its variants: arinc653 cannot run, the others do.
sed '/^variants:/,$d' bench/scenarios/demo.yaml >"$tmp/novariants.yaml"
"$HVLAB" compare "$tmp/novariants.yaml" --out "$tmp/demo" --no-gnuplot >"$tmp/stdout"
grep -q "^arinc653  not run: $tmp/novariants.yaml:36: variants.arinc653 needs a schedule for pool 'rt'" "$tmp/stdout" ||
	fail "demo arinc653: $(cat "$tmp/stdout")"
grep -q '^| arinc653 | not run | not run | no |$' "$tmp/demo/compare.md" || fail "demo md"
[ ! -e "$tmp/demo/arinc653" ] || fail "a directory for a scheduler that did not run"
for s in credit2 rtds null; do
	[ -s "$tmp/demo/$s/trace.xt" ] || fail "demo: $s did not run"
done

# With its variants every scheduler runs, and RTDS meets every deadline.
"$HVLAB" compare bench/scenarios/demo.yaml --out "$tmp/demo4" --no-gnuplot -q
grep -q '^| rtds | met | met | \*\*yes\*\* |$' "$tmp/demo4/compare.md" ||
	fail "demo with variants: $(grep '^| ' "$tmp/demo4/compare.md" | head -6)"
for s in credit2 rtds arinc653 null; do
	[ -s "$tmp/demo4/$s/trace.xt" ] || fail "demo4: $s did not run"
done

# Bad usage.
set +e
"$HVLAB" compare bench/scenarios/demo.yaml --out "$tmp/x" --sched null,cfs 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "unknown scheduler: exit $rc"
grep -q "unknown scheduler 'cfs'" "$tmp/err" || fail "unknown scheduler message"
echo "ok: compare"
