# Helpers for the real-client differential tests (docker.t, podman.t): one
# mktemp -d per test for the client's whole state, a busybox image tarball
# made from busybox-static (there is no registry), and `same`, which runs
# one client command with Debian's runc and with runc-shim and checks that
# output and exit status match. The test's own trap stops the client by pid
# and calls client_cleanup.
CL=$(mktemp -d /tmp/keel-client.XXXXXX)
chmod 755 "$CL" # container roots (other uids) must reach volumes under it
CL_CG=keeltest$$ # every cgroup the client makes goes under this parent

# client_require TOOL...: skips the whole file (with a reason) unless each
# is installed (mk/deps.sh installs them) and we are root.
client_require() {
	reason=
	[ "$(id -u)" = 0 ] || reason="needs root"
	[ -x "$BIN/runc-shim" ] || reason="build/bin/runc-shim not built"
	for t in "$@" runc busybox python3; do
		command -v "$t" >/dev/null || [ -x "$t" ] || reason="$t not installed (mk/deps.sh)"
	done
	if [ -n "$reason" ]; then
		skip "$(basename "$0") differential tests" "$reason"
		exit 0
	fi
}

# client_image TAR: a busybox-static root (with /etc/passwd for -u) as a
# tarball that `docker import` / `podman import` turn into an image.
client_image() {
	r=$CL/imgroot
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev"
	cp "$(command -v busybox)" "$r/bin/busybox"
	for a in sh cat echo true false sleep id ls touch grep hostname pwd tty unshare; do
		ln -sf busybox "$r/bin/$a"
	done
	printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
	tar -C "$r" -cf "$1" .
}

# same DESC CMD...: runs CMD with RT=runc and with RT=keel (CMD reads $RT),
# ok when stdout, stderr and exit status are the same (compared apart: the
# client copies the two streams in no fixed order).
same() {
	desc=$1
	shift
	a=$(RT=runc "$@" 2>"$CL/err"; echo "exit=$?"; echo "stderr:"; cat "$CL/err")
	b=$(RT=keel "$@" 2>"$CL/err"; echo "exit=$?"; echo "stderr:"; cat "$CL/err")
	if [ "$a" = "$b" ]; then
		ok "$desc ($(printf '%s\n' "$b" | grep '^exit='))"
	else
		not_ok "$desc"
		diag "runc:"; printf '%s\n' "$a" | sed 's/^/#   /' | head -20
		diag "runc-shim:"; printf '%s\n' "$b" | sed 's/^/#   /' | head -20
	fi
}

# client_stop PID: TERM, then KILL after ~20 s; waits for it.
client_stop() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	for _ in $(seq 200); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# client_cleanup: what the client left: shims (by our temp dir in their
# command line), mounts under the temp dir, our cgroup parents, the dir.
client_cleanup() {
	ps -eo pid=,args= | awk -v d="$CL" '$2 ~ /containerd-shim|conmon/ && index($0, d) { print $1 }' |
		while read -r p; do kill -KILL "$p" 2>/dev/null; done
	awk -v c="$CL/" 'index($5, c) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -path "*/$CL_CG*" 2>/dev/null | sort -r |
		while read -r d; do rmdir "$d" 2>/dev/null; done
	rm -rf "$CL"
}

# client_cgroups_left: our cgroup dirs still on the host (should be none).
client_cgroups_left() { find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -path "*/$CL_CG*" 2>/dev/null; }

# client_common_cases: what every client is checked for; the test defines
# run (the client's `run --rm` with $RT and the host's flags) and IMG.
client_common_cases() {
	mkdir -p "$CL/vol"
	echo from-host >"$CL/vol/f"
	same "exit status" run $IMG sh -c 'exit 7'
	same "stdout and stderr" run $IMG sh -c 'echo out; echo err >&2'
	same "env, user, workdir" run -e FOO=bar -u 65534:65534 -w /tmp $IMG sh -c 'echo "$FOO"; id; pwd'
	same "image user/group names (-u nobody)" run -u nobody $IMG id
	same "--read-only root" run --read-only $IMG sh -c 'touch /x; echo $?'
	same "--tmpfs on a read-only root" run --read-only --tmpfs /run:size=1m,mode=1777 $IMG \
		sh -c 'touch /run/x && echo ok; grep " /run " /proc/mounts'
	same "read-only bind volume" run -v "$CL/vol:/data:ro" $IMG sh -c 'cat /data/f; touch /data/x; echo $?'
	same "default capabilities" run $IMG grep Cap /proc/self/status
	same "--cap-drop ALL" run --cap-drop ALL $IMG grep Cap /proc/self/status
	same "--cap-drop ALL --cap-add NET_BIND_SERVICE" run --cap-drop ALL --cap-add NET_BIND_SERVICE $IMG \
		grep Cap /proc/self/status
	same "no-new-privileges" run --security-opt no-new-privileges $IMG grep NoNewPrivs /proc/self/status
	same "--hostname" run --hostname keelhost $IMG hostname
	same "-t: a terminal" run -t $IMG sh -c 'tty >/dev/null && echo is-a-tty; exit 2'
	same "the client's default seccomp profile (unshare denied)" run $IMG \
		sh -c 'grep Seccomp: /proc/self/status; unshare -U true; echo $?'
	same "seccomp=unconfined (the control: unshare works)" run --security-opt seccomp=unconfined $IMG \
		sh -c 'grep Seccomp: /proc/self/status; unshare -U true; echo $?'
	same "masked and read-only paths" run $IMG sh -c 'cat /proc/kcore 2>&1 | wc -c; touch /proc/sys/x 2>&1'
	same "/dev as the client sets it up" run $IMG sh -c 'ls /dev | tr "\n" " "'
	# /sys/fs/cgroup aside: runc mounts this host's v1 hierarchies, runc-shim
	# (cgroup v2 only) a cgroup2 mount.
	same "mounts seen inside (but /sys/fs/cgroup)" run $IMG \
		sh -c 'cut -d" " -f2,3 /proc/mounts | grep -v -e "^/etc/" -e "^/sys/fs/cgroup" | sort'
}

# client_detached: run -d, exec (plain, user/env/cwd, -t), pid, stop (the
# TERM trap exits 3), rm; the test defines cli, run_d (the client's run -d
# with $RT and the host's flags) and keel_info NAME (what shows runc-shim
# ran it, written to $CL/keel.info).
client_detached_steps() {
	n=kd$$-$RT
	run_d --name "$n" $IMG \
		sh -c 'trap "exit 3" TERM; while :; do sleep 0.1; done' >/dev/null
	echo "run -d: $?"
	[ "$RT" = keel ] && keel_info "$n" >&3
	cli inspect -f '{{.State.Status}}' "$n"
	cli exec "$n" sh -c 'echo in; id -u; exit 4'
	echo "exec: $?"
	cli exec -u 65534 -e X=1 -w /tmp "$n" sh -c 'echo "$X"; id -u; pwd'
	cli exec -t "$n" sh -c 'tty >/dev/null && echo exec-tty'
	p=$(cli inspect -f '{{.State.Pid}}' "$n")
	kill -0 "${p:-0}" && echo "init pid alive"
	cli stop -t 10 "$n" >/dev/null
	cli inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$n"
	cli rm "$n" >/dev/null
	echo "rm: $?"
}
client_detached() {
	same "detached: run -d, exec (user/env/cwd, -t), pid, stop (TERM trap exit 3), rm" \
		client_detached_steps 3>"$CL/keel.info"
}
