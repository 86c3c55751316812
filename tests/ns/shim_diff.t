#!/bin/sh
# Differential test: one bundle (keel's default config, uid 1000 with
# supplementary groups) under runc-shim, runc and crun must show the same
# things from inside. Known, documented differences are filtered out:
# runc mounts cgroup v1 under /sys/fs/cgroup on this v1 host (keel is v2
# only), crun adds /dev/core, mount flags beyond ro/rw vary by runtime, the
# probe's pid depends on how many helpers the runtime forked in the pid
# namespace, which errno a denied call gets may differ (EPERM/EACCES), and
# runc passes on signals 32/33 when its caller ignores them (Go cannot reset
# them; runc-shim resets all: shim_lifecycle.t checks that).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cat >"$B/rootfs/bin/observe" <<'SH'
#!/bin/sh
probe info | grep -v '^root_rw\|^pid=\|^SigIgn='
probe try mount unshare-user ptrace keyctl proc-sys chroot raw-socket mknod exe-write read-masked |
	sed 's/ (.*)$//'
echo "dev: $(ls /dev | grep -vx core | tr '\n' ' ')"
while read -r _ _ _ _ mp opts _; do echo "mount: $mp ${opts%%,*}"; done </proc/self/mountinfo |
	grep -v '^mount: /sys/fs/cgroup' |
	grep -v '^mount: /proc/\(keys\|timer_list\|kcore\|latency_stats\|timer_stats\|sched_debug\) ' | sort
echo "net: $(ls /sys/class/net | tr '\n' ' ')"
exit 7
SH
chmod 755 "$B/rootfs/bin/observe"
cfg "$B" 'c["process"]["args"] = ["observe"]; c["process"]["user"] = {"uid": 1000, "gid": 1000, "additionalGids": [5, 7], "umask": 18}; c["process"]["env"].append("FOO=x")'

# stderr apart: runc-shim says once that this host has no cgroup v2.
observe_shim() { (cd "$B" && shim run diff-shim 2>"$SHIM_T/shim.err"); echo "exit: $?"; }
observe_runc() { (cd "$B" && runc --root "$SHIM_T/runc" run diff-runc 2>&1); echo "exit: $?"; }
# crun wants a cgroup2 mount it can use: give it a private one.
observe_crun() {
	(cd "$B" && unshare -m sh -c "mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null;
		crun --cgroup-manager=disabled --root '$SHIM_T/crun' run diff-crun" 2>&1)
	echo "exit: $?"
}

mine=$(observe_shim)
check_match "runc-shim: the observer ran to its exit code" '^exit: 7$' "$mine"
check_eq "runc-shim: nothing on stderr but the cgroup note" "" \
	"$(grep -v 'no writable cgroup v2' "$SHIM_T/shim.err")"
for rt in runc crun; do
	if ! command -v $rt >/dev/null; then
		skip "same observations under $rt" "$rt not installed"
		continue
	fi
	theirs=$(observe_$rt)
	if [ "$mine" = "$theirs" ]; then
		ok "same observations under $rt ($(printf '%s\n' "$mine" | wc -l) lines)"
	else
		not_ok "same observations under $rt"
		printf '%s\n' "$mine" >"$SHIM_T/mine"; printf '%s\n' "$theirs" >"$SHIM_T/theirs"
		diff "$SHIM_T/mine" "$SHIM_T/theirs" | sed 's/^/# /'
	fi
done
t_done
