#!/bin/sh
# containerd can use runc-shim in place of runc: a private containerd (own
# root, state and socket) with containerd-shim-runc-v2 calling runc-shim
# (ctr --runc-binary): run to completion with the exit code, run detached,
# task ps, kill, delete.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require
for t in containerd ctr containerd-shim-runc-v2; do
	command -v $t >/dev/null || { skip "containerd with runc-shim" "$t not installed"; t_done; }
done

C=$SHIM_T/containerd
mkdir -p "$C" "$SHIM_T/b"
make_bundle "$SHIM_T/b"
cat >"$C/config.toml" <<EOF
version = 2
root = "$C/root"
state = "$C/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$C/c.sock"
[ttrpc]
  address = "$C/c.ttrpc"
