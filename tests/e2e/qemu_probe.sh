#!/bin/sh
# Bad hypercalls on the arm64 hypervisor: the probe guest makes each kind
# once (console buffer outside its RAM, unknown numbers and operations,
# indices out of range, a foreign HVC immediate) and checks the error it
# gets back. Every answer must be the documented one, the console must
# say why for each, the other domain must finish its samples, and the
# run must end normally.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat >"$tmp/probe.yaml" <<'YAML'
name: probe
duration: 1s
seed: 1
machine:
  pcpus: 2
cpupools:
  - { name: p, sched: null, cpus: 0-1 }
domains:
  - name: prober
    pool: p
    cpus: "0"
    guest: { image: probe }
  - name: rt
    pool: p
    cpus: "1"
    guest: { image: irqlat, samples: 100 }
YAML
"$HVLAB" run "$tmp/probe.yaml" --backend qemu --out "$tmp/out" -q ||
	fail "exit $?: $(tail -5 "$tmp/out/console.log")"
log=$tmp/console
tr -d '\r' <"$tmp/out/console.log" >"$log"
n=$(grep -c '^(d1) probe: .*: rc -[0-9]*, expected -[0-9]*: ok$' "$log") || true
[ "$n" -eq 9 ] || fail "$n of 9 answers right: $(grep 'probe:' "$log")"
grep -q '^(d1) probe: 0 wrong answers$' "$log" || fail "wrong answers"
grep -q "hypercall 18 refused (-14): console_io: buffer 0x10, 16 bytes: expected inside the domain's RAM" "$log" ||
	fail "no reason for the console buffer"
grep -q 'hypercall 48 refused (-22): IRQ_SAMPLE: irq index 70000, expected at most 65535' "$log" ||
	fail "no reason for the irq index"
grep -q 'refused .*; not reporting more$' "$log" || fail "no report limit"
grep -q '(d2) irqlat: samples 100 ' "$log" || fail "rt did not finish"
grep -q '(hv) run ended .*every guest finished' "$log" || fail "run end"
echo "qemu probe: ok"
