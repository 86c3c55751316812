#!/bin/sh
# Bounded libFuzzer run of the control request parser (ctl_request, 20 s).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_fuzz.sh"
run_fuzzer ctl_request 600
t_done
