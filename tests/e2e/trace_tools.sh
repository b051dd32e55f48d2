#!/bin/sh
# hvlab trace dump / stats / export on the demo run's trace: outputs are
# complete and well-formed (JSON parsed back by a C checker built on
# jansson); damaged files are refused with a byte offset and exit status
# 1 or 2, never a crash, and leave no output file behind.
set -eu
HVLAB=${HVLAB:-build/hvlab}
BUILD=${BUILD:-build}
JSON_CHECK=$BUILD/tests/tools/json_check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

"$HVLAB" run bench/scenarios/demo.yaml --out "$tmp/run" -q
t=$tmp/run/trace.xt

# stats: deterministic, and the record count the other tools must match.
"$HVLAB" trace stats "$t" >"$tmp/stats1"
"$HVLAB" trace stats "$t" >"$tmp/stats2"
cmp -s "$tmp/stats1" "$tmp/stats2" || fail "stats differ between runs"
n=$(sed -n 's/^records: \([0-9]*\) .*/\1/p' "$tmp/stats1")
[ "${n:-0}" -gt 1000 ] || fail "stats: records '${n:-}'"
grep -q '^clock: 1000000000 Hz (HVLAB_HEADER)$' "$tmp/stats1" ||
	fail "stats: clock line"
grep -q '^lost records: 0 ' "$tmp/stats1" || fail "stats: lost line"
grep -q ' ctrl$' "$tmp/stats1" || fail "stats: no domain ctrl"

# dump: one line per record, decoded.
"$HVLAB" trace dump "$t" >"$tmp/dump"
[ "$(wc -l <"$tmp/dump")" -eq "$n" ] || fail "dump: not $n lines"
head -1 "$tmp/dump" | grep -q '^0.000000000 cpu0 HVLAB_HEADER version=1 ' ||
	fail "dump: first line: $(head -1 "$tmp/dump")"
grep -q ' cpu1 RUNSTATE_CHANGE d3v0 runnable->running$' "$tmp/dump" ||
	fail "dump: no runstate change of d3v0"
"$HVLAB" trace dump "$t" --limit 5 >"$tmp/d5"
[ "$(wc -l <"$tmp/d5")" -eq 5 ] || fail "dump --limit 5"
"$HVLAB" trace dump "$t" --cpu 3 --event switch --event 0x00021101 >"$tmp/d3"
[ -s "$tmp/d3" ] || fail "dump --cpu 3 --event: empty"
if grep -v -e ' cpu3 SWITCH ' -e ' cpu3 RUNSTATE_CHANGE .*runnable->running$' \
	"$tmp/d3" >/dev/null; then
	fail "dump --cpu 3 --event: other records: $(head -3 "$tmp/d3")"
fi

# export: each format, to a file and to standard output alike.
for f in csv json perfetto text; do
	"$HVLAB" trace export "$t" --format "$f" -o "$tmp/out.$f"
	[ -s "$tmp/out.$f" ] || fail "export $f: empty"
	"$HVLAB" trace export "$t" -f "$f" | cmp -s - "$tmp/out.$f" ||
		fail "export $f: -o and stdout differ"
done
[ "$(wc -l <"$tmp/out.csv")" -eq $((n + 1)) ] || fail "csv: not $n rows"
head -1 "$tmp/out.csv" | grep -q '^time_ns,cpu,event,id,fields$' ||
	fail "csv: header"
cmp -s "$tmp/out.text" "$tmp/dump" || fail "export text differs from dump"
"$JSON_CHECK" "$tmp/out.json" || fail "json: invalid"
phases=$("$JSON_CHECK" "$tmp/out.perfetto" --perfetto) ||
	fail "perfetto: invalid"
echo "perfetto: $phases"
x=$(echo "$phases" | sed -n 's/.* X \([0-9]*\) .*/\1/p')
[ "${x:-0}" -gt 100 ] || fail "perfetto: ${x:-no} slices"
grep -q '"name":"ctrl v0"' "$tmp/out.perfetto" || fail "perfetto: ctrl v0"
grep -q '"name":"irq raise adc"' "$tmp/out.perfetto" ||
	fail "perfetto: no irq instants"
grep -q '"name":"a653 window 0 flight v0"' "$tmp/out.perfetto" ||
	fail "perfetto: no ARINC653 windows"

# Small rings drained every 100 ms lose records: stats must count the
# same losses `hvlab run` reports, and the wrap fillers; the exports stay
# well-formed around the gaps.
"$HVLAB" run bench/scenarios/demo.yaml --out "$tmp/small" -q --trace-kib 8 \
	--trace-poll-ms 100 2>"$tmp/run-err"
lost=$(sed -n 's/.*note: \([0-9]*\) trace records were lost.*/\1/p' \
	"$tmp/run-err")
[ "${lost:-0}" -gt 0 ] || fail "small rings: run reported no loss"
"$HVLAB" trace stats "$tmp/small/trace.xt" >"$tmp/stats-small"
grep -q "^lost records: $lost (" "$tmp/stats-small" ||
	fail "small rings: stats lost line, expected $lost: $(grep lost "$tmp/stats-small")"
grep -q '^wrap fillers: [1-9]' "$tmp/stats-small" ||
	fail "small rings: no wrap fillers counted"
"$HVLAB" trace export "$tmp/small/trace.xt" -f perfetto -o "$tmp/small.json"
"$JSON_CHECK" "$tmp/small.json" --perfetto >/dev/null ||
	fail "small rings: perfetto invalid"
"$HVLAB" trace dump "$tmp/small/trace.xt" --event lost_records >"$tmp/lost"
[ -s "$tmp/lost" ] || fail "small rings: no LOST_RECORDS in dump"

# Damaged files: a truncated one, one with a bad window header, one with a
# record crossing its window, a missing one. Exit 1 or 2 (not a signal),
# the message names the byte offset, no output file is left.
size=$(wc -c <"$t")
head -c $((size / 2)) "$t" >"$tmp/trunc.xt"
cp "$t" "$tmp/badhdr.xt"
printf '\377\377\377\377' | dd of="$tmp/badhdr.xt" bs=1 seek=0 conv=notrunc 2>/dev/null
cp "$t" "$tmp/badrec.xt"
# The first record (the header, @12) claims 7 words and a timestamp;
# make its window 8 bytes long so it crosses the end.
printf '\010\000\000\000' | dd of="$tmp/badrec.xt" bs=1 seek=8 conv=notrunc 2>/dev/null
for bad in trunc badhdr badrec; do
	for cmd in dump stats "export -f csv" "export -f json" \
		"export -f perfetto"; do
		set +e
		# shellcheck disable=SC2086
		"$HVLAB" trace $cmd "$tmp/$bad.xt" -o "$tmp/bad.out" 2>"$tmp/err" \
			>/dev/null
		rc=$?
		set -e
		[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] ||
			fail "$bad: trace $cmd: exit $rc, expected 1 or 2"
		grep -q "^$tmp/$bad.xt: offset [0-9]*: " "$tmp/err" ||
			fail "$bad: trace $cmd: no offset in: $(cat "$tmp/err")"
		[ ! -e "$tmp/bad.out" ] || fail "$bad: trace $cmd left output"
	done
done
set +e
"$HVLAB" trace dump "$tmp/nope.xt" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "missing file: exit $rc, expected 2"

# Usage errors and help.
"$HVLAB" trace --help | grep -q "usage: hvlab trace dump" || fail "--help"
for args in "" "dump" "frob $t" "export $t" "export $t -f xml" \
	"dump $t --cpu-hz fast" "dump $t --event NOPE" "stats $t --limit 3"; do
	set +e
	# shellcheck disable=SC2086
	"$HVLAB" trace $args >/dev/null 2>&1
	rc=$?
	set -e
	[ "$rc" -eq 2 ] || fail "trace $args: exit $rc, expected 2"
done
set +e
"$HVLAB" trace export "$t" -f csv -o "$tmp/no/such/dir/out.csv" 2>/dev/null
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "unwritable output: exit $rc, expected 1"
echo "ok: trace dump/stats/export on $n records; damaged files refused"
