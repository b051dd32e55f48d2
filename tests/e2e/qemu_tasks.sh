#!/bin/sh
# The tasks guest on the arm64 hypervisor (qemu-tasks.yaml): a periodic
# fixed-priority task set inside a guest, sharing its pCPU with a hog
# under RTDS. Every job is reported, none misses, and every task's
# observed worst response stays within the WCRT bound that hvlab wcrt
# computes for the scenario (hvlab gate: wcrt.bound >= observed) - the
# analysis holds on the real hypervisor, not only on the sim.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$tmp/tasks
"$HVLAB" run bench/scenarios/qemu-tasks.yaml --backend qemu --out "$out" -q ||
	fail "exit $?"
for t in ctrl nav log; do
	grep -q "task $t .* misses 0  unfinished 0" "$out/summary.txt" ||
		fail "$t: $(grep "task $t" "$out/summary.txt")"
done
grep -q 'task log      jobs 15 ' "$out/summary.txt" || fail "log: not 15 jobs"
echo "wcrt.bound >= observed" >"$tmp/budgets"
"$HVLAB" gate "$out" --budgets "$tmp/budgets" >"$tmp/gate" ||
	fail "observed above the bound: $(cat "$tmp/gate")"
grep -q '^3 budgets, 3 passed, 0 failed' "$tmp/gate" || fail "$(cat "$tmp/gate")"
cat "$tmp/gate"
echo "qemu tasks: ok"
