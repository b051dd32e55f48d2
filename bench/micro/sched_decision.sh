#!/bin/sh
# Instructions per scheduling decision (do_schedule) and per wake-up
# (wake hook), counted with callgrind so the figures are stable, for every
# scheduler at 8, 64, 512 and 4096 vCPUs on 8 and 64 pCPUs.
#
# usage: bench/micro/sched_decision.sh [BUILD_DIR] [SCHEDULERS...]
# Prints a table; "make bench" runs it and results/ keeps a copy.
set -eu
BUILD=${1:-build}
[ $# -gt 0 ] && shift
SCHEDS=${*:-"null arinc653 credit2 rtds"}
BIN="$BUILD/bench/micro/sched_decision"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }

# Inclusive instructions of the functions whose name ends in $2.
incl() {
	callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
		awk -v pat="$2" '$0 ~ ":[a-z0-9]*_" pat " " || $0 ~ ":[a-z0-9]*_" pat "$" {
			gsub(",", "", $1); s += $1 } END { print s + 0 }'
}

printf "%-9s %6s %6s %12s %12s %14s %12s\n" scheduler vCPUs pCPUs \
	decisions "Ir/decision" wakeups "Ir/wake-up"
for s in $SCHEDS; do
	for np in 8 64; do
		for nv in 8 64 512 4096; do
			[ "$nv" -lt "$np" ] && continue
			out=$("$BIN" "$s" "$nv" "$np") || {
				echo "$s $nv $np: run failed" >&2; exit 1; }
			case "$out" in
			n/a*) printf "%-9s %6s %6s  %s\n" "$s" "$nv" "$np" "$out"
			      continue ;;
			esac
			cg="$tmp/cg.$s.$nv.$np"
			valgrind --tool=callgrind --callgrind-out-file="$cg" \
				"$BIN" "$s" "$nv" "$np" >/dev/null 2>&1
			dec=$(echo "$out" | sed 's/.*decisions=\([0-9]*\).*/\1/')
			wak=$(echo "$out" | sed 's/.*wakeups=\([0-9]*\).*/\1/')
			ird=$(incl "$cg" do_schedule)
			irw=$(incl "$cg" wake)
			printf "%-9s %6s %6s %12s %12s %14s %12s\n" "$s" "$nv" "$np" \
				"$dec" "$((ird / dec))" "$wak" \
				"$([ "$wak" -gt 0 ] && echo $((irw / wak)) || echo -)"
		done
	done
done
