# run_fuzzer NAME MAX_LEN: a bounded (20 s) libFuzzer run of
# build/test/fuzz/fuzz_NAME from the seeds in tests/fuzz/corpus_NAME, as one
# TAP line. Sourced by the supervisor's fuzz .t files after ../lib.sh.
run_fuzzer() {
	f=$KEEL_ROOT/build/test/fuzz/fuzz_$1
	[ -x "$f" ] || { not_ok "fuzz_$1 built (make fuzz-bins)"; return; }
	work=$(mktemp -d)
	mkdir "$work/corpus"
	cp "$KEEL_ROOT/tests/fuzz/corpus_$1"/* "$work/corpus/"
	if "$f" -max_total_time=20 -max_len="$2" -print_final_stats=1 -artifact_prefix="$work/" \
		"$work/corpus" >"$work/log" 2>&1; then
		ok "fuzz_$1: no crash in 20 s ($(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log") runs)"
	else
		not_ok "fuzz_$1 crashed"
		tail -20 "$work/log" | sed 's/^/# /'
	fi
	rm -rf "$work"
}
