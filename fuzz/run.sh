#!/bin/sh
# Run the trace fuzzer for a bounded time, reproducibly; fail on a crash.
#
#   FUZZ_SECONDS  time bound (default 60)
#   FUZZ_RUNS     also stop after this many inputs (default: no bound)
#   FUZZ_BUILD    where `make fuzz` put the fuzzer and seeds (build-fuzz)
#   FUZZ_KEEP     1: grow the kept corpus FUZZ_BUILD/corpus (make fuzz);
#                 else new inputs go to a scratch dir (make test)
#
# libFuzzer gets a fixed seed (-seed=1), so a run over the same corpus
# takes the same path; the time bound only decides where it stops. A crash
# leaves its input in FUZZ_BUILD/artifacts/; this script prints it and the
# command that replays it, and exits 1.
set -eu
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_RUNS=${FUZZ_RUNS:--1}
fuzzer=$FUZZ_BUILD/fuzz_trace
seeds=$FUZZ_BUILD/seeds
artifacts=$FUZZ_BUILD/artifacts

[ -x "$fuzzer" ] || { echo "fuzz: $fuzzer missing: run make fuzz"; exit 1; }
[ -d "$seeds" ] || { echo "fuzz: $seeds missing: run make fuzz"; exit 1; }
mkdir -p "$artifacts"
if [ "${FUZZ_KEEP:-0}" = 1 ]; then
	corpus=$FUZZ_BUILD/corpus
	mkdir -p "$corpus"
	scratch=""
else
	corpus=$(mktemp -d)
	scratch=$corpus
fi
log=$(mktemp)
trap 'rm -f "$log"; [ -z "$scratch" ] || rm -rf "$scratch"' EXIT

before=$(ls "$artifacts" | wc -l)
set +e
# -detect_leaks stays on: every run frees what it allocates.
"$fuzzer" "$corpus" "$seeds" -seed=1 -max_total_time="$FUZZ_SECONDS" \
	-runs="$FUZZ_RUNS" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
	-dict=fuzz/trace.dict -artifact_prefix="$artifacts/" \
	-print_final_stats=1 >"$log" 2>&1
rc=$?
set -e
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|Done [0-9]+ runs)' "$log" || true
after=$(ls "$artifacts" | wc -l)
if [ "$rc" -ne 0 ] || [ "$after" -ne "$before" ]; then
	tail -60 "$log"
	crash=$(ls -t "$artifacts" | head -1)
	echo "FAIL: fuzzer exit $rc"
	if [ -n "$crash" ]; then
		echo "reproducer: $artifacts/$crash"
		echo "replay: $fuzzer $artifacts/$crash"
	fi
	exit 1
fi
echo "ok: fuzz_trace ${FUZZ_SECONDS}s bound, no crash"
