#!/bin/sh
# Run cmocka test binaries and end-to-end scripts; print one summary line.
# usage: run-tests.sh [TEST_BINARY...] -- [E2E_SCRIPT...]
# Each cmocka binary contributes its own passed/failed counts; each e2e
# script counts as one test. Exit status is non-zero if anything failed.

passed=0
failed=0
failed_names=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

phase=unit
for t in "$@"; do
	if [ "$t" = "--" ]; then
		phase=e2e
		continue
	fi
	if [ "$phase" = unit ]; then
		"$t" >"$log" 2>&1
		rc=$?
		cat "$log"
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		p=${p:-0}
		f=${f:-0}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed or exited before cmocka could report
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -ne 0 ] && failed_names="$failed_names $t"
	else
		echo "[ RUN      ] e2e $t"
		if sh "$t" >"$log" 2>&1; then
			echo "[       OK ] e2e $t"
			passed=$((passed + 1))
		else
			cat "$log"
			echo "[  FAILED  ] e2e $t"
			failed=$((failed + 1))
			failed_names="$failed_names $t"
		fi
	fi
done

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
