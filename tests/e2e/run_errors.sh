#!/bin/sh
# hvlab run refuses bad input cleanly: exit 2, file:line: message, and no
# output directory; it never overwrites a non-empty directory without
# --force.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

# A scenario with an unknown key on line 5.
cat >"$tmp/bad.yaml" <<'YAML'
name: bad
duration: 10ms
machine: { pcpus: 1 }
cpupools:
  - { name: p, sched: null, cpus: "0", bogus: 1 }
domains:
  - { name: d, pool: p }
YAML
set +e
"$HVLAB" run "$tmp/bad.yaml" --backend sim --out "$tmp/out1" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "bad scenario: exit $rc, expected 2"
grep -q "^$tmp/bad.yaml:5: " "$tmp/err" || fail "no file:line: in: $(cat "$tmp/err")"
[ ! -e "$tmp/out1" ] || fail "output directory created for a bad scenario"

# Missing file.
set +e
"$HVLAB" run "$tmp/nope.yaml" --out "$tmp/out2" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "missing scenario: exit $rc, expected 2"
[ ! -e "$tmp/out2" ] || fail "output directory created for a missing scenario"

# Non-empty output directory without --force is left alone.
mkdir "$tmp/out3"
echo precious >"$tmp/out3/keep.txt"
set +e
"$HVLAB" run bench/scenarios/irq-latency.yaml --out "$tmp/out3" -q 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "non-empty dir: exit $rc, expected 2"
[ "$(cat "$tmp/out3/keep.txt")" = precious ] || fail "existing file touched"
[ ! -e "$tmp/out3/trace.xt" ] || fail "wrote into a non-empty dir"
"$HVLAB" run bench/scenarios/irq-latency.yaml --out "$tmp/out3" -q --force
[ -s "$tmp/out3/trace.xt" ] || fail "--force did not write the trace"

# Usage errors and help.
"$HVLAB" run --help | grep -q "usage: hvlab run" || fail "--help"
set +e
"$HVLAB" run bench/scenarios/demo.yaml --backend xen --out "$tmp/o4" 2>/dev/null
rc=$?
"$HVLAB" run bench/scenarios/demo.yaml 2>/dev/null
rc2=$?
"$HVLAB" frobnicate 2>/dev/null
rc3=$?
set -e
[ "$rc" -eq 2 ] && [ "$rc2" -eq 2 ] && [ "$rc3" -eq 2 ] || fail "usage exits: $rc $rc2 $rc3"
echo ok
