#!/bin/sh
# Spatial isolation on the arm64 hypervisor: in qemu-isolation.yaml the
# guest of "rogue" writes outside its RAM after 1 ms. The hypervisor must
# report a stage-2 fault naming the address and stop rogue (hvlab run
# exits 1 and says so), while rt on the other pCPU takes all 300 of its
# samples, which reach the trace and the summary.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$tmp/iso
rc=0
"$HVLAB" run bench/scenarios/qemu-isolation.yaml --backend qemu --out "$out" \
	-q 2>"$tmp/err" || rc=$?
[ "$rc" -eq 1 ] || fail "exit $rc, expected 1: $(cat "$tmp/err")"
grep -q 'status 1 (a domain was stopped)' "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
grep -q '(hv) d2 (rogue): stage-2 fault: write to IPA 0x80000000 at PC 0x[0-9a-f]*; domain stopped' \
	"$out/console.log" || fail "no fault report: $(cat "$out/console.log")"
grep -q 'irqlat: samples 300 ' "$out/console.log" || fail "rt did not finish"
# rt kept running after the fault: samples after it in the console
awk '/stage-2 fault/ { f = 1 } f && /irqlat: samples 300/ { ok = 1 } END { exit !ok }' \
	"$out/console.log" || fail "rt's summary does not follow the fault"
grep -q 'irq latency  (us)  n=300 ' "$out/summary.txt" ||
	fail "summary: $(cat "$out/summary.txt")"
# rogue went offline and never ran again
"$HVLAB" trace dump "$out/trace.xt" >"$tmp/dump"
grep -q 'RUNSTATE_CHANGE d2v0 running->offline' "$tmp/dump" ||
	fail "rogue's vCPU did not go offline"
awk '/d2v0 running->offline/ { off = 1; next } off && /RUNSTATE_CHANGE d2v0 .*->running/ { exit 1 }' \
	"$tmp/dump" || fail "rogue ran again after it was stopped"
echo "qemu isolation: ok"
