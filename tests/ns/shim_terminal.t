#!/bin/sh
# process.terminal with --console-socket, as containerd uses it: runc-shim
# sends the pty master over the socket (SCM_RIGHTS); the container's stdio
# is the slave and its controlling terminal.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" 'c["process"]["terminal"] = True; c["process"]["args"] = ["sh", "-c", "probe info; tty"]'
sock=$SHIM_T/console.sock
pty_receiver "$sock" "$SHIM_T/console.out" "$SHIM_T/console.name"
recv=$!
shim run --console-socket "$sock" --bundle "$B" tty1 >/dev/null 2>&1
check_eq "run with a terminal exits 0" 0 "$?"
wait $recv
out=$(tr -d '\r' <"$SHIM_T/console.out")
check_match "the pty master arrived with its name" '^/dev/pts/[0-9]+$' "$(cat "$SHIM_T/console.name")"
check_eq "stdin is a tty inside" yes "$(field tty "$out")"
check_match "tty names the container's own pts" '^/dev/pts/[0-9]+$' "$(printf '%s\n' "$out" | tail -n1)"
check_match "no console socket: clear error" 'process.terminal: needs --console-socket' \
	"$(shim run --bundle "$B" tty2 2>&1)"
t_done
