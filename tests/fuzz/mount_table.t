#!/bin/sh
# Bounded libFuzzer run of the /etc/keel/mounts parser (20 s).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_fuzz.sh"
run_fuzzer mount_table 4096
t_done
