# Helpers for the init namespace tests: the real init as PID 1 of a new PID
# and mount namespace (unshare --pid --mount --fork), output in a file.
# Source after ../lib.sh. KEEL_INIT overrides the binary under test (e.g. an
# ASan build); INIT_WRAP is put before it (e.g. "valgrind -q").
INIT=${KEEL_INIT:-$BIN/init}
T_DIR=$(mktemp -d)
trap 'rm -rf "$T_DIR"' EXIT

# init_require: skips the whole file when namespaces or the binary are missing.
init_require() {
	if [ ! -x "$INIT" ]; then skip "init namespace tests" "no $INIT (run make)"; t_done; fi
	if ! unshare --pid --mount --fork --kill-child true 2>/dev/null; then
		skip "init namespace tests" "unshare --pid --mount not permitted here"; t_done
	fi
}

# init_start OUT [ARG...]: starts init; stdin from $INIT_STDIN (default
# /dev/null). Sets U (the unshare pid) and, once running, C (init's host pid).
init_start() {
	out=$1; shift
	unshare --pid --mount --fork --kill-child ${INIT_WRAP:-} "$INIT" "$@" \
		<"${INIT_STDIN:-/dev/null}" >"$out" 2>&1 &
	U=$!
	C=
	for _ in $(seq 100); do
		C=$(cat /proc/$U/task/$U/children 2>/dev/null | tr -d ' ')
		[ -n "$C" ] && break
		sleep 0.05
	done
}

# init_wait_for OUT REGEX [SECONDS]: polls OUT for a line; 0 when seen.
init_wait_for() {
	n=$(( ${3:-10} * 20 ))
	while [ "$n" -gt 0 ]; do
		grep -Eq -- "$2" "$1" && return 0
		kill -0 "$U" 2>/dev/null || { grep -Eq -- "$2" "$1"; return; }
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}

# init_wait_exit [SECONDS]: waits for unshare; sets ST to its status (128+signal
# when init was ended by reboot(2) in the namespace), "timeout" after killing it.
# Not for $(...): only this shell can wait for U.
init_wait_exit() {
	n=$(( ${1:-20} * 20 ))
	while kill -0 "$U" 2>/dev/null && [ "$n" -gt 0 ]; do
		# a zombie unshare counts as exited
		[ "$(awk '{print $3}' /proc/$U/stat 2>/dev/null)" = Z ] && break
		sleep 0.05
		n=$((n - 1))
	done
	if [ "$n" -eq 0 ]; then
		kill -KILL "$U" 2>/dev/null
		wait "$U" 2>/dev/null
		ST=timeout
		return
	fi
	wait "$U"
	ST=$?
	# An ASan/UBSan or valgrind build of init (KEEL_INIT) reports here.
	if grep -Eq 'Sanitizer|runtime error:|== (Invalid|Conditional)' "$out"; then
		not_ok "sanitizer report from init"
		grep -E -A8 'Sanitizer|runtime error:|== (Invalid|Conditional)' "$out" | sed 's/^/# /'
	fi
}

# children_of PID: host pids whose parent is PID.
children_of() {
	cat /proc/"$1"/task/*/children 2>/dev/null
}

# zombies_of PID: how many children of PID are zombies.
zombies_of() {
	z=0
	for p in $(children_of "$1"); do
		[ "$(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | cut -d' ' -f1)" = Z ] && z=$((z + 1))
	done
	echo $z
}
