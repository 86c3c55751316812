#!/bin/sh
# A non-root process.user with ambient capabilities and NO user namespace
# (the DHCP client's shape, systemd-networkd's model): runc-shim keeps the
# permitted set across the uid change (PR_SET_KEEPCAPS), sets exactly the
# configured sets, raises the ambient ones, so the process holds them over
# the host's user namespace as uid 4242 and keeps them across its own execve.
# Without the ambient set a non-root process ends up with none.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/shim_lib.sh"
shim_require

B=$SHIM_T/b
make_bundle "$B"
cfg "$B" '
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "user"]
c["linux"].pop("uidMappings", None); c["linux"].pop("gidMappings", None)
c["process"]["user"] = {"uid": 4242, "gid": 4243}
caps = ["CAP_NET_BIND_SERVICE", "CAP_NET_RAW"]
c["process"]["capabilities"] = {k: caps for k in ("bounding", "effective", "permitted", "inheritable", "ambient")}
c["process"]["args"] = ["sh", "-c", "probe info; nc -l -p 80 </dev/null & sleep 0.5; echo bind80=$(cat /proc/net/tcp /proc/net/tcp6 | grep -c \"^ *[0-9]*: [0-9A-F]*:0050 \")"]
'
ln -sf busybox "$B/rootfs/bin/nc"
out=$(cd "$B" && shim run ambient 2>&1)
want=0000000000002400
check_eq "uid 4242 (no user namespace)" 4242 "$(field uid "$out")"
check_eq "euid 4242" 4242 "$(field euid "$out")"
check_eq "gid 4243" 4243 "$(field gid "$out")"
check_eq "uid_map is the host's (no user namespace)" "0 0 4294967295" "$(field uid_map "$out" | tr -s ' ' | sed 's/^ //')"
check_eq "CapAmb: NET_BIND_SERVICE + NET_RAW" "$want" "$(field CapAmb "$out")"
check_eq "CapEff after exec (from ambient)" "$want" "$(field CapEff "$out")"
check_eq "CapPrm after exec" "$want" "$(field CapPrm "$out")"
check_eq "CapBnd: exactly the configured caps" "$want" "$(field CapBnd "$out")"
check_eq "NoNewPrivs still 1" 1 "$(field NoNewPrivs "$out")"
check_eq "as uid 4242 it binds port 80 (CAP_NET_BIND_SERVICE works)" 1 "$(field bind80 "$out")"

cfg "$B" '
for k in ("inheritable", "ambient"): c["process"]["capabilities"][k] = []
'
out=$(cd "$B" && shim run noambient 2>&1)
check_eq "without ambient: a non-root process has no effective caps after exec" 0000000000000000 "$(field CapEff "$out")"
check_eq "without ambient: cannot bind port 80" 0 "$(field bind80 "$out")"
t_done
