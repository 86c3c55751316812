#!/bin/sh
# Bounded libFuzzer run (~20 s) of runc-shim's config.json parser, seeded
# with keel's default spec and a few edge cases.
. "$(dirname "$0")/../lib.sh"
F=$KEEL_ROOT/build/test/fuzz/fuzz_config
if [ ! -x "$F" ]; then skip "fuzz config.json parser" "no $F (make fuzz-bins)"; t_done; fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/corpus" "$dir/spec"
"$BIN/runc-shim" spec --bundle "$dir/spec" && cp "$dir/spec/config.json" "$dir/corpus/default"
"$BIN/runc-shim" spec --rootless --bundle "$dir" && cp "$dir/config.json" "$dir/corpus/rootless"
printf '{"root":{"path":"r"},"process":{"args":["a"]},"linux":{"namespaces":[{"type":"mount"}]}}' >"$dir/corpus/min"
printf '{"root":{"path":"r"},"process":{"args":["a"],"rlimits":[{"type":"RLIMIT_CPU","soft":1e300}]}}' >"$dir/corpus/num"
printf '{"mounts":[{"destination":"/x","type":"bind","source":"y","options":["rbind","ro","x=y"]}]}' >"$dir/corpus/mnt"
# JSON syntax as a dictionary helps the fuzzer past the tokenizer.
printf '"{"\n"}"\n"["\n"]"\n"\\"linux\\""\n"\\"seccomp\\""\n"\\"namespaces\\""\n"\\"type\\""\n' >"$dir/dict"
if "$F" -max_total_time=20 -max_len=16384 -dict="$dir/dict" -print_final_stats=1 "$dir/corpus" \
	>"$dir/log" 2>&1; then
	ok "fuzz config.json parser 20 s: no crash ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$dir/log" | cut -d' ' -f2) runs)"
else
	not_ok "fuzz config.json parser: crash"
	tail -30 "$dir/log" | sed 's/^/# /'
fi
t_done
