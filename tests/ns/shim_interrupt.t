#!/bin/sh
# A create SIGKILLed at any step leaves nothing `delete --force` cannot
# remove (state dir, cgroup, a waiting init); `delete --force` kills what is
# left in the cgroup; `run` holds signals during create and passes them to
# the container once it runs, instead of dying halfway.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" 'c["process"]["args"] = ["sleep", "30"]'
CG=/sys/fs/cgroup/unified/keel

# left ID: what of container ID is still there (state dir, cgroup, processes
# whose command line is its create's: the init is a clone of it).
left() {
	[ -e "$SHIM_ROOT/$1" ] && printf 'state-dir '
	[ -e "$CG/$1" ] && printf 'cgroup '
	pgrep -f -- "--bundle $B $1\$" >/dev/null && printf 'process '
}
# gone ID: waits up to 2 s for left to be empty.
gone() {
	for _ in $(seq 20); do [ -z "$(left "$1")" ] && return 0; sleep 0.1; done
	left "$1"
}

# One create first: the seccomp filter gets cached, so the kills below land
# in the steps after it rather than all in the compile.
shim create --bundle "$B" warm >/dev/null 2>&1
shim delete --force warm
i=0
for d in 0 0.005 0.01 0.02 0.03 0.04 0.05 0.06 0.08 0.1 0.13 0.16 0.2 0.25; do
	i=$((i + 1))
	"$BIN/runc-shim" --root "$SHIM_ROOT" create --bundle "$B" "k$i" >/dev/null 2>&1 &
	c=$!
	sleep "$d"
	kill -9 "$c" 2>/dev/null
	wait "$c" 2>/dev/null
	shim delete --force "k$i" >"$SHIM_T/del.out" 2>&1
	check_eq "create killed after ${d}s: delete --force exits 0" 0 "$?"
	check_eq "create killed after ${d}s: nothing left after delete --force" "" "$(gone "k$i")"
done
check_match "the ID can be used again" '"created"' \
	"$(shim create --bundle "$B" k1 >/dev/null 2>&1; shim state k1)"
shim delete --force k1

# delete --force kills what is left in the cgroup even when the init has
# exited: without a pid namespace its children outlive it (and without a
# user namespace, which could not mount /proc then).
make_bundle "$B.n"
cfg "$B.n" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] not in ("pid", "user")]
for k in ("uidMappings", "gidMappings"): c["linux"].pop(k, None)
c["process"]["args"] = ["sh", "-c", "sleep 300 & echo $! >/tmp/child; exit 0"]'
shim run -d --bundle "$B.n" orphan >/dev/null 2>&1
for _ in $(seq 50); do shim state orphan 2>/dev/null | grep -q '"stopped"' && break; sleep 0.1; done
check "orphan: the init has exited, its child lives on in the cgroup" test -n "$(cat "$CG/orphan/cgroup.procs" 2>/dev/null)"
shim delete --force orphan
check_eq "delete --force: the orphan is killed, the cgroup removed" "" "$(gone orphan)"

# run: a TERM that arrives during create reaches the container (sleep dies
# of it: 143) and nothing is left, whenever it comes.
cfg "$B.n" 'c["process"]["args"] = ["sleep", "30"]'
i=0
for d in 0.005 0.01 0.02 0.04 0.08; do
	i=$((i + 1))
	"$BIN/runc-shim" --root "$SHIM_ROOT" run --bundle "$B.n" "r$i" >/dev/null 2>&1 &
	c=$!
	sleep "$d"
	kill -TERM "$c"
	t0=$(date +%s)
	wait "$c"
	rc=$?
	check_eq "run TERMed after ${d}s: exits 143 within 10 s" "143 yes" \
		"$rc $([ $(($(date +%s) - t0)) -lt 10 ] && echo yes)"
	check_eq "run TERMed after ${d}s: nothing left" "" "$(gone "r$i")"
done
t_done
