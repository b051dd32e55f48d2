#!/bin/sh
# The QEMU backend never hangs and never fails silently: a run that
# outlives machine.qemu.timeout (host time) is killed and reported with
# the console's last lines; a domain with no guest image is refused with
# the scenario's file and line; an unknown backend is a usage error.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A hog that never finishes, an hour of guest time, 2 s of host time.
cat >"$tmp/hang.yaml" <<'YAML'
name: hang
duration: 3600s
seed: 1
machine:
  pcpus: 1
  qemu: { timeout: 2s }
cpupools:
  - { name: p, sched: null, cpus: "0" }
domains:
  - name: spin
    pool: p
    guest: { image: hog }
YAML
start=$(date +%s)
rc=0
"$HVLAB" run "$tmp/hang.yaml" --backend qemu --out "$tmp/hang" -q 2>"$tmp/err" || rc=$?
took=$(($(date +%s) - start))
[ "$rc" -eq 1 ] || fail "hang: exit $rc, expected 1"
[ "$took" -lt 30 ] || fail "hang: took $took s"
grep -q 'QEMU still running after 2 s of host time (machine.qemu.timeout); stopped it' \
	"$tmp/err" || fail "hang: $(cat "$tmp/err")"
grep -q '^---- last lines of .*console.log ----$' "$tmp/err" || fail "hang: no console tail"
grep -q 'hog: running' "$tmp/err" || fail "hang: console tail without the guest's output"

# A domain without a guest image.
cat >"$tmp/noguest.yaml" <<'YAML'
name: noguest
duration: 1s
seed: 1
machine: { pcpus: 1 }
cpupools:
  - { name: p, sched: null, cpus: "0" }
domains:
  - name: bare
    pool: p
    workload:
      hogs: [ { vcpu: 0 } ]
YAML
rc=0
"$HVLAB" run "$tmp/noguest.yaml" --backend qemu --out "$tmp/ng" -q 2>"$tmp/err" || rc=$?
[ "$rc" -ne 0 ] || fail "noguest: exit 0"
grep -q "noguest.yaml:[0-9]*: domain 'bare' has no guest; the qemu backend runs a guest image" "$tmp/err" ||
	fail "noguest: $(cat "$tmp/err")"

rc=0
"$HVLAB" run "$tmp/noguest.yaml" --backend kvm --out "$tmp/kvm" -q 2>"$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "backend kvm: exit $rc"
grep -q "backend 'kvm' is not available; expected: sim or qemu" "$tmp/err" ||
	fail "backend kvm: $(cat "$tmp/err")"
echo "qemu errors: ok"
