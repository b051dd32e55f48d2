#!/bin/sh
# Instructions per enabled trace record on the producer path, counted with
# callgrind so the figure is stable: trace_ring_write() (the ring alone)
# and hv_trace_emit() (the core's sink: port clock, cpu id, then the ring),
# for 0..7 data words. Collection is on only inside the measured function;
# runs of N and 2N records are subtracted so set-up cancels out. Then the
# same for the demo scenario's own mix of records, and the records the
# demo loses with the default ring (drained at high water, then polled
# every 100 ms as xentrace does by default).
#
# usage: bench/micro/trace_record.sh [BUILD_DIR] [N]
set -eu
BUILD=${1:-build}
N=${2:-200000}
BIN="$BUILD/bench/micro/trace_record"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }

# Instructions collected in one run: mode, records, words, function.
ir() {
	cg="$tmp/cg.$1.$2.$3"
	valgrind --tool=callgrind --callgrind-out-file="$cg" \
		--toggle-collect="$4" "$BIN" "$1" "$2" "$3" >/dev/null 2>&1 || {
		echo "$BIN $1 $2 $3: run failed" >&2; exit 1; }
	sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$cg"
}

printf "%-16s %5s %12s %10s\n" function words records "Ir/record"
for mode in ring emit; do
	fn=trace_ring_write
	[ "$mode" = emit ] && fn=hv_trace_emit
	for w in 0 1 2 4 7; do
		a=$(ir "$mode" "$N" "$w" "$fn")
		b=$(ir "$mode" $((2 * N)) "$w" "$fn")
		printf "%-16s %5s %12s %10s\n" "$fn" "$w" "$N" \
			"$(awk -v a="$a" -v b="$b" -v n="$N" \
				'BEGIN { printf "%.1f", (b - a) / n }')"
	done
done

# The demo's own mix of record sizes, in a real run: everything inside
# trace_ring_write() except the sim's consumer, which the high-water
# notification runs synchronously from inside it.
cg="$tmp/cg.demo"
out=$(valgrind --tool=callgrind --callgrind-out-file="$cg" \
	--toggle-collect=trace_ring_write "$BIN" lost bench/scenarios/demo.yaml \
	2>/dev/null)
recs=$(echo "$out" | sed 's/.*: \([0-9]*\) records stored.*/\1/')
all=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$cg")
drain=$(callgrind_annotate --inclusive=yes --threshold=100 "$cg" 2>/dev/null |
	awk '/:sim_trace_notify / { gsub(",", "", $1); print $1; exit }')
printf "%-16s %5s %12s %10s\n" trace_ring_write "demo" "$recs" \
	"$(awk -v a="$all" -v d="${drain:-0}" -v n="$recs" \
		'BEGIN { printf "%.1f", (a - d) / n }')"

echo
"$BIN" lost bench/scenarios/demo.yaml
"$BIN" lost bench/scenarios/demo.yaml 0 100000000
