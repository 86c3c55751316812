#!/bin/sh
# Bounded libFuzzer run of the control request parser (ctl_request, 20 s).
. "$(dirname "$0")/../lib.sh"
f=$KEEL_ROOT/build/test/fuzz/fuzz_ctl_request
[ -x "$f" ] || { not_ok "fuzz_ctl_request built (make fuzz-bins)"; t_done; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp "$KEEL_ROOT"/tests/fuzz/corpus_ctl_request/* "$work/corpus/"
if "$f" -max_total_time=20 -max_len=600 -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1; then
	ok "fuzz_ctl_request: no crash in 20 s ($(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log") runs)"
else
	not_ok "fuzz_ctl_request crashed"; tail -20 "$work/log" | sed 's/^/# /'
fi
t_done
