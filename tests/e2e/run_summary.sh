#!/bin/sh
# The demo's summary has every section the issue asks for, and its numbers
# respect the cost model: no IRQ can be delivered faster than trap entry
# + vIRQ injection + trap exit (3.2 us with the default costs).
set -eu
HVLAB=${HVLAB:-build/hvlab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/out/summary.txt"; exit 1; }

"$HVLAB" run bench/scenarios/demo.yaml --backend sim --out "$tmp/out" >"$tmp/stdout"
s="$tmp/out/summary.txt"
cmp -s "$s" "$tmp/stdout" && fail "stdout lacks the 'wrote' line"
head -c "$(wc -c <"$s")" "$tmp/stdout" | cmp -s - "$s" || fail "printed summary differs from summary.txt"
for want in "domain ctrl" "domain net" "domain flight" "irq latency" "cpu share" "misses"; do
	grep -q "$want" "$s" || fail "summary lacks '$want'"
done
# min IRQ latency of ctrl in us, from "irq latency (us) n=... min X ..."
min=$(awk '/^domain ctrl/{d=1} d && /irq latency/{for(i=1;i<=NF;i++) if($i=="min"){print $(i+1); exit}}' "$s")
[ -n "$min" ] || fail "no ctrl irq latency"
awk -v m="$min" 'BEGIN{exit !(m >= 3.2)}' || fail "ctrl min irq latency $min us < 3.2 us cost floor"
echo "ok: ctrl min irq latency $min us"
