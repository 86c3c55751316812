#!/bin/sh
# Bounded libFuzzer run of the /etc/keel/sysctl.conf parser (20 s).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_fuzz.sh"
run_fuzzer sysctl_conf 4096
t_done
