#!/bin/sh
# OCI hooks: all six kinds run at their point of the lifecycle, in the
# right mount namespace, with the state JSON on stdin and their own
# args/env; a timeout kills a hook; createRuntime/prestart/createContainer
# failures fail create and leave nothing, startContainer failures keep the
# process from running, poststart/poststop failures are warnings.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
LOG=$SHIM_T/log
mkdir -p "$LOG" "$B/rootfs/hooklog" "$B/rootfs/hooks"
: >"$LOG/hooks"
chmod 777 "$LOG"; chmod 666 "$LOG/hooks" # the container's root (host uid 100000) writes here too
HOSTMNT=$(readlink /proc/self/ns/mnt)

# hook.sh KIND: appends "KIND <mnt ns> <args> <K> <state JSON>" to its log.
mk_hook() { # FILE LOGFILE
	cat >"$1" <<HOOK
#!/bin/sh
printf '%s %s %s %s %s\n' "\$HOOK_KIND" "\$(readlink /proc/self/ns/mnt 2>/dev/null || echo none)" "\$*" "\${KEEL_HOOK_LEAK:-none}" "\$(cat)" >>$2
HOOK
	chmod 755 "$1"
}
mk_hook "$SHIM_T/hook.sh" "$LOG/hooks"
mk_hook "$B/rootfs/hooks/start.sh" /hooklog/hooks

cfg "$B" "
def h(kind, path='$SHIM_T/hook.sh'):
    return [{'path': path, 'args': ['hook', kind, 'x'], 'env': ['HOOK_KIND=' + kind]}]
c['hooks'] = {k: h(k) for k in ['prestart', 'createRuntime', 'createContainer', 'poststart', 'poststop']}
c['hooks']['startContainer'] = h('startContainer', '/hooks/start.sh')
c['annotations'] = {'org.example': 'yes'}
c['mounts'].append({'destination': '/hooklog', 'type': 'bind', 'source': '$LOG', 'options': ['rbind', 'rw']})
c['process']['args'] = ['sh', '-c', 'echo ran']"

KEEL_HOOK_LEAK=1 shim create --bundle "$B" --pid-file "$SHIM_T/pid" h1 >"$SHIM_T/h1.out" 2>"$SHIM_T/h1.err"
check_eq "create with every hook exits 0" 0 "$?"
pid=$(cat "$SHIM_T/pid")
shim start h1
check_eq "start exits 0" 0 "$?"
for _ in $(seq 50); do shim state h1 | grep -q stopped && break; sleep 0.1; done
shim delete h1
check_eq "delete exits 0" 0 "$?"
check_eq "the process ran" ran "$(cat "$SHIM_T/h1.out")"

kinds=$(cut -d' ' -f1 "$LOG/hooks" | tr '\n' ' ')
check_eq "hooks ran once each, in lifecycle order" \
	"prestart createRuntime createContainer startContainer poststart poststop " "$kinds"
line() { grep "^$1 " "$LOG/hooks"; }
js() { line "$1" | cut -d' ' -f6- | jget "$2"; }
for k in prestart createRuntime poststart poststop; do
	check_eq "$k: runs in the runtime's mount namespace" "$HOSTMNT" "$(line $k | cut -d' ' -f2)"
done
for k in createContainer startContainer; do
	m=$(line $k | cut -d' ' -f2)
	check "$k: runs in the container's mount namespace" sh -c "[ '$m' != '$HOSTMNT' ] && [ '$m' != none ]"
done
check_eq "args: args[1:] reach the hook" "prestart x" "$(line prestart | cut -d' ' -f3,4)"
check_eq "env: exactly the hook's env (not the runtime's)" none "$(line prestart | cut -d' ' -f5)"
check_eq "state: id" h1 "$(js prestart '["id"]')"
check_eq "state: pid is the init's host pid" "$pid" "$(js createRuntime '["pid"]')"
check_eq "state: createContainer sees the host pid too" "$pid" "$(js createContainer '["pid"]')"
check_eq "state: startContainer sees the host pid too" "$pid" "$(js startContainer '["pid"]')"
check_eq "state: status created at prestart (as crun, runtime-spec 1.0)" created "$(js prestart '["status"]')"
check_eq "state: status creating at createRuntime (as runc)" creating "$(js createRuntime '["status"]')"
check_eq "state: status running at poststart" running "$(js poststart '["status"]')"
check_eq "state: status stopped at poststop" stopped "$(js poststop '["status"]')"
check_eq "state: bundle" "$B" "$(js poststop '["bundle"]')"
check_eq "state: annotations" yes "$(js createRuntime '["annotations"]["org.example"]')"

# fail KIND SCRIPT: a config whose only hook is KIND running SCRIPT.
fail_cfg() {
	cfg "$B" "c['hooks'] = {'$1': [{'path': '/bin/sh', 'args': ['sh', '-c', '''$2''']$3}]}"
}
for k in prestart createRuntime createContainer; do
	fail_cfg $k 'exit 3'
	err=$(shim create --bundle "$B" f$k 2>&1 >/dev/null)
	check_eq "$k failure: create fails" 1 "$?"
	check_match "$k failure: the error names the hook" "hooks.$k\\[0\\]: exited with status 3" "$err"
	check "$k failure: the container is destroyed" test ! -e "$SHIM_ROOT/f$k"
done

fail_cfg prestart 'exec sleep 2049' ", 'timeout': 1"
t0=$(date +%s)
err=$(shim create --bundle "$B" ftime 2>&1 >/dev/null)
rc=$?
t1=$(date +%s)
check_eq "timeout: create fails" 1 "$rc"
check_match "timeout: the error says so" 'hooks.prestart\[0\]: timed out after 1 s' "$err"
check "timeout: the hook is killed within ~1 s, not after 2049" test $((t1 - t0)) -le 4
check "timeout: no hook left behind" sh -c "! pgrep -f '^sleep 2049$' >/dev/null"
check "timeout: the container is destroyed" test ! -e "$SHIM_ROOT/ftime"

cfg "$B" 'c["process"]["args"] = ["sh", "-c", "echo ran"]'
fail_cfg startContainer 'exit 4'
shim create --bundle "$B" fstart >"$SHIM_T/fs.out" 2>"$SHIM_T/fs.err"
shim start fstart 2>/dev/null
for _ in $(seq 50); do shim state fstart | grep -q stopped && break; sleep 0.1; done
check_eq "startContainer failure: the process does not run" "" "$(cat "$SHIM_T/fs.out")"
check_match "startContainer failure: reported" 'hooks.startContainer\[0\]: exited with status 4' \
	"$(cat "$SHIM_T/fs.err")"
shim delete --force fstart

for k in poststart poststop; do
	fail_cfg $k 'exit 5'
	out=$(cd "$B" && shim run w$k 2>&1)
	check_eq "$k failure: run still exits 0" 0 "$?"
	check_match "$k failure: a warning names the hook" "hooks.$k\\[0\\]: exited with status 5 \\(ignored\\)" "$out"
	check "$k failure: the container is gone" test ! -e "$SHIM_ROOT/w$k"
done

check_eq "features lists the six hooks" \
	"['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop']" \
	"$(shim features | jget '["hooks"]')"

fail_cfg prestart 'exit 0' ", 'timeout': 0"
check_match "timeout 0 is refused (the spec: greater than zero)" 'hooks.prestart\[0\].timeout' \
	"$(shim create --bundle "$B" fzero 2>&1)"
cfg "$B" "c['hooks'] = {'prestart': [{'path': 'rel/hook'}]}"
check_match "a relative hook path is refused" 'hooks.prestart\[0\].path: must be an absolute path' \
	"$(shim create --bundle "$B" frel 2>&1)"
t_done
