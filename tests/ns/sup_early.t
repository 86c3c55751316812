#!/bin/sh
# Early exits (namespace tier): a container init that exits before PID 1
# has read its pid file is still matched to its service, with its real exit
# status (kept by the service whose pid file names it; no ring of pids).
# The runtime here is a script: its "create" double-forks an init that
# exits with status 5 after 0.2 s, writes the pid file, and returns only
# after 1 s, so PID 1 reaps the init before create has returned.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/sup_lib.sh"

cat >"$SUP_T/fake-runtime" <<'SH'
#!/bin/sh
verb= pidf=
while [ $# -gt 1 ]; do
	case $1 in
	--pid-file) pidf=$2; shift ;;
	--root|--bundle|--preserve-fds) shift ;;
	create|start|delete|kill) verb=${verb:-$1} ;;
	esac
	shift
done
case $verb in
create)
	(sh -c 'sleep 0.2; exit 5' </dev/null >/dev/null 2>&1 & echo $! >"$pidf")
	sleep 1 ;;
esac
exit 0
SH
chmod +x "$SUP_T/fake-runtime"
RUNTIME=$SUP_T/fake-runtime
bundle services early 'true' 'restart = never'

check "init boots" boot keel.debug=1
check "the early exit is matched to its service" wait_for 10 is_state early down
check_eq "... with its real status" "exit 5" "$(field early last_exit)"
check_match "... noted in its log" 'exited \(wait status 0x500\) before its pid was read' "$(ctl logs early)"
check "poweroff" poweroff_wait 20
t_done
