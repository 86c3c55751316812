#!/bin/sh
# The OCI runtime-tools validation suite (../shared/conformance/run beside the
# clone: builds it offline with Debian's golang-go) against build/bin/runc-shim.
# Fails when fewer than FLOOR of its 58 tests pass, or when a test that runc
# passes on this host fails. docs/runc-shim.md lists every remaining failure.
# Takes 1-5 minutes (the suite sleeps and polls).
. "$(dirname "$0")/../lib.sh"

# What Debian's runc 1.1.5 passes here (same suite, same host, see the docs),
# less linux_ns_itype: a container without a mount namespace would get its
# mounts in the caller's mount table, which runc-shim refuses by design.
RUNC_PASSES="config_updates_without_affect create default delete_only_create_resources
delete_resources hostname kill kill_no_effect killsig linux_cgroups_cpus linux_cgroups_pids
linux_cgroups_relative_cpus linux_cgroups_relative_pids linux_devices linux_masked_paths
linux_ns_nopath linux_ns_path linux_ns_path_type linux_readonly_paths linux_sysctl
linux_uid_mappings mounts prestart_fail process process_oom_score_adj
process_rlimits_fail process_user root_readonly_true state"
RUNC_PASSES="$RUNC_PASSES poststop"
# What runc-shim passes beyond runc here, each as required: hooks_stdin
# (prestart sees "created"), linux_seccomp (the cwd check before a filter
# that denies getcwd), the v1 devices controller, hooks after `start`,
# propagation, delete.
SHIM_PASSES="delete hooks_stdin linux_cgroups_devices linux_cgroups_relative_devices
linux_rootfs_propagation linux_seccomp poststart poststart_fail poststop_fail"
# 39 measured on this host in three runs (2026-12-02, docs/runc-shim.md),
# killsig after its one retry below; pidfile passes only when its `true`
# is still running at the suite's `kill` (a race in the test, as for runc
# and crun): the floor does not rely on it. The issue's goal is 36.
FLOOR=39

RUN=$(cd "$KEEL_ROOT/.." && pwd)/shared/conformance/run
if [ ! -x "$RUN" ]; then
	not_ok "conformance suite found at $RUN"
	t_done
fi
[ "$(id -u)" = 0 ] || { not_ok "conformance needs root"; t_done; }
[ -x "$BIN/runc-shim" ] || { not_ok "build/bin/runc-shim built"; t_done; }

T=$(mktemp -d /tmp/keel-conf.XXXXXX)
trap 'rm -rf "$T"' EXIT
# Our own wrapper (not RUNTIME_ARGS, whose wrapper file is shared): a
# private --root, so concurrent runs and other tests never meet.
printf '#!/bin/sh\nexec %s --root %s "$@"\n' "$BIN/runc-shim" "$T/root" >"$T/runc-shim"
chmod +x "$T/runc-shim"
RUNTIME=$T/runc-shim OUTDIR=$T/results "$RUN" >"$T/out" 2>&1
sed 's/^/# /' "$T/out"
summary=$(sed -n 's/^oci-conformance: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$T/out")
if [ -z "$summary" ]; then
	not_ok "the suite printed its summary line"
	t_done
fi
set -- $summary
passed=$1
# killsig signals right after `start`, racing the container's sh to its
# `trap` (a pid-namespace init drops a signal it has no handler for): a
# fast runtime on a loaded machine loses sometimes. One retry, said so.
for name in killsig; do
	grep -q "^FAIL $name " "$T/results/summary.txt" || continue
	RUNTIME=$T/runc-shim OUTDIR=$T/retry "$RUN" "$name" >/dev/null 2>&1
	if grep -q "^PASS $name " "$T/retry/summary.txt"; then
		diag "$name failed by timing and passed when retried"
		sed -i "s/^FAIL $name /PASS $name /" "$T/results/summary.txt"
		passed=$((passed + 1))
	fi
done
check "at least $FLOOR of 58 pass (got $passed passed)" [ "$passed" -ge "$FLOOR" ]
for name in $RUNC_PASSES; do
	check "$name (runc passes it here)" grep -q "^PASS $name " "$T/results/summary.txt"
done
for name in $SHIM_PASSES; do
	check "$name (runc-shim passes it here)" grep -q "^PASS $name " "$T/results/summary.txt"
done
t_done
