#!/bin/sh
# hvlab gate: a run passes generous budgets (exit 0, JUnit without
# failures) and fails tight ones (exit 1, JUnit with <failure>); bad input
# gets exit 2 and "file:line: ..."; the JUnit XML is the same bytes twice.
# Budget files in expression syntax too, and hvlab run --gate.
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

# expect STATUS CMD...: run CMD, require exit status STATUS.
expect() {
	want=$1
	shift
	set +e
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	[ "$rc" -eq "$want" ] ||
		fail "$*: exit $rc, expected $want: $(cat "$tmp/out" "$tmp/err")"
}

"$HVLAB" run bench/scenarios/irq-latency.yaml --out "$tmp/run" -q

# The scenario's own budgets are generous: every one passes.
expect 0 "$HVLAB" gate "$tmp/run" --junit "$tmp/pass.xml"
grep -q 'rt irq_latency.p99 .* PASS$' "$tmp/out" || fail "table: $(cat "$tmp/out")"
grep -q '^3 budgets, 3 passed, 0 failed$' "$tmp/out" || fail "count line"
grep -q '<testsuite name="hvlab gate" tests="3" failures="0"' "$tmp/pass.xml" ||
	fail "JUnit head: $(cat "$tmp/pass.xml")"
! grep -q '<failure' "$tmp/pass.xml" || fail "JUnit of a pass has a failure"

# A budget file with one tight budget among generous ones.
cat >"$tmp/tight.yaml" <<'YAML'
budgets:
  - { metric: irq_latency, stat: max, domain: rt, max: 1ms }
  - { metric: irq_latency, stat: p50, domain: rt, max: 1us }
  - { metric: irq_response, stat: p99.9, max: 1ms }
YAML
expect 1 "$HVLAB" gate "$tmp/run" --budgets "$tmp/tight.yaml" --junit "$tmp/fail.xml"
grep -q 'rt irq_latency.p50 .* 1.000 us  FAIL$' "$tmp/out" || fail "table: $(cat "$tmp/out")"
grep -q 'failures="1"' "$tmp/fail.xml" || fail "JUnit count: $(cat "$tmp/fail.xml")"
grep -q '<testcase classname="rt" name="irq_latency.p50" time="0">' "$tmp/fail.xml" ||
	fail "JUnit testcase"
grep -q '<failure message="observed [0-9.]* us &gt; limit 1.000 us"' "$tmp/fail.xml" ||
	fail "JUnit failure message: $(cat "$tmp/fail.xml")"
grep -q "budget at $tmp/tight.yaml:3</failure>" "$tmp/fail.xml" || fail "JUnit source line"
expect 1 "$HVLAB" gate "$tmp/run" --budgets "$tmp/tight.yaml" --junit "$tmp/fail2.xml" -q
cmp -s "$tmp/fail.xml" "$tmp/fail2.xml" || fail "JUnit differs between runs"

# A metric without samples fails: noisy has no interrupts.
printf 'budgets:\n  - {metric: irq_latency, stat: max, domain: noisy, max: 1s}\n' >"$tmp/none.yaml"
expect 1 "$HVLAB" gate "$tmp/run" --budgets "$tmp/none.yaml" --junit "$tmp/none.xml"
grep -q 'no samples' "$tmp/out" || fail "no-samples row"
grep -q 'type="no samples"' "$tmp/none.xml" || fail "no-samples JUnit"

# Bad budget files: exit 2, file:line: and what was expected.
printf 'budgets:\n  - {metric: irq_latency, stat: p99, domain: nope, max: 1us}\n' >"$tmp/bad.yaml"
expect 2 "$HVLAB" gate "$tmp/run" --budgets "$tmp/bad.yaml" --junit "$tmp/bad.xml"
grep -q "^$tmp/bad.yaml:2: domain: unknown domain 'nope'; expected one of: rt, noisy$" "$tmp/err" ||
	fail "bad domain message: $(cat "$tmp/err")"
[ ! -e "$tmp/bad.xml" ] || fail "JUnit written for bad input"
printf 'budgets:\n  - {metric: irq_latency, stat: p99, max: 5}\n' >"$tmp/bad2.yaml"
expect 2 "$HVLAB" gate "$tmp/run" --budgets "$tmp/bad2.yaml"
grep -q "^$tmp/bad2.yaml:2: max: time needs a unit" "$tmp/err" || fail "unit message"
printf 'budgets: [\n' >"$tmp/bad3.yaml"
expect 2 "$HVLAB" gate "$tmp/run" --budgets "$tmp/bad3.yaml"
grep -q "^$tmp/bad3.yaml:2: YAML syntax error" "$tmp/err" || fail "syntax message: $(cat "$tmp/err")"
expect 2 "$HVLAB" gate "$tmp/run" --budgets "$tmp/missing.yaml"
grep -q "missing.yaml: cannot read" "$tmp/err" || fail "missing file message"

# Expression budget files: generous limits and the analysis pass.
cat >"$tmp/pass.txt" <<'EOF'
# generous limits, one per line
rt.irq_latency.p99 <= 1ms
rt.irq_response.p99.9 <= 1ms   # a dot in the statistic

*.sched_latency.max <= 1s
wcrt.bound >= observed
EOF
expect 0 "$HVLAB" gate "$tmp/run" --budgets "$tmp/pass.txt" --junit "$tmp/epass.xml"
grep -q '^rt irq_response.p99.9 .* PASS$' "$tmp/out" || fail "expr table: $(cat "$tmp/out")"
grep -q '^wcrt.bound.rt.timer .* 29.200 us  PASS$' "$tmp/out" || fail "wcrt row: $(cat "$tmp/out")"
grep -q '<testsuite name="hvlab gate" tests="4" failures="0"' "$tmp/epass.xml" ||
	fail "expr JUnit head: $(cat "$tmp/epass.xml")"
grep -q '<testcase classname="rt" name="wcrt.bound.rt.timer" time="0"/>' "$tmp/epass.xml" ||
	fail "wcrt JUnit testcase: $(cat "$tmp/epass.xml")"

# ... and a tight one fails, listed even with -q.
printf 'rt.irq_latency.max <= 1ms\nrt.irq_latency.p50 <= 1us\n' >"$tmp/tight.txt"
expect 1 "$HVLAB" gate "$tmp/run" --budgets "$tmp/tight.txt" --junit "$tmp/etight.xml"
grep -q 'rt irq_latency.p50 .* 1.000 us  FAIL$' "$tmp/out" || fail "expr table: $(cat "$tmp/out")"
grep -q '<failure message="observed [0-9.]* us &gt; limit 1.000 us" type="budget exceeded">' "$tmp/etight.xml" ||
	fail "expr JUnit failure: $(cat "$tmp/etight.xml")"
grep -q "budget at $tmp/tight.txt:2</failure>" "$tmp/etight.xml" || fail "expr JUnit source line"
expect 1 "$HVLAB" gate "$tmp/run" --budgets "$tmp/tight.txt" -q
[ ! -s "$tmp/out" ] || fail "-q printed a table"
grep -q '^hvlab gate: budget exceeded: rt irq_latency.p50: observed [0-9.]* us > limit 1.000 us$' "$tmp/err" ||
	fail "-q failure line: $(cat "$tmp/err")"

# Bad expression files: exit 2, file:line:, no JUnit.
# bad_expr LINE MESSAGE TEXT (TEXT as printf %b reads it)
bad_expr() {
	printf '%b' "$3" >"$tmp/bad.txt"
	expect 2 "$HVLAB" gate "$tmp/run" --budgets "$tmp/bad.txt" --junit "$tmp/bad.xml"
	grep -qF "$tmp/bad.txt:$1: $2" "$tmp/err" || fail "bad expr '$3': $(cat "$tmp/err")"
	[ ! -e "$tmp/bad.xml" ] || fail "JUnit written for bad input"
}
bad_expr 1 "no budgets; expected one per line" ''
bad_expr 1 "'garbage' is not a budget; expected DOMAIN.METRIC.STAT <= TIME" 'garbage\n'
bad_expr 2 "unknown statistic 'p42'; expected one of: min, mean" '# c\nrt.irq_latency.p42 <= 5us\n'
bad_expr 1 "unknown comparison '<'; expected <=" 'rt.irq_latency.p99 < 5us\n'
bad_expr 1 "limit: time needs a unit (ns, us, ms, s)" 'rt.irq_latency.p99 <= 5\n'
bad_expr 1 "unknown domain 'ctrl'; expected one of: rt, noisy, or *" 'ctrl.irq_latency.p99 <= 5us\n'
bad_expr 1 "unknown metric or task 'loop' in domain 'rt'" 'rt.loop.response.max <= 5us\n'

# hvlab run --gate: the scenario's budgets pass; made too tight, exit 1
# (after writing the run); without --gate the same run exits 0.
expect 0 "$HVLAB" run bench/scenarios/irq-latency.yaml --out "$tmp/rungate" --gate -q
sed 's/stat: p99, domain: rt, max: 10us/stat: p99, domain: rt, max: 1us/' \
	bench/scenarios/irq-latency.yaml >"$tmp/tight-scn.yaml"
grep -q 'max: 1us' "$tmp/tight-scn.yaml" || fail "could not tighten the scenario"
expect 1 "$HVLAB" run "$tmp/tight-scn.yaml" --out "$tmp/rungate2" --gate -q --junit "$tmp/run.xml"
grep -q '^hvlab run: budget exceeded: rt irq_latency.p99: observed 6.200 us > limit 1.000 us$' "$tmp/err" ||
	fail "run --gate failure line: $(cat "$tmp/err")"
grep -q 'failures="1"' "$tmp/run.xml" || fail "run --gate JUnit: $(cat "$tmp/run.xml")"
[ -s "$tmp/rungate2/summary.txt" ] || fail "run --gate did not write the run"
expect 1 "$HVLAB" run "$tmp/tight-scn.yaml" --out "$tmp/rungate3" --gate
grep -q '^rt irq_latency.p99 .* 1.000 us  FAIL$' "$tmp/out" || fail "run --gate table: $(cat "$tmp/out")"
expect 0 "$HVLAB" run "$tmp/tight-scn.yaml" --out "$tmp/rungate4" -q
expect 2 "$HVLAB" run bench/scenarios/irq-latency.yaml --out "$tmp/rungate5" --junit "$tmp/x.xml"

# Not a run directory; a run without budgets; a foreign trace.
expect 2 "$HVLAB" gate "$tmp/nowhere"
expect 2 "$HVLAB" gate
expect 0 "$HVLAB" run bench/scenarios/null-dedicated.yaml --out "$tmp/nobudget" --gate -q
grep -q "no budgets" "$tmp/err" || fail "run --gate without budgets: $(cat "$tmp/err")"
expect 2 "$HVLAB" gate "$tmp/nobudget"
grep -q "has no budgets" "$tmp/err" || fail "no budgets message"
cp bench/scenarios/irq-latency.yaml "$tmp/nobudget/scenario.yaml"
expect 2 "$HVLAB" gate "$tmp/nobudget"
grep -q "was not made from" "$tmp/err" || fail "hash mismatch message"
echo "ok: gate"
