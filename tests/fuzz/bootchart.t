#!/bin/sh
# Bounded libFuzzer run of keelctl boot's reply parser and renderers (20 s).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_fuzz.sh"
run_fuzzer bootchart 2000
t_done
