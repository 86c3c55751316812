#!/bin/sh
# Spec-dir files are checked to be regular files (opened O_NONBLOCK, then
# fstat) before PID 1 reads them: a FIFO or a device named service.conf
# fails that service only, with one line naming the file; boot goes on.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

bundle services fifoconf "$IDLE"
mkfifo "$SPEC/services/fifoconf/service.conf"
bundle services devconf "$IDLE"
mknod "$SPEC/services/devconf/service.conf" c 1 3 # /dev/null's numbers
bundle services good "$IDLE" 'restart = always'

check "init boots" boot
check "the good service is ready" wait_for 10 is_state good ready
check_eq "a FIFO service.conf fails that service" failed "$(state fifoconf)"
check_match "... saying why" 'fifoconf/service.conf: not a regular file' "$(ctl status fifoconf)"
check_eq "a device service.conf fails that service" failed "$(state devconf)"
check_match "... saying why" 'devconf/service.conf: not a regular file' "$(ctl status devconf)"
check "boot completed" wait_for 5 grep -q '^keel: ready' "$SUP_OUT"
check "poweroff" poweroff_wait 20
t_done
