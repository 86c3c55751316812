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
