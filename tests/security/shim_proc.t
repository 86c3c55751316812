#!/bin/sh
# CVE-2019-16884 class: an image or config that puts something else than
# procfs at /proc must not receive what runc-shim writes through /proc
# (masks via /proc/self/fd, oom_score_adj, sysctls, the exec.fifo reopen).
# create checks /proc after pivot_root and refuses.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ns/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
check_match "control: the default bundle runs" '^uid=0' "$(shim run --bundle "$B" ok1 2>&1)"

# A tmpfs where procfs should be.
cfg "$B" '
for m in c["mounts"]:
    if m["destination"] == "/proc": m.update(type="tmpfs", source="tmpfs", options=["nosuid"])
c["process"]["oomScoreAdj"] = 500'
out=$(timeout 20 "$BIN/runc-shim" --root "$SHIM_ROOT" run --bundle "$B" p1 </dev/null 2>&1)
check_eq "tmpfs at /proc: run fails" 1 "$?"
check_match "...saying /proc is not procfs" '/proc in the container is not a procfs' "$out"

# A bind of one process's directory: procfs, but not its root.
cfg "$B" '
for m in c["mounts"]:
    if m["destination"] == "/proc": m.update(type="bind", source="/proc/1", options=["rbind"])'
out=$(timeout 20 "$BIN/runc-shim" --root "$SHIM_ROOT" run --bundle "$B" p2 </dev/null 2>&1)
check_match "a bind of /proc/1 at /proc: refused" '/proc in the container is not a procfs' "$out"

# /proc a symlink in the image to a directory where proc gets mounted.
make_bundle "$B.s"
rmdir "$B.s/rootfs/proc" && mkdir "$B.s/rootfs/fake" && ln -s fake "$B.s/rootfs/proc"
out=$(timeout 20 "$BIN/runc-shim" --root "$SHIM_ROOT" run --bundle "$B.s" p3 </dev/null 2>&1)
check_match "/proc a symlink in the image: refused" '/proc in the container' "$out"
check_eq "nothing left behind" "" "$(ls "$SHIM_ROOT")"
t_done
