#!/bin/sh
# Bounded libFuzzer run of the keel.* command line parser (~20 s) from a
# small seed corpus of real command lines.
. "$(dirname "$0")/../lib.sh"
F=$KEEL_ROOT/build/test/fuzz/fuzz_cmdline
if [ ! -x "$F" ]; then skip "fuzz keel.* parser" "no $F (make fuzz-bins)"; t_done; fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus"
printf 'console=ttyS0 panic=-1 quiet keel.debug=1 keel.specdir=/containers' >"$dir/corpus/1"
printf 'keel.hostname="a b" "keel.runtime=/x y" keel.logdir= keel.shell' >"$dir/corpus/2"
printf 'keel.specdir=/a/../b keel.echo=maybe keel.=x keel.' >"$dir/corpus/3"
if "$F" -max_total_time=20 -max_len=8192 -print_final_stats=1 "$dir/corpus" >"$dir/log" 2>&1; then
	ok "fuzz keel.* parser 20 s: no crash ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$dir/log" | cut -d' ' -f2) runs)"
else
	not_ok "fuzz keel.* parser: crash"
	tail -30 "$dir/log" | sed 's/^/# /'
fi
t_done
