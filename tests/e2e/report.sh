#!/bin/sh
# hvlab report on the demo run: report.md, report.html and report.json are
# written and well-formed (JSON parsed back by the jansson checker), every
# plot has its data file and gnuplot script (and SVG and PNG when gnuplot
# is installed), the same run reported twice from two directories is
# byte-identical, --window moves the timeline, and bad input exits 2.
set -eu
HVLAB=${HVLAB:-build/hvlab}
BUILD=${BUILD:-build}
JSON_CHECK=$BUILD/tests/tools/json_check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

if command -v gnuplot >/dev/null 2>&1; then
	gp=1
else
	gp=0
	echo "note: gnuplot is not installed: checking data files and scripts only"
fi

"$HVLAB" run bench/scenarios/demo.yaml --out "$tmp/a" -q
cp -r "$tmp/a" "$tmp/b"

start=$(date +%s%N)
rc=0
"$HVLAB" report "$tmp/a" -q 2>"$tmp/err" || rc=$?
end=$(date +%s%N)
if [ $gp = 1 ]; then
	[ $rc -eq 0 ] || { cat "$tmp/err"; fail "report: exit $rc"; }
else
	# Without gnuplot: exit 1 with one clear message, all else written.
	[ $rc -eq 1 ] || fail "report without gnuplot: exit $rc, expected 1"
	grep -q "gnuplot not found" "$tmp/err" || fail "no gnuplot message"
fi

for f in report.md report.html report.json; do
	[ -s "$tmp/a/$f" ] || fail "$f missing or empty"
done
"$JSON_CHECK" "$tmp/a/report.json" || fail "report.json does not parse"
for p in irq_latency_hist_d3 irq_latency_hist_d4 irq_latency_ccdf \
	irq_latency_box sched_latency_box timeline; do
	for ext in dat gp; do
		[ -s "$tmp/a/plots/$p.$ext" ] || fail "plots/$p.$ext"
	done
	if [ $gp = 1 ]; then
		for ext in svg png; do
			[ -s "$tmp/a/plots/$p.$ext" ] || fail "plots/$p.$ext"
		done
	fi
done

md=$tmp/a/report.md
for want in "## Domains" "## Interrupt latency" "## Scheduling latency" \
	"## Analytical bounds beside observed worst cases" "## pWCET" \
	"| ctrl | irq | adc |" "| net | task | stack |" \
	"| domain | IRQ | n | min | mean | sd | p50 | p90 | p99 | p99.9 | p99.99 | max |"; do
	grep -qF "$want" "$md" || fail "report.md lacks '$want'"
done
grep -q "BUG" "$md" && fail "the demo has an observation above a bound"
grep -qF "$tmp" "$tmp/a/report.md" "$tmp/a/report.html" \
	"$tmp/a/report.json" && fail "a temporary path leaked into the report"
grep -q "<script" "$tmp/a/report.html" && fail "report.html has a script"
if [ $gp = 1 ]; then
	n=$(grep -c "<svg" "$tmp/a/report.html")
	[ "$n" -ge 6 ] || fail "report.html inlines $n SVGs, expected >= 6"
fi

# report_ok DIR ARGS...: exit 0, or 1 (a plot not drawn) without gnuplot.
report_ok() {
	rc=0
	"$HVLAB" report "$@" -q 2>/dev/null || rc=$?
	[ "$rc" -eq 0 ] || { [ $gp = 0 ] && [ "$rc" -eq 1 ]; } ||
		fail "report $*: exit $rc"
}

# Deterministic: the same run reported from another directory.
report_ok "$tmp/b"
(cd "$tmp/a" && find report.md report.html report.json plots -type f) |
	sort >"$tmp/files"
while read -r f; do
	cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between two reports"
done <"$tmp/files"

# --window: the timeline covers the window asked for.
report_ok "$tmp/a" --window 10ms:20.5ms
grep -q "window \[10.000000, 20.500000\] ms" "$tmp/a/plots/timeline.dat" ||
	fail "--window not applied"

# Bad input: exit 2 with a message naming the problem.
mkdir "$tmp/empty"
rc=0
"$HVLAB" report "$tmp/empty" 2>"$tmp/err" || rc=$?
[ $rc -eq 2 ] || fail "missing trace: exit $rc"
grep -q "trace.xt: No such file" "$tmp/err" || fail "missing trace message"
rc=0
"$HVLAB" report "$tmp/a" --window 20ms:10ms 2>"$tmp/err" || rc=$?
[ $rc -eq 2 ] || fail "bad window: exit $rc"
printf '\377\377\377\377' | dd of="$tmp/b/trace.xt" conv=notrunc 2>/dev/null
rc=0
"$HVLAB" report "$tmp/b" 2>"$tmp/err" || rc=$?
[ $rc -eq 2 ] || fail "bad trace: exit $rc"
grep -q "offset 0" "$tmp/err" || fail "bad trace message lacks the offset"

echo "ok: demo report in $(((end - start) / 1000000)) ms, $(wc -l <"$tmp/files") files"
